"""Choices shared by every app: a multiple choice of rows for forms, and the label of a
model field's choice read fast."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class RowsChoiceField(forms.ModelMultipleChoiceField):
    """Several rows chosen by id. An id too large for the database is refused like any
    unknown one: SQLite raises OverflowError comparing an id wider than 64 bits, which
    would otherwise be a server error."""

    refusal = _("Please choose from the ones listed.")

    def clean(self, value):
        try:
            return super().clean(value)
        except OverflowError:
            raise ValidationError(self.refusal, code="invalid_choice") from None


def choice_label(choices: type[models.Choices], value) -> str:
    """The label of `value`, or the value itself if it is not one of the choices, as
    Django's get_FOO_display gives it. Django's builds a dict of every choice, hashing each
    translated label, on every call: in a list of a hundred rows that is a tenth of a
    page's time. The choice enum looks the value up directly."""
    try:
        return choices(value).label
    except ValueError:
        return str(value)
