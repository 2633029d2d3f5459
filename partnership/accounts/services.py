"""Invitations: how a person the school has added gets into the portal."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.notifications.services import message_enqueue_from_templates

from .models import Invitation, User, hash_token, new_token


class InvitationInvalid(Exception):
    """The link is unknown, used or expired; the message says which, for the person."""


def invitation_create(*, user: User, school, invited_by: User | None) -> Invitation:
    """Write a single-use, expiring invitation and queue its email.

    The plain token exists only in the email; the database keeps its hash.
    """
    token = new_token()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            user=user,
            school=school,
            invited_by=invited_by,
            token_hash=hash_token(token),
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        message_enqueue_from_templates(
            key=f"invitation:{invitation.pk}",
            kind="invitation",
            to_email=user.email,
            template="invitation",
            context={
                "school": school,
                "invited_by": invited_by,
                "name": user.get_short_name() if user.full_name else "",
                "accept_url": settings.SITE_URL + reverse("invitation_accept", args=[token]),
                "valid_days": settings.INVITATION_VALID_DAYS,
            },
            school=school,
            recipient=user,
        )
    return invitation


def invitation_for_token(*, token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("user", "school")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationInvalid(_("This invitation link is not valid. Please check the link."))
    if invitation.accepted_at is not None:
        raise InvitationInvalid(_("This invitation has already been used. Please sign in."))
    if invitation.is_expired:
        raise InvitationInvalid(
            _("This invitation has expired. Please ask the school to send a new one.")
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str | None) -> User:
    """Activate the invited account. Only one of two racing requests can succeed."""
    invitation = invitation_for_token(token=token)
    used = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    if not used:
        raise InvitationInvalid(_("This invitation has already been used. Please sign in."))
    user = invitation.user
    user.full_name = full_name
    user.is_active = True
    if password:
        user.set_password(password)
    user.save(update_fields=["full_name", "is_active", "password"])
    # The email address is proven: the invitation reached it.
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user
