"""Forms for booking a meeting, cancelling or moving it, booking for a family, and
recording whether it was held."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnership.schools.models import FamilyLink

NOTE_HELP = _("A few words are enough, for example “sleep” or “the new timetable”. Optional.")


class ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, child) -> str:
        return child.first_name


class BookForm(forms.Form):
    child = ChildChoiceField(
        label=_("Which child is the meeting about?"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What would you like to talk about?"),
        help_text=NOTE_HELP,
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, children, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children
        if len(children) == 1:
            self.fields["child"].initial = children[0].pk
            self.fields["child"].widget = forms.HiddenInput()


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, as_staff: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        if as_staff:
            field.required = True
            field.help_text = _("The family will see this in the email.")
        else:
            field.label = _("Anything school should know? (optional)")


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, slot) -> str:
        return str(slot.pk)


class MoveForm(forms.Form):
    slot = SlotChoiceField(
        label=_("Choose a new time"),
        queryset=None,
        error_messages={"invalid_choice": _("That time is no longer free. Please choose another.")},
    )

    def __init__(self, *args, slots, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots


class FamilyBookForm(forms.Form):
    """One choice names both the child and the parent: "Ava Adams (3B): Pat Adams,
    mother", grouped by class so staff find the family as they think of it."""

    family = forms.TypedChoiceField(label=_("Family"), coerce=int)
    note = forms.CharField(
        label=_("What the family would like to talk about"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, links, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.links = {link.pk: link for link in links}
        groups: dict[str, list] = {}
        for link in links:
            child = link.child
            label = f"{child.full_name}: {link.parent.full_name or link.parent.email}, "
            label += str(link.get_relationship_display()).lower()
            groups.setdefault(child.class_name or str(_("No class")), []).append((link.pk, label))
        self.fields["family"].choices = [("", _("Choose a family"))] + sorted(groups.items())

    def link(self) -> FamilyLink:
        return self.links[self.cleaned_data["family"]]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Did the meeting happen?"),
        choices=[("held", _("Yes, it was held")), ("missed", _("No, the family missed it"))],
        widget=forms.RadioSelect,
    )

    @property
    def held(self) -> bool:
        return self.cleaned_data["outcome"] == "held"
