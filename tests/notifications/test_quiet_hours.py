"""Emails to parents wait for the school's sending hours, in the school's time zone."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from partnership.notifications import services
from partnership.notifications.models import OutboxMessage
from partnership.notifications.quiet_hours import sending_opens
from tests.factories import SchoolFactory

LONDON = ZoneInfo("Europe/London")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def school(db):
    return SchoolFactory(sending_from=datetime.time(8), sending_until=datetime.time(19))


@pytest.mark.parametrize(
    ("now", "opens"),
    [
        (at(2026, 11, 27, 14, 0), None),  # Friday afternoon: send now
        (at(2026, 11, 27, 7, 59), at(2026, 11, 27, 8, 0)),  # before the day starts
        (at(2026, 11, 27, 19, 0), at(2026, 11, 28, 8, 0)),  # the evening waits for morning
        (at(2026, 11, 27, 23, 30), at(2026, 11, 28, 8, 0)),
        # The night the clocks go forward, and the one they go back: 08:00 local both times.
        (at(2026, 3, 28, 22, 0), at(2026, 3, 29, 8, 0)),
        (at(2026, 10, 24, 22, 0), at(2026, 10, 25, 8, 0)),
    ],
)
def test_the_window_opens_at_the_schools_local_time(school, now, opens):
    assert sending_opens(school, now) == opens
    if opens is not None:
        assert opens.astimezone(LONDON).time() == datetime.time(8, 0)


def test_an_email_to_a_parent_written_at_night_waits_until_morning(
    school, monkeypatch, django_capture_on_commit_callbacks
):
    night = at(2026, 11, 27, 22, 15)
    monkeypatch.setattr("django.utils.timezone.now", lambda: night.astimezone(datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = services.message_enqueue_from_templates(
            key="invitation:quiet",
            kind="invitation",
            to_email="parent@example.test",
            template="invitation",
            context={"school": school, "accept_url": "x", "valid_days": 14},
            school=school,
            to_parent=True,
        )
    assert mail.outbox == []  # the doorbell rang, but the row would not be claimed
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.next_attempt_at == at(2026, 11, 28, 8, 0)

    morning = at(2026, 11, 28, 8, 1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: morning.astimezone(datetime.UTC))
    assert services.messages_deliver_due() == 1
    assert len(mail.outbox) == 1


def test_staff_emails_and_sign_in_codes_do_not_wait(school, monkeypatch):
    night = at(2026, 11, 27, 23, 0)
    monkeypatch.setattr("django.utils.timezone.now", lambda: night.astimezone(datetime.UTC))
    message, _ = services.message_enqueue_from_templates(
        key="invitation:staff",
        kind="invitation",
        to_email="teacher@example.test",
        template="invitation",
        context={"school": school, "accept_url": "x", "valid_days": 14},
        school=school,
    )
    assert message.next_attempt_at is None
