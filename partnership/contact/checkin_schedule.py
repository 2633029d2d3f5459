"""The weekly check-in, written by the scheduled tick when each school's time comes.

Each tick asks, school by school, whether this week's check-in moment (the school's day
and time, in its own time zone) has passed; if so it writes one CheckIn row and one outbox
email per eligible parent, under keys that make every later tick that week write nothing.
"""

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import groupby, islice
from operator import itemgetter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from partnership.accounts.models import User
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
from partnership.schools.models import FamilyLink, School

from .models import CheckIn, CheckInFrequency, CheckInPreference
from .services.checkins import RATINGS, TOKEN_MAX_AGE, checkin_token, first_names

logger = logging.getLogger(__name__)

# A check-in more than this late would arrive beside the next one; a tick after an outage
# that long leaves it out rather than asking about a week long gone.
LATEST = timedelta(days=6)
# Parents per INSERT of check-ins and emails, and links per fetch from the cursor: the job
# holds one chunk of families (about a megabyte of rendered email) at a time, however
# large the school, which keeps the worker's memory flat.
WRITE_CHUNK = 200
STREAM_CHUNK = 2000


def checkin_moment(school: School, now: datetime) -> tuple[date, datetime]:
    """(Monday of the school's current week, this week's check-in moment in UTC).

    Built from the local date and wall-clock time, then converted, so the moment stays at
    14:00 local in a week when the clocks change.
    """
    zone = ZoneInfo(school.time_zone)
    today = now.astimezone(zone).date()
    week_of = today - timedelta(days=today.weekday())
    day = week_of + timedelta(days=school.checkin_weekday)
    # Compared in UTC: aware datetimes sharing one tzinfo compare by wall clock alone.
    moment = datetime.combine(day, school.checkin_time, tzinfo=zone).astimezone(UTC)
    return week_of, moment


def week_due(school: School, now: datetime) -> date | None:
    """The Monday of the week whose check-in is due at `now`, or None."""
    week_of, moment = checkin_moment(school, now)
    return week_of if moment <= now <= moment + LATEST else None


def checkin_key(*, parent_id: int, school_id: int, week_of: date) -> str:
    return f"checkin:{parent_id}:{school_id}:{week_of:%G-W%V}"


def parents_due(school: School, week_of: date) -> list[tuple[User, list[str]]]:
    """Each parent to ask this week, with their children's first names at this school.

    Active parents linked to a child here whose choice allows this week: weekly (also
    when they never chose), or fortnightly in even ISO weeks. Children learning remotely
    count like every other child; leavers do not. Two queries, however many families.
    """
    return list(_parents_due(school, week_of))


def _parents_due(school: School, week_of: date) -> Iterator[tuple[User, list[str]]]:
    """`parents_due` as a stream: links are read through a cursor, parent by parent, and
    each parent is an unsaved User holding only what the email needs."""
    chosen = dict(
        CheckInPreference.objects.filter(school=school).values_list("parent_id", "frequency")
    )
    allowed = {CheckInFrequency.WEEKLY}
    if week_of.isocalendar().week % 2 == 0:
        allowed.add(CheckInFrequency.FORTNIGHTLY)
    links = (
        FamilyLink.objects.filter(
            child__school=school, child__left_on__isnull=True, parent__is_active=True
        )
        .order_by("parent_id", "child__first_name", "child_id")
        .values_list("parent_id", "parent__email", "parent__full_name", "child__first_name")
        .iterator(chunk_size=STREAM_CHUNK)
    )
    for parent_id, rows in groupby(links, key=itemgetter(0)):
        if chosen.get(parent_id, CheckInFrequency.WEEKLY) not in allowed:
            continue
        rows = list(rows)
        parent = User(pk=parent_id, email=rows[0][1], full_name=rows[0][2])
        yield parent, [row[3] for row in rows]


def _email_context(
    *, checkin_id: int, parent: User, names: list[str], school: School, tokens: dict[int, str]
) -> dict:
    def link(rating: int) -> str:
        return settings.SITE_URL + reverse("checkin_respond", args=[tokens[rating]])

    return {
        "name": parent.get_short_name(),
        "school": school,
        "first_names": first_names(names),
        "ratings": [(rating, label, link(rating)) for rating, label in RATINGS],
        "answer_url": settings.SITE_URL + reverse("checkin_answer", args=[checkin_id]),
        "preferences_url": settings.SITE_URL + reverse("checkin_preferences"),
        "valid_days": TOKEN_MAX_AGE.days,
    }


class _Batch:
    """One school's check-in email rendered once, with each family's values as slots.

    The links are built around a token or id as reverse() would build them; the first
    email of every batch is also rendered the ordinary way, and if the two differ the
    batch is rendered email by email.
    """

    ANSWER_ID = 918273645

    def __init__(self, school: School, templates: EmailTemplates) -> None:
        self.school, self.templates = school, templates
        respond = settings.SITE_URL + reverse("checkin_respond", args=["TOKEN"])
        self.respond = respond.rpartition("TOKEN")[::2]
        answer = settings.SITE_URL + reverse("checkin_answer", args=[self.ANSWER_ID])
        self.answer = answer.rpartition(str(self.ANSWER_ID))[::2]
        self.skeleton = EmailSkeleton.render(
            templates,
            {
                "name": slot("name"),
                "school": school,
                "first_names": slot("first_names"),
                "ratings": [(rating, label, slot(f"link{rating}")) for rating, label in RATINGS],
                "answer_url": slot("answer_url"),
                "preferences_url": settings.SITE_URL + reverse("checkin_preferences"),
                "valid_days": TOKEN_MAX_AGE.days,
            },
        )
        self.checked = False

    def render(self, *, checkin_id: int, parent: User, names: list[str]) -> tuple[str, str, str]:
        tokens = {
            rating: checkin_token(checkin=CheckIn(pk=checkin_id), rating=rating)
            for rating, _label in RATINGS
        }
        ordinary = None
        if self.skeleton is None or not self.checked:
            context = _email_context(
                checkin_id=checkin_id, parent=parent, names=names, school=self.school, tokens=tokens
            )
            ordinary = message_render(self.templates, context)
        if self.skeleton is None:
            return ordinary
        values = {
            "name": parent.get_short_name(),
            "first_names": str(first_names(names)),
            "answer_url": f"{self.answer[0]}{checkin_id}{self.answer[1]}",
            **{f"link{r}": f"{self.respond[0]}{t}{self.respond[1]}" for r, t in tokens.items()},
        }
        filled = self.skeleton.fill(values)
        if ordinary is not None:
            self.checked = True
            if filled != ordinary:
                logger.warning("check-in email of school %s rendered one by one", self.school.pk)
                self.skeleton = None
                return ordinary
        return filled


@transaction.atomic
def checkins_write(*, school: School, week_of: date) -> int:
    """Write the week's check-ins and emails for one school; returns the emails written.

    A repeat writes nothing: CheckIn rows are unique per parent, school and week, and
    each email's key names the same three. Parents are taken WRITE_CHUNK at a time; keys
    already in the outbox are skipped before anything is written or rendered, so the
    ticks through the rest of the week cost four queries per school.
    """
    templates = EmailTemplates.load("checkin")
    # Quiet hours on the real clock, once for the school: the emails go out when they may.
    not_before = sending_opens(school)
    written = 0
    due = _parents_due(school, week_of)
    while chunk := list(islice(due, WRITE_CHUNK)):
        written += _write_chunk(school, week_of, chunk, templates, not_before)
    return written


def _write_chunk(
    school: School,
    week_of: date,
    due: list[tuple[User, list[str]]],
    templates: EmailTemplates,
    not_before: datetime | None,
) -> int:
    keys = {
        parent.pk: checkin_key(parent_id=parent.pk, school_id=school.pk, week_of=week_of)
        for parent, _names in due
    }
    written_before = set(
        OutboxMessage.objects.filter(key__in=keys.values()).values_list("key", flat=True)
    )
    due = [(parent, names) for parent, names in due if keys[parent.pk] not in written_before]
    if not due:
        return 0
    CheckIn.objects.bulk_create(
        [CheckIn(parent_id=parent.pk, school=school, week_of=week_of) for parent, _ in due],
        ignore_conflicts=True,
    )
    checkin_ids = dict(
        CheckIn.objects.filter(
            school=school, week_of=week_of, parent__in=[parent.pk for parent, _names in due]
        ).values_list("parent_id", "pk")
    )
    batch = _Batch(school, templates)
    return messages_enqueue(
        messages=(
            message_row(
                key=keys[parent.pk],
                kind="checkin",
                to_email=parent.email,
                rendered=batch.render(
                    checkin_id=checkin_ids[parent.pk], parent=parent, names=names
                ),
                school=school,
                recipient_id=parent.pk,
                not_before=not_before,
            )
            for parent, names in due
        )
    )


@scheduled_job("weekly-checkin")
def job(now: datetime) -> int:
    """Write the check-ins of every school whose moment has passed this week."""
    written = 0
    for school in School.objects.order_by("pk"):
        week_of = week_due(school, now)
        if week_of is not None:
            written += checkins_write(school=school, week_of=week_of)
    return written
