from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnership.schools.models import Membership

from . import roles
from .forms import AcceptInvitationForm
from .services import InvitationInvalid, invitation_accept, invitation_for_token


@login_required
def home(request):
    """Send each person to the home of the hat they have on."""
    hats = roles.hats_of(request.user)
    hat = roles.current_hat(request, hats)
    if hat is None:
        return render(request, "accounts/no_role.html")
    return redirect(hat.url)


@login_required
@require_POST
def switch_hat(request):
    hats = {hat.key: hat for hat in roles.hats_of(request.user)}
    hat = hats.get(request.POST.get("hat", ""))
    if hat is None:
        messages.error(request, _("That view is not available to you."))
        return redirect("home")
    request.session[roles.SESSION_KEY] = hat.key
    return redirect(hat.url)


def invitation_accept_view(request, token: str):
    try:
        invitation = invitation_for_token(token=token)
    except InvitationInvalid as exc:
        return render(request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=410)
    user = invitation.user
    # Staff must keep a password as well as two-factor; parents may sign in by code alone.
    is_staff = Membership.objects.filter(user=user).exists()
    form = AcceptInvitationForm(
        request.POST or None,
        user=user,
        password_required=is_staff,
        initial={"full_name": user.full_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"] or None,
            )
        except InvitationInvalid as exc:
            return render(
                request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=410
            )
        login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("home")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation, "email": user.email},
    )
