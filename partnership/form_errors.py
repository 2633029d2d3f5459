"""Form errors that say what to do, for every form of the portal, in one place.

Django's "This field is required." tells a parent something is wrong but not what to do,
and reads badly aloud next to a question. The portal's form renderer (FORM_RENDERER in
settings) gives every form a BoundField whose errors replace that one message with an
instruction that fits the kind of field: "Enter ...", "Choose ...", "Tick ...". A form that
sets its own "required" message keeps it. Only what is shown changes: form.errors, which
views and services may read, keeps Django's wording.
"""

from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext as _

GENERIC_REQUIRED = forms.Field.default_error_messages["required"]


def _noun(label: str) -> str | None:
    """A short label such as "Full name" read as "full name"; None for a question."""
    label = " ".join(str(label or "").split()).rstrip(":")
    if not label or label.endswith("?") or len(label.split()) > 5:
        return None
    first_word = label.split()[0]
    # "Email address" -> "email address", but "SENDCo meetings" keeps its capitals.
    return label[0].lower() + label[1:] if first_word[1:].islower() else label


def required_instruction(field: forms.Field, label: str) -> str:
    """What to do about an empty required field, in the words of its kind of control."""
    widget = field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.SelectMultiple):
        return _("Choose at least one option.")
    if isinstance(widget, forms.RadioSelect | forms.Select):
        return _("Choose one of the options.")
    if isinstance(widget, forms.CheckboxInput):
        return _("Tick this box to go on.")
    if isinstance(widget, forms.FileInput):
        return _("Choose a file to send.")
    if isinstance(field, forms.DateTimeField):
        return _("Enter a date and time.")
    if isinstance(field, forms.DateField):
        return _("Enter a date.")
    if isinstance(field, forms.TimeField):
        return _("Enter a time.")
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return _("Enter a number.")
    if isinstance(field, forms.EmailField):
        return _("Enter an email address.")
    if isinstance(widget, forms.PasswordInput):
        return _("Enter a password.")
    if isinstance(field, forms.URLField):
        return _("Enter a web address, starting https://")
    noun = _noun(label)
    if noun:
        return _("Enter %(what)s.") % {"what": noun}
    return _("Write your answer in this box.")


class PortalBoundField(BoundField):
    @property
    def errors(self) -> forms.utils.ErrorList:
        errors = super().errors
        if not errors:
            return errors
        generic = str(GENERIC_REQUIRED)
        messages = [
            required_instruction(self.field, self.label)
            if error.code == "required" and str(error.message) == generic
            else error
            for error in errors.as_data()
        ]
        return errors.__class__(
            messages,
            renderer=errors.renderer,
            field_id=getattr(errors, "field_id", None) or self.auto_id,
        )


class FormRenderer(DjangoTemplates):
    """Django's own renderer, with the portal's BoundField for every form."""

    bound_field_class = PortalBoundField
