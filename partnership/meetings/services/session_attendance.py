"""Attendance at group sessions: who came, logged as contact with their families (P2)."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.accounts.models import User
from partnership.contact.models import Channel, ContactEntry, StartedBy
from partnership.schools.models import Role

from ..models import GroupSession, SessionPlace
from .sessions import SessionRefused, Status, _is_manager, _lock


def _host_is_sendco(session: GroupSession) -> bool:
    host = session.host
    return bool(host and host.is_active and host.role == Role.SENDCO)


@transaction.atomic
def attendance_record(
    *, session: GroupSession, by: User, attended_place_ids: Iterable[int]
) -> ContactEntry | None:
    """Mark who came, and log the session as contact with the families who did.

    One contact entry for the session names every attending parent and child; when the
    SENDCo led it, it counts towards each family's six SENDCo meetings a year. Recording
    again corrects the entry rather than adding another.
    """
    session = _lock(session)
    if not _is_manager(by, session.school):
        raise SessionRefused(_("Only the school's SENDCo or an administrator can do this."))
    if session.cancelled_at is not None:
        raise SessionRefused(_("This session was cancelled."))
    if session.starts_at > timezone.now():
        raise SessionRefused(_("Attendance can be recorded once the session has started."))
    places = list(
        SessionPlace.objects.filter(session=session, status=Status.CONFIRMED).select_related(
            "contact_entry"
        )
    )
    came = {int(pk) for pk in attended_place_ids}
    if came - {place.pk for place in places}:
        raise SessionRefused(_("Only people with a place can be marked as attending."))
    attending = [place for place in places if place.pk in came]
    entry = next((p.contact_entry for p in places if p.contact_entry is not None), None)
    if attending:
        # Written here rather than through contact_log: a group session is not a
        # conversation with each family, so it must not close their call-back requests.
        fields = {
            "happened_at": session.starts_at,
            "channel": Channel.MEETING,
            "started_by": StartedBy.SCHOOL,
            "summary": _("%(kind)s: %(title)s")
            % {
                "kind": session.get_kind_display(),
                "title": session.title,
            },
            "shared_with_family": True,
            "author": by,
            "is_sendco_meeting": _host_is_sendco(session),
        }
        if entry is None:
            entry = ContactEntry.objects.create(school=session.school, **fields)
        else:
            for field, value in fields.items():
                setattr(entry, field, value)
            entry.save(update_fields=list(fields))
        entry.children.set({place.child_id for place in attending})
        entry.parents.set({place.parent_id for place in attending})
    elif entry is not None:
        entry.delete()
        entry = None
    SessionPlace.objects.filter(pk__in=[p.pk for p in attending]).update(
        attended=True, contact_entry=entry
    )
    SessionPlace.objects.filter(pk__in=[p.pk for p in places if p.pk not in came]).update(
        attended=False, contact_entry=None
    )
    return entry
