"""Support parents ask for (P3): one open request per parent, school and topic, and the
group session school offers in answer.

Asking again about a topic that is still open changes that request rather than adding a
second one: the partial unique index on open requests is the backstop, and the row lock
below keeps a double click from tripping it.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.accounts.models import User
from partnership.meetings.models import GroupSession, Topic
from partnership.notifications.services import message_enqueue_from_templates
from partnership.schools.models import WHOLE_SCHOOL_ROLES, Child, Membership, School

from ..models import SupportRequest
from . import Refused

Status = SupportRequest.Status


class SupportRefused(Refused):
    """A rule of support requests was broken; the message is for the person who tried."""


def _is_manager(user: User, school: School) -> bool:
    return (
        Membership.objects.active()
        .filter(user=user, school=school, role__in=WHOLE_SCHOOL_ROLES)
        .exists()
    )


@transaction.atomic
def support_ask(
    *,
    parent: User,
    school: School,
    topics: list[str],
    online: bool,
    in_person: bool,
    resources: bool,
    note: str = "",
) -> list[SupportRequest]:
    """Record what support a parent would like, one request per topic.

    A topic the parent already has an open request on is updated (how, note) instead.
    """
    if not Child.objects.of_parent(parent).filter(school=school).exists():
        raise SupportRefused(_("You can only ask for support at your child's school."))
    topics = list(dict.fromkeys(topics))
    if not topics:
        raise SupportRefused(_("Choose at least one kind of support."))
    if any(topic not in Topic.values for topic in topics):
        raise SupportRefused(_("Choose a kind of support from the list."))
    if not (online or in_person or resources):
        raise SupportRefused(_("Tell us how you would like the support."))
    note = note.strip()
    now = timezone.now()
    existing = {
        request.topic: request
        for request in SupportRequest.objects.select_for_update().filter(
            school=school, parent=parent, topic__in=topics, status=Status.OPEN
        )
    }
    saved = []
    for topic in topics:
        request = existing.get(topic) or SupportRequest(
            school=school, parent=parent, topic=topic, created_at=now
        )
        request.online, request.in_person, request.resources = online, in_person, resources
        request.note = note
        request.updated_at = now
        request.save()
        saved.append(request)
    return saved


@transaction.atomic
def support_withdraw(*, request: SupportRequest, by: User) -> SupportRequest:
    """The parent no longer needs this support. Only the parent who asked may withdraw."""
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if request.parent_id != by.pk:
        raise SupportRefused(_("Only the parent who asked can withdraw this."))
    if request.status == Status.WITHDRAWN:
        return request
    request.status = Status.WITHDRAWN
    request.updated_at = timezone.now()
    request.save(update_fields=["status", "updated_at"])
    return request


@transaction.atomic
def support_offer(*, school: School, topic: str, session: GroupSession, by: User) -> int:
    """Offer an upcoming group session to every family with an open request on its topic.

    Each request is marked offered with the session and its parent gets one email (the
    outbox key makes a second click, or a second offer of the same session, send nothing).
    Returns how many families were offered the session.
    """
    if not _is_manager(by, school):
        raise SupportRefused(_("Only the SENDCo or an administrator can offer sessions."))
    session = GroupSession.objects.select_related("school").get(pk=session.pk)
    if session.school_id != school.pk:
        raise SupportRefused(_("That session is at another school."))
    if session.topic != topic:
        raise SupportRefused(_("That session is on a different topic."))
    if session.cancelled_at is not None or session.starts_at <= timezone.now():
        raise SupportRefused(_("Choose a session that is still to come."))
    requests = list(
        SupportRequest.objects.select_for_update()
        .filter(school=school, topic=topic, status=Status.OPEN)
        .select_related("parent")
        .order_by("pk")
    )
    if not requests:
        return 0
    now = timezone.now()
    SupportRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
        status=Status.OFFERED, session=session, updated_at=now
    )
    for request in requests:
        parent = request.parent
        message_enqueue_from_templates(
            key=f"support-offer:{request.pk}:{session.pk}",
            kind="support_offer",
            to_email=parent.email,
            template="support_offer",
            context={
                "name": parent.full_name or parent.email,
                "session": session,
                "school": school,
                "topic": Topic(topic).label,
            },
            school=school,
            recipient=parent,
            to_parent=True,
        )
    return len(requests)
