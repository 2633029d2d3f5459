"""Booking emails: each goes through the outbox once, to parents under quiet hours, with a
calendar file at the school's local time."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from partnership.meetings.services.bookings import (
    BookingRefused,
    booking_cancel,
    booking_make,
    booking_move,
)
from tests.factories import KeyContactFactory, MembershipFactory
from tests.factories_meetings import SlotFactory

from .booking_helpers import mails, sendco_host, slot_at

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def events(message) -> list:
    return [c for c in Calendar.from_ical(message.calendar).walk("VEVENT")]


def at_nine_london(day: datetime.date, host, school):
    starts = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=LONDON)
    return SlotFactory(
        school=school, host=host, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=20)
    )


@pytest.mark.parametrize("day", [datetime.date(2027, 6, 15), datetime.date(2027, 12, 7)])
def test_confirmation_shows_and_files_the_london_time_in_summer_and_winter(
    school, child, parent, day
):
    host = sendco_host(school)
    slot = at_nine_london(day, host, school)
    booking = booking_make(slot=slot, child=child, parent=parent, by=parent, note="Sleep")

    message = mails("booking_confirmed").get()
    assert message.key == f"booking-confirmed:{booking.pk}"
    assert (message.to_email, message.recipient) == (parent.email, parent)
    assert "09:00 to 09:20" in message.body_text and "Sam Sendco" in message.subject
    assert f"/meetings/bookings/{booking.pk}/" in message.body_text
    assert "Sleep" not in message.body_text  # the family's words stay on the portal
    (event,) = events(message)
    start = event.decoded("dtstart")
    assert (start.hour, start.minute, str(start.tzinfo)) == (9, 0, "Europe/London")
    assert "TZID=Europe/London" in message.calendar and "VTIMEZONE" in message.calendar
    assert "Ava" not in message.calendar  # calendars leave school: no child named

    host_message = mails("booking_host_booked").get()
    assert host_message.to_email == host.user.email and host_message.calendar


def test_parent_emails_wait_for_sending_hours_and_host_emails_do_not(school, child, parent):
    slot = slot_at(school, sendco_host(school))
    booking_make(slot=slot, child=child, parent=parent, by=parent)
    # Only the parent's message goes through the quiet-hours rule; compare with the
    # outbox's own rule rather than the clock.
    from partnership.notifications.quiet_hours import sending_opens

    assert mails("booking_confirmed").get().next_attempt_at == sending_opens(school)
    assert mails("booking_host_booked").get().next_attempt_at is None


def test_on_behalf_confirmation_says_school_booked_it(school, child, parent, sendco):
    booking_make(slot=slot_at(school, sendco_host(school)), child=child, parent=parent, by=sendco)
    assert "School has booked a meeting for you" in mails("booking_confirmed").get().body_text


def test_a_parent_cancelling_tells_the_host_and_sends_the_parent_a_cancelling_file(
    school, child, parent
):
    host = sendco_host(school)
    booking = booking_make(slot=slot_at(school, host), child=child, parent=parent, by=parent)
    booking_cancel(booking=booking, by=parent)
    to_host = mails("booking_host_cancelled").get()
    to_parent = mails("booking_cancelled").get()
    assert to_host.to_email == host.user.email
    for message in (to_host, to_parent):
        assert "METHOD:CANCEL" in message.calendar
        (event,) = events(message)
        assert (
            event["status"] == "CANCELLED"
            and event["uid"] == f"booking-{booking.pk}@" + (event["uid"].split("@", 1)[1])
        )


def test_staff_cancelling_gives_the_parent_the_reason(school, child, parent, sendco):
    host = MembershipFactory(school=school, role="teacher")
    KeyContactFactory(child=child, membership=host)
    booking = booking_make(slot=slot_at(school, host), child=child, parent=parent, by=parent)
    booking_cancel(booking=booking, by=sendco, reason="Staff training day")
    body = mails("booking_cancelled").get().body_text
    assert "School has cancelled" in body and "Staff training day" in body
    # The host is told too, as a colleague cancelled their meeting.
    assert mails("booking_host_cancelled").get().to_email == host.user.email


def test_the_host_cancelling_is_not_emailed_their_own_act(school, child, parent):
    host = sendco_host(school)
    booking = booking_make(slot=slot_at(school, host), child=child, parent=parent, by=parent)
    booking_cancel(booking=booking, by=host.user, reason="Off sick")
    assert mails("booking_cancelled").count() == 1
    assert mails("booking_host_cancelled").count() == 0


def test_a_move_sends_one_changed_email_with_the_new_time_and_the_old_cancelled(
    school, child, parent
):
    host = sendco_host(school)
    old = booking_make(
        slot=at_nine_london(datetime.date(2027, 3, 2), host, school),
        child=child,
        parent=parent,
        by=parent,
    )
    new = booking_move(
        booking=old, to_slot=at_nine_london(datetime.date(2027, 4, 6), host, school), by=parent
    )
    message = mails("booking_changed").get()
    assert message.key == f"booking-changed:{old.pk}"
    assert "Tuesday 6 April 2027, 09:00" in message.body_text
    assert "Tuesday 2 March 2027, 09:00" in message.body_text
    by_uid = {str(e["uid"]).split("@")[0]: e for e in events(message)}
    assert by_uid[f"booking-{new.pk}"]["status"] == "CONFIRMED"
    assert by_uid[f"booking-{old.pk}"]["status"] == "CANCELLED"
    # Across the clocks changing (GMT in March, BST in April), both stay at 09:00 local.
    assert {e.decoded("dtstart").hour for e in by_uid.values()} == {9}
    assert mails("booking_host_changed").count() == 1
    assert mails("booking_cancelled").count() == 0


def test_a_move_to_another_host_tells_each_host_their_part(school, child, parent):
    sendco = sendco_host(school)
    teacher = MembershipFactory(school=school, role="teacher")
    KeyContactFactory(child=child, membership=teacher)
    old = booking_make(slot=slot_at(school, sendco), child=child, parent=parent, by=parent)
    booking_move(booking=old, to_slot=slot_at(school, teacher, hours_ahead=300), by=parent)
    assert mails("booking_host_cancelled").get().to_email == sendco.user.email
    assert mails("booking_host_booked", to=teacher.user.email).count() == 1


def test_no_email_when_booking_is_refused(school, child, parent):
    host = sendco_host(school)
    slot = slot_at(school, host, hours_ahead=1)
    with pytest.raises(BookingRefused):
        booking_make(slot=slot, child=child, parent=parent, by=parent)
    assert not mails("booking_confirmed").exists()
