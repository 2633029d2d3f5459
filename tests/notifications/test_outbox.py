"""The outbox sends each message once: keys dedupe writes, claims dedupe sends."""

import smtplib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from kombu.exceptions import OperationalError

from partnership.notifications import services, tasks
from partnership.notifications.models import OutboxMessage
from tests.services import require_postgres

from .helpers import DISCONNECTING_BACKEND, OutboxMessageFactory, enqueue

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = DISCONNECTING_BACKEND


def test_enqueueing_one_key_twice_writes_one_row_and_sends_one_email(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as doorbells:
        first, created = enqueue("invitation:1", subject="You are invited")
        again, created_again = enqueue("invitation:1", subject="A second try")

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.subject == "You are invited"
    assert OutboxMessage.objects.count() == 1
    assert len(doorbells) == 1  # the existing row rang no second time
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["X-Portal-Message"] == "invitation:1"
    assert OutboxMessage.objects.get().status == Status.SENT


def test_writing_a_sent_key_again_later_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("weekly:7:2026-W48")
    with django_capture_on_commit_callbacks(execute=True) as doorbells:
        _, created = enqueue("weekly:7:2026-W48")

    assert not created and doorbells == []
    assert len(mail.outbox) == 1


def test_a_repeated_doorbell_for_a_sent_row_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = enqueue("invitation:2")

    # As Redis does when a task outlives its visibility timeout.
    assert tasks.deliver_message.delay(message.pk).get() is False
    assert services.message_deliver(message_id=message.pk) is False
    assert len(mail.outbox) == 1


def test_a_claimed_row_cannot_be_claimed_again():
    message = OutboxMessageFactory()

    assert services.message_claim(message_id=message.pk) is True
    assert services.message_claim(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.status == Status.SENDING and message.attempts == 1
    assert message.claimed_at is not None
    # Another sender finds it taken and sends nothing.
    assert services.message_deliver(message_id=message.pk) is False
    assert mail.outbox == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_let_exactly_one_sender_win():
    require_postgres()
    message = OutboxMessageFactory()
    start = threading.Barrier(8)
    results: list[bool] = []

    def claim() -> None:
        try:
            start.wait()
            results.append(services.message_claim(message_id=message.pk))
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert sorted(results) == [False] * 7 + [True]
    message.refresh_from_db()
    assert message.attempts == 1


def stuck_and_live_rows(settings) -> tuple[OutboxMessage, OutboxMessage]:
    """One row whose sender crashed mid-send, one a live sender has just claimed."""
    timeout = timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS)
    now = timezone.now()
    stuck = OutboxMessageFactory(
        status=Status.SENDING, claimed_at=now - timeout - timedelta(seconds=5), attempts=1
    )
    live = OutboxMessageFactory(
        status=Status.SENDING, claimed_at=now - timedelta(seconds=5), attempts=1
    )
    return stuck, live


def test_requeue_rings_again_for_a_row_stuck_in_sending_but_not_for_a_live_claim(
    settings, django_capture_on_commit_callbacks
):
    stuck, live = stuck_and_live_rows(settings)

    with django_capture_on_commit_callbacks(execute=True) as doorbells:
        rung = services.messages_requeue()

    assert rung == 1 and len(doorbells) == 1
    assert [m.to for m in mail.outbox] == [[stuck.to_email]]
    stuck.refresh_from_db()
    live.refresh_from_db()
    assert (stuck.status, stuck.attempts) == (Status.SENT, 2)
    assert (live.status, live.attempts) == (Status.SENDING, 1)


def test_deliver_due_reclaims_a_row_stuck_in_sending_but_not_a_live_claim(settings):
    stuck, live = stuck_and_live_rows(settings)

    assert services.messages_deliver_due() == 1

    assert [m.to for m in mail.outbox] == [[stuck.to_email]]
    live.refresh_from_db()
    assert live.status == Status.SENDING


def test_a_catch_up_as_of_a_later_time_does_not_steal_a_live_claim(settings):
    _, live = stuck_and_live_rows(settings)
    later = timezone.now() + timedelta(days=3)

    # Run "as of" later, the live claim looks stale; the claim itself uses the real clock.
    assert services.messages_deliver_due(now=later) == 1
    live.refresh_from_db()
    assert live.status == Status.SENDING and live.attempts == 1


def test_a_failed_send_leaves_the_row_pending_with_the_error(mail_server_down):
    message = OutboxMessageFactory()

    with pytest.raises(services.DeliveryFailed):
        services.message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert message.attempts == 1
    assert message.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert message.sent_at is None


def wait_out_the_back_off() -> None:
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_a_failed_send_is_not_retried_before_its_back_off(settings, mail_server_down):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    message = OutboxMessageFactory()
    with pytest.raises(services.DeliveryFailed) as failure:
        services.message_deliver(message_id=message.pk)
    assert failure.value.retry_in == 60

    message.refresh_from_db()
    wait = (message.next_attempt_at - message.claimed_at).total_seconds()
    assert wait == 60
    # A tick now neither rings for it nor sends it: the back-off holds.
    assert services.messages_requeue() == 0
    assert services.messages_deliver_due() == 0
    # The second failure waits twice as long.
    wait_out_the_back_off()
    with pytest.raises(services.DeliveryFailed) as failure:
        services.message_deliver(message_id=message.pk)
    assert failure.value.retry_in == 120


def test_after_the_last_attempt_the_row_is_failed_and_left_alone(
    settings, mail_server_down, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    message = OutboxMessageFactory()

    for _ in range(2):
        with pytest.raises(services.DeliveryFailed):
            services.message_deliver(message_id=message.pk)
        wait_out_the_back_off()
    assert services.message_deliver(message_id=message.pk) is False  # gave up: no retry

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 3)
    assert message.last_error.startswith("SMTPServerDisconnected")
    # Failed is final: no tick rings for it and no catch-up sends it.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.messages_requeue() == 0
    assert services.messages_deliver_due() == 0
    message.refresh_from_db()
    assert message.attempts == 3


class RefusingBackend:
    """A mail server that answers 550: the mailbox does not exist."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"nobody@example.test": (550, b"No such user")})


def test_a_permanent_refusal_fails_at_once_without_retrying(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    message = OutboxMessageFactory()

    assert services.message_deliver(message_id=message.pk) is False  # no DeliveryFailed

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 1)
    assert "550" in message.last_error


def test_an_early_retry_of_the_task_is_refused_by_the_row(
    settings, mail_server_down, django_capture_on_commit_callbacks
):
    # Eager tasks retry at once, ignoring their countdown; the row's back-off still holds,
    # so the early retry sends nothing and the row waits for its time.
    settings.OUTBOX_MAX_ATTEMPTS = 4
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = enqueue("invitation:3")

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 1)
    assert message.next_attempt_at > timezone.now()


def test_a_send_that_failed_once_is_sent_by_the_next_catch_up(settings, mail_server_down):
    message = OutboxMessageFactory()
    with pytest.raises(services.DeliveryFailed):
        services.message_deliver(message_id=message.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    wait_out_the_back_off()

    assert services.messages_deliver_due() == 1

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 2, "")
    assert message.sent_at is not None and message.next_attempt_at is None
    assert len(mail.outbox) == 1


def test_a_broker_that_is_down_does_not_undo_or_fail_the_write(
    monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.deliver_message, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        message, created = enqueue("invitation:4")

    # The row stays pending: the next tick rings again.
    assert created
    message.refresh_from_db()
    assert message.status == Status.PENDING


def test_the_subject_is_one_line():
    message, _ = enqueue("invitation:5", subject="Hello\r\nBcc: someone@example.test")
    assert message.subject == "Hello Bcc: someone@example.test"
