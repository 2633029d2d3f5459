"""What a signed-in person is in the portal: a parent or carer, staff, a governor.

Every page asks (the two-factor gate, the navigation's hats, the audit trail's "is the
reader staff?"), so the answer is read with the person themselves: the portal's
authentication backend loads the signed-in user with three EXISTS flags in the same
query. A user object read any other way still gets the answer, in one query.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet

from partnership.schools.models import STAFF_ROLES, FamilyLink, Membership, Role


@dataclass(frozen=True)
class Standing:
    is_parent: bool  # linked to at least one child
    is_staff_member: bool  # an active staff role at some school
    is_governor: bool  # an active governor at some school

    @property
    def has_membership(self) -> bool:
        return self.is_staff_member or self.is_governor


def with_standing(users: QuerySet) -> QuerySet:
    """Users annotated with what `standing_of` reads, so it needs no query of its own."""
    memberships = Membership.objects.active().filter(user=OuterRef("pk"))
    return users.annotate(
        standing_is_parent=Exists(FamilyLink.objects.filter(parent=OuterRef("pk"))),
        standing_is_staff_member=Exists(memberships.filter(role__in=STAFF_ROLES)),
        standing_is_governor=Exists(memberships.filter(role=Role.GOVERNOR)),
    )


def known_standing(user) -> Standing | None:
    """The person's standing if it was loaded with them, else None (no query)."""
    if not hasattr(user, "standing_is_parent"):
        return None
    return Standing(
        is_parent=bool(user.standing_is_parent),
        is_staff_member=bool(user.standing_is_staff_member),
        is_governor=bool(user.standing_is_governor),
    )


def standing_of(user) -> Standing:
    """The person's standing as loaded with them, or read now (one query)."""
    standing = known_standing(user)
    if standing is None:
        users = get_user_model()._default_manager
        standing = known_standing(with_standing(users.filter(pk=user.pk)).get())
    return standing
