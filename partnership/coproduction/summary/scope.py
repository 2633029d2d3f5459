"""Which schools a summary covers, and how its period's school-local dates become times.

Periods are dates in each school's own time zone. A trust's schools may (rarely) sit in
different zones, so a window is one condition per zone rather than one per school: the
number of queries and their shape stay the same however many schools a trust runs.
"""

import datetime
import operator
from collections import Counter
from dataclasses import dataclass
from functools import reduce
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from partnership.schools.models import School, Trust

from .shape import Period


@dataclass(frozen=True)
class Scope:
    name: str
    school_ids: tuple[int, ...]
    zones: tuple[str, ...]  # the distinct time zones of the schools, most schools first

    @property
    def first_zone(self) -> str:
        return self.zones[0] if self.zones else settings.TIME_ZONE


def school_scope(school: School) -> Scope:
    return Scope(name=school.name, school_ids=(school.pk,), zones=(school.time_zone,))


def trust_scope(trust: Trust) -> Scope:
    """All the trust's schools together (one query)."""
    rows = list(trust.schools.order_by("pk").values_list("pk", "time_zone"))
    # The trust's "today" is that of most of its schools.
    zones = tuple(zone for zone, _count in Counter(zone for _pk, zone in rows).most_common())
    return Scope(name=trust.name, school_ids=tuple(pk for pk, _zone in rows), zones=zones)


def scope_today(scope: Scope) -> datetime.date:
    return timezone.localdate(timezone=ZoneInfo(scope.first_zone))


def start_of(day: datetime.date, zone: str) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=ZoneInfo(zone))


def window(
    scope: Scope,
    field: str,
    starts: datetime.date,
    ends: datetime.date,
    *,
    school_path: str = "school",
) -> Q:
    """`field` falls on a school-local date in [starts, ends) at the row's own school."""
    if starts >= ends:
        return Q(pk__in=[])

    def bounds(zone: str) -> Q:
        return Q(**{f"{field}__gte": start_of(starts, zone), f"{field}__lt": start_of(ends, zone)})

    if len(scope.zones) <= 1:
        return bounds(scope.first_zone)
    return reduce(
        operator.or_,
        (Q(**{f"{school_path}__time_zone": zone}) & bounds(zone) for zone in scope.zones),
    )


def before(scope: Scope, field: str, day: datetime.date, *, school_path: str = "school") -> Q:
    """`field` falls before the start of the school-local `day` at the row's own school."""
    if len(scope.zones) <= 1:
        return Q(**{f"{field}__lt": start_of(day, scope.first_zone)})
    return reduce(
        operator.or_,
        (
            Q(**{f"{school_path}__time_zone": zone, f"{field}__lt": start_of(day, zone)})
            for zone in scope.zones
        ),
    )


def is_term(period: Period) -> bool:
    """A term ("2026-27-autumn") rather than a whole school year ("2026-27")."""
    return period.key.count("-") > 1


def clipped(period: Period, today: datetime.date) -> Period:
    """The period so far: what has happened by the end of today."""
    return period.clipped_to(today)
