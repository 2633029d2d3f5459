"""Every family in scope as a row of counts, aggregated in SQL.

A family is a child on the roll (as on the SENDCo's radar): siblings are separate families
that share parents. Each source table is read once, grouped by child, so the number of
queries is fixed (seven) whatever the number of children, schools or rows. The records carry
no name, date of birth, free text or id: only the groups a split needs and the counts.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q

from partnership.contact.models import DEFAULT_FREQUENCY, Channel, ContactEntry
from partnership.plans.models import HomeObservation, Target
from partnership.praise.models import Praise
from partnership.schools.models import Child, FamilyLink

from .gap import latest_band, logged_before_latest
from .scope import Scope, before, window
from .shape import Period

# "Children with no praise in the last fortnight": the radar's two weeks.
FORTNIGHT_DAYS = 14


@dataclass
class Family:
    year_group: int
    primary_need: str
    send_status: str
    frequency: str  # the contact plan's, or the default
    contacts: int = 0  # logged by school in the period so far (not check-in answers)
    sendco_meetings: int = 0
    praise: int = 0
    praise_last_fortnight: int = 0
    observations: int = 0
    checkins_sent: int = 0  # to the family's parents from the child's school
    checkins_answered: int = 0
    targets_shared: int = 0
    targets_agreed: int = 0
    heard_band: str = ""  # the latest "how often have you heard from school" answer
    logged_before_heard: int = 0  # contacts school logged in the half-term before it


def fortnight_start(so_far: Period) -> datetime.date:
    return so_far.ends - datetime.timedelta(days=FORTNIGHT_DAYS)


def _children(scope: Scope, so_far: Period) -> dict[int, Family]:
    rows = (
        Child.objects.filter(school__in=scope.school_ids)
        .annotate(band=latest_band(scope, so_far))
        .order_by()
        .values_list(
            "pk", "year_group", "primary_need", "send_status", "contact_plan__frequency", "band"
        )
    )
    logged_before = logged_before_latest(scope, so_far)
    families = {}
    for pk, year, need, status, frequency, band in rows:
        families[pk] = Family(
            year_group=year,
            primary_need=need,
            send_status=status,
            frequency=frequency or DEFAULT_FREQUENCY,
            heard_band=band or "",
            logged_before_heard=logged_before.get(pk, 0) if band else 0,
        )
    return families


def _add(families: dict[int, Family], rows, fields: tuple[str, ...]) -> None:
    for child_id, *counts in rows:
        family = families.get(child_id)
        if family is None:  # a child at a school outside the scope
            continue
        for name, count in zip(fields, counts, strict=True):
            setattr(family, name, getattr(family, name) + (count or 0))


def families_in(scope: Scope, period: Period, so_far: Period) -> list[Family]:
    """Every family in scope with its counts for the period so far."""
    families = _children(scope, so_far)
    in_period = window(scope, "happened_at", so_far.starts, so_far.ends)
    _add(
        families,
        ContactEntry.objects.filter(in_period, school__in=scope.school_ids)
        .exclude(channel=Channel.CHECK_IN)
        .order_by()
        .values("children")
        .annotate(n=Count("pk"), meetings=Count("pk", filter=Q(is_sendco_meeting=True)))
        .values_list("children", "n", "meetings"),
        ("contacts", "sendco_meetings"),
    )
    fortnight = fortnight_start(so_far)
    _add(
        families,
        Praise.objects.filter(
            window(scope, "given_at", min(so_far.starts, fortnight), so_far.ends),
            school__in=scope.school_ids,
        )
        .order_by()
        .values("child")
        .annotate(
            n=Count("pk", filter=window(scope, "given_at", so_far.starts, so_far.ends)),
            recent=Count("pk", filter=window(scope, "given_at", fortnight, so_far.ends)),
        )
        .values_list("child", "n", "recent"),
        ("praise", "praise_last_fortnight"),
    )
    _add(
        families,
        HomeObservation.objects.filter(
            window(scope, "created_at", so_far.starts, so_far.ends, school_path="child__school"),
            child__school__in=scope.school_ids,
            withdrawn_at__isnull=True,
        )
        .order_by()
        .values("child")
        .annotate(n=Count("pk"))
        .values_list("child", "n"),
        ("observations",),
    )
    sent = Q(
        parent__checkins__school=F("child__school"),
        parent__checkins__week_of__gte=so_far.starts,
        parent__checkins__week_of__lt=so_far.ends,
    )
    _add(
        families,
        FamilyLink.objects.filter(child__school__in=scope.school_ids)
        .order_by()
        .values("child")
        .annotate(
            sent=Count("parent__checkins", filter=sent),
            answered=Count(
                "parent__checkins", filter=sent & Q(parent__checkins__answered_at__isnull=False)
            ),
        )
        .values_list("child", "sent", "answered"),
        ("checkins_sent", "checkins_answered"),
    )
    # Targets shared by the end of the period (so far) in a plan cycle open during it.
    _add(
        families,
        Target.objects.filter(
            Q(cycle__closed_at__isnull=True)
            | ~before(scope, "cycle__closed_at", period.starts, school_path="child__school"),
            before(scope, "shared_at", so_far.ends, school_path="child__school"),
            child__school__in=scope.school_ids,
            shared_at__isnull=False,
            cycle__starts_on__lt=so_far.ends,
        )
        .order_by()
        .values("child")
        .annotate(
            n=Count("pk"),
            agreed=Count(
                "pk", filter=Q(parent_agreed_on__isnull=False, parent_agreed_on__lt=so_far.ends)
            ),
        )
        .values_list("child", "n", "agreed"),
        ("targets_shared", "targets_agreed"),
    )
    return list(families.values())
