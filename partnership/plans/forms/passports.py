from django import forms
from django.utils.translation import gettext_lazy as _


def _section(label, help_text) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class PassportForm(forms.Form):
    admire = _section(
        _("What people like and admire about me"),
        _("Strengths, interests and what others value in the child."),
    )
    important = _section(
        _("What is important to me"),
        _("People, routines, things and places that matter to the child."),
    )
    support = _section(
        _("How best to support me"),
        _("What helps in class: the advice every adult working with the child should follow."),
    )


class ProposalForm(PassportForm):
    note = forms.CharField(
        label=_("Anything else for the school (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("A short note to the family"),
        help_text=_("Say why the suggestion was not taken up, and what happens next."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
