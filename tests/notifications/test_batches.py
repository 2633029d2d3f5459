"""Many messages at once: written in bulk under their keys, rung for in batches, claimed
in one statement and sent over a few connections, each message's failure its own."""

import smtplib
import threading

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend
from django.db import connection
from django.template import engines
from django.utils import timezone

from partnership.notifications import mail_lanes, services, tasks
from partnership.notifications.batch_render import EmailSkeleton, slot
from partnership.notifications.models import OutboxMessage
from partnership.notifications.services import EmailTemplates
from tests.services import require_postgres

from .helpers import OutboxMessageFactory

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status
PERMANENT = "gone@example.test"
TRANSIENT = "busy@example.test"


class PickyBackend(MemoryBackend):
    """A mail server that refuses one mailbox for good and another for now, and counts
    the connections it is asked to open."""

    opened = 0

    def open(self):
        PickyBackend.opened += 1
        return True

    def send_messages(self, messages):
        (address,) = messages[0].to
        if address == PERMANENT:
            raise smtplib.SMTPRecipientsRefused({address: (550, b"No such user")})
        if address == TRANSIENT:
            raise smtplib.SMTPRecipientsRefused({address: (451, b"Try again later")})
        return super().send_messages(messages)


@pytest.fixture
def picky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.PickyBackend"
    PickyBackend.opened = 0


def rows(count: int, **fields) -> list[OutboxMessage]:
    return [OutboxMessageFactory(**fields) for _ in range(count)]


def test_a_batch_is_sent_once_over_a_few_connections(picky):
    batch = rows(40)

    outcome = services.messages_deliver(message_ids=[row.pk for row in batch])

    assert (outcome.sent, outcome.failed, outcome.retry) == (40, 0, [])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(row.to_email for row in batch)
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}
    # One connection per lane, not one per message.
    assert PickyBackend.opened == mail_lanes.CONNECTIONS
    # The same batch again (a doorbell rung twice) finds nothing to claim.
    assert services.messages_deliver(message_ids=[row.pk for row in batch]).sent == 0
    assert len(mail.outbox) == 40


def test_one_bad_address_neither_fails_nor_repeats_the_rest_of_its_batch(picky):
    batch = rows(10)
    gone = OutboxMessageFactory(to_email=PERMANENT)
    busy = OutboxMessageFactory(to_email=TRANSIENT)
    ids = [gone.pk, *(row.pk for row in batch), busy.pk]

    outcome = services.messages_deliver(message_ids=ids)

    assert (outcome.sent, outcome.failed, outcome.retry) == (10, 1, [busy.pk])
    assert outcome.retry_in == services.retry_delay(1)
    assert len(mail.outbox) == 10
    gone.refresh_from_db()
    busy.refresh_from_db()
    assert (gone.status, gone.attempts) == (Status.FAILED, 1)
    assert "550" in gone.last_error
    assert (busy.status, busy.attempts) == (Status.PENDING, 1)
    assert busy.next_attempt_at > busy.claimed_at
    # The task retries the refused one alone; before its back-off the row refuses the claim.
    assert tasks.deliver_messages.apply(args=[ids]).result == 0
    assert len(mail.outbox) == 10


def test_a_batch_out_of_time_hands_its_rows_back_untried(settings):
    settings.OUTBOX_CLAIM_TIMEOUT_SECONDS = 0
    batch = rows(5)

    outcome = services.messages_deliver(message_ids=[row.pk for row in batch])

    assert outcome.sent == 0 and sorted(outcome.released) == [row.pk for row in batch]
    assert mail.outbox == []
    assert set(OutboxMessage.objects.values_list("status", "attempts", "claimed_at")) == {
        (Status.PENDING, 0, None)
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_overlapping_batch_claims_split_the_rows_without_sharing_one():
    require_postgres()
    batch = rows(60)
    ids = [row.pk for row in batch]
    start = threading.Barrier(4)
    won: list[list[int]] = []

    def claim(share: list[int]) -> None:
        try:
            start.wait()
            claimed = services.messages_claim(message_ids=share, now=timezone.now())
            won.append([message.pk for message in claimed])
        finally:
            connection.close()

    # Four senders, each rung for two thirds of the rows.
    shares = [ids[n * 20 :] + ids[: n * 20] for n in range(4)]
    threads = [threading.Thread(target=claim, args=(share[:40],)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    taken = [pk for claimed in won for pk in claimed]
    assert len(taken) == len(set(taken))  # no row went to two senders
    assert set(OutboxMessage.objects.filter(pk__in=taken).values_list("attempts", flat=True)) == {1}


def unsaved(key: str) -> OutboxMessage:
    return services.message_row(
        key=key, kind="test", to_email=f"{key}@example.test", rendered=("Hi", "Hello", "")
    )


def test_bulk_writes_skip_existing_keys_and_ring_once_per_batch(
    django_capture_on_commit_callbacks,
):
    OutboxMessageFactory(key="weekly:2")
    keys = [f"weekly:{n}" for n in range(1, services.BATCH_SIZE + 12)]

    with django_capture_on_commit_callbacks(execute=True) as doorbells:
        written = services.messages_enqueue(messages=(unsaved(key) for key in keys))

    assert written == len(keys) - 1
    assert OutboxMessage.objects.count() == len(keys)
    assert len(doorbells) == 2  # a batch of BATCH_SIZE and the rest
    assert len(mail.outbox) == len(keys) - 1  # the row written before was not rung for
    with django_capture_on_commit_callbacks(execute=True) as doorbells:
        assert services.messages_enqueue(messages=(unsaved(key) for key in keys)) == 0
    assert doorbells == []


def test_a_skeleton_fills_in_values_as_the_template_would_render_them():
    django_engine = engines["django"]
    templates = EmailTemplates(
        subject=django_engine.from_string("{% autoescape off %}For {{ who }}{% endautoescape %}"),
        body_text=django_engine.from_string(
            "{% autoescape off %}Dear {{ who }}, see {{ link }}{% endautoescape %}"
        ),
        body_html=django_engine.from_string('<p>Dear {{ who }}, <a href="{{ link }}">see</a></p>'),
    )
    values = {"who": "Siobhán O'Neill & <Co>", "link": "https://example.test/r/a:b/"}

    skeleton = EmailSkeleton.render(templates, {"who": slot("who"), "link": slot("link")})

    assert skeleton is not None
    assert skeleton.fill(values) == services.message_render(templates, values)
    assert "O&#x27;Neill &amp; &lt;Co&gt;" in skeleton.fill(values)[2]


def test_a_skeleton_refuses_a_slot_changed_by_a_filter():
    django_engine = engines["django"]
    shouting = django_engine.from_string("{{ who|upper }}")
    templates = EmailTemplates(subject=shouting, body_text=shouting, body_html=shouting)

    assert EmailSkeleton.render(templates, {"who": slot("who")}) is None


@pytest.mark.parametrize(
    "value",
    [
        "How was this week for Ava and Noah?",
        "  two  spaces  and a trailing one ",
        "Praise for Zoë this week",  # not ASCII: encoded the ordinary way
        "A subject long enough that the ordinary folding would have to wrap it somewhere, "
        "twice over",
        "SEND Partnership Portal <portal@example.org>",
        'multipart/alternative; boundary="===============0123456789abcdef=="',
    ],
)
def test_quick_folding_gives_the_same_bytes_as_the_email_packages_own(value):
    from email.policy import compat32

    from partnership.notifications.mail_lanes import _QUICK_FOLD

    for name in ("Subject", "From", "Content-Type"):
        assert _QUICK_FOLD.fold_binary(name, value) == compat32.fold_binary(name, value)
