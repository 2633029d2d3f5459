from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .roles import needs_two_factor

# Paths a member of staff may reach before setting up two-factor: signing in and out,
# the set-up itself, accepting an invitation, and static files.
OPEN_PREFIXES = ("/accounts/", "/invite/", "/static/")


class StaffTwoFactorMiddleware:
    """Staff and governors must set up TOTP before any page with pupil data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and needs_two_factor(user)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.info(
                request,
                _("Staff accounts need two-factor authentication. Set it up to continue."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
