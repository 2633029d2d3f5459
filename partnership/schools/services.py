"""Adding people to a school: parents linked to children, and staff with a role.

A person the school adds is created inactive and invited; accepting the invitation
activates the account. A person who already has an account is linked straight away.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from partnership.accounts.models import User
from partnership.accounts.services import invitation_create

from .models import Child, FamilyLink, Membership, RetentionPolicy, School


def person_ensure(*, email: str, full_name: str = "") -> tuple[User, bool]:
    """The account for this email, created inactive if new. Returns (user, created)."""
    email = User.objects.normalize_email(email).lower()
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif full_name and not user.full_name:
        user.full_name = full_name
        user.save(update_fields=["full_name"])
    return user, created


def family_link_set(
    *,
    parent: User,
    child: Child,
    relationship: str,
    parental_responsibility: bool = True,
    preferred_channel: str = "email",
    preferred_language: str = "English",
) -> FamilyLink:
    link, _ = FamilyLink.objects.update_or_create(
        parent=parent,
        child=child,
        defaults={
            "relationship": relationship,
            "parental_responsibility": parental_responsibility,
            "preferred_channel": preferred_channel,
            "preferred_language": preferred_language,
        },
    )
    return link


def invitation_send_if_needed(
    *, user: User, school: School, invited_by: User | None, resend: bool = False
) -> bool:
    """Invite a person who has not yet set up their account. Returns True if invited.

    A person holding a live invitation from this school is not invited again unless
    `resend` (someone asked for it by hand): re-importing the MIS file every week must not
    fill a parent's inbox.
    """
    if user.is_active:
        return False
    if (
        not resend
        and user.invitations.filter(
            school=school, accepted_at__isnull=True, expires_at__gt=timezone.now()
        ).exists()
    ):
        return False
    invitation_create(user=user, school=school, invited_by=invited_by)
    return True


@transaction.atomic
def parent_invite(
    *,
    school: School,
    email: str,
    full_name: str,
    children: Iterable[Child],
    relationship: str,
    parental_responsibility: bool,
    preferred_channel: str,
    preferred_language: str,
    invited_by: User | None,
) -> tuple[User, bool]:
    """Link a parent to children at this school and invite them if they are new here.

    Returns (parent, invited).
    """
    children = list(children)
    if any(child.school_id != school.pk for child in children):
        raise ValueError("Every child must belong to the inviting school")
    parent, _ = person_ensure(email=email, full_name=full_name)
    for child in children:
        family_link_set(
            parent=parent,
            child=child,
            relationship=relationship,
            parental_responsibility=parental_responsibility,
            preferred_channel=preferred_channel,
            preferred_language=preferred_language,
        )
    return parent, invitation_send_if_needed(
        user=parent, school=school, invited_by=invited_by, resend=True
    )


@transaction.atomic
def staff_invite(
    *,
    school: School,
    email: str,
    full_name: str,
    role: str,
    job_title: str,
    invited_by: User | None,
) -> tuple[User, bool]:
    """Give a person a role at this school and invite them if they are new. Returns
    (person, invited)."""
    person, _ = person_ensure(email=email, full_name=full_name)
    Membership.objects.update_or_create(
        user=person, school=school, role=role, defaults={"job_title": job_title, "is_active": True}
    )
    return person, invitation_send_if_needed(
        user=person, school=school, invited_by=invited_by, resend=True
    )


@transaction.atomic
def school_settings_update(*, school: School, changes: dict) -> School:
    """Save only the settings given, so a concurrent change to other fields is not undone."""
    for name, value in changes.items():
        setattr(school, name, value)
    school.save(update_fields=list(changes))
    return school


@transaction.atomic
def child_mark_left(*, child: Child, left_on, by: User) -> Child:
    """Archive a leaver: off the lists and the weekly emails, record kept until retention."""
    child.left_on = left_on
    child.save(update_fields=["left_on"])
    return child


@transaction.atomic
def child_return(*, child: Child, by: User) -> Child:
    """Undo a leaving marked by mistake (or a child who came back)."""
    child.left_on = None
    child.save(update_fields=["left_on"])
    return child


@transaction.atomic
def retention_policy_set(*, school: School, changes: dict) -> RetentionPolicy:
    policy, _created = RetentionPolicy.objects.update_or_create(school=school, defaults=changes)
    return policy
