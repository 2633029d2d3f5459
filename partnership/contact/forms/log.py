"""Logging a contact in under a minute on a phone: everything that can be known is
already filled in (the child, the family, now, a phone call from school)."""

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.accounts.models import User
from partnership.choices import RowsChoiceField
from partnership.plans.forms.targets import DateInput
from partnership.schools.models import Child

from ..models import Channel, Confirmation, StartedBy
from ..services.log import MAX_ACTIONS


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, which reads and writes ISO values."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def now_to_the_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class ChildChoice(RowsChoiceField):
    refusal = _("Please choose from the children listed.")

    def label_from_instance(self, obj: Child) -> str:
        return obj.full_name


class ContactLogForm(forms.Form):
    children = ChildChoice(
        label=_("About"),
        queryset=Child.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the child (or children) the contact was about.")},
    )
    parents = forms.MultipleChoiceField(
        label=_("With"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick anyone who was not part of it."),
    )
    happened_at = forms.DateTimeField(
        label=_("When"), widget=DateTimeInput, initial=now_to_the_minute
    )
    channel = forms.ChoiceField(
        label=_("How"),
        choices=[(value, label) for value, label in Channel.choices if value != Channel.CHECK_IN],
        initial=Channel.PHONE,
    )
    started_by = forms.ChoiceField(
        label=_("Who got in touch first"),
        choices=StartedBy.choices,
        initial=StartedBy.SCHOOL,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=_("What was said"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few lines. If the family can read it, write it for them."),
    )
    shared_with_family = forms.BooleanField(
        label=_("The family can read this note"),
        required=False,
        initial=True,
        help_text=_("Untick for notes only staff should read."),
    )

    def __init__(self, *args, children, parents: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = children
        # A list, not a queryset: the family is read once however the form is drawn, and
        # a forged id fails validation.
        self.people = {str(parent.pk): parent for parent in parents}
        self.fields["parents"].choices = [(key, str(p)) for key, p in self.people.items()]

    def clean_parents(self) -> list[User]:
        return [self.people[key] for key in self.cleaned_data["parents"]]


class ActionForm(forms.Form):
    """One agreed action; a row left empty is no action."""

    description = forms.CharField(label=_("What we agreed to do"), max_length=300, required=False)
    owner = forms.ChoiceField(label=_("Who will do it"), required=False)
    owner_label = forms.CharField(
        label=_("Or who, if not on the portal"), max_length=100, required=False
    )
    due_on = forms.DateField(label=_("By when"), widget=DateInput, required=False)

    def __init__(self, *args, owners: dict[str, User], owner_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = owners
        self.fields["owner"].choices = owner_choices

    def clean(self):
        cleaned = super().clean()
        described = bool(cleaned.get("description", "").strip())
        anything_else = cleaned.get("owner") or cleaned.get("owner_label") or cleaned.get("due_on")
        if anything_else and not described:
            self.add_error("description", _("Say what was agreed, or clear this row."))
        if described and not (cleaned.get("owner") or cleaned.get("owner_label", "").strip()):
            self.add_error("owner", _("Say who will do it."))
        return cleaned

    def action(self) -> dict | None:
        """The action for the service, or None for an empty row."""
        if not self.cleaned_data.get("description", "").strip():
            return None
        return {
            "description": self.cleaned_data["description"],
            "owner": self.owners.get(self.cleaned_data.get("owner") or ""),
            "owner_label": self.cleaned_data.get("owner_label", ""),
            "due_on": self.cleaned_data.get("due_on"),
        }


ActionFormSet = formset_factory(ActionForm, extra=MAX_ACTIONS, max_num=MAX_ACTIONS)


def action_owner_choices(*, me: User, parents: list[User], staff: list[User]):
    """Who can own an action, as (owners by key, choices): the person logging first, then
    the family, then everyone else on the staff."""
    owners = {str(person.pk): person for person in [me, *parents, *staff]}
    choices = [("", "—"), (str(me.pk), _("Me (%(name)s)") % {"name": me})]
    family = [(str(p.pk), str(p)) for p in parents if p.pk != me.pk]
    colleagues = [(str(p.pk), str(p)) for p in staff if p.pk != me.pk]
    if family:
        choices.append((_("Family"), family))
    if colleagues:
        choices.append((_("Staff"), colleagues))
    return owners, choices


class ConfirmForm(forms.Form):
    answer = forms.ChoiceField(choices=Confirmation.Answer.choices)
    note = forms.CharField(
        label=_("Anything to add (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
