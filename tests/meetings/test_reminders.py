"""The day-before reminders: one email per booked meeting and per confirmed place at a
group session, the day before in the school's own time zone, exactly once however often
the tick runs; cancelled meetings are not reminded and a moved one is reminded once, for
its new time."""

import datetime

import pytest
from django.core import mail

from partnership.meetings.models import Booking, SessionPlace
from partnership.meetings.reminders import job, reminders_write
from partnership.notifications import schedule
from partnership.notifications.models import OutboxMessage
from tests.factories import SchoolFactory
from tests.factories_meetings import (
    BookingFactory,
    GroupSessionFactory,
    SessionPlaceFactory,
    SlotFactory,
)

from .calendar_helpers import london

pytestmark = pytest.mark.django_db

# Monday 2 November 2026, mid-morning in London; the meetings are on Tuesday the 3rd.
MONDAY = london(2026, 11, 2, 10)
TUESDAY_9 = london(2026, 11, 3, 9)


def booking_at(school, child, parent, when, **kwargs):
    slot = SlotFactory(school=school, starts_at=when, ends_at=when + datetime.timedelta(minutes=20))
    return BookingFactory(slot=slot, child=child, parent=parent, **kwargs)


def reminders(kind="meeting_reminder"):
    return OutboxMessage.objects.filter(kind=kind)


def test_a_meeting_tomorrow_is_reminded_with_its_calendar_file(
    school, child, parent, django_capture_on_commit_callbacks
):
    booking = booking_at(school, child, parent, TUESDAY_9, note="Ava's new timetable")

    with django_capture_on_commit_callbacks(execute=True):
        assert job(MONDAY) == 1

    message = reminders().get()
    assert message.key == f"meeting-reminder:{booking.pk}"
    assert message.to_email == parent.email
    assert message.recipient == parent
    assert "tomorrow" in message.subject and "09:00" in message.subject
    assert "Tuesday 3 November, from 09:00 to 09:20" in message.body_text
    assert "Ava's new timetable" in message.body_text
    assert f"/meetings/bookings/{booking.pk}/" in message.body_text
    assert "DTSTART;TZID=Europe/London:20261103T090000" in message.calendar
    assert "Ava" not in message.calendar.replace("\r\n ", "")
    assert len(mail.outbox) == 1  # delivered (tasks run inline in unit tests)
    assert mail.outbox[0].to == [parent.email]
    assert mail.outbox[0].attachments[0][0] == "invite.ics"


def test_only_meetings_tomorrow_are_reminded(school, child, parent):
    booking_at(school, child, parent, london(2026, 11, 2, 15))  # later today
    booking_at(school, child, parent, london(2026, 11, 4, 9))  # the day after tomorrow
    late = booking_at(school, child, parent, london(2026, 11, 3, 23, 40))
    early = booking_at(school, child, parent, london(2026, 11, 3, 0, 0))

    assert job(MONDAY) == 2

    assert set(reminders().values_list("key", flat=True)) == {
        f"meeting-reminder:{late.pk}",
        f"meeting-reminder:{early.pk}",
    }


def test_tomorrow_is_the_schools_local_tomorrow(child, parent, school):
    # 23:30 UTC on Monday in summer time is already Tuesday in London: Wednesday's
    # meetings are the ones due.
    now = datetime.datetime(2026, 6, 1, 23, 30, tzinfo=datetime.UTC)
    wednesday = booking_at(school, child, parent, london(2026, 6, 3, 9))
    booking_at(school, child, parent, london(2026, 6, 2, 9))

    job(now)

    assert reminders().get().key == f"meeting-reminder:{wednesday.pk}"


def test_nothing_is_written_before_the_sending_hours_open(school, child, parent):
    school.sending_from = datetime.time(8, 0)
    school.sending_until = datetime.time(20, 0)
    school.save()
    booking_at(school, child, parent, TUESDAY_9)

    assert job(london(2026, 11, 2, 7, 45)) == 0
    assert job(london(2026, 11, 2, 8, 0)) == 1


def test_nothing_is_written_after_the_sending_hours_close(school, child, parent):
    # Held until the morning, a "tomorrow" email would arrive on the day itself.
    school.sending_from = datetime.time(8, 0)
    school.sending_until = datetime.time(20, 0)
    school.save()
    booking_at(school, child, parent, TUESDAY_9)

    assert job(london(2026, 11, 2, 20, 0)) == 0
    assert job(london(2026, 11, 3, 8, 0)) == 0  # the day itself: too late
    assert not reminders().exists()


def test_repeated_ticks_remind_exactly_once(
    school, child, parent, django_capture_on_commit_callbacks
):
    booking_at(school, child, parent, TUESDAY_9)
    place = SessionPlaceFactory(session__school=school, session__starts_at=TUESDAY_9, parent=parent)

    with django_capture_on_commit_callbacks(execute=True):
        first = schedule.tick(now=MONDAY)
        second = schedule.tick(now=MONDAY + datetime.timedelta(minutes=15))
        third = schedule.tick(now=london(2026, 11, 2, 19))

    assert first["meeting-reminders"] == 2
    assert second["meeting-reminders"] == third["meeting-reminders"] == 0
    assert reminders().count() == 1
    assert reminders("session_reminder").get().key == f"session-reminder:{place.pk}"
    assert len(mail.outbox) == 2


def test_cancelled_meetings_and_places_are_not_reminded(school, child, parent):
    booking_at(school, child, parent, TUESDAY_9, status=Booking.Status.CANCELLED)
    SessionPlaceFactory(
        session__school=school, session__starts_at=TUESDAY_9, status=SessionPlace.Status.WAITING
    )
    SessionPlaceFactory(
        session__school=school, session__starts_at=TUESDAY_9, status=SessionPlace.Status.CANCELLED
    )
    SessionPlaceFactory(
        session=GroupSessionFactory(school=school, starts_at=TUESDAY_9, cancelled_at=MONDAY)
    )

    assert job(MONDAY) == 0


def test_a_meeting_cancelled_after_its_reminder_is_not_reminded_again(school, child, parent):
    booking = booking_at(school, child, parent, TUESDAY_9)
    job(MONDAY)
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)

    assert job(MONDAY + datetime.timedelta(hours=1)) == 0
    assert reminders().count() == 1


def test_a_moved_meeting_is_reminded_once_for_its_new_time(school, child, parent):
    booking = booking_at(school, child, parent, TUESDAY_9)
    job(MONDAY)
    # Moved to the afternoon after the reminder went: the old booking is cancelled and
    # points at the new one (as the booking service does it).
    moved = booking_at(school, child, parent, london(2026, 11, 3, 14))
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED, moved_to=moved)

    assert job(MONDAY + datetime.timedelta(hours=1)) == 1
    assert job(MONDAY + datetime.timedelta(hours=2)) == 0

    new = reminders().get(key=f"meeting-reminder:{moved.pk}")
    assert "14:00" in new.subject
    assert reminders().count() == 2


def test_a_session_reminder(school, child, parent):
    session = GroupSessionFactory(
        school=school, starts_at=TUESDAY_9, title="Coffee morning: understanding autism"
    )
    SessionPlaceFactory(session=session, child=child, parent=parent)

    job(MONDAY)

    message = reminders("session_reminder").get()
    assert "Coffee morning: understanding autism" in message.subject
    assert "from 09:00 to 10:00" in message.body_text
    assert f"/meetings/sessions/{session.pk}/" in message.body_text
    assert "METHOD:PUBLISH" in message.calendar


def add_meetings(school, n):
    for _ in range(n):
        BookingFactory(
            slot=SlotFactory(
                school=school,
                starts_at=TUESDAY_9,
                ends_at=TUESDAY_9 + datetime.timedelta(minutes=20),
            )
        )
        SessionPlaceFactory(session__school=school, session__starts_at=TUESDAY_9)


def test_a_tick_with_everything_written_costs_the_same_at_ten_times_the_meetings(
    django_assert_num_queries,
):
    school = SchoolFactory()
    add_meetings(school, 2)
    reminders_write(school=school, day=TUESDAY_9.date())
    # Bookings due, places due, and which of their keys are in the outbox, inside the
    # transaction's savepoint and its release.
    with django_assert_num_queries(5):
        reminders_write(school=school, day=TUESDAY_9.date())
    add_meetings(school, 18)
    reminders_write(school=school, day=TUESDAY_9.date())
    with django_assert_num_queries(5):
        assert reminders_write(school=school, day=TUESDAY_9.date()) == 0
