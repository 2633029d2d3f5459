import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from partnership.schools.models import FamilyLink

from ..models import Outcome, Rating, Target


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and writes ISO dates whatever the locale."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _not_in_future(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError(_("This date cannot be in the future."))


class CycleOpenForm(forms.Form):
    starts_on = forms.DateField(label=_("Plan starts"), widget=DateInput)
    review_on = forms.DateField(
        label=_("Review date"),
        widget=DateInput,
        help_text=_("When you will meet the family to review the plan, usually a term ahead."),
    )

    def clean(self):
        cleaned = super().clean()
        starts_on, review_on = cleaned.get("starts_on"), cleaned.get("review_on")
        if starts_on and review_on and review_on < starts_on:
            self.add_error("review_on", _("The review date must be on or after the start date."))
        return cleaned


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["outcome", "area_of_need", "baseline", "success_criteria", "how_to_help_at_home"]
        widgets = {
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "baseline": forms.Textarea(attrs={"rows": 3}),
            "success_criteria": forms.Textarea(attrs={"rows": 2}),
            "how_to_help_at_home": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "outcome": _("Write it so the child and family understand it."),
            "how_to_help_at_home": _(
                "One or two things the family can do at home. Required before you share "
                "the target with the family."
            ),
        }


class AgreementForm(forms.Form):
    link = forms.TypedChoiceField(label=_("Parent or carer who agreed"), coerce=int)
    agreed_on = forms.DateField(
        label=_("Date agreed"), widget=DateInput, validators=[_not_in_future]
    )

    def __init__(self, *args, links: list[FamilyLink], **kwargs):
        super().__init__(*args, **kwargs)
        # Only the child's own family can be chosen: a forged id fails validation. A list,
        # not a queryset, so the page reads the family once however the form is drawn.
        self.links = {link.pk: link for link in links}
        self.fields["link"].choices = [
            (link.pk, f"{link.parent} ({link.get_relationship_display()})") for link in links
        ]
        self.fields["agreed_on"].initial = timezone.localdate

    def clean_link(self) -> FamilyLink:
        return self.links[self.cleaned_data["link"]]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Progress"),
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("On a scale from “Not started” to “Achieved”, so the family sees a trend."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you saw. The family reads this, so use plain words."),
    )
    reviewed_on = forms.DateField(
        label=_("Date"), widget=DateInput, initial=timezone.localdate, validators=[_not_in_future]
    )


class CycleCloseForm(forms.Form):
    """One outcome choice per target, then the review's summary and the next date."""

    summary = forms.CharField(
        label=_("What the review found"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The written record of the review meeting: the family reads it."),
    )
    next_review_on = forms.DateField(
        label=_("Next review date"),
        widget=DateInput,
        help_text=_("The next plan starts today and is reviewed on this date."),
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        outcome_fields = {
            self.field_name(target): forms.ChoiceField(
                label=target.outcome,
                choices=Outcome.choices,
                widget=forms.RadioSelect,
                help_text=self._latest(target),
            )
            for target in self.targets
        }
        # Targets first, in the plan's order, then the summary: the order of the meeting.
        self.fields = {**outcome_fields, **self.fields}

    @staticmethod
    def _latest(target: Target) -> str:
        # The last point on the trend is what the meeting starts from.
        reviews = list(target.reviews.all())
        if not reviews:
            return _("No progress reviews yet.")
        latest = reviews[-1]
        return _("Latest progress: %(rating)s (%(date)s).") % {
            "rating": latest.get_rating_display(),
            "date": date_format(latest.reviewed_on),
        }

    @staticmethod
    def field_name(target: Target) -> str:
        return f"outcome_{target.pk}"

    def clean_next_review_on(self) -> datetime.date:
        value = self.cleaned_data["next_review_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("The next review date must be after today."))
        return value

    def outcomes(self) -> dict[int, str]:
        return {target.pk: self.cleaned_data[self.field_name(target)] for target in self.targets}
