"""The weekly check-in for every demo family through a real Celery worker, Redis and an
SMTP server: each eligible family gets exactly one email, and running the week again (a
repeated tick, an operator's catch-up) sends nothing more."""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from partnership.accounts.models import User
from partnership.contact.models import CheckIn, CheckInFrequency, CheckInPreference
from partnership.notifications import schedule
from partnership.notifications.models import OutboxMessage
from partnership.schools.models import School
from tests.notifications import test_worker as worker_tests
from tests.notifications.conftest import WORKER_LOG
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

FRIDAY = datetime(2026, 11, 27, 15, 0, tzinfo=ZoneInfo("Europe/London"))
WEEK_OF = date(2026, 11, 23)  # ISO week 48: fortnightly families are asked too


def eligible_emails(school: School) -> Counter:
    """Worked out apart from the job: every active parent of a child at the school, less
    those who chose no check-ins (or fortnightly, in an odd week)."""
    chosen = dict(
        CheckInPreference.objects.filter(school=school).values_list("parent_id", "frequency")
    )
    allowed = {CheckInFrequency.WEEKLY}
    if WEEK_OF.isocalendar().week % 2 == 0:
        allowed.add(CheckInFrequency.FORTNIGHTLY)
    parents = User.objects.filter(is_active=True, family_links__child__school=school).distinct()
    return Counter(
        parent.email
        for parent in parents
        if chosen.get(parent.pk, CheckInFrequency.WEEKLY) in allowed
    )


def checkins_received(sink) -> Counter:
    """Who the SMTP server got a check-in email for, by the outbox row it came from."""
    keys = sink.keys()
    to = dict(
        OutboxMessage.objects.filter(key__in=list(keys), kind="checkin").values_list(
            "key", "to_email"
        )
    )
    received: Counter = Counter()
    for key, count in keys.items():
        if key in to:
            received[to[key]] += count
    return received


@contextmanager
def worker_log_on_failure(request) -> Iterator[None]:
    # The worker log is attached to failures only under tests/notifications; print it
    # here, where pytest shows a failing test's output.
    try:
        yield
    except BaseException:
        print(request.node.stash[WORKER_LOG]())
        raise


def all_sent() -> bool:
    return not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()


def test_every_demo_family_gets_exactly_one_checkin_through_the_worker(worker, settings, request):
    with worker_log_on_failure(request):
        run_the_week_twice(worker, settings)


def run_the_week_twice(worker, settings) -> None:
    settings.DEBUG = True  # the demo refuses to load otherwise
    call_command("seed_demo", stdout=StringIO())
    # Sending hours all day, so the result does not depend on when the test runs.
    School.objects.filter(slug="riverside").update(
        sending_from=time(0, 0), sending_until=time(23, 59, 59, 999999)
    )
    school = School.objects.get(slug="riverside")
    CheckIn.objects.filter(school=school, week_of=WEEK_OF).delete()
    OutboxMessage.objects.filter(kind="checkin", key__endswith=":2026-W48").delete()
    expected = eligible_emails(school)
    assert len(expected) >= 25  # the demo's families, not an empty school

    written = schedule.tick(now=FRIDAY)

    assert written["weekly-checkin"] == len(expected)
    wait_until(all_sent, what="every check-in to be sent", worker=worker.worker, timeout=30)
    assert checkins_received(worker.sink) == expected  # everyone once, nobody twice
    assert max(worker.sink.keys().values()) == 1
    assert CheckIn.objects.filter(school=school, week_of=WEEK_OF).count() == len(expected)
    received = sum(worker.sink.recipients().values())

    # The same week again: a repeated tick, then an operator's catch-up run.
    assert schedule.tick(now=FRIDAY)["weekly-checkin"] == 0
    out = StringIO()
    call_command("run_scheduled", "--at", "2026-11-27T15:00", stdout=out)
    assert "weekly-checkin: wrote 0" in out.getvalue()
    assert "Sent 0, failed 0" in out.getvalue()
    # The solo worker takes its queue in order: once a message rung after all of that is
    # sent, any doorbell those runs rang has been answered.
    sentinel, _ = enqueue("checkin-test:sentinel", to_email="sentinel@example.test")

    def sentinel_sent() -> bool:
        sentinel.refresh_from_db()
        return sentinel.status == OutboxMessage.Status.SENT

    wait_until(sentinel_sent, what="the sentinel", worker=worker.worker, timeout=20)
    assert sum(worker.sink.recipients().values()) == received + 1
    assert checkins_received(worker.sink) == expected
    assert CheckIn.objects.filter(school=school, week_of=WEEK_OF).count() == len(expected)
