from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
    )

    def __init__(self, *args, user, password_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.password_required = password_required
        self.fields["password1"].required = password_required
        self.fields["password2"].required = password_required
        if not password_required:
            self.fields["password1"].help_text = _(
                "Optional. Without a password, you sign in with a code we email to you."
            )

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 or p2:
            if p1 != p2:
                self.add_error("password2", _("The two passwords are different."))
            else:
                try:
                    password_validation.validate_password(p1, self.user)
                except forms.ValidationError as exc:
                    self.add_error("password1", exc)
        return data
