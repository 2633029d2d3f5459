from django import forms
from django.utils.translation import gettext_lazy as _

from .models import STAFF_ROLES, Channel, Child, Relationship, Role


class ParentInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    children = forms.ModelMultipleChoiceField(
        label=_("Children"), queryset=Child.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    relationship = forms.ChoiceField(
        label=_("Relationship to the child"), choices=Relationship.choices
    )
    parental_responsibility = forms.BooleanField(
        label=_("Has parental responsibility"), required=False, initial=True
    )
    preferred_channel = forms.ChoiceField(
        label=_("Preferred way to be contacted"), choices=Channel.choices, initial=Channel.EMAIL
    )
    preferred_language = forms.CharField(
        label=_("Preferred language"), max_length=50, initial="English"
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this school's children can be chosen: a forged id fails validation.
        self.fields["children"].queryset = school.children.order_by("last_name", "first_name")


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(role.value, role.label) for role in (*STAFF_ROLES, Role.GOVERNOR)],
    )
    job_title = forms.CharField(label=_("Job title"), max_length=100, required=False)
