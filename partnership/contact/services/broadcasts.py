"""Messages from school to a group of parents, read receipts, and the key documents
parents must be able to find again (P6, P7).

Access is the view's job; these functions enforce the rules: a broadcast reaches at
least one family, goes to each parent once, and is never sent twice from one form.
"""

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.accounts.models import User
from partnership.notifications.models import OutboxMessage
from partnership.notifications.services import message_enqueue_from_templates
from partnership.schools.models import School

from ..audiences import Audience, audience_label, audience_parents
from ..models import Broadcast, BroadcastRecipient, KeyDocument
from . import Refused


class BroadcastRefused(Refused):
    """A rule about broadcasts or key documents was broken."""


class BroadcastAlreadySent(BroadcastRefused):
    """This form was sent already (a double click, a reload, the back button).

    `broadcast` is the one sent the first time, when it can be found.
    """

    def __init__(self, broadcast: Broadcast | None) -> None:
        super().__init__(_("This message has already been sent. It was not sent again."))
        self.broadcast = broadcast


def outbox_key(once: uuid.UUID, parent: User) -> str:
    """The outbox key of one parent's copy, made from the form's one-time value.

    Broadcast has no column for that value, and none is needed: the outbox key is unique
    in the database, so the key itself records "this form was sent to this parent". A
    second submit, even one racing the first in another process, cannot write a second
    copy. (A cache-based guard would not be enough: the local cache is per process, and
    Redis keeps nothing across a restart.)
    """
    return f"broadcast:{once}:{parent.pk}"


def _sent_before(school: School, subject: str, body: str, message: OutboxMessage) -> Broadcast:
    # The same form always carries the same words, so the earlier broadcast is the latest
    # one with these words that reached this parent.
    return (
        Broadcast.objects.filter(
            school=school, subject=subject, body=body, recipients__parent=message.recipient_id
        )
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def broadcast_send(
    *,
    school: School,
    audience: Audience,
    subject: str,
    body: str,
    by: User,
    once: uuid.UUID | None = None,
) -> Broadcast:
    """Write the broadcast, one recipient row and one email per parent in the audience.

    `once` is the form's one-time value: a second call with it sends nothing and raises
    BroadcastAlreadySent. Emails wait for the school's sending hours.
    """
    subject, body = " ".join(subject.split()), body.strip()
    if not subject or not body:
        raise BroadcastRefused(_("Write a subject and a message."))
    once = once or uuid.uuid4()
    # In a fixed order, so two racing submits queue on the same first key, never deadlock.
    parents = list(audience_parents(school, audience))
    if not parents:
        raise BroadcastRefused(
            _(
                "No families in this group can receive messages yet (no child matches, or "
                "their parents have not accepted the invitation). Choose another group."
            )
        )
    keys = [outbox_key(once, parent) for parent in parents]
    earlier = OutboxMessage.objects.filter(key__in=keys).order_by("pk").first()
    if earlier is not None:
        raise BroadcastAlreadySent(_sent_before(school, subject, body, earlier))

    broadcast = Broadcast.objects.create(
        school=school, author=by, subject=subject, body=body, audience=audience_label(audience)
    )
    BroadcastRecipient.objects.bulk_create(
        [BroadcastRecipient(broadcast=broadcast, parent=parent) for parent in parents]
    )
    url = reverse("notice_detail", kwargs={"broadcast_id": broadcast.pk})
    for parent, key in zip(parents, keys, strict=True):
        _message, created = message_enqueue_from_templates(
            key=key,
            kind="broadcast",
            to_email=parent.email,
            template="broadcast",
            context={
                "name": parent.full_name,
                "broadcast": broadcast,
                "school": school,
                "url": url,
            },
            school=school,
            recipient=parent,
            to_parent=True,
        )
        if not created:
            # A second submit got past the check above while the first was still being
            # written: roll this one back whole, so its rows and doorbells vanish.
            raise BroadcastAlreadySent(None)
    return broadcast


@transaction.atomic
def broadcast_open(*, recipient: BroadcastRecipient, at: datetime.datetime | None = None) -> bool:
    """Record that a parent read the broadcast on the portal; only the first time counts.

    Returns True if this was the first time.
    """
    at = at or timezone.now()
    first = (
        BroadcastRecipient.objects.filter(pk=recipient.pk, opened_at__isnull=True).update(
            opened_at=at
        )
        == 1
    )
    if first:
        recipient.opened_at = at
    return first


def _title_taken(school: School, title: str) -> BroadcastRefused:
    return BroadcastRefused(
        _("%(school)s already shows parents a document called “%(title)s”. Edit that one instead.")
        % {"school": school.name, "title": title}
    )


@transaction.atomic
def document_create(
    *, school: School, title: str, summary: str, link: str, by: User
) -> KeyDocument:
    """Publish a plan or policy on the parents' notices page."""
    try:
        # The constraint decides between two people adding the same title at once; the
        # savepoint keeps the caller's transaction usable.
        with transaction.atomic():
            return KeyDocument.objects.create(
                school=school, title=title.strip(), summary=summary, link=link
            )
    except IntegrityError:
        raise _title_taken(school, title.strip()) from None


@transaction.atomic
def document_update(
    *, document: KeyDocument, title: str, summary: str, link: str, by: User
) -> KeyDocument:
    document.title, document.summary, document.link = title.strip(), summary, link
    try:
        with transaction.atomic():
            document.save(update_fields=["title", "summary", "link"])
    except IntegrityError:
        raise _title_taken(document.school, document.title) from None
    return document


@transaction.atomic
def document_retire(*, document: KeyDocument, by: User) -> KeyDocument:
    """Take a document off the parents' page. The row stays, so staff can see it was
    shown, and a new version may take its title."""
    if document.is_current:
        document.is_current = False
        document.save(update_fields=["is_current"])
    return document
