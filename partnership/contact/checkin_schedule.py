"""The weekly check-in, written by the scheduled tick when each school's time comes.

Each tick asks, school by school, whether this week's check-in moment (the school's day
and time, in its own time zone) has passed; if so it writes one CheckIn row and one outbox
email per eligible parent, under keys that make every later tick that week write nothing.
"""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from partnership.accounts.models import User
from partnership.notifications.models import OutboxMessage
from partnership.notifications.schedule import scheduled_job
from partnership.notifications.services import message_enqueue_from_templates
from partnership.schools.models import FamilyLink, School

from .models import CheckIn, CheckInFrequency, CheckInPreference
from .services.checkins import RATINGS, TOKEN_MAX_AGE, checkin_token, first_names

# A check-in more than this late would arrive beside the next one; a tick after an outage
# that long leaves it out rather than asking about a week long gone.
LATEST = timedelta(days=6)


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
    chosen = dict(
        CheckInPreference.objects.filter(school=school).values_list("parent_id", "frequency")
    )
    allowed = {CheckInFrequency.WEEKLY}
    if week_of.isocalendar().week % 2 == 0:
        allowed.add(CheckInFrequency.FORTNIGHTLY)
    parents: dict[int, User] = {}
    children: dict[int, list[str]] = defaultdict(list)
    links = (
        FamilyLink.objects.filter(
            child__school=school, child__left_on__isnull=True, parent__is_active=True
        )
        .select_related("parent", "child")
        .order_by("parent_id", "child__first_name", "child_id")
    )
    for link in links:
        if chosen.get(link.parent_id, CheckInFrequency.WEEKLY) not in allowed:
            continue
        parents[link.parent_id] = link.parent
        children[link.parent_id].append(link.child.first_name)
    return [(parent, children[pk]) for pk, parent in parents.items()]


def _email_context(*, checkin: CheckIn, parent: User, names: list[str], school: School) -> dict:
    def link(rating: int) -> str:
        token = checkin_token(checkin=checkin, rating=rating)
        return settings.SITE_URL + reverse("checkin_respond", args=[token])

    return {
        "name": parent.get_short_name(),
        "school": school,
        "first_names": first_names(names),
        "ratings": [(rating, label, link(rating)) for rating, label in RATINGS],
        "answer_url": settings.SITE_URL + reverse("checkin_answer", args=[checkin.pk]),
        "preferences_url": settings.SITE_URL + reverse("checkin_preferences"),
        "valid_days": TOKEN_MAX_AGE.days,
    }


@transaction.atomic
def checkins_write(*, school: School, week_of: date) -> int:
    """Write the week's check-ins and emails for one school; returns the emails written.

    A repeat writes nothing: CheckIn rows are unique per parent, school and week, and
    each email's key names the same three. Rows already in the outbox are skipped before
    rendering, so the ticks through the rest of the week cost five queries per school.
    """
    due = parents_due(school, week_of)
    if not due:
        return 0
    CheckIn.objects.bulk_create(
        [CheckIn(parent=parent, school=school, week_of=week_of) for parent, _names in due],
        ignore_conflicts=True,
    )
    checkins = {
        checkin.parent_id: checkin
        for checkin in CheckIn.objects.filter(
            school=school, week_of=week_of, parent__in=[parent.pk for parent, _names in due]
        )
    }
    keys = {
        parent.pk: checkin_key(parent_id=parent.pk, school_id=school.pk, week_of=week_of)
        for parent, _names in due
    }
    written_before = set(
        OutboxMessage.objects.filter(key__in=keys.values()).values_list("key", flat=True)
    )
    written = 0
    for parent, names in due:
        if keys[parent.pk] in written_before:
            continue
        checkin = checkins[parent.pk]
        _message, created = message_enqueue_from_templates(
            key=keys[parent.pk],
            kind="checkin",
            to_email=parent.email,
            template="checkin",
            context=_email_context(checkin=checkin, parent=parent, names=names, school=school),
            school=school,
            recipient=parent,
            to_parent=True,
        )
        written += created
    return written


@scheduled_job("weekly-checkin")
def job(now: datetime) -> int:
    """Write the check-ins of every school whose moment has passed this week."""
    written = 0
    for school in School.objects.order_by("pk"):
        week_of = week_due(school, now)
        if week_of is not None:
            written += checkins_write(school=school, week_of=week_of)
    return written
