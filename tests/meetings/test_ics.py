"""The .ics files: wall-clock times in the school's zone either side of the clocks
changing, cancellations that withdraw the event, and never the child's name."""

import datetime

import pytest

from partnership.meetings.ics import (
    booking_calendar,
    booking_event,
    calendar_text,
    session_calendar,
)
from tests.factories_meetings import BookingFactory, SessionPlaceFactory, SlotFactory

from .calendar_helpers import london

pytestmark = pytest.mark.django_db


def booking_at(school, child, parent, when):
    slot = SlotFactory(school=school, starts_at=when, ends_at=when.replace(minute=20))
    return BookingFactory(slot=slot, child=child, parent=parent, note="Ava's reading at home")


@pytest.mark.parametrize(
    "when, utc",
    [
        # British Summer Time: 09:00 in London is 08:00 UTC.
        (london(2026, 10, 22, 9), "20261022T080000Z"),
        # The last week of October, after the clocks went back on the 25th.
        (london(2026, 10, 27, 9), "20261027T090000Z"),
        # The first week of November.
        (london(2026, 11, 3, 9), "20261103T090000Z"),
    ],
)
def test_a_nine_oclock_meeting_is_at_nine_in_london_whatever_the_clocks(
    school, child, parent, when, utc
):
    booking = booking_at(school, child, parent, when)
    text = booking_calendar(booking)

    assert f"DTSTART;TZID=Europe/London:{when:%Y%m%d}T090000" in text
    assert f"DTEND;TZID=Europe/London:{when:%Y%m%d}T092000" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/London" in text
    assert "METHOD:PUBLISH" in text
    # Stored as the right instant: the wall clock and the offset agree.
    assert booking.slot.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ") == utc


def test_cancellation_withdraws_the_event(school, child, parent):
    booking = booking_at(school, child, parent, london(2026, 11, 3, 9))

    text = booking_calendar(booking, cancelled=True)

    assert "METHOD:CANCEL" in text
    assert "STATUS:CANCELLED" in text
    assert "SEQUENCE:1" in text
    assert f"UID:booking-{booking.pk}@" in text


def test_a_calendar_mixing_a_new_time_and_a_cancellation_is_published(school, child, parent):
    old = booking_at(school, child, parent, london(2026, 11, 3, 9))
    new = booking_at(school, child, parent, london(2026, 11, 5, 9))

    text = calendar_text([booking_event(new), booking_event(old, cancelled=True)])

    assert "METHOD:PUBLISH" in text
    assert text.count("BEGIN:VEVENT") == 2


def test_no_child_name_or_note_in_a_booking_or_session_file(school, child, parent):
    booking = booking_at(school, child, parent, london(2026, 11, 3, 9))
    place = SessionPlaceFactory(session__school=school, child=child, parent=parent)

    for text in (booking_calendar(booking), session_calendar(place)):
        unfolded = text.replace("\r\n ", "")
        assert "Ava" not in unfolded
        assert "Adams" not in unfolded
        assert "reading at home" not in unfolded
