"""Shared set-up for the booking tests."""

import datetime

from django.utils import timezone

from partnership.meetings.models import Slot
from partnership.notifications.models import OutboxMessage

from ..factories import ChildFactory, FamilyLinkFactory, MembershipFactory
from ..factories_contact import ContactEntryFactory
from ..factories_meetings import SlotFactory


def family(school, email=None):
    """A parent linked to a child at the school: (parent, child)."""
    child = ChildFactory(school=school)
    kwargs = {"parent__email": email} if email else {}
    link = FamilyLinkFactory(child=child, **kwargs)
    return link.parent, child


def in_touch(child, school) -> None:
    """Contact logged just now: the family does not need closer contact."""
    ContactEntryFactory(school=school, children=[child], channel="meeting")


def sendco_host(school):
    return MembershipFactory(school=school, role="sendco", user__full_name="Sam Sendco")


def slot_at(school, host, *, hours_ahead: float = 24 * 7, **kwargs) -> Slot:
    starts = timezone.now() + datetime.timedelta(hours=hours_ahead)
    starts = starts.replace(second=0, microsecond=0)
    return SlotFactory(
        school=school,
        host=host,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=20),
        **kwargs,
    )


def make_past(slot: Slot, hours: float = 1) -> Slot:
    """Move a slot into the past, as if time had passed."""
    starts = timezone.now() - datetime.timedelta(hours=hours)
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=starts, ends_at=starts + datetime.timedelta(minutes=20)
    )
    slot.refresh_from_db()
    return slot


def mails(kind: str, to: str | None = None):
    messages = OutboxMessage.objects.filter(kind=kind)
    return messages.filter(to_email=to) if to else messages
