"""Booking a one-to-one meeting, cancelling it, moving it, and recording whether it was
held.

The slot row is locked (`select_for_update`) for every write that could give it a second
booking, and the partial unique index "one live booking per slot" is the backstop: the
database, not Python, guarantees one booking a slot.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.accounts.models import User
from partnership.contact.models import Channel, StartedBy
from partnership.contact.services.log import contact_log
from partnership.notifications.services import message_enqueue_from_templates
from partnership.schools.models import Child, FamilyLink, Role

from ..access import closer_contact_children, cutoff_from, hosts_for_child, is_staff_at
from ..ics import booking_calendar, booking_event, calendar_text
from ..models import Booking, Mode, Slot
from . import Refused

HELD_SUMMARY = "Meeting held (booked on the portal)"
MOVED_REASON = "Moved to another time"
CHANNEL_OF_MODE = {
    Mode.IN_PERSON: Channel.MEETING,
    Mode.VIDEO: Channel.VIDEO,
    Mode.PHONE: Channel.PHONE,
}


class BookingRefused(Refused):
    """A booking rule was broken; the message is for the person who tried."""


class SlotTaken(BookingRefused):
    def __init__(self) -> None:
        super().__init__(_("Sorry, that time has just been taken. Please choose another."))


def _check_bookable(
    *, slot: Slot, child: Child, parent: User, by: User, now: datetime.datetime
) -> None:
    """Every rule for booking `slot`, read with the slot row already locked."""
    if slot.withdrawn_at is not None or slot.school_id != child.school_id:
        raise BookingRefused(_("This time is no longer offered. Please choose another."))
    if slot.starts_at <= now:
        raise BookingRefused(_("This time has passed. Please choose another."))
    as_staff = by.pk != parent.pk and is_staff_at(by, slot.school_id)
    if not as_staff and by.pk != parent.pk:
        raise BookingRefused(_("Only a parent or carer, or school staff, can book a meeting."))
    if not as_staff and slot.starts_at <= cutoff_from(slot.school, now):
        raise BookingRefused(
            _(
                "This time is too soon to book online (bookings close %(hours)s hours "
                "before). Please choose a later time or call school."
            )
            % {"hours": slot.school.booking_cutoff_hours}
        )
    if not FamilyLink.objects.filter(parent=parent, child=child).exists():
        raise BookingRefused(_("Choose a child you are the parent or carer of."))
    if not hosts_for_child(child).filter(pk=slot.host_id).exists():
        raise BookingRefused(_("This person does not hold meetings about this child."))
    kept_back = slot.priority_until is not None and slot.priority_until > now
    if (
        kept_back
        and not as_staff
        and child.pk not in closer_contact_children(child.school, among=[child.pk])
    ):
        raise BookingRefused(_("This time is not open for booking yet. Please choose another."))
    if Booking.objects.filter(slot=slot).exclude(status=Booking.Status.CANCELLED).exists():
        raise SlotTaken()


def _lock_slots(*slot_ids: int) -> dict[int, Slot]:
    # Always in pk order: two moves crossing between the same two slots then queue
    # rather than deadlock.
    locked = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("school", "host__user")
        .filter(pk__in=sorted(set(slot_ids)))
        .order_by("pk")
    )
    return {slot.pk: slot for slot in locked}


def _lock_booking(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot__school", "slot__host__user", "child", "parent")
        .get(pk=booking.pk)
    )


def _create(*, slot: Slot, child: Child, parent: User, by: User, note: str) -> Booking:
    try:
        # A savepoint, so the unique index's refusal leaves the transaction usable.
        with transaction.atomic():
            booking = Booking.objects.create(
                slot=slot, child=child, parent=parent, booked_by=by, note=note.strip()
            )
    except IntegrityError:
        raise SlotTaken() from None
    # The related rows are already loaded with the locked slot; emails read them.
    booking.slot, booking.child, booking.parent = slot, child, parent
    return booking


def _context(booking: Booking, **extra) -> dict:
    slot = booking.slot
    return {
        "booking": booking,
        "slot": slot,
        "school": slot.school,
        "host_name": slot.host.user.full_name or slot.host.user.email,
        "parent_name": booking.parent.full_name,
        "first_name": booking.child.first_name,
        "time_zone": slot.school.time_zone,
        **extra,
    }


def _to_parent(booking: Booking, *, template: str, key: str, calendar: str, **extra) -> None:
    message_enqueue_from_templates(
        key=key,
        kind=template,
        to_email=booking.parent.email,
        template=template,
        context=_context(booking, name=booking.parent.full_name, **extra),
        school=booking.slot.school,
        recipient=booking.parent,
        to_parent=True,
        calendar=calendar,
    )


def _to_host(booking: Booking, *, template: str, key: str, calendar: str, **extra) -> None:
    host = booking.slot.host.user
    message_enqueue_from_templates(
        key=key,
        kind=template,
        to_email=host.email,
        template=template,
        context=_context(booking, name=host.full_name, **extra),
        school=booking.slot.school,
        recipient=host,
        calendar=calendar,
    )


@transaction.atomic
def booking_make(
    *,
    slot: Slot,
    child: Child,
    parent: User,
    by: User,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Booking:
    """Book `slot` for `child`, by the parent or by staff on the family's behalf."""
    now = now or timezone.now()
    slot = _lock_slots(slot.pk)[slot.pk]
    _check_bookable(slot=slot, child=child, parent=parent, by=by, now=now)
    booking = _create(slot=slot, child=child, parent=parent, by=by, note=note)
    calendar = booking_calendar(booking)
    on_behalf = by.pk != parent.pk
    _to_parent(
        booking,
        template="booking_confirmed",
        key=f"booking-confirmed:{booking.pk}",
        calendar=calendar,
        on_behalf=on_behalf,
    )
    _to_host(
        booking,
        template="booking_host_booked",
        key=f"booking-host-booked:{booking.pk}",
        calendar=calendar,
        on_behalf=on_behalf,
    )
    return booking


def _may_change(booking: Booking, by: User, now: datetime.datetime) -> bool:
    """Staff may change a booking any time; the parent who booked until the cut-off.
    Returns whether `by` acts as staff."""
    if by.pk != booking.parent_id and is_staff_at(by, booking.slot.school_id):
        return True
    if by.pk != booking.parent_id:
        raise BookingRefused(_("Only the parent who booked, or school staff, can change this."))
    if booking.slot.starts_at <= cutoff_from(booking.slot.school, now):
        raise BookingRefused(
            _(
                "It is too close to the meeting to change it here (changes close %(hours)s "
                "hours before). Please call school."
            )
            % {"hours": booking.slot.school.booking_cutoff_hours}
        )
    return False


@transaction.atomic
def booking_cancel(
    *, booking: Booking, by: User, reason: str = "", now: datetime.datetime | None = None
) -> Booking:
    """Cancel a booking; the other side is told, with a cancelling calendar file."""
    now = now or timezone.now()
    booking = _lock_booking(booking)
    if booking.status != Booking.Status.BOOKED:
        raise BookingRefused(_("This meeting is not booked any more, so it cannot be cancelled."))
    as_staff = _may_change(booking, by, now)
    reason = reason.strip()
    if as_staff and not reason:
        raise BookingRefused(_("Say why the meeting is cancelled; the family will be told."))
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at, booking.cancelled_by, booking.cancel_reason = now, by, reason
    booking.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    calendar = booking_calendar(booking, cancelled=True)
    # The parent always hears, also when they cancelled: the file takes the meeting out of
    # their calendar.
    _to_parent(
        booking,
        template="booking_cancelled",
        key=f"booking-cancelled:{booking.pk}",
        calendar=calendar,
        by_school=as_staff,
    )
    if by.pk != booking.slot.host.user_id:
        _to_host(
            booking,
            template="booking_host_cancelled",
            key=f"booking-host-cancelled:{booking.pk}",
            calendar=calendar,
            by_school=as_staff,
        )
    return booking


@transaction.atomic
def booking_move(
    *, booking: Booking, to_slot: Slot, by: User, now: datetime.datetime | None = None
) -> Booking:
    """Move a booking to another slot: the old one is cancelled (pointing at the new one)
    and the new one made, in one transaction. Returns the new booking."""
    now = now or timezone.now()
    slots = _lock_slots(booking.slot_id, to_slot.pk)
    booking = _lock_booking(booking)
    if booking.status != Booking.Status.BOOKED:
        raise BookingRefused(_("This meeting is not booked any more, so it cannot be moved."))
    if to_slot.pk == booking.slot_id:
        raise BookingRefused(_("That is the time already booked. Please choose another."))
    _may_change(booking, by, now)
    new_slot = slots[to_slot.pk]
    child, parent = booking.child, booking.parent
    _check_bookable(slot=new_slot, child=child, parent=parent, by=by, now=now)
    new = _create(slot=new_slot, child=child, parent=parent, by=by, note=booking.note)
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at, booking.cancelled_by = now, by
    booking.cancel_reason, booking.moved_to = MOVED_REASON, new
    booking.save(
        update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "moved_to"]
    )
    both = calendar_text([booking_event(new), booking_event(booking, cancelled=True)])
    _to_parent(
        new,
        template="booking_changed",
        key=f"booking-changed:{booking.pk}",
        calendar=both,
        old=booking,
    )
    if new_slot.host_id == booking.slot.host_id:
        _to_host(
            new,
            template="booking_host_changed",
            key=f"booking-host-changed:{booking.pk}",
            calendar=both,
            old=booking,
        )
    else:
        _to_host(
            booking,
            template="booking_host_cancelled",
            key=f"booking-host-cancelled:{booking.pk}",
            calendar=booking_calendar(booking, cancelled=True),
            by_school=False,
            moved=True,
        )
        _to_host(
            new,
            template="booking_host_booked",
            key=f"booking-host-booked:{new.pk}",
            calendar=booking_calendar(new),
            on_behalf=by.pk != parent.pk,
        )
    return new


def _is_sendco(booking: Booking) -> bool:
    host = booking.slot.host
    return host.is_active and host.role == Role.SENDCO


@transaction.atomic
def booking_outcome(
    *, booking: Booking, by: User, held: bool, now: datetime.datetime | None = None
) -> Booking:
    """Record that a meeting was held (logged as contact with the family) or missed.

    Recording the same outcome twice changes nothing; a missed meeting may be corrected
    to held, but a held one has its contact note and is corrected in the contact log.
    """
    now = now or timezone.now()
    booking = _lock_booking(booking)
    if not is_staff_at(by, booking.slot.school_id):
        raise BookingRefused(_("Only school staff can record whether a meeting was held."))
    if booking.status == Booking.Status.CANCELLED:
        raise BookingRefused(_("This meeting was cancelled."))
    if booking.slot.starts_at > now:
        raise BookingRefused(_("You can record this once the meeting has started."))
    wanted = Booking.Status.HELD if held else Booking.Status.MISSED
    if booking.status == wanted:
        return booking
    if booking.status == Booking.Status.HELD:
        raise BookingRefused(
            _("This meeting is already recorded as held; correct it in the contact log.")
        )
    if held:
        summary = HELD_SUMMARY
        if booking.note:
            summary += "\n" + _("The family wanted to talk about: %(note)s") % {
                "note": booking.note
            }
        entry = contact_log(
            school=booking.slot.school,
            children=[booking.child],
            parents=[booking.parent],
            happened_at=booking.slot.starts_at,
            channel=CHANNEL_OF_MODE[booking.slot.mode],
            started_by=StartedBy.PARENT
            if booking.booked_by_id == booking.parent_id
            else StartedBy.SCHOOL,
            summary=summary,
            shared_with_family=True,
            actions=[],
            by=by,
        )
        # contact_log counts the author; a booked meeting counts when its host is the
        # SENDCo, whoever records it, and whatever the mode (it was a planned meeting).
        entry.is_sendco_meeting = _is_sendco(booking)
        entry.save(update_fields=["is_sendco_meeting"])
        booking.contact_entry = entry
    booking.status, booking.outcome_at, booking.outcome_by = wanted, now, by
    booking.save(update_fields=["status", "outcome_at", "outcome_by", "contact_entry"])
    return booking
