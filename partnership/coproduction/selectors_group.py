"""What the parent group pages read, and who may see the governors' summary as a parent
representative. Each a fixed number of queries, however large the group."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from partnership.accounts.models import User
from partnership.meetings.models import GroupSession
from partnership.schools.models import Child, FamilyLink, School

from .models import ParentGroupMember


def is_parent_representative(user: User, school: School) -> bool:
    if not user.is_authenticated:
        return False
    return ParentGroupMember.objects.filter(
        parent=user, school=school, is_representative=True
    ).exists()


def represented_schools(user: User) -> QuerySet[School]:
    """The schools where this person is the parent representative (empty for most)."""
    if not user.is_authenticated:
        return School.objects.none()
    return School.objects.filter(
        parent_group__parent=user, parent_group__is_representative=True
    ).order_by("name", "pk")


@dataclass
class GroupAtSchool:
    school: School
    member: ParentGroupMember | None
    representative_name: str


def groups_for_parent(user: User) -> list[GroupAtSchool]:
    """One entry per school of the parent's children: whether they are in its group, and
    the representative's name (only the name: members' other details stay with staff).
    Three queries."""
    schools = list(
        School.objects.filter(pk__in=Child.objects.of_parent(user).values("school")).order_by(
            "name", "pk"
        )
    )
    mine = {m.school_id: m for m in ParentGroupMember.objects.filter(parent=user)}
    representatives = {
        m.school_id: m.parent.full_name or m.parent.email
        for m in ParentGroupMember.objects.filter(
            school__in=schools, is_representative=True
        ).select_related("parent")
    }
    return [
        GroupAtSchool(school, mine.get(school.pk), representatives.get(school.pk, ""))
        for school in schools
    ]


def members_for_staff(school: School) -> QuerySet[ParentGroupMember]:
    return (
        ParentGroupMember.objects.filter(school=school)
        .select_related("parent")
        .order_by("parent__full_name", "parent__email", "pk")
    )


def with_children(members, school: School) -> list[ParentGroupMember]:
    """A page of members, each with `group_children` (their children at the school, first
    names for staff): one query for the page, however many members."""
    members = list(members)
    children = defaultdict(list)
    links = (
        FamilyLink.objects.filter(parent__in=[m.parent_id for m in members], child__school=school)
        .select_related("child")
        .order_by("child__first_name", "child__pk")
    )
    for link in links:
        children[link.parent_id].append(link.child)
    for member in members:
        member.group_children = children[member.parent_id]
    return members


def representative(school: School) -> ParentGroupMember | None:
    return (
        ParentGroupMember.objects.filter(school=school, is_representative=True)
        .select_related("parent")
        .first()
    )


def upcoming_sessions(school: School) -> QuerySet[GroupSession]:
    return (
        GroupSession.objects.filter(
            school=school, cancelled_at__isnull=True, starts_at__gt=timezone.now()
        )
        .select_related("school")
        .order_by("starts_at", "pk")
    )


def group_parents(school: School) -> QuerySet[User]:
    """The parents in the school's group, e.g. to ask them in a consultation."""
    return User.objects.filter(parent_groups__school=school).order_by("full_name", "email", "pk")
