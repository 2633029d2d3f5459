"""The end-of-day praise nudge to staff (written by the scheduled tick), P8.

On a school day, once the school's day has ended in its own time zone, each member of
staff who works with SEND children there and has given no praise at that school that day
gets one short email listing those children, with a link straight to the praise form.
The key names the person, the school and the local day, so later ticks write nothing.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse

from partnership.accounts.models import User
from partnership.notifications.models import OutboxMessage
from partnership.notifications.schedule import scheduled_job
from partnership.notifications.services import message_enqueue_from_templates
from partnership.schools.models import STAFF_ROLES, Assignment, Child, School

from .models import Praise, PraiseReminder

SATURDAY = 5


@dataclass
class StaffDue:
    user: User
    children: list[Child] = field(default_factory=list)


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone).astimezone(UTC)


def nudge_day(school: School, now: datetime) -> date | None:
    """The school's local date if its day has ended and it is a weekday, else None.

    Only the same local day counts: a tick after midnight is a new day whose school day
    has not ended yet, so nobody is nudged about yesterday.
    """
    zone = ZoneInfo(school.time_zone)
    today = now.astimezone(zone).date()
    if today.weekday() >= SATURDAY:
        return None
    ends = datetime.combine(today, school.school_day_ends, tzinfo=zone).astimezone(UTC)
    return today if now >= ends else None


def nudge_key(*, user_id: int, school_id: int, day: date) -> str:
    return f"praise-nudge:{user_id}:{school_id}:{day:%Y-%m-%d}"


def staff_due(school: School, day: date) -> list[StaffDue]:
    """Who to nudge at `school` on its local `day`, each with the children they work with.

    Active staff with an active staff-role membership here and at least one assignment;
    not those who switched the nudge off, nor those who gave any praise here that day
    (midnight to midnight, local). One query, however many staff or praise.
    """
    zone = ZoneInfo(school.time_zone)
    start, end = _local_midnight(day, zone), _local_midnight(day + timedelta(days=1), zone)
    praised_today = Praise.objects.filter(
        school=school,
        given_by=OuterRef("membership__user"),
        given_at__gte=start,
        given_at__lt=end,
    )
    switched_off = PraiseReminder.objects.filter(
        user=OuterRef("membership__user"), daily_nudge=False
    )
    assignments = (
        Assignment.objects.filter(
            membership__school=school,
            membership__is_active=True,
            membership__role__in=STAFF_ROLES,
            membership__user__is_active=True,
            child__school=school,
            child__left_on__isnull=True,
        )
        .filter(~Exists(praised_today), ~Exists(switched_off))
        .select_related("membership__user", "child")
        .order_by("membership__user_id", "child__last_name", "child__first_name", "child_id")
    )
    due: dict[int, StaffDue] = {}
    for assignment in assignments:
        user = assignment.membership.user
        entry = due.setdefault(user.pk, StaffDue(user=user))
        # A teacher who is also an assistant here has the same child twice.
        if all(child.pk != assignment.child_id for child in entry.children):
            entry.children.append(assignment.child)
    return list(due.values())


def _email_context(*, staff: StaffDue, school: School) -> dict:
    # Reversed here, not at import: the praise form's URL belongs to another area.
    return {
        "name": staff.user.get_short_name(),
        "school": school,
        "children": staff.children,
        "give_url": settings.SITE_URL + reverse("praise_give", args=[school.slug]),
        "reminders_url": settings.SITE_URL + reverse("praise_reminders"),
    }


@transaction.atomic
def nudges_write(*, school: School, day: date) -> int:
    """Write the day's nudges for one school; returns the emails written.

    Keys already in the outbox are skipped before rendering, so the ticks through the
    rest of the evening cost the same few queries per school.
    """
    due = staff_due(school, day)
    if not due:
        return 0
    keys = {
        staff.user.pk: nudge_key(user_id=staff.user.pk, school_id=school.pk, day=day)
        for staff in due
    }
    written_before = set(
        OutboxMessage.objects.filter(key__in=keys.values()).values_list("key", flat=True)
    )
    written = 0
    for staff in due:
        if keys[staff.user.pk] in written_before:
            continue
        _message, created = message_enqueue_from_templates(
            key=keys[staff.user.pk],
            kind="praise_nudge",
            to_email=staff.user.email,
            template="praise_nudge",
            context=_email_context(staff=staff, school=school),
            school=school,
            recipient=staff.user,
        )
        written += created
    return written


@scheduled_job("praise-nudge")
def job(now: datetime) -> int:
    """Nudge the staff of every school whose school day has ended today."""
    written = 0
    for school in School.objects.order_by("pk"):
        day = nudge_day(school, now)
        if day is not None:
            written += nudges_write(school=school, day=day)
    return written
