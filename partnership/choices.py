"""A multiple choice of rows for any app's forms."""

from django import forms
from django.core.exceptions import ValidationError
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
