"""Shared set-up for the group session tests."""

import datetime

from django.utils import timezone

from partnership.meetings.models import GroupSession, SessionPlace
from partnership.notifications.models import OutboxMessage

from ..factories import ChildFactory, FamilyLinkFactory, MembershipFactory
from ..factories_meetings import GroupSessionFactory


def family(school, email=None):
    """A parent linked to a child at the school: (parent, child)."""
    child = ChildFactory(school=school)
    kwargs = {"parent__email": email} if email else {}
    link = FamilyLinkFactory(child=child, **kwargs)
    return link.parent, child


def a_session(school, *, capacity=2, host_role="sendco", **kwargs) -> GroupSession:
    host = MembershipFactory(school=school, role=host_role) if host_role else None
    return GroupSessionFactory(school=school, capacity=capacity, host=host, **kwargs)


def make_started(session: GroupSession) -> None:
    """Move a session into the past, as if time had passed (the services refuse to
    create one there)."""
    starts = timezone.now() - datetime.timedelta(hours=2)
    GroupSession.objects.filter(pk=session.pk).update(
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
    )
    session.refresh_from_db()


def mails(kind: str, to: str | None = None):
    messages = OutboxMessage.objects.filter(kind=kind)
    return messages.filter(to_email=to) if to else messages


def statuses(session) -> list[tuple[str, str]]:
    return list(
        SessionPlace.objects.filter(session=session)
        .order_by("joined_at", "pk")
        .values_list("parent__email", "status")
    )
