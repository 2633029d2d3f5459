"""The booking rules: who may book which slot and when, cancelling, moving, booking on a
family's behalf, and recording a meeting as held (logged as contact) or missed."""

import datetime

import pytest
from django.utils import timezone

from partnership.contact.models import ContactEntry
from partnership.meetings.access import closer_contact_children, hosts_for_child, open_slots_for
from partnership.meetings.models import Booking
from partnership.meetings.services.bookings import (
    HELD_SUMMARY,
    BookingRefused,
    SlotTaken,
    booking_cancel,
    booking_make,
    booking_move,
    booking_outcome,
)
from tests.factories import KeyContactFactory, MembershipFactory

from .booking_helpers import family, in_touch, make_past, sendco_host, slot_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def host(school):
    return sendco_host(school)


@pytest.fixture
def slot(school, host):
    return slot_at(school, host)


def test_a_parent_books_a_slot_for_their_child(slot, child, parent):
    booking = booking_make(slot=slot, child=child, parent=parent, by=parent, note=" Sleep ")
    assert booking.status == Booking.Status.BOOKED
    assert (booking.booked_by, booking.note) == (parent, "Sleep")


def test_a_booked_slot_cannot_be_booked_again(school, slot, child, parent):
    booking_make(slot=slot, child=child, parent=parent, by=parent)
    other_parent, other_child = family(school)
    with pytest.raises(SlotTaken) as refusal:
        booking_make(slot=slot, child=other_child, parent=other_parent, by=other_parent)
    assert refusal.value.message == "Sorry, that time has just been taken. Please choose another."


def test_a_cancelled_booking_frees_the_slot(school, slot, child, parent):
    first = booking_make(slot=slot, child=child, parent=parent, by=parent)
    booking_cancel(booking=first, by=parent)
    other_parent, other_child = family(school)
    assert booking_make(slot=slot, child=other_child, parent=other_parent, by=other_parent)


def test_parents_book_only_beyond_the_cutoff_but_staff_may_book_inside_it(
    school, host, child, parent, sendco
):
    soon = slot_at(school, host, hours_ahead=school.booking_cutoff_hours - 1)
    with pytest.raises(BookingRefused, match="too soon"):
        booking_make(slot=soon, child=child, parent=parent, by=parent)
    booking = booking_make(slot=soon, child=child, parent=parent, by=sendco)
    assert booking.booked_by == sendco


def test_a_parent_books_only_for_their_own_child(school, slot, parent):
    _, someone_elses = family(school)
    with pytest.raises(BookingRefused, match="parent or carer of"):
        booking_make(slot=slot, child=someone_elses, parent=parent, by=parent)


def test_a_parent_cannot_book_in_another_parents_name(school, slot, child, parent):
    stranger, _ = family(school)
    with pytest.raises(BookingRefused):
        booking_make(slot=slot, child=child, parent=parent, by=stranger)


def test_past_and_withdrawn_slots_cannot_be_booked(school, host, child, parent, sendco):
    past = make_past(slot_at(school, host))
    with pytest.raises(BookingRefused, match="passed"):
        booking_make(slot=past, child=child, parent=parent, by=sendco)
    withdrawn = slot_at(school, host, hours_ahead=200, withdrawn_at=timezone.now())
    with pytest.raises(BookingRefused, match="no longer offered"):
        booking_make(slot=withdrawn, child=child, parent=parent, by=parent)


def test_a_parent_meets_the_sendco_and_the_childs_key_contacts_only(school, child, parent):
    sendco = sendco_host(school)
    key_teacher = MembershipFactory(school=school, role="teacher")
    KeyContactFactory(child=child, membership=key_teacher)
    other_teacher = MembershipFactory(school=school, role="teacher")
    gone = MembershipFactory(school=school, role="sendco", is_active=False)
    assert set(hosts_for_child(child)) == {sendco, key_teacher}

    booking_make(slot=slot_at(school, key_teacher), child=child, parent=parent, by=parent)
    for host in (other_teacher, gone):
        with pytest.raises(BookingRefused, match="does not hold meetings"):
            booking_make(slot=slot_at(school, host), child=child, parent=parent, by=parent)


def test_another_schools_sendco_is_not_a_host(school, other_school, child, parent):
    theirs = sendco_host(other_school)
    assert theirs not in hosts_for_child(child)
    with pytest.raises(BookingRefused):
        booking_make(slot=slot_at(other_school, theirs), child=child, parent=parent, by=parent)


def test_priority_slots_are_for_families_needing_closer_contact(school, host):
    # A family never contacted is overdue, so needs closer contact; one just met does not.
    needy_parent, needy_child = family(school)
    fine_parent, fine_child = family(school)
    in_touch(fine_child, school)
    assert closer_contact_children(school, among=[needy_child.pk, fine_child.pk]) == {
        needy_child.pk
    }
    assert closer_contact_children(school, among=[fine_child.pk]) == set()
    kept = slot_at(school, host, priority_until=timezone.now() + datetime.timedelta(days=2))

    assert kept not in open_slots_for(parent=fine_parent, child=fine_child)
    assert kept in open_slots_for(parent=needy_parent, child=needy_child)
    with pytest.raises(BookingRefused, match="not open for booking yet"):
        booking_make(slot=kept, child=fine_child, parent=fine_parent, by=fine_parent)
    assert booking_make(slot=kept, child=needy_child, parent=needy_parent, by=needy_parent)


def test_priority_ends_when_its_days_are_over(school, host):
    parent, child = family(school)
    in_touch(child, school)
    opened = slot_at(school, host, priority_until=timezone.now() - datetime.timedelta(hours=1))
    assert opened in open_slots_for(parent=parent, child=child)
    assert booking_make(slot=opened, child=child, parent=parent, by=parent)


def test_open_slots_leave_out_booked_withdrawn_soon_and_other_hosts(school, host, child, parent):
    free = slot_at(school, host)
    booked = slot_at(school, host, hours_ahead=200)
    booking_make(slot=booked, child=child, parent=parent, by=parent)
    slot_at(school, host, hours_ahead=300, withdrawn_at=timezone.now())
    slot_at(school, host, hours_ahead=2)
    slot_at(school, MembershipFactory(school=school, role="teacher"), hours_ahead=400)
    assert list(open_slots_for(parent=parent, child=child)) == [free]


def test_open_slots_are_empty_for_someone_elses_child(school, slot, child):
    stranger, _ = family(school)
    assert not open_slots_for(parent=stranger, child=child).exists()


# Cancelling


def test_a_parent_cancels_up_to_the_cutoff(school, host, child, parent):
    booking = booking_make(slot=slot_at(school, host), child=child, parent=parent, by=parent)
    cancelled = booking_cancel(booking=booking, by=parent, reason="")
    assert cancelled.status == Booking.Status.CANCELLED
    assert cancelled.cancelled_by == parent


def test_a_parent_cannot_cancel_inside_the_cutoff_but_staff_can_with_a_reason(
    school, host, child, parent, sendco
):
    soon = slot_at(school, host, hours_ahead=3)
    booking = booking_make(slot=soon, child=child, parent=parent, by=sendco)
    with pytest.raises(BookingRefused, match="too close"):
        booking_cancel(booking=booking, by=parent)
    with pytest.raises(BookingRefused, match="Say why"):
        booking_cancel(booking=booking, by=sendco, reason=" ")
    booking_cancel(booking=booking, by=sendco, reason="Sam is unwell today")
    booking.refresh_from_db()
    assert (booking.status, booking.cancel_reason) == ("cancelled", "Sam is unwell today")


def test_another_parent_cannot_cancel(school, slot, child, parent):
    booking = booking_make(slot=slot, child=child, parent=parent, by=parent)
    stranger, _ = family(school)
    with pytest.raises(BookingRefused):
        booking_cancel(booking=booking, by=stranger)


def test_cancelling_twice_is_refused_clearly(slot, child, parent):
    booking = booking_make(slot=slot, child=child, parent=parent, by=parent)
    booking_cancel(booking=booking, by=parent)
    with pytest.raises(BookingRefused, match="not booked any more"):
        booking_cancel(booking=booking, by=parent)


# Moving


def test_moving_cancels_the_old_booking_and_makes_the_new(school, host, child, parent):
    old = booking_make(
        slot=slot_at(school, host), child=child, parent=parent, by=parent, note="Sleep"
    )
    later = slot_at(school, host, hours_ahead=200)
    new = booking_move(booking=old, to_slot=later, by=parent)
    old.refresh_from_db()
    assert (old.status, old.moved_to, old.cancel_reason) == (
        "cancelled",
        new,
        "Moved to another time",
    )
    assert (new.slot, new.status, new.note, new.child) == (later, "booked", "Sleep", child)


def test_moving_to_a_taken_slot_keeps_the_booking(school, host, child, parent):
    old = booking_make(slot=slot_at(school, host), child=child, parent=parent, by=parent)
    taken = slot_at(school, host, hours_ahead=200)
    other_parent, other_child = family(school)
    booking_make(slot=taken, child=other_child, parent=other_parent, by=other_parent)
    with pytest.raises(SlotTaken):
        booking_move(booking=old, to_slot=taken, by=parent)
    old.refresh_from_db()
    assert old.status == "booked" and old.moved_to is None


def test_a_parent_cannot_move_inside_the_cutoff(school, host, child, parent, sendco):
    booking = booking_make(
        slot=slot_at(school, host, hours_ahead=3), child=child, parent=parent, by=sendco
    )
    later = slot_at(school, host, hours_ahead=200)
    with pytest.raises(BookingRefused, match="too close"):
        booking_move(booking=booking, to_slot=later, by=parent)
    assert booking_move(booking=booking, to_slot=later, by=sendco).slot == later


def test_a_slot_freed_by_a_move_can_be_booked(school, host, child, parent):
    first = slot_at(school, host)
    old = booking_make(slot=first, child=child, parent=parent, by=parent)
    booking_move(booking=old, to_slot=slot_at(school, host, hours_ahead=200), by=parent)
    other_parent, other_child = family(school)
    assert booking_make(slot=first, child=other_child, parent=other_parent, by=other_parent)


# On behalf


def test_staff_book_on_a_familys_behalf(school, slot, child, parent, sendco):
    booking = booking_make(slot=slot, child=child, parent=parent, by=sendco, note="After a call")
    assert (booking.parent, booking.booked_by) == (parent, sendco)


def test_staff_of_another_school_cannot_book_for_a_family(other_school, slot, child, parent):
    from tests.conftest import staff_member

    outsider = staff_member(other_school, "sendco")
    with pytest.raises(BookingRefused):
        booking_make(slot=slot, child=child, parent=parent, by=outsider)


# Held or missed


def test_a_held_meeting_with_the_sendco_is_logged_as_a_sendco_meeting(
    school, slot, child, parent, administrator
):
    booking = booking_make(slot=slot, child=child, parent=parent, by=parent, note="Sleep")
    make_past(slot)
    # Recorded by the administrator, yet it counts: the SENDCo held it.
    held = booking_outcome(booking=booking, by=administrator, held=True)
    entry = held.contact_entry
    assert held.status == "held" and held.outcome_by == administrator
    assert entry.is_sendco_meeting is True
    assert entry.channel == "meeting" and entry.started_by == "parent"
    assert entry.summary.startswith(HELD_SUMMARY) and "Sleep" in entry.summary
    assert list(entry.children.all()) == [child] and list(entry.parents.all()) == [parent]
    assert entry.happened_at == slot.starts_at


def test_a_held_meeting_with_a_key_contact_is_contact_but_not_a_sendco_meeting(
    school, child, parent, sendco
):
    teacher = MembershipFactory(school=school, role="teacher")
    KeyContactFactory(child=child, membership=teacher)
    slot = slot_at(school, teacher, mode="video", video_link="https://meet.example.test/x")
    booking = booking_make(slot=slot, child=child, parent=parent, by=parent)
    make_past(slot)
    entry = booking_outcome(booking=booking, by=sendco, held=True).contact_entry
    assert (entry.channel, entry.is_sendco_meeting) == ("video", False)


def test_recording_held_twice_logs_one_contact(slot, child, parent, sendco):
    booking = booking_make(slot=slot, child=child, parent=parent, by=parent)
    make_past(slot)
    booking_outcome(booking=booking, by=sendco, held=True)
    booking_outcome(booking=booking, by=sendco, held=True)
    assert ContactEntry.objects.count() == 1


def test_a_missed_meeting_logs_no_contact_and_may_be_corrected(slot, child, parent, sendco):
    booking = booking_make(slot=slot, child=child, parent=parent, by=parent)
    make_past(slot)
    assert booking_outcome(booking=booking, by=sendco, held=False).status == "missed"
    assert ContactEntry.objects.count() == 0
    assert booking_outcome(booking=booking, by=sendco, held=True).status == "held"
    assert ContactEntry.objects.count() == 1
    with pytest.raises(BookingRefused, match="already recorded as held"):
        booking_outcome(booking=booking, by=sendco, held=False)


def test_outcome_waits_for_the_start_and_is_for_staff(slot, child, parent, sendco):
    booking = booking_make(slot=slot, child=child, parent=parent, by=parent)
    with pytest.raises(BookingRefused, match="once the meeting has started"):
        booking_outcome(booking=booking, by=sendco, held=True)
    make_past(slot)
    with pytest.raises(BookingRefused, match="Only school staff"):
        booking_outcome(booking=booking, by=parent, held=True)
