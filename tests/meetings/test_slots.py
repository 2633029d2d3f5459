"""One-off slots and withdrawing slots: the rules the services keep."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from partnership.meetings.models import Booking, Slot
from partnership.meetings.services import slots as slot_services
from partnership.meetings.services.slots import SlotRefused, slot_create, slot_withdraw
from partnership.schools.models import Membership
from tests.factories import MembershipFactory
from tests.factories_meetings import BookingFactory, SlotFactory
from tests.services import require_postgres

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def host(school, sendco):
    return Membership.objects.get(user=sendco, school=school)


def tomorrow_at(hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def one_off(school, host, by, **overrides):
    kwargs = {
        "starts_at": tomorrow_at(15, 30),
        "minutes": 30,
        "mode": "in_person",
        "location": "SENDCo's office",
        "video_link": "",
    }
    kwargs.update(overrides)
    return slot_create(school=school, host=host, by=by, **kwargs)


def test_a_one_off_slot_is_published(school, host, sendco):
    slot = one_off(school, host, sendco)

    assert slot.ends_at - slot.starts_at == datetime.timedelta(minutes=30)
    assert slot.pattern is None and slot.created_by == sendco
    assert slot.priority_until == slot.created_at + datetime.timedelta(
        days=school.priority_booking_days
    )


def test_a_video_slot_keeps_its_link_and_drops_a_stray_location(school, host, sendco):
    slot = one_off(
        school, host, sendco, mode="video", video_link="https://meet.example.test/sendco"
    )
    assert (slot.location, slot.video_link) == ("", "https://meet.example.test/sendco")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"starts_at": timezone.now() - datetime.timedelta(hours=1)}, "already passed"),
        ({"mode": "video"}, "video link"),
        ({"location": ""}, "where you will meet"),
        ({"minutes": 500}, "between 5 and 180"),
        ({"mode": "carrier_pigeon"}, "how you will meet"),
    ],
)
def test_a_slot_that_cannot_work_is_refused(school, host, sendco, overrides, message):
    with pytest.raises(SlotRefused, match=message):
        one_off(school, host, sendco, **overrides)
    assert not Slot.objects.exists()


def test_a_slot_for_a_governor_or_another_schools_staff_is_refused(school, other_school, sendco):
    for membership in (
        MembershipFactory(school=school, role="governor"),
        MembershipFactory(school=other_school, role="sendco"),
    ):
        with pytest.raises(SlotRefused, match="staff at this school"):
            one_off(school, membership, sendco)


def test_an_overlapping_slot_in_the_same_diary_is_refused(school, host, sendco):
    one_off(school, host, sendco, starts_at=tomorrow_at(15, 0), minutes=30)

    with pytest.raises(SlotRefused, match="overlaps the slot at .* 15:00"):
        one_off(school, host, sendco, starts_at=tomorrow_at(15, 20), minutes=20)
    with pytest.raises(SlotRefused, match="overlaps"):
        one_off(school, host, sendco, starts_at=tomorrow_at(15, 0), minutes=10)

    # Back to back is fine, and so is the same time in someone else's diary.
    one_off(school, host, sendco, starts_at=tomorrow_at(15, 30), minutes=20)
    colleague = MembershipFactory(school=school, role="teacher")
    one_off(school, colleague, sendco, starts_at=tomorrow_at(15, 0), minutes=30)
    assert Slot.objects.count() == 3


def test_a_withdrawn_slots_time_can_be_offered_again(school, host, sendco):
    first = one_off(school, host, sendco)
    slot_withdraw(slot=first, by=sendco)

    again = one_off(school, host, sendco)
    assert again.starts_at == first.starts_at


@pytest.mark.django_db(transaction=True)
def test_postgres_exclusion_constraint_refuses_overlap_even_past_the_check(monkeypatch):
    require_postgres()
    from tests.factories import SchoolFactory, UserFactory

    school = SchoolFactory()
    host = MembershipFactory(school=school, role="sendco")
    by = UserFactory()
    SlotFactory(school=school, host=host, starts_at=tomorrow_at(10, 0))

    # The database alone: an overlapping live slot cannot be stored.
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotFactory(school=school, host=host, starts_at=tomorrow_at(10, 10))

    # The service with its own check switched off still refuses, through the constraint.
    monkeypatch.setattr(slot_services, "_clash", lambda *args: None)
    with pytest.raises(SlotRefused, match="overlaps another slot"):
        one_off(school, host, by, starts_at=tomorrow_at(10, 10), minutes=20)
    assert Slot.objects.filter(host=host).count() == 1


def test_an_open_slot_is_withdrawn(school, host, sendco):
    slot = SlotFactory(school=school, host=host)
    BookingFactory(slot=slot, status=Booking.Status.CANCELLED)

    slot_withdraw(slot=slot, by=sendco)

    slot.refresh_from_db()
    assert slot.withdrawn_at is not None and slot.withdrawn_by == sendco
    with pytest.raises(SlotRefused, match="already been withdrawn"):
        slot_withdraw(slot=slot, by=sendco)


def test_a_booked_slot_needs_its_booking_cancelled_first(school, host, sendco):
    slot = SlotFactory(school=school, host=host)
    BookingFactory(slot=slot)

    with pytest.raises(SlotRefused, match="Cancel the booking first – the parent will be told"):
        slot_withdraw(slot=slot, by=sendco)
    slot.refresh_from_db()
    assert slot.withdrawn_at is None


@pytest.mark.parametrize("status", [Booking.Status.HELD, Booking.Status.MISSED])
def test_a_meeting_that_took_place_stays_in_the_diary(school, host, sendco, status):
    slot = SlotFactory(school=school, host=host)
    BookingFactory(slot=slot, status=status)

    with pytest.raises(SlotRefused, match="taken place"):
        slot_withdraw(slot=slot, by=sendco)
