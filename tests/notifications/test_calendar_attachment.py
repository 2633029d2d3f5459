"""Meeting emails carry their .ics: the calendar text stored on the outbox row is attached
when the row is sent, and a cancellation is sent as one."""

import pytest
from django.core import mail

from .helpers import enqueue

pytestmark = pytest.mark.django_db

INVITE = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        "UID:booking-1@test",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
)


def test_a_message_with_a_calendar_is_sent_with_the_ics_attached(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("booking-confirmed:1", calendar=INVITE)

    (sent,) = mail.outbox
    (attachment,) = sent.attachments
    name, content, mimetype = attachment
    assert name == "invite.ics"
    assert "UID:booking-1@test" in content
    assert mimetype == "text/calendar; method=PUBLISH"


def test_a_cancellation_is_attached_as_one(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("booking-cancelled:1", calendar=INVITE.replace("PUBLISH", "CANCEL"))

    assert mail.outbox[0].attachments[0][2] == "text/calendar; method=CANCEL"


def test_a_message_without_a_calendar_has_no_attachment(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("checkin:1")

    assert mail.outbox[0].attachments == []
