"""Six meetings with the SENDCo a year (P2): counted per child since 1 September in the
school's time zone, shown to parents against their family's target, and the meetings the
portal records (a held booking, an attended session) counted on the SENDCo's radar."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from partnership.contact.models import ContactPlan
from partnership.contact.radar import school_radar
from partnership.meetings.models import Booking
from partnership.meetings.selectors import (
    sendco_meetings_this_year,
    six_a_year_rows,
)
from partnership.meetings.services.bookings import booking_outcome
from partnership.meetings.services.session_attendance import attendance_record
from partnership.schools.models import Child
from tests.conftest import staff_member
from tests.factories import ChildFactory
from tests.factories_contact import ContactEntryFactory
from tests.factories_meetings import (
    BookingFactory,
    GroupSessionFactory,
    SessionPlaceFactory,
    SlotFactory,
)

from .calendar_helpers import london

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def meeting(school, children, when, *, sendco=True):
    return ContactEntryFactory(
        school=school,
        children=children,
        happened_at=when,
        is_sendco_meeting=sendco,
        channel="in_person",
    )


def test_meetings_are_counted_per_child_since_the_first_of_september(school, child):
    sibling = ChildFactory(school=school, first_name="Noah")
    other = ChildFactory(school=school)
    meeting(school, [child, sibling], london(2026, 9, 1, 0, 0))  # the year's first minute
    meeting(school, [child], london(2026, 10, 12, 9))
    meeting(school, [child], london(2026, 8, 31, 23, 59))  # last school year
    meeting(school, [child], london(2026, 11, 2, 9), sendco=False)  # a teacher's call
    meeting(school, [child], london(2026, 11, 24, 9))  # tomorrow: not yet happened
    meeting(school, [other], london(2026, 10, 1, 9))

    counts = sendco_meetings_this_year([child, sibling], today=TODAY)

    assert counts == {child.pk: 2, sibling.pk: 1}


def test_counting_is_one_query_whatever_the_number_of_children(school, django_assert_num_queries):
    children = list(ChildFactory.create_batch(10, school=school))
    for each in children:
        meeting(school, [each], london(2026, 10, 1, 9))
    children = list(Child.objects.filter(pk__in=[c.pk for c in children]).select_related("school"))
    with django_assert_num_queries(1):
        counts = sendco_meetings_this_year(children, today=TODAY)
    assert set(counts.values()) == {1}
    assert sendco_meetings_this_year([]) == {}


def test_fragment_shows_n_of_the_familys_target(school, child):
    sibling = ChildFactory(school=school, first_name="Noah")
    ContactPlan.objects.create(child=sibling, sendco_meetings_target=9)
    for when in (london(2026, 9, 10, 9), london(2026, 10, 1, 9), london(2026, 11, 5, 9)):
        meeting(school, [child], when)
    rows = six_a_year_rows(
        Child.objects.filter(pk__in=[child.pk, sibling.pk])
        .select_related("school", "contact_plan")
        .order_by("first_name"),
        today=TODAY,
    )

    html = " ".join(
        render_to_string("meetings/fragment_six_a_year.html", {"six_a_year": rows}).split()
    )

    assert "3 of 6 meetings with the SENDCo this school year" in html
    assert "0 of 9 meetings with the SENDCo this school year" in html
    assert "Ava:" in html and "Noah:" in html


def test_fragment_is_empty_without_children():
    assert render_to_string("meetings/fragment_six_a_year.html", {"six_a_year": []}).strip() == ""


def test_a_held_booking_and_an_attended_session_count_on_the_radar_and_for_the_parent(
    school, child, parent, sendco
):
    host = sendco.memberships.get()
    earlier = timezone.now() - datetime.timedelta(hours=1)
    slot = SlotFactory(
        school=school,
        host=host,
        starts_at=earlier,
        ends_at=earlier + datetime.timedelta(minutes=20),
    )
    booking = BookingFactory(slot=slot, child=child, parent=parent)
    session = GroupSessionFactory(
        school=school,
        host=host,
        starts_at=earlier - datetime.timedelta(minutes=40),
        ends_at=earlier - datetime.timedelta(minutes=20),
        confirmed_count=1,
    )
    place = SessionPlaceFactory(session=session, child=child, parent=parent)
    # A meeting with a class teacher is contact, but not one of the SENDCo's six.
    teacher = staff_member(school, "teacher", "class.teacher@example.test")
    teacher_slot = SlotFactory(
        school=school,
        host=teacher.memberships.get(),
        starts_at=earlier,
        ends_at=earlier + datetime.timedelta(minutes=20),
    )
    teacher_booking = BookingFactory(slot=teacher_slot, child=child, parent=parent)

    booking_outcome(booking=booking, by=sendco, held=True)
    attendance_record(session=session, by=sendco, attended_place_ids=[place.pk])
    booking_outcome(booking=teacher_booking, by=teacher, held=True)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.HELD and booking.contact_entry.is_sendco_meeting
    (row,) = [row for row in school_radar(school).rows if row.child == child]
    assert row.sendco_meetings == 2
    assert row.sendco_meetings_target == 6
    assert sendco_meetings_this_year([child]) == {child.pk: 2}
