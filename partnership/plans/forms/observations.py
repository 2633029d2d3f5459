from django import forms
from django.utils.translation import gettext_lazy as _

from partnership.schools.models import Child

from ..models import Target
from ..services.observations import photo_problem, photo_types_accepted


class TargetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, target: Target) -> str:
        outcome = " ".join(target.outcome.split())
        return outcome if len(outcome) <= 90 else outcome[:88] + "…"


def _target_field() -> TargetChoiceField:
    return TargetChoiceField(
        label=_("Is it about one of the school's targets?"),
        queryset=Target.objects.none(),
        required=False,
        empty_label=_("No, something else"),
        help_text=_("Targets are the goals school is working on with your child."),
    )


def _targets_of(child: Child):
    # Only this child's shared targets can be chosen: a forged id fails validation.
    return Target.objects.filter(child=child, shared_at__isnull=False).order_by("-created_at")


def _text_field() -> forms.CharField:
    return forms.CharField(
        label=_("What did you see at home?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_(
            "For example: something new your child did, what helped, or what was hard. "
            "School staff who work with your child will read it."
        ),
    )


class ObservationForm(forms.Form):
    text = _text_field()
    target = _target_field()
    photo = forms.ImageField(
        label=_("A photo (optional)"),
        required=False,
        help_text=_("A JPEG, PNG or WebP picture. Only your child's school and family can see it."),
        error_messages={
            "invalid_image": _(
                "That file is not a photo we can open. Please choose a JPEG, PNG or WebP picture."
            )
        },
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(photo_types_accepted())}),
    )

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = _targets_of(child)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            problem = photo_problem(photo)
            if problem:
                raise forms.ValidationError(problem)
        return photo


class ObservationEditForm(forms.Form):
    text = _text_field()
    target = _target_field()

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = _targets_of(child)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply to the family"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
