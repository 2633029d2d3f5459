from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PraiseValue


class PraiseValueForm(forms.ModelForm):
    """Adding a value asks only for its name and what it looks like; editing also sets
    its place in the list."""

    class Meta:
        model = PraiseValue
        fields = ["name", "description", "order"]
        labels = {"name": _("Value"), "order": _("Position in the list")}
        help_texts = {
            "name": _("Short, in the words children use: for example “Be kind”."),
            "description": _("What it looks like in class, so every adult uses it the same way."),
            "order": _("Lower numbers come first."),
        }

    def __init__(self, *args, adding: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if adding:
            del self.fields["order"]
