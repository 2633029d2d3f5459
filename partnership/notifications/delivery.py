"""Claiming and sending outbox rows, one message or a batch at a time.

A batch is claimed in one compare-and-swap UPDATE ... RETURNING (pending -> sending, with
a claim time), handed to the mail server over a few connections (`mail_lanes`) and marked
sent in groups. Each message's failure stays its own: a refused address goes back to
pending (or fails) alone, and the rest of the batch is sent.
"""

import logging
import smtplib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections
from django.db.models import F, Q
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from . import mail_lanes
from .models import OutboxMessage

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status

# Rows per doorbell and claim: large enough that the fixed costs (a task, a claim, a few
# connections) vanish, small enough that a batch finishes in a second or so.
BATCH_SIZE = 100
# Sent rows are marked in groups this large. A worker killed between the mail server's
# "accepted" and the mark sends those rows again after the claim timeout; the group bounds
# that window, as marking every row alone would cost a commit per email.
MARK_EVERY = 25
# What a send needs of the row, read back by the claim itself.
_CLAIMED_FIELDS = (
    "id",
    "key",
    "to_email",
    "subject",
    "body_text",
    "body_html",
    "calendar",
    "attempts",
)


class DeliveryFailed(Exception):
    """A send that failed in a way worth retrying later (network, SMTP 4xx)."""

    def __init__(self, message: str, *, retry_in: int) -> None:
        super().__init__(message)
        self.retry_in = retry_in


@dataclass
class BatchOutcome:
    """What became of a batch. `retry` rows failed for now and wait `retry_in` seconds or
    more; `released` rows were claimed but not tried (the batch ran out of time)."""

    sent: int = 0
    failed: int = 0
    retry: list[int] = field(default_factory=list)
    retry_in: int = 0
    last_error: str = ""
    released: list[int] = field(default_factory=list)


def retry_delay(attempts: int) -> int:
    """Seconds to wait after `attempts` failed tries: the base, doubling, at most an hour."""
    return min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 3600)


def _is_permanent(exc: Exception) -> bool:
    """A 5xx answer (unknown mailbox, message refused) will not change on a retry."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def claimable(now: datetime) -> Q:
    """Rows a sender may take: pending and due, or stuck in sending past the timeout."""
    stale = now - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return (Q(status=Status.PENDING) & due) | Q(status=Status.SENDING, claimed_at__lt=stale)


def message_claim(*, message_id: int, now: datetime | None = None) -> bool:
    """Compare-and-swap pending -> sending. Only one caller can win a given row."""
    return len(messages_claim(message_ids=[message_id], now=now or timezone.now())) == 1


def messages_claim(*, message_ids: Sequence[int], now: datetime) -> list[OutboxMessage]:
    """Claim every claimable row among `message_ids` in one UPDATE ... RETURNING.

    The conditions sit in the UPDATE's own WHERE (never a subquery), so PostgreSQL checks
    them again on a row another sender changed meanwhile: each row goes to one caller.
    Returns the won rows with what sending needs, without a second read.
    """
    if not message_ids:
        return []
    queryset = OutboxMessage.objects.filter(claimable(now), pk__in=list(message_ids))
    query = queryset.query.chain(UpdateQuery)
    query.add_update_values(
        {"status": Status.SENDING, "claimed_at": now, "attempts": F("attempts") + 1}
    )
    update_sql, params = query.get_compiler(queryset.db).as_sql()
    connection = connections[queryset.db]
    meta = OutboxMessage._meta
    returning = ", ".join(
        connection.ops.quote_name(meta.get_field(name).column) for name in _CLAIMED_FIELDS
    )
    with connection.cursor() as cursor:
        cursor.execute(f"{update_sql} RETURNING {returning}", params)
        rows = cursor.fetchall()
    claimed = [
        OutboxMessage(**dict(zip(_CLAIMED_FIELDS, row, strict=True)), status=Status.SENDING)
        for row in rows
    ]
    for message in claimed:
        message.claimed_at = now
    return sorted(claimed, key=lambda message: message.pk)


def _mark_sent(message_ids: list[int]) -> None:
    if message_ids:
        OutboxMessage.objects.filter(pk__in=message_ids).update(
            status=Status.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None
        )


def _record_failure(message: OutboxMessage, exc: Exception, outcome: BatchOutcome) -> None:
    """Back to pending after its back-off, or failed for good; only while still ours."""
    attempts = message.attempts
    gave_up = _is_permanent(exc) or attempts >= settings.OUTBOX_MAX_ATTEMPTS
    retry_in = retry_delay(attempts)
    error = f"{type(exc).__name__}: {exc}"[:500]
    OutboxMessage.objects.filter(
        pk=message.pk, status=Status.SENDING, claimed_at=message.claimed_at
    ).update(
        status=Status.FAILED if gave_up else Status.PENDING,
        next_attempt_at=None if gave_up else message.claimed_at + timedelta(seconds=retry_in),
        last_error=error,
    )
    logger.warning(
        "outbox message %s attempt %s failed: %s", message.pk, attempts, type(exc).__name__
    )
    outcome.last_error = str(exc)
    if gave_up:
        outcome.failed += 1
        return
    outcome.retry_in = min(outcome.retry_in or retry_in, retry_in)
    outcome.retry.append(message.pk)


def _release(messages: list[OutboxMessage], outcome: BatchOutcome) -> None:
    """Hand rows back untried, as if never claimed, so the caller can ring for them."""
    ids = [message.pk for message in messages]
    if not ids:
        return
    OutboxMessage.objects.filter(
        pk__in=ids, status=Status.SENDING, claimed_at=messages[0].claimed_at
    ).update(status=Status.PENDING, claimed_at=None, attempts=F("attempts") - 1)
    outcome.released.extend(ids)


def messages_deliver(*, message_ids: Sequence[int]) -> BatchOutcome:
    """Send the rows among `message_ids` that nobody else has: claimed in one UPDATE,
    sent over a few mail connections at once, marked sent in groups.

    Claims run on the real clock whatever "now" a caller reasons about, so a catch-up run
    "as of" a later time cannot steal a row a live worker is sending; the claim time is
    also the token that the failure updates check, so they only touch rows still ours.
    A batch stops taking new rows at half the claim timeout and hands the rest back, so
    the tick never rings for a row that is still being sent.
    """
    claimed_at = timezone.now()
    claimed = messages_claim(message_ids=message_ids, now=claimed_at)
    outcome = BatchOutcome()
    if not claimed:
        return outcome
    budget_ends = time.monotonic() + settings.OUTBOX_CLAIM_TIMEOUT_SECONDS / 2
    sent: list[int] = []
    untried: list[OutboxMessage] = []
    try:
        for message, result in mail_lanes.send(claimed, budget_ends):
            if result is None:
                sent.append(message.pk)
            elif result == mail_lanes.UNTRIED:
                untried.append(message)
            else:
                _record_failure(message, result, outcome)
            if len(sent) >= MARK_EVERY:
                _mark_sent(sent)
                outcome.sent += len(sent)
                sent = []
    finally:
        _mark_sent(sent)
        outcome.sent += len(sent)
        _release(untried, outcome)
    logger.info("outbox batch: %s sent, %s to retry", outcome.sent, len(outcome.retry))
    return outcome


def message_deliver(*, message_id: int) -> bool:
    """Send one message if nobody else has it. Returns True if this call sent it.

    On a transient failure the row goes back to pending, not to be tried again before its
    back-off, and DeliveryFailed is raised so the task can retry then. A permanent failure
    (a 5xx answer), or the last allowed attempt, marks the row failed.
    """
    outcome = messages_deliver(message_ids=[message_id])
    if outcome.retry:
        raise DeliveryFailed(outcome.last_error, retry_in=outcome.retry_in)
    return outcome.sent == 1


def messages_deliver_due(*, now: datetime | None = None) -> int:
    """Deliver every claimable row in this process (operators catching up, tests)."""
    now = now or timezone.now()
    ids = list(
        OutboxMessage.objects.filter(claimable(now)).order_by("pk").values_list("pk", flat=True)
    )
    sent = 0
    for start in range(0, len(ids), BATCH_SIZE):
        sent += messages_deliver(message_ids=ids[start : start + BATCH_SIZE]).sent
    return sent
