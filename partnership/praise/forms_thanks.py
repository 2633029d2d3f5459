from django import forms
from django.utils.translation import gettext_lazy as _

from .services.thanks import MESSAGE_MAX


class ThanksForm(forms.Form):
    message = forms.CharField(
        label=_("Add a message (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A few words for the adult who noticed. Up to 200 characters."),
        error_messages={
            "max_length": _("Please keep your message to %(limit_value)d characters or fewer.")
        },
    )
