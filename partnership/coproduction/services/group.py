"""The SEND parent group (P5): parents opt in at their child's school, staff may name one
member as the parent representative, and members are invited to group sessions.

One representative per school has no database constraint behind it, so naming one locks
every member row of that school's group first: two staff naming different people at the
same moment end with exactly one.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.accounts.models import User
from partnership.meetings.models import GroupSession
from partnership.notifications.services import message_enqueue_from_templates
from partnership.schools.models import WHOLE_SCHOOL_ROLES, Child, Membership, School

from ..models import ParentGroupMember
from . import Refused


class GroupRefused(Refused):
    """A rule of the parent group was broken; the message is for the person who tried."""


def _require_manager(user: User, school: School) -> None:
    is_manager = (
        Membership.objects.active()
        .filter(user=user, school=school, role__in=WHOLE_SCHOOL_ROLES)
        .exists()
    )
    if not is_manager:
        raise GroupRefused(_("Only the SENDCo or an administrator can manage the parent group."))


@transaction.atomic
def group_join(*, school: School, parent: User) -> ParentGroupMember:
    """Join the group at a school of one of the parent's children. Joining twice is a no-op."""
    if not Child.objects.of_parent(parent).filter(school=school).exists():
        raise GroupRefused(_("You can join the parent group at your child's school."))
    member, _created = ParentGroupMember.objects.get_or_create(school=school, parent=parent)
    return member


@transaction.atomic
def group_leave(*, school: School, parent: User) -> bool:
    """Leave the group (a representative stops being one). True if they were a member."""
    deleted, _detail = ParentGroupMember.objects.filter(school=school, parent=parent).delete()
    return deleted > 0


@transaction.atomic
def group_member_remove(*, member: ParentGroupMember, by: User) -> None:
    _require_manager(by, member.school)
    ParentGroupMember.objects.filter(pk=member.pk).delete()


@transaction.atomic
def group_representative_set(
    *, school: School, member: ParentGroupMember | None, by: User
) -> ParentGroupMember | None:
    """Name `member` the school's parent representative, or nobody with None."""
    _require_manager(by, school)
    rows = list(ParentGroupMember.objects.select_for_update().filter(school=school).order_by("pk"))
    if member is not None and member.pk not in {row.pk for row in rows}:
        raise GroupRefused(_("The representative must be a member of this school's group."))
    ParentGroupMember.objects.filter(school=school, is_representative=True).exclude(
        pk=getattr(member, "pk", None)
    ).update(is_representative=False)
    if member is None:
        return None
    ParentGroupMember.objects.filter(pk=member.pk).update(is_representative=True)
    member.is_representative = True
    return member


@transaction.atomic
def group_session_invite(*, school: School, session: GroupSession, by: User) -> int:
    """Email every member of the group once about an upcoming session.

    The outbox key is per session and parent, so inviting again only reaches members who
    joined since. Returns how many members were emailed this time.
    """
    _require_manager(by, school)
    if session.school_id != school.pk:
        raise GroupRefused(_("That session is at another school."))
    if session.cancelled_at is not None or session.starts_at <= timezone.now():
        raise GroupRefused(_("Choose a session that is still to come."))
    members = ParentGroupMember.objects.filter(school=school).select_related("parent")
    sent = 0
    for member in members.order_by("pk"):
        parent = member.parent
        _message, created = message_enqueue_from_templates(
            key=f"group-session-invite:{session.pk}:{parent.pk}",
            kind="group_session_invite",
            to_email=parent.email,
            template="group_session_invite",
            context={
                "name": parent.full_name or parent.email,
                "session": session,
                "school": school,
            },
            school=school,
            recipient=parent,
            to_parent=True,
        )
        sent += created
    return sent
