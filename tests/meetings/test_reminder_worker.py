"""The day-before reminders for the demo school through a real Celery worker, Redis and an
SMTP server: every meeting booked for tomorrow and every confirmed place at tomorrow's
session is reminded exactly once, and running the day again (a repeated tick, an
operator's catch-up) sends nothing more."""

import datetime
from collections import Counter
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from partnership.meetings.demo import seed_meetings
from partnership.meetings.models import Booking, GroupSession, SessionPlace
from partnership.notifications import schedule
from partnership.notifications.models import OutboxMessage
from partnership.schools.models import Child, Membership, School
from tests.contact.test_checkin_worker import worker_log_on_failure
from tests.notifications import test_worker as worker_tests
from tests.notifications.helpers import enqueue
from tests.notifications.live import wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),  # the worker only sees committed rows
]

# The delivery tests' own SMTP sink and worker (started once for this module).
live = worker_tests.live
worker = worker_tests.worker


def demo_school() -> School:
    call_command("seed_demo", stdout=StringIO())
    school = School.objects.get(slug="riverside")
    children = list(Child.objects.filter(school=school).order_by("mis_id"))
    staff = {
        m.user.email: m for m in Membership.objects.filter(school=school).select_related("user")
    }
    # Until seed_demo calls it, and harmless after: the demo meetings are written afresh.
    seed_meetings(school=school, children=children, staff=staff)
    # Sending hours all day, so the result does not depend on when the test runs.
    School.objects.filter(pk=school.pk).update(
        sending_from=datetime.time(0, 0), sending_until=datetime.time(23, 59, 59, 999999)
    )
    return School.objects.get(pk=school.pk)


def expected_reminders(school: School, day: datetime.date) -> Counter:
    """Worked out apart from the job: booked meetings and confirmed places at sessions
    that are not cancelled, on that school-local day."""
    zone = ZoneInfo(school.time_zone)
    expected: Counter = Counter()
    for booking in Booking.objects.filter(slot__school=school, status="booked"):
        if booking.slot.starts_at.astimezone(zone).date() == day:
            expected[f"meeting-reminder:{booking.pk}"] += 1
    for place in SessionPlace.objects.filter(session__school=school, status="confirmed"):
        session = place.session
        if session.cancelled_at is None and session.starts_at.astimezone(zone).date() == day:
            expected[f"session-reminder:{place.pk}"] += 1
    return expected


def reminders_received(sink) -> Counter:
    return Counter(
        {key: count for key, count in sink.keys().items() if "-reminder:" in (key or "")}
    )


def day_before_at_ten(school: School, day: datetime.date) -> datetime.datetime:
    zone = ZoneInfo(school.time_zone)
    return datetime.datetime.combine(day - datetime.timedelta(days=1), datetime.time(10), zone)


def all_sent() -> bool:
    return not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()


def test_every_meeting_tomorrow_is_reminded_exactly_once_through_the_worker(
    worker, settings, request
):
    with worker_log_on_failure(request):
        remind_twice(worker, settings)


def remind_twice(worker, settings) -> None:
    settings.DEBUG = True  # the demo refuses to load otherwise
    school = demo_school()
    zone = ZoneInfo(school.time_zone)
    mine = Booking.objects.get(parent__email="parent@example.org", status="booked")
    coffee = GroupSession.objects.get(school=school, kind="coffee_morning")
    days = sorted(
        {mine.slot.starts_at.astimezone(zone).date(), coffee.starts_at.astimezone(zone).date()}
    )
    expected: Counter = Counter()
    for day in days:
        expected += expected_reminders(school, day)
    assert sum(1 for key in expected if key.startswith("session-")) == coffee.capacity

    written = sum(
        schedule.tick(now=day_before_at_ten(school, day))["meeting-reminders"] for day in days
    )

    assert written == len(expected)
    wait_until(all_sent, what="every reminder to be sent", worker=worker.worker, timeout=60)
    assert reminders_received(worker.sink) == expected  # everyone once, nobody twice
    received = sum(worker.sink.recipients().values())

    # The same days again: repeated ticks, then an operator's catch-up run.
    for day in days:
        assert schedule.tick(now=day_before_at_ten(school, day))["meeting-reminders"] == 0
        out = StringIO()
        at = day_before_at_ten(school, day).astimezone(ZoneInfo(settings.TIME_ZONE))
        call_command("run_scheduled", "--at", f"{at:%Y-%m-%dT%H:%M}", stdout=out)
        assert "meeting-reminders: wrote 0" in out.getvalue()
    # The solo worker takes its queue in order: once a message rung after all of that is
    # sent, any doorbell those runs rang has been answered.
    sentinel, _ = enqueue("reminder-test:sentinel", to_email="sentinel@example.test")

    def sentinel_sent() -> bool:
        sentinel.refresh_from_db()
        return sentinel.status == OutboxMessage.Status.SENT

    wait_until(sentinel_sent, what="the sentinel", worker=worker.worker, timeout=30)
    assert reminders_received(worker.sink) == expected
    assert sum(worker.sink.recipients().values()) == received + 1
