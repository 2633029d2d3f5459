"""Sending a broadcast: one email per parent through the outbox, never twice from one
form, and never outside the school's sending hours."""

import datetime
import threading
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection

from partnership.contact.audiences import Audience, AudienceKind
from partnership.contact.models import Broadcast, BroadcastRecipient
from partnership.contact.services import broadcasts as service
from partnership.contact.services.broadcasts import (
    BroadcastAlreadySent,
    BroadcastRefused,
    broadcast_open,
    broadcast_send,
)
from partnership.notifications.models import OutboxMessage
from partnership.notifications.services import messages_deliver_due
from tests.factories import ChildFactory, FamilyLinkFactory, SchoolFactory, UserFactory
from tests.services import require_postgres

LONDON = ZoneInfo("Europe/London")
EVERYONE = Audience(kind=AudienceKind.ALL)


def send(school, sendco, audience=EVERYONE, once=None):
    return broadcast_send(
        school=school,
        audience=audience,
        subject="Coffee morning on Friday",
        body="Come and meet other parents.\nTea and biscuits from 9:00.",
        by=sendco,
        once=once,
    )


@pytest.fixture
def two_families(school, parent):
    sibling_parent = UserFactory(email="carer@example.test")
    for _ in range(2):  # one carer, two children at the school
        FamilyLinkFactory(parent=sibling_parent, child=ChildFactory(school=school))
    return [parent, sibling_parent]


def test_each_parent_gets_one_email_with_the_message_and_a_link_to_read_it(
    school, sendco, two_families, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        broadcast = send(school, sendco)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "carer@example.test",
        "parent@example.test",
    ]
    email = mail.outbox[0]
    assert email.subject == "Riverside: Coffee morning on Friday"
    assert "Tea and biscuits from 9:00." in email.body
    assert f"/notices/{broadcast.pk}/" in email.body
    assert broadcast.audience == "All SEND families"
    assert set(broadcast.recipients.values_list("parent", flat=True)) == {
        p.pk for p in two_families
    }
    assert OutboxMessage.objects.filter(kind="broadcast").count() == 2


def test_the_same_form_sent_twice_sends_nothing_more(
    school, sendco, two_families, django_capture_on_commit_callbacks
):
    once = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = send(school, sendco, once=once)
    with pytest.raises(BroadcastAlreadySent) as refusal:
        send(school, sendco, once=once)
    assert refusal.value.broadcast == first
    assert len(mail.outbox) == 2
    assert Broadcast.objects.count() == 1
    assert BroadcastRecipient.objects.count() == 2


def test_a_second_submit_racing_the_first_writes_nothing(
    school, sendco, two_families, monkeypatch, django_capture_on_commit_callbacks
):
    once = uuid.uuid4()
    send(school, sendco, once=once)

    # The second request checked before the first was committed, so it saw no copies.
    class Unseen:
        objects = OutboxMessage.objects.none()

    monkeypatch.setattr(service, "OutboxMessage", Unseen)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(BroadcastAlreadySent):
        send(school, sendco, once=once)
    assert Broadcast.objects.count() == 1
    assert BroadcastRecipient.objects.count() == 2
    assert OutboxMessage.objects.count() == 2


def test_different_forms_with_the_same_words_are_two_broadcasts(
    school, sendco, two_families, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(school, sendco)
        send(school, sendco)
    assert len(mail.outbox) == 4


def test_a_group_with_no_families_is_refused_and_nothing_is_written(school, sendco, parent):
    with pytest.raises(BroadcastRefused) as refusal:
        send(school, sendco, Audience(kind=AudienceKind.YEAR_GROUP, year_group=11))
    assert "No families in this group" in refusal.value.message
    assert not Broadcast.objects.exists()


def test_an_empty_message_is_refused(school, sendco, parent):
    with pytest.raises(BroadcastRefused):
        broadcast_send(school=school, audience=EVERYONE, subject=" ", body="Hi", by=sendco)


def test_emails_written_after_sending_hours_wait_for_the_morning(
    school, sendco, parent, monkeypatch, django_capture_on_commit_callbacks
):
    school.sending_from, school.sending_until = datetime.time(8), datetime.time(19)
    school.save()
    evening = datetime.datetime(2026, 11, 26, 21, 30, tzinfo=LONDON)
    monkeypatch.setattr("django.utils.timezone.now", lambda: evening.astimezone(datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        send(school, sendco)
    assert mail.outbox == []
    message = OutboxMessage.objects.get(kind="broadcast")
    assert message.status == OutboxMessage.Status.PENDING
    assert message.next_attempt_at == datetime.datetime(2026, 11, 27, 8, 0, tzinfo=LONDON)

    morning = datetime.datetime(2026, 11, 27, 8, 5, tzinfo=LONDON)
    monkeypatch.setattr("django.utils.timezone.now", lambda: morning.astimezone(datetime.UTC))
    assert messages_deliver_due() == 1
    assert mail.outbox[0].to == ["parent@example.test"]


def test_only_the_first_opening_is_recorded(school, sendco, parent):
    broadcast = send(school, sendco)
    recipient = broadcast.recipients.get(parent=parent)
    first = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC)
    assert broadcast_open(recipient=recipient, at=first) is True
    assert broadcast_open(recipient=recipient, at=first + datetime.timedelta(days=1)) is False
    recipient.refresh_from_db()
    assert recipient.opened_at == first


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_six_submits_of_one_form_at_the_same_moment_send_it_once():
    require_postgres()
    school = SchoolFactory()
    sendco = UserFactory()
    for _ in range(3):
        FamilyLinkFactory(child=ChildFactory(school=school))
    once = uuid.uuid4()
    start = threading.Barrier(6)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            start.wait()
            send(school, sendco, once=once)
            outcomes.append("sent")
        except BroadcastAlreadySent:
            outcomes.append("already sent")
        except Exception as exc:  # anything else is the bug this test is about
            outcomes.append(repr(exc))
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes) == ["already sent"] * 5 + ["sent"]
    assert Broadcast.objects.count() == 1
    assert BroadcastRecipient.objects.count() == 3
    assert OutboxMessage.objects.filter(kind="broadcast").count() == 3
