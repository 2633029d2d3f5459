"""Writing and delivering outbox messages: the only way the portal sends email."""

import logging
import smtplib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutboxMessage
from .quiet_hours import sending_opens

if TYPE_CHECKING:
    from partnership.accounts.models import User
    from partnership.schools.models import School

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """A send that failed in a way worth retrying later (network, SMTP 4xx)."""

    def __init__(self, message: str, *, retry_in: int) -> None:
        super().__init__(message)
        self.retry_in = retry_in


def retry_delay(attempts: int) -> int:
    """Seconds to wait after `attempts` failed tries: the base, doubling, at most an hour."""
    return min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 3600)


def _is_permanent(exc: Exception) -> bool:
    """A 5xx answer (unknown mailbox, message refused) will not change on a retry."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def message_enqueue(
    *,
    key: str,
    kind: str,
    to_email: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    school: "School | None" = None,
    recipient: "User | None" = None,
    not_before: datetime | None = None,
    calendar: str = "",
) -> tuple[OutboxMessage, bool]:
    """Write one message under its unique key, and ring the doorbell after commit.

    `not_before` holds the message back (quiet hours): the tick rings for it once due.
    `calendar` is an iCalendar text, attached as invite.ics.

    Returns (message, created). Writing a key that exists already changes nothing, which
    is what makes a repeated tick or a double click harmless.
    """
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                key=key,
                kind=kind,
                to_email=to_email,
                subject=" ".join(subject.split()),
                body_text=body_text,
                body_html=body_html,
                calendar=calendar,
                school=school,
                recipient=recipient,
                next_attempt_at=not_before,
            )
    except IntegrityError:
        return OutboxMessage.objects.get(key=key), False
    _ring(message.pk)
    return message, True


def message_enqueue_from_templates(
    *,
    key: str,
    kind: str,
    to_email: str,
    template: str,
    context: dict,
    school: "School | None" = None,
    recipient: "User | None" = None,
    to_parent: bool = False,
    calendar: str = "",
) -> tuple[OutboxMessage, bool]:
    """Render templates/emails/<template>_subject.txt, _body.txt and _body.html.

    With `to_parent`, the message waits for the school's sending hours (quiet hours).
    """
    context = {"site_url": settings.SITE_URL, **context}
    return message_enqueue(
        key=key,
        kind=kind,
        to_email=to_email,
        subject=render_to_string(f"emails/{template}_subject.txt", context).strip(),
        body_text=render_to_string(f"emails/{template}_body.txt", context),
        body_html=render_to_string(f"emails/{template}_body.html", context),
        school=school,
        recipient=recipient,
        not_before=sending_opens(school) if to_parent and school is not None else None,
        calendar=calendar,
    )


def _ring(message_id: int) -> None:
    """Queue the delivery task once the row is committed.

    Not `delay_on_commit`: its callback is not robust, so a broker that is down would make
    the caller fail after the row is already committed (a 500 for a saved form, a tick that
    stops half way). The row is the truth and the tick rings again, so a lost doorbell is
    only logged. A named function, because Django's robust logging reads __qualname__,
    which functools.partial lacks.
    """
    from .tasks import deliver_message

    def ring() -> None:
        deliver_message.delay(message_id)

    transaction.on_commit(ring, robust=True)


def _claimable(now: datetime) -> Q:
    stale = now - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return (Q(status=OutboxMessage.Status.PENDING) & due) | Q(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=stale
    )


def message_claim(*, message_id: int, now: datetime | None = None) -> bool:
    """Compare-and-swap pending -> sending. Only one caller can win a given row."""
    now = now or timezone.now()
    won = OutboxMessage.objects.filter(_claimable(now), pk=message_id).update(
        status=OutboxMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return won == 1


def message_deliver(*, message_id: int) -> bool:
    """Send one message if nobody else has it. Returns True if this call sent it.

    On a transient failure the row goes back to pending, not to be tried again before its
    back-off, and DeliveryFailed is raised so the task can retry then. A permanent failure
    (a 5xx answer), or the last allowed attempt, marks the row failed.
    """
    # Claims run on the real clock whatever "now" a caller reasons about, so a catch-up run
    # "as of" a later time cannot steal a row a live worker is sending. The claim time is
    # also this call's token: the failure update below only touches a row still ours.
    claimed_at = timezone.now()
    if not message_claim(message_id=message_id, now=claimed_at):
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers={"X-Portal-Message": message.key},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    if message.calendar:
        method = "CANCEL" if "METHOD:CANCEL" in message.calendar else "PUBLISH"
        email.attach("invite.ics", message.calendar, f"text/calendar; method={method}")
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # any failure of the mail server; the row records it
        gave_up = _is_permanent(exc) or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        retry_in = retry_delay(message.attempts)
        OutboxMessage.objects.filter(
            pk=message_id, status=OutboxMessage.Status.SENDING, claimed_at=claimed_at
        ).update(
            status=OutboxMessage.Status.FAILED if gave_up else OutboxMessage.Status.PENDING,
            next_attempt_at=None if gave_up else claimed_at + timedelta(seconds=retry_in),
            last_error=f"{type(exc).__name__}: {exc}"[:500],
        )
        logger.warning(
            "outbox message %s attempt %s failed: %s",
            message_id,
            message.attempts,
            type(exc).__name__,
        )
        if gave_up:
            return False
        raise DeliveryFailed(str(exc), retry_in=retry_in) from exc
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxMessage.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        next_attempt_at=None,
    )
    logger.info("outbox message %s sent", message_id)
    return True


def messages_requeue(*, now: datetime | None = None) -> int:
    """Ring again for rows left pending (a lost doorbell) or stuck in sending (a crash).

    Rows waiting out a retry back-off are left until their time comes.
    """
    now = now or timezone.now()
    ids = list(
        OutboxMessage.objects.filter(_claimable(now)).order_by("pk").values_list("pk", flat=True)
    )
    for message_id in ids:
        _ring(message_id)
    return len(ids)


def messages_deliver_due(*, now: datetime | None = None) -> int:
    """Deliver every claimable row in this process (operators catching up, tests)."""
    now = now or timezone.now()
    sent = 0
    ids = OutboxMessage.objects.filter(_claimable(now)).order_by("pk").values_list("pk", flat=True)
    for message_id in list(ids):
        try:
            sent += message_deliver(message_id=message_id)
        except DeliveryFailed:
            continue
    return sent
