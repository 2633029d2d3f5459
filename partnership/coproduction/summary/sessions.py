"""Group sessions (coffee mornings, workshops) by topic, read once for two sections:
meetings (sessions held and their attendance) and co-production (sessions offered against
support asked for)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from partnership.meetings.models import GroupSession, SessionPlace

from .scope import Scope, window
from .shape import Period


@dataclass
class TopicSessions:
    offered: int = 0  # planned in the period, not cancelled, held yet or not
    held: int = 0  # offered, in the period so far and started by now
    confirmed: int = 0  # places confirmed at sessions held
    attended: int = 0  # of those, parents marked as attending


def sessions_by_topic(
    scope: Scope, period: Period, so_far: Period, now: datetime.datetime
) -> dict[str, TopicSessions]:
    """One query: sessions joined to their places, counted with filters; sessions with
    DISTINCT so a session with many places counts once."""
    held = window(scope, "starts_at", so_far.starts, so_far.ends) & Q(starts_at__lte=now)
    rows = (
        GroupSession.objects.filter(
            window(scope, "starts_at", period.starts, period.ends),
            school__in=scope.school_ids,
            cancelled_at__isnull=True,
        )
        .order_by()
        .values("topic")
        .annotate(
            offered=Count("pk", distinct=True),
            held=Count("pk", filter=held, distinct=True),
            confirmed=Count(
                "places", filter=held & Q(places__status=SessionPlace.Status.CONFIRMED)
            ),
            attended=Count("places", filter=held & Q(places__attended=True)),
        )
    )
    return {
        row["topic"]: TopicSessions(
            offered=row["offered"],
            held=row["held"],
            confirmed=row["confirmed"],
            attended=row["attended"],
        )
        for row in rows
    }
