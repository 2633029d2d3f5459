"""The weekly praise digest to parents (written by the scheduled tick), P8.

Each school's digest moment is its digest day and time, local. A digest covers the seven
days up to that moment, [previous moment, moment), so every piece of praise falls in
exactly one week. Each parent whose children were praised gets one email for all their
children at the school; a week without praise sends that parent nothing.
"""

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import groupby
from operator import itemgetter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from partnership.accounts.models import User
from partnership.contact.services.checkins import first_names
from partnership.notifications.batch_render import EmailSkeleton, slot
from partnership.notifications.models import OutboxMessage
from partnership.notifications.quiet_hours import sending_opens
from partnership.notifications.schedule import scheduled_job
from partnership.notifications.services import (
    EmailTemplates,
    message_render,
    message_row,
    messages_enqueue,
)
from partnership.plans.models import Target
from partnership.schools.models import Child, FamilyLink, School

from .models import Praise

logger = logging.getLogger(__name__)

# A digest more than this late would arrive beside the next one; an outage that long
# leaves it out rather than sending news of a week long gone.
LATEST = timedelta(days=6)
# Parents per INSERT of emails (about a megabyte of rendered email), and links per fetch
# from the cursor: the worker's memory stays flat however large the school.
WRITE_CHUNK = 200
STREAM_CHUNK = 2000


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
        # Only what the email shows: the week of a large school, not whole rows of it.
        .only(
            *("note", "given_at", "child__first_name", "value__name"),
            *("given_by__full_name", "given_by__email", "target__outcome"),
            *("target__how_to_help_at_home", "target__shared_at", "target__child"),
        )
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
    """Each active parent of a praised child, with their praised children. One query.

    Each parent is an unsaved User holding only what the email needs, read as tuples
    through a cursor rather than as whole rows.
    """
    links = (
        FamilyLink.objects.filter(child_id__in=list(by_child), parent__is_active=True)
        .order_by("parent_id")
        .values_list("parent_id", "parent__email", "parent__full_name", "child_id")
        .iterator(chunk_size=STREAM_CHUNK)
    )
    due = []
    for parent_id, rows in groupby(links, key=itemgetter(0)):
        rows = list(rows)
        parent = User(pk=parent_id, email=rows[0][1], full_name=rows[0][2])
        weeks = sorted(
            (by_child[row[3]] for row in rows),
            key=lambda week: (week.child.first_name, week.child.pk),
        )
        due.append((parent, weeks))
    return due


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

    Parents are taken WRITE_CHUNK at a time; keys already written are skipped before
    rendering, so repeated ticks cost the same few queries whatever the amount of praise.
    """
    by_child = week_praise(school, start, moment)
    if not by_child:
        return 0
    zone = ZoneInfo(school.time_zone)
    templates = EmailTemplates.load("praise_digest")
    # Quiet hours on the real clock, once for the school: the emails go out when they may.
    not_before = sending_opens(school)
    # Parents of the same children side by side: their emails differ only in the name.
    due = sorted(parents_due(by_child), key=lambda item: _children_of(item[1]))
    written = 0
    for first in range(0, len(due), WRITE_CHUNK):
        chunk = due[first : first + WRITE_CHUNK]
        keys = {
            parent.pk: digest_key(
                parent_id=parent.pk, school_id=school.pk, moment=moment, zone=zone
            )
            for parent, _weeks in chunk
        }
        written_before = set(
            OutboxMessage.objects.filter(key__in=keys.values()).values_list("key", flat=True)
        )
        batch = _Batch(school=school, zone=zone, templates=templates)
        written += messages_enqueue(
            messages=(
                message_row(
                    key=keys[parent.pk],
                    kind="praise_digest",
                    to_email=parent.email,
                    rendered=batch.render(parent=parent, weeks=weeks),
                    school=school,
                    recipient_id=parent.pk,
                    not_before=not_before,
                )
                for parent, weeks in chunk
                if keys[parent.pk] not in written_before
            )
        )
    return written


def _children_of(weeks: list[ChildPraise]) -> tuple[int, ...]:
    return tuple(week.child.pk for week in weeks)


class _Batch:
    """The digest rendered once per set of children, with the parent's name as a slot.

    Two parents of the same child get the same email but for "Dear ...". The first email
    of every batch is also rendered the ordinary way; if the two differ, the batch is
    rendered email by email.
    """

    def __init__(self, *, school: School, zone: ZoneInfo, templates: EmailTemplates) -> None:
        self.school, self.zone, self.templates = school, zone, templates
        self.skeletons: dict[tuple[int, ...], EmailSkeleton | None] = {}
        self.checked = False
        self.by_parts = True

    def render(self, *, parent: User, weeks: list[ChildPraise]) -> tuple[str, str, str]:
        context = _email_context(parent=parent, weeks=weeks, school=self.school, zone=self.zone)
        children = _children_of(weeks)
        if self.by_parts and children not in self.skeletons:
            self.skeletons[children] = EmailSkeleton.render(
                self.templates, {**context, "name": slot("name")}
            )
        skeleton = self.skeletons.get(children) if self.by_parts else None
        if skeleton is None:
            return message_render(self.templates, context)
        filled = skeleton.fill({"name": context["name"]})
        if not self.checked:
            self.checked = True
            ordinary = message_render(self.templates, context)
            if filled != ordinary:
                logger.warning("praise digest of school %s rendered one by one", self.school.pk)
                self.by_parts = False
                return ordinary
        return filled


@scheduled_job("praise-digest")
def job(now: datetime) -> int:
    """Write the digests of every school whose digest moment has passed this week."""
    written = 0
    for school in School.objects.order_by("pk"):
        window = window_due(school, now)
        if window is not None:
            written += digests_write(school=school, start=window[0], moment=window[1])
    return written
