"""`manage.py run_scheduled`: jobs as of a given time, then delivery in this process."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from partnership.notifications import schedule
from partnership.notifications.models import OutboxMessage
from tests.factories import UserFactory

from .helpers import DISCONNECTING_BACKEND, enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture
def weekly_note(monkeypatch):
    """A job registered for this test only, writing one note per family per week.

    The registry is swapped for an empty copy, so features' own jobs stay out of these
    counts and the test job is gone afterwards.
    """
    monkeypatch.setattr(schedule, "_jobs", {})
    families = [UserFactory(email="amira@example.test"), UserFactory(email="ben@example.test")]
    runs: list[datetime] = []

    @schedule.scheduled_job("weekly-note")
    def job(now: datetime) -> int:
        runs.append(now)
        year, week, _ = timezone.localtime(now).isocalendar()
        written = 0
        for family in families:
            _, created = enqueue(
                f"weekly-note:{family.pk}:{year}-W{week:02d}",
                to_email=family.email,
                recipient=family,
            )
            written += created
        return written

    return families, runs


def run_scheduled(*args: str) -> str:
    out = StringIO()
    call_command("run_scheduled", *args, stdout=out)
    return out.getvalue()


def test_a_run_writes_rows_keyed_by_period_and_a_repeat_writes_and_sends_nothing(
    weekly_note, django_capture_on_commit_callbacks
):
    (amira, ben), runs = weekly_note

    # The doorbells ring after the in-process delivery, as a live worker's would: they find
    # every row sent already.
    with django_capture_on_commit_callbacks(execute=True):
        first = run_scheduled("--at", "2026-11-27T15:00")

    assert runs == [datetime(2026, 11, 27, 15, 0, tzinfo=UTC)]  # GMT in November
    assert sorted(OutboxMessage.objects.values_list("key", "status")) == [
        (f"weekly-note:{amira.pk}:2026-W48", "sent"),
        (f"weekly-note:{ben.pk}:2026-W48", "sent"),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["amira@example.test", "ben@example.test"]
    assert "weekly-note: wrote 2" in first
    assert "Sent 2, failed 0" in first

    with django_capture_on_commit_callbacks(execute=True):
        again = run_scheduled("--at", "2026-11-27T15:00")

    assert "weekly-note: wrote 0" in again and "Sent 0, failed 0" in again
    assert OutboxMessage.objects.count() == 2
    assert len(mail.outbox) == 2

    next_week = run_scheduled("--at", "2026-12-04T15:00")
    assert "weekly-note: wrote 2" in next_week and "Sent 2" in next_week
    assert OutboxMessage.objects.filter(key__endswith="2026-W49").count() == 2


def test_a_naive_time_is_london_time_with_summer_time(weekly_note):
    _, runs = weekly_note
    out = run_scheduled("--at", "2026-07-01T09:00")
    assert runs == [datetime(2026, 7, 1, 8, 0, tzinfo=UTC)]
    assert "as of 2026-07-01 09:00 BST" in out


def test_a_time_with_an_offset_is_taken_as_given(weekly_note):
    _, runs = weekly_note
    run_scheduled("--at", "2026-07-01T09:00+00:00")
    assert runs == [datetime(2026, 7, 1, 9, 0, tzinfo=UTC)]


def test_without_at_the_jobs_run_as_of_now(weekly_note):
    _, runs = weekly_note
    before = timezone.now()
    run_scheduled()
    assert len(runs) == 1 and before <= runs[0] <= timezone.now()


def test_the_run_also_sends_rows_left_by_a_lost_doorbell(monkeypatch):
    monkeypatch.setattr(schedule, "_jobs", {})
    enqueue("invitation:9")  # its doorbell never rings: the test's transaction never commits

    out = run_scheduled("--at", "2026-11-27T15:00")

    assert "no jobs are registered" in out
    assert "Rang the worker for 1 unsent messages" in out and "Sent 1, failed 0" in out
    assert len(mail.outbox) == 1


def test_the_run_reports_failures_and_messages_left_to_retry(settings, monkeypatch):
    monkeypatch.setattr(schedule, "_jobs", {})
    settings.EMAIL_BACKEND = DISCONNECTING_BACKEND
    settings.OUTBOX_MAX_ATTEMPTS = 2
    enqueue("invitation:10")
    enqueue("invitation:11")
    OutboxMessage.objects.filter(key="invitation:10").update(attempts=1)  # its last try

    out = run_scheduled("--at", "2026-11-27T15:00")

    assert "Sent 0, failed 1; 1 waiting to send" in out


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("next friday", "ISO 8601"),
        ("2026-13-01T15:00", "ISO 8601"),
        ("2026-03-29T01:30", "skipped or repeated"),  # the hour the clocks skip
        ("2026-10-25T01:30", "skipped or repeated"),  # the hour that happens twice
    ],
)
def test_a_bad_time_is_a_clear_error(value, reason):
    with pytest.raises(CommandError, match=reason):
        run_scheduled("--at", value)
    assert OutboxMessage.objects.count() == 0


def test_a_broken_job_does_not_stop_the_others_or_the_doorbells(weekly_note, monkeypatch):
    @schedule.scheduled_job("broken")
    def broken(now: datetime) -> int:
        raise RuntimeError("a bug in one feature")

    enqueue("invitation:12")  # a lost doorbell the tick must still ring for

    out = run_scheduled("--at", "2026-11-27T15:00")

    assert "broken: FAILED, see the log" in out and "weekly-note: wrote 2" in out
    assert "Sent 3, failed 0" in out
    assert len(mail.outbox) == 3
