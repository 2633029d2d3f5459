"""Reading the audit trail for a school's SENDCo and administrators."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from partnership.schools.models import Child, FamilyLink, Membership, School

from .models import AuditEvent

User = get_user_model()


def audit_events_for_school(
    *,
    school: School,
    child: Child | None = None,
    person=None,
    action: str = "",
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
) -> QuerySet[AuditEvent]:
    """The school's trail, newest first, narrowed by the filters given. A row about a
    child carries the child's school, including someone else's refused attempt at it."""
    events = AuditEvent.objects.filter(school=school)
    if child is not None:
        events = events.filter(child=child)
    if person is not None:
        events = events.filter(user=person)
    if action:
        events = events.filter(action=action)
    if start is not None:
        events = events.filter(at__gte=start)
    if end is not None:
        events = events.filter(at__lt=end)
    return events.select_related("user", "child").order_by("-at", "-pk")


def audit_children_for_school(*, school: School) -> QuerySet[Child]:
    return Child.objects.filter(school=school).only("pk", "first_name", "last_name")


def audit_people_for_school(*, school: School) -> QuerySet:
    """Everyone who may have touched the school's records: its staff (any role, active or
    not, since leavers' past reads still matter) and the families of its children."""
    return (
        User.objects.filter(
            Q(pk__in=Membership.objects.filter(school=school).values("user"))
            | Q(pk__in=FamilyLink.objects.filter(child__school=school).values("parent"))
        )
        .only("pk", "email", "full_name")
        .order_by("full_name", "email")
    )
