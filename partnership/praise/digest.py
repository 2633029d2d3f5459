"""The weekly praise digest to parents (written by the scheduled tick), P8.

Each school's digest moment is its digest day and time, local. A digest covers the seven
days up to that moment, [previous moment, moment), so every piece of praise falls in
exactly one week. Each parent whose children were praised gets one email for all their
children at the school; a week without praise sends that parent nothing.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from partnership.accounts.models import User
from partnership.contact.services.checkins import first_names
from partnership.notifications.models import OutboxMessage
from partnership.notifications.schedule import scheduled_job
from partnership.notifications.services import message_enqueue_from_templates
from partnership.plans.models import Target
from partnership.schools.models import Child, FamilyLink, School

from .models import Praise

# A digest more than this late would arrive beside the next one; an outage that long
# leaves it out rather than sending news of a week long gone.
LATEST = timedelta(days=6)


@dataclass
class ChildPraise:
    """One child's week: their praise, and the shared targets it relates to (once each)."""

    child: Child
    praise: list[Praise] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)


def _moment_in_week(school: School, zone: ZoneInfo, day) -> datetime:
    """The digest moment of the week holding local `day`, in UTC.

    Built from the local date and wall-clock time, then converted, so it stays at the
    school's time in a week when the clocks change.
    """
    week_of = day - timedelta(days=day.weekday())
    moment_day = week_of + timedelta(days=school.praise_digest_weekday)
    return datetime.combine(moment_day, school.praise_digest_time, tzinfo=zone).astimezone(UTC)


def digest_window(school: School, now: datetime) -> tuple[datetime, datetime]:
    """(start, moment) of the latest digest moment at or before `now`, both in UTC.

    The start is the moment a week earlier, built locally too: across a change of the
    clocks the window is 167 or 169 hours, and consecutive windows meet exactly.
    """
    zone = ZoneInfo(school.time_zone)
    today = now.astimezone(zone).date()
    moment = _moment_in_week(school, zone, today)
    if moment > now:
        moment = _moment_in_week(school, zone, today - timedelta(days=7))
    local_day = moment.astimezone(zone).date()
    start = _moment_in_week(school, zone, local_day - timedelta(days=7))
    return start, moment


def window_due(school: School, now: datetime) -> tuple[datetime, datetime] | None:
    start, moment = digest_window(school, now)
    return (start, moment) if moment <= now <= moment + LATEST else None


def digest_key(*, parent_id: int, school_id: int, moment: datetime, zone: ZoneInfo) -> str:
    return f"praise-digest:{parent_id}:{school_id}:{moment.astimezone(zone):%G-W%V}"


def week_praise(school: School, start: datetime, moment: datetime) -> dict[int, ChildPraise]:
    """The window's praise at the school, by child id; one query, targets with it.

    A target appears only when it has been shared with the family: a draft is school's
    working note, not something to send home.
    """
    rows = (
        Praise.objects.filter(school=school, given_at__gte=start, given_at__lt=moment)
        .select_related("child", "value", "given_by", "target")
        .order_by("child__first_name", "child_id", "given_at", "pk")
    )
    by_child: dict[int, ChildPraise] = {}
    for praise in rows:
        week = by_child.setdefault(praise.child_id, ChildPraise(child=praise.child))
        target = praise.target
        if target is not None and (target.shared_at is None or target.child_id != praise.child_id):
            target = None
        praise.shared_target = target
        week.praise.append(praise)
        if (
            target is not None
            and target.how_to_help_at_home
            and all(seen.pk != target.pk for seen in week.targets)
        ):
            week.targets.append(target)
    return by_child


def parents_due(by_child: dict[int, ChildPraise]) -> list[tuple[User, list[ChildPraise]]]:
    """Each active parent of a praised child, with their praised children. One query."""
    links = (
        FamilyLink.objects.filter(child_id__in=list(by_child), parent__is_active=True)
        .select_related("parent")
        .order_by("parent_id")
    )
    parents: dict[int, User] = {}
    children: dict[int, list[ChildPraise]] = defaultdict(list)
    for link in links:
        parents[link.parent_id] = link.parent
        children[link.parent_id].append(by_child[link.child_id])
    return [
        (
            parent,
            sorted(children[pk], key=lambda week: (week.child.first_name, week.child.pk)),
        )
        for pk, parent in parents.items()
    ]


def _email_context(
    *, parent: User, weeks: list[ChildPraise], school: School, zone: ZoneInfo
) -> dict:
    for week in weeks:
        for praise in week.praise:
            praise.local_day = praise.given_at.astimezone(zone).date()
    return {
        "name": parent.get_short_name(),
        "school": school,
        "weeks": weeks,
        "first_names": first_names([week.child.first_name for week in weeks]),
        "count": sum(len(week.praise) for week in weeks),
        "feed_url": settings.SITE_URL + reverse("praise_feed"),
    }


@transaction.atomic
def digests_write(*, school: School, start: datetime, moment: datetime) -> int:
    """Write one school's digests for the week ending at `moment`; returns emails written.

    Keys already written are skipped before rendering, so repeated ticks cost the same
    few queries whatever the amount of praise.
    """
    by_child = week_praise(school, start, moment)
    if not by_child:
        return 0
    due = parents_due(by_child)
    if not due:
        return 0
    zone = ZoneInfo(school.time_zone)
    keys = {
        parent.pk: digest_key(parent_id=parent.pk, school_id=school.pk, moment=moment, zone=zone)
        for parent, _weeks in due
    }
    written_before = set(
        OutboxMessage.objects.filter(key__in=keys.values()).values_list("key", flat=True)
    )
    written = 0
    for parent, weeks in due:
        if keys[parent.pk] in written_before:
            continue
        _message, created = message_enqueue_from_templates(
            key=keys[parent.pk],
            kind="praise_digest",
            to_email=parent.email,
            template="praise_digest",
            context=_email_context(parent=parent, weeks=weeks, school=school, zone=zone),
            school=school,
            recipient=parent,
            to_parent=True,
        )
        written += created
    return written


@scheduled_job("praise-digest")
def job(now: datetime) -> int:
    """Write the digests of every school whose digest moment has passed this week."""
    written = 0
    for school in School.objects.order_by("pk"):
        window = window_due(school, now)
        if window is not None:
            written += digests_write(school=school, start=window[0], moment=window[1])
    return written
