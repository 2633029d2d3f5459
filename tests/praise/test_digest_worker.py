"""The weekly praise digest for every demo family through a real Celery worker, Redis and
an SMTP server: each parent whose children were praised that week gets exactly one email,
and running the week again (a repeated tick, an operator's catch-up) sends nothing more."""

from collections import Counter
from datetime import datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from partnership.accounts.models import User
from partnership.notifications import schedule
from partnership.notifications.models import OutboxMessage
from partnership.praise.models import Praise
from partnership.schools.models import School
from tests.contact.test_checkin_worker import all_sent, worker_log_on_failure
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

# Fewer families than this would not show the digest working for a whole school.
AT_LEAST = 20


def last_full_week(school: School) -> tuple[datetime, datetime]:
    """(start, moment) of the school's latest digest week to have ended before today,
    worked out apart from the job. The demo's praise runs up to now and treats the last two
    weeks as term time, so this week is a full one."""
    zone = ZoneInfo(school.time_zone)
    today = timezone.now().astimezone(zone).date()
    back = (today.weekday() - school.praise_digest_weekday) % 7 or 7
    day = today - timedelta(days=back)
    moment = datetime.combine(day, school.praise_digest_time, tzinfo=zone)
    start = datetime.combine(day - timedelta(days=7), school.praise_digest_time, tzinfo=zone)
    return start, moment


def expected_emails(school: School, start: datetime, moment: datetime) -> Counter:
    """Every active parent of a child at the school praised in [start, moment), once."""
    praised = Praise.objects.filter(school=school, given_at__gte=start, given_at__lt=moment).values(
        "child"
    )
    parents = User.objects.filter(
        is_active=True, family_links__child__in=praised, family_links__child__school=school
    ).distinct()
    return Counter(parents.values_list("email", flat=True))


def digests_received(sink) -> Counter:
    """Who the SMTP server got a digest for, by the outbox row it came from."""
    keys = sink.keys()
    to = dict(
        OutboxMessage.objects.filter(key__in=list(keys), kind="praise_digest").values_list(
            "key", "to_email"
        )
    )
    received: Counter = Counter()
    for key, count in keys.items():
        if key in to:
            received[to[key]] += count
    return received


def test_every_praised_demo_family_gets_exactly_one_digest_through_the_worker(
    worker, settings, request
):
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
    start, moment = last_full_week(school)
    OutboxMessage.objects.filter(kind="praise_digest").delete()
    expected = expected_emails(school, start, moment)
    assert len(expected) >= AT_LEAST  # the demo's families, not an empty school

    written = schedule.tick(now=moment)

    assert written["praise-digest"] == len(expected)
    wait_until(all_sent, what="every digest to be sent", worker=worker.worker, timeout=60)
    assert digests_received(worker.sink) == expected  # everyone once, nobody twice
    assert max(worker.sink.keys().values()) == 1
    received = sum(worker.sink.recipients().values())

    # The same week again: a repeated tick, then an operator's catch-up run.
    assert schedule.tick(now=moment)["praise-digest"] == 0
    out = StringIO()
    call_command("run_scheduled", "--at", moment.isoformat(), stdout=out)
    assert "praise-digest: wrote 0" in out.getvalue()
    assert "Sent 0, failed 0" in out.getvalue()
    # The solo worker takes its queue in order: once a message rung after all of that is
    # sent, any doorbell those runs rang has been answered.
    sentinel, _ = enqueue("praise-digest-test:sentinel", to_email="sentinel@example.test")

    def sentinel_sent() -> bool:
        sentinel.refresh_from_db()
        return sentinel.status == OutboxMessage.Status.SENT

    wait_until(sentinel_sent, what="the sentinel", worker=worker.worker, timeout=20)
    assert sum(worker.sink.recipients().values()) == received + 1
    assert digests_received(worker.sink) == expected
    assert OutboxMessage.objects.filter(kind="praise_digest").count() == len(expected)
