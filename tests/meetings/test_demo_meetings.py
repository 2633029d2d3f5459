"""The demo school's meetings: the SENDCo's open door for six weeks, families booked
(the demo parent among them), past meetings held and missed, a video drop-in and two
group sessions, written afresh on every run and without sending any email."""

import datetime
import io
import time
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from partnership.meetings.demo import seed_meetings
from partnership.meetings.models import (
    Booking,
    GroupSession,
    Mode,
    SessionPlace,
    Slot,
    SlotPattern,
)
from partnership.notifications.models import OutboxMessage
from partnership.schools.models import Child, Membership, School


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    school = School.objects.get(slug="riverside")
    children = list(Child.objects.filter(school=school).order_by("mis_id"))
    staff = {
        m.user.email: m for m in Membership.objects.filter(school=school).select_related("user")
    }
    return school, children, staff


def snapshot(school):
    return {
        "patterns": SlotPattern.objects.filter(school=school).count(),
        "slots": Slot.objects.filter(school=school).count(),
        "bookings": sorted(
            Booking.objects.filter(slot__school=school).values_list("child__mis_id", "status")
        ),
        "sessions": GroupSession.objects.filter(school=school).count(),
        "places": SessionPlace.objects.filter(session__school=school).count(),
    }


def test_the_sendcos_weekly_open_door(demo):
    school, _children, staff = demo
    sendco = staff["sendco@example.org"]
    pattern = SlotPattern.objects.get(school=school)
    assert pattern.host == sendco
    assert pattern.weekday_numbers == [1, 3]
    assert (pattern.slot_count, pattern.slot_minutes, pattern.weeks_ahead) == (5, 20, 6)
    zone = ZoneInfo(school.time_zone)
    now = timezone.now()
    upcoming = Slot.objects.filter(pattern=pattern, starts_at__gte=now)
    assert upcoming.count() >= 5 * 2 * 5  # at least five of the six weeks are still ahead
    for slot in upcoming:
        local = slot.starts_at.astimezone(zone)
        assert local.weekday() in (1, 3)
        assert datetime.time(9, 0) <= local.time() <= datetime.time(10, 20)
        assert slot.ends_at - slot.starts_at == datetime.timedelta(minutes=20)
    video = Slot.objects.get(school=school, mode=Mode.VIDEO)
    assert video.video_link.startswith("https://")


def test_families_booked_with_the_demo_parent_among_them(demo):
    school, children, _staff = demo
    now = timezone.now()
    ava, noah = children[0], children[1]
    (mine,) = Booking.objects.filter(parent__email="parent@example.org", status="booked")
    assert mine.child == ava and mine.slot.starts_at > now
    assert "Ava" in mine.note
    upcoming = Booking.objects.filter(slot__school=school, slot__starts_at__gt=now)
    assert upcoming.values("parent").distinct().count() >= 5
    past = Booking.objects.filter(slot__school=school, slot__starts_at__lt=now)
    assert {b.status for b in past} == {"held", "missed"}
    for booking in Booking.objects.filter(slot__school=school):
        assert booking.parent.family_links.filter(child=booking.child).exists()
    assert SessionPlace.objects.filter(child=noah, session__kind="workshop").exists()


def test_a_full_coffee_morning_with_a_waiting_list_and_a_workshop(demo):
    school, _children, _staff = demo
    coffee = GroupSession.objects.get(school=school, kind="coffee_morning")
    workshop = GroupSession.objects.get(school=school, kind="workshop")
    assert coffee.topic == "autism" and workshop.topic == "behaviour"
    assert coffee.confirmed_count == coffee.capacity
    assert coffee.places.filter(status="confirmed").count() == coffee.capacity
    assert coffee.places.filter(status="waiting").count() == 2
    assert workshop.confirmed_count == workshop.places.filter(status="confirmed").count() > 0
    assert workshop.confirmed_count < workshop.capacity


def test_running_again_replaces_the_meetings_and_sends_nothing(demo):
    school, children, staff = demo
    first = snapshot(school)
    started = time.monotonic()
    seed_meetings(school=school, children=children, staff=staff)
    assert time.monotonic() - started < 5
    assert snapshot(school) == first
    assert not OutboxMessage.objects.filter(kind__contains="reminder").exists()
    assert not OutboxMessage.objects.filter(school=school).exclude(kind="checkin").exists()
