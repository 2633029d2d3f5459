from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CheckInFrequency, HeardFromSchool
from ..services.checkins import RATINGS


class CheckInAnswerForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was this week?"),
        choices=[(value, f"{value} – {label}") for value, label in RATINGS],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose how the week was.")},
    )
    message = forms.CharField(
        label=_("Anything to tell us? (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Good things and worries are both welcome. Staff read this on the portal."),
    )
    wants_call = forms.BooleanField(
        label=_("I would like a call from school"),
        required=False,
        help_text=_(
            "Someone from school – usually the person listed under “Who to contact” – "
            "will phone you."
        ),
    )
    heard_from_school = forms.ChoiceField(
        label=_("How often have you heard from school this half-term?"),
        choices=[("", _("I'd rather not say"))] + HeardFromSchool.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("A half-term is the six or seven weeks between school holidays."),
    )


class CheckInPreferencesForm(forms.Form):
    """One choice per school the parent has children at."""

    def __init__(self, *args, schools, chosen: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.schools = list(schools)
        for school in self.schools:
            self.fields[self.field_name(school)] = forms.ChoiceField(
                label=_("Check-ins from %(school)s") % {"school": school.name},
                choices=CheckInFrequency.choices,
                initial=chosen.get(school.pk, CheckInFrequency.WEEKLY),
                widget=forms.RadioSelect,
            )

    @staticmethod
    def field_name(school) -> str:
        return f"school_{school.pk}"

    def choices(self):
        """(school, frequency) for each school, once the form is valid."""
        return [(school, self.cleaned_data[self.field_name(school)]) for school in self.schools]
