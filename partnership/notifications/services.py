"""Writing and delivering outbox messages: the only way the portal sends email.

One message at a time (a form, an invitation) or many at once (a weekly job): either way
each row is written once under its unique key and a doorbell rings after commit. Claiming
and sending live in `delivery`; their names are offered here too, for callers that only
know this module.
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from django.template import Template
from django.template.loader import get_template
from django.utils import timezone

from .delivery import (  # noqa: F401 - the module's public names, see the docstring
    BATCH_SIZE,
    DeliveryFailed,
    claimable,
    message_claim,
    message_deliver,
    messages_claim,
    messages_deliver,
    messages_deliver_due,
    retry_delay,
)
from .models import OutboxMessage
from .quiet_hours import sending_opens

if TYPE_CHECKING:
    from partnership.accounts.models import User
    from partnership.schools.models import School

logger = logging.getLogger(__name__)

# Rows per INSERT: well inside every database's limit on parameters (15 a row), and one
# statement of rendered email stays about a megabyte.
WRITE_CHUNK = 200


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
    message = message_row(
        key=key,
        kind=kind,
        to_email=to_email,
        rendered=(subject, body_text, body_html),
        school=school,
        recipient_id=recipient.pk if recipient is not None else None,
        not_before=not_before,
        calendar=calendar,
    )
    try:
        with transaction.atomic():
            message.save(force_insert=True)
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
    subject, body_text, body_html = message_render(EmailTemplates.load(template), context)
    return message_enqueue(
        key=key,
        kind=kind,
        to_email=to_email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        school=school,
        recipient=recipient,
        not_before=sending_opens(school) if to_parent and school is not None else None,
        calendar=calendar,
    )


@dataclass(frozen=True)
class EmailTemplates:
    """The three templates of one kind of email, loaded once for a whole batch."""

    subject: Template
    body_text: Template
    body_html: Template

    @classmethod
    def load(cls, name: str) -> "EmailTemplates":
        return cls(
            subject=get_template(f"emails/{name}_subject.txt"),
            body_text=get_template(f"emails/{name}_body.txt"),
            body_html=get_template(f"emails/{name}_body.html"),
        )


def message_render(templates: EmailTemplates, context: dict) -> tuple[str, str, str]:
    """(subject on one line, text body, HTML body) of one email."""
    context = {"site_url": settings.SITE_URL, **context}
    return (
        " ".join(templates.subject.render(context).split()),
        templates.body_text.render(context),
        templates.body_html.render(context),
    )


def message_row(
    *,
    key: str,
    kind: str,
    to_email: str,
    rendered: tuple[str, str, str],
    school: "School | None" = None,
    recipient_id: int | None = None,
    not_before: datetime | None = None,
    calendar: str = "",
) -> OutboxMessage:
    """An unsaved row for `messages_enqueue`, from (subject, text body, HTML body).

    The caller works out `not_before` (quiet hours) once for the batch, not per email.
    """
    subject, body_text, body_html = rendered
    return OutboxMessage(
        key=key,
        kind=kind,
        to_email=to_email,
        subject=" ".join(subject.split()),
        body_text=body_text,
        body_html=body_html,
        school=school,
        recipient_id=recipient_id,
        next_attempt_at=not_before,
        calendar=calendar,
    )


def messages_enqueue(*, messages: Iterable[OutboxMessage]) -> int:
    """Write many unsaved rows, skipping keys already written; ring for the new ones.

    Rows go in INSERTs of WRITE_CHUNK rows with ON CONFLICT DO NOTHING RETURNING id, so a
    key written before (or by a concurrent tick) is skipped by the database itself and
    only the rows this call wrote get a doorbell, in batches, after commit. Returns how
    many rows were new. `messages` may be a generator: it is consumed chunk by chunk.
    """
    written = 0
    chunk: list[OutboxMessage] = []
    for message in messages:
        chunk.append(message)
        if len(chunk) >= WRITE_CHUNK:
            written += _write_chunk(chunk)
            chunk = []
    if chunk:
        written += _write_chunk(chunk)
    return written


def _write_chunk(messages: list[OutboxMessage]) -> int:
    db = OutboxMessage.objects.db
    meta = OutboxMessage._meta
    fields = [field for field in meta.concrete_fields if field is not meta.pk]
    query = InsertQuery(OutboxMessage, on_conflict=OnConflict.IGNORE)
    query.insert_values(fields, messages)
    compiler = query.get_compiler(using=db)
    # bulk_create(ignore_conflicts=True) would not say which rows were new; RETURNING
    # after DO NOTHING lists exactly the inserted ones.
    compiler.returning_fields = [meta.pk]
    [(insert_sql, params)] = compiler.as_sql()
    with connections[db].cursor() as cursor:
        cursor.execute(insert_sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    _ring_batches(ids)
    return len(ids)


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


def _ring_batches(message_ids: Sequence[int]) -> None:
    """One doorbell per BATCH_SIZE rows, each after commit and each robust on its own."""
    from .tasks import deliver_messages

    for start in range(0, len(message_ids), BATCH_SIZE):
        batch = list(message_ids[start : start + BATCH_SIZE])

        def ring(batch: list[int] = batch) -> None:
            deliver_messages.delay(batch)

        transaction.on_commit(ring, robust=True)


def messages_requeue(*, now: datetime | None = None) -> int:
    """Ring again for rows left pending (a lost doorbell) or stuck in sending (a crash).

    Rows waiting out a retry back-off are left until their time comes. The ids are read
    as a stream and rung in batches, however many rows wait.
    """
    now = now or timezone.now()
    ids = (
        OutboxMessage.objects.filter(claimable(now))
        .order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=2000)
    )
    rung = 0
    batch: list[int] = []
    for message_id in ids:
        batch.append(message_id)
        if len(batch) == BATCH_SIZE:
            _ring_batches(batch)
            rung += len(batch)
            batch = []
    _ring_batches(batch)
    return rung + len(batch)
