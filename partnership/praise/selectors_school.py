"""Reads for the school's own view of praise: who gave it, who got it, and who has been
missed. Each read is one SQL query whatever the amount of praise, so the SENDCo's page
and the contact radar cost the same for ten children or three hundred."""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    Exists,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from partnership.accounts.models import User
from partnership.schools.models import CLASSROOM_ROLES, Child, Membership, Role, School

from .models import Praise

# "No praise lately" on the radar and the SENDCo's praise page: the last two weeks.
UNPRAISED_DAYS = 14
# Staff who work with children and so are expected to give praise.
PRAISING_ROLES = (*CLASSROOM_ROLES, Role.SENDCO)


def school_zone(school: School) -> ZoneInfo:
    return ZoneInfo(school.time_zone)


def school_today(school: School) -> datetime.date:
    return timezone.localdate(timezone=school_zone(school))


def start_of_day(school: School, day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=school_zone(school))


def unpraised_since(school: School, today: datetime.date) -> datetime.datetime:
    """The start of the school-local day two weeks before `today`."""
    return start_of_day(school, today - datetime.timedelta(days=UNPRAISED_DAYS))


def parse_week(value: str) -> datetime.date | None:
    """The Monday of an ISO week written as 2026-W48, or None if it is not one."""
    try:
        return datetime.datetime.strptime(f"{value.strip()}-1", "%G-W%V-%u").date()
    except (ValueError, AttributeError):
        return None


def week_label(monday: datetime.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(
    school: School, monday: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """Monday 00:00 to the next Monday 00:00, in the school's time zone."""
    return start_of_day(school, monday), start_of_day(school, monday + datetime.timedelta(days=7))


def _no_praise_since(since: datetime.datetime) -> Exists:
    return ~Exists(Praise.objects.filter(child=OuterRef("pk"), given_at__gte=since))


def children_without_praise(
    *, school: School, since: datetime.datetime, only_while_praising: bool = False
) -> set[int]:
    """Ids of the school's children with no praise since `since`, in one query.

    With `only_while_praising`, nobody is named unless the school gave some praise since
    then: a school that has not started praising yet, or is on holiday, has missed nobody.
    """
    children = Child.objects.filter(school=school).filter(_no_praise_since(since))
    if only_while_praising:
        children = children.filter(
            Exists(Praise.objects.filter(school=school, given_at__gte=since))
        )
    return set(children.values_list("pk", flat=True))


def children_unpraised_list(*, school: School, since: datetime.datetime) -> QuerySet:
    """The children with no praise since `since`, with the time of their last praise
    (None: never), by name: the complete list, in one query."""
    return (
        Child.objects.filter(school=school)
        .filter(_no_praise_since(since))
        .annotate(last_praised_at=Max("praise__given_at"))
        .order_by("last_name", "first_name", "pk")
    )


def praise_by_child(
    *, school: School, start: datetime.datetime, end: datetime.datetime
) -> QuerySet:
    """Every child at the school with their praise between start and end, and the time of
    their last praise ever; children with none in the week first."""
    in_week = Q(praise__given_at__gte=start, praise__given_at__lt=end)
    return (
        Child.objects.filter(school=school)
        .annotate(
            week_count=Count("praise", filter=in_week),
            last_praised_at=Max("praise__given_at"),
        )
        .annotate(praised=Case(When(week_count=0, then=Value(0)), default=Value(1)))
        .order_by("praised", "last_name", "first_name", "pk")
    )


def praise_by_adult(
    *, school: School, start: datetime.datetime, end: datetime.datetime
) -> list[User]:
    """Every member of staff who works with children at the school, and anyone else who
    gave praise there between start and end, with how much praise they gave and to how
    many children; most first, then those who gave none, by name."""
    week = Praise.objects.filter(school=school, given_at__gte=start, given_at__lt=end)
    staff = Membership.objects.active().filter(school=school, role__in=PRAISING_ROLES)
    mine = week.filter(given_by=OuterRef("pk")).order_by().values("given_by")
    membership = Membership.objects.active().filter(school=school, user=OuterRef("pk"))
    adults = (
        User.objects.filter(Q(pk__in=staff.values("user")) | Q(pk__in=week.values("given_by")))
        .annotate(
            given=Coalesce(Subquery(mine.annotate(n=Count("pk")).values("n")[:1]), 0),
            children_praised=Coalesce(
                Subquery(mine.annotate(n=Count("child", distinct=True)).values("n")[:1]), 0
            ),
            job_title=Subquery(
                membership.exclude(job_title="").order_by("role").values("job_title")[:1]
            ),
            role=Subquery(membership.order_by("role").values("role")[:1]),
        )
        .order_by("-given", "full_name", "email")
    )
    rows = list(adults)
    for adult in rows:
        adult.role_label = Role(adult.role).label if adult.role else ""
    return rows


def praise_week_totals(rows_by_child: list[Child]) -> dict[str, int]:
    praised = sum(1 for child in rows_by_child if child.week_count)
    return {
        "praise": sum(child.week_count for child in rows_by_child),
        "children_praised": praised,
        "children_missed": len(rows_by_child) - praised,
    }
