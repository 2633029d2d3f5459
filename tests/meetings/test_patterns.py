"""Weekly slot patterns: what they publish, what they skip, the top-up and the clocks."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnership.meetings.models import Slot, SlotPattern
from partnership.meetings.services.slots import (
    SlotRefused,
    slot_pattern_create,
    slot_pattern_stop,
    slot_withdraw,
    slots_top_up,
)
from partnership.meetings.topping_up import job as top_up_job
from partnership.notifications.schedule import registered_jobs
from partnership.schools.models import Membership
from tests.factories import MembershipFactory
from tests.factories_meetings import BookingFactory, SlotFactory

LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC
# A Monday, midday in London: the week of 16 November 2026.
NOW = datetime.datetime(2026, 11, 16, 12, 0, tzinfo=UTC)


@pytest.fixture
def host(school, sendco):
    return Membership.objects.get(user=sendco, school=school)


def make(school, host, by, **overrides):
    kwargs = {
        "weekdays": [1, 3],
        "first_starts_at": datetime.time(9, 0),
        "slot_minutes": 20,
        "slot_count": 5,
        "buffer_minutes": 0,
        "mode": "in_person",
        "location": "SENDCo's office",
        "video_link": "",
        "starts_on": NOW.date(),
        "ends_on": None,
        "weeks_ahead": 2,
        "now": NOW,
    }
    kwargs.update(overrides)
    return slot_pattern_create(school=school, host=host, by=by, **kwargs)


def local(slot: Slot) -> datetime.datetime:
    return slot.starts_at.astimezone(LONDON)


def test_five_slots_on_tuesday_and_thursday_for_two_weeks(school, host, sendco):
    published = make(school, host, sendco)

    assert (published.made, published.skipped) == (20, 0)
    slots = list(Slot.objects.filter(pattern=published.pattern))
    assert {local(slot).date() for slot in slots} == {
        datetime.date(2026, 11, 17),
        datetime.date(2026, 11, 19),
        datetime.date(2026, 11, 24),
        datetime.date(2026, 11, 26),
    }
    tuesday = [local(s).time() for s in slots if local(s).date() == datetime.date(2026, 11, 17)]
    assert tuesday == [datetime.time(9, m) for m in (0, 20, 40)] + [
        datetime.time(10, 0),
        datetime.time(10, 20),
    ]
    assert all(s.ends_at - s.starts_at == datetime.timedelta(minutes=20) for s in slots)
    assert all(s.host == host and s.mode == "in_person" for s in slots)
    assert published.pattern.weekdays == "1,3"


def test_buffer_spaces_the_meetings(school, host, sendco):
    published = make(school, host, sendco, weekdays=[0], slot_count=3, buffer_minutes=10)

    first_day = sorted(Slot.objects.filter(pattern=published.pattern), key=lambda s: s.starts_at)[
        :3
    ]
    assert [local(s).strftime("%H:%M") for s in first_day] == ["09:00", "09:30", "10:00"]
    assert first_day[1].starts_at - first_day[0].ends_at == datetime.timedelta(minutes=10)


def test_weeks_ahead_and_the_until_date_bound_the_window(school, host, sendco):
    six = make(school, host, sendco, weekdays=[4], slot_count=1, weeks_ahead=6)
    assert six.made == 6  # Fridays 20 Nov to 25 Dec

    other = MembershipFactory(school=school, role="teacher")
    short = make(
        school,
        other,
        sendco,
        weekdays=[4],
        slot_count=1,
        weeks_ahead=6,
        ends_on=datetime.date(2026, 12, 4),
    )
    assert short.made == 3


def test_times_already_passed_today_are_not_published(school, host, sendco):
    # Monday 16 November at midday: the morning's slots have gone, the afternoon's have not.
    published = make(
        school,
        host,
        sendco,
        weekdays=[0],
        first_starts_at=datetime.time(11, 15),
        slot_count=4,
        slot_minutes=30,
        weeks_ahead=1,
    )
    assert published.made == 2
    assert [local(s).strftime("%H:%M") for s in Slot.objects.filter(pattern=published.pattern)] == [
        "12:15",
        "12:45",
    ]


def test_times_that_clash_with_the_hosts_live_slots_are_skipped(school, host, sendco):
    clash = SlotFactory(
        school=school,
        host=host,
        starts_at=datetime.datetime(2026, 11, 17, 9, 30, tzinfo=LONDON),
        ends_at=datetime.datetime(2026, 11, 17, 10, 0, tzinfo=LONDON),
    )
    withdrawn = SlotFactory(
        school=school,
        host=host,
        starts_at=datetime.datetime(2026, 11, 19, 9, 0, tzinfo=LONDON),
        ends_at=datetime.datetime(2026, 11, 19, 9, 20, tzinfo=LONDON),
        withdrawn_at=NOW,
    )
    someone_else = MembershipFactory(school=school, role="teacher")
    SlotFactory(
        school=school, host=someone_else, starts_at=withdrawn.starts_at + datetime.timedelta(days=7)
    )

    published = make(school, host, sendco)

    # 09:20 and 09:40 overlap 09:30-10:00; a withdrawn slot and another person's do not count.
    assert (published.made, published.skipped) == (18, 2)
    assert Slot.objects.filter(host=host, withdrawn_at__isnull=True).count() == 19
    assert clash.pk in Slot.objects.filter(host=host).values_list("pk", flat=True)


def test_every_new_slot_is_kept_for_closer_contact_families_first(school, host, sendco):
    school.priority_booking_days = 3
    school.save()
    published = make(school, host, sendco, weeks_ahead=1)
    assert {s.priority_until for s in Slot.objects.filter(pattern=published.pattern)} == {
        NOW + datetime.timedelta(days=3)
    }

    school.priority_booking_days = 0
    school.save()
    other = make(school, MembershipFactory(school=school, role="sendco"), sendco, weeks_ahead=1)
    assert not Slot.objects.filter(pattern=other.pattern, priority_until__isnull=False).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"weekdays": []}, "at least one day"),
        ({"mode": "video", "video_link": ""}, "video link"),
        ({"location": " "}, "where you will meet"),
        ({"slot_minutes": 2}, "between 5 and 180"),
        ({"slot_count": 21}, "between 1 and 20"),
        ({"weeks_ahead": 30}, "26 weeks"),
        ({"first_starts_at": datetime.time(23, 0)}, "before midnight"),
        ({"ends_on": datetime.date(2026, 11, 1)}, "“until” date"),
    ],
)
def test_a_pattern_that_cannot_work_is_refused(school, host, sendco, overrides, message):
    with pytest.raises(SlotRefused, match=message):
        make(school, host, sendco, **overrides)
    assert not SlotPattern.objects.exists()


def test_a_host_from_another_school_is_refused(school, other_school, sendco):
    stranger = MembershipFactory(school=other_school, role="sendco")
    with pytest.raises(SlotRefused):
        make(school, stranger, sendco)


def test_top_up_adds_the_new_week_and_is_idempotent(school, host, sendco):
    published = make(school, host, sendco, weeks_ahead=2)
    pattern = published.pattern
    assert slots_top_up(pattern=pattern, today=NOW.date(), now=NOW) == 0

    a_week_later = NOW + datetime.timedelta(days=7)
    assert slots_top_up(pattern=pattern, today=a_week_later.date(), now=a_week_later) == 10
    assert slots_top_up(pattern=pattern, today=a_week_later.date(), now=a_week_later) == 0
    assert Slot.objects.filter(pattern=pattern).count() == 30


def test_top_up_does_not_bring_back_a_withdrawn_slot(school, host, sendco):
    pattern = make(school, host, sendco, weeks_ahead=1).pattern
    slot = Slot.objects.filter(pattern=pattern).first()
    slot_withdraw(slot=slot, by=sendco)

    assert slots_top_up(pattern=pattern, today=NOW.date(), now=NOW) == 0
    assert Slot.objects.filter(pattern=pattern, withdrawn_at__isnull=True).count() == 9


def test_a_stopped_pattern_makes_no_more_slots(school, host, sendco):
    pattern = make(school, host, sendco, weeks_ahead=1).pattern

    assert slot_pattern_stop(pattern=pattern, by=sendco) == 0

    pattern.refresh_from_db()
    assert pattern.is_active is False
    later = NOW + datetime.timedelta(days=14)
    assert slots_top_up(pattern=pattern, today=later.date(), now=later) == 0
    assert Slot.objects.filter(pattern=pattern, withdrawn_at__isnull=True).count() == 10


def test_stopping_withdraws_only_the_future_open_slots(school, host, sendco):
    now = timezone.now()
    pattern = make(
        school, host, sendco, starts_on=timezone.localdate(), now=now, weeks_ahead=2
    ).pattern
    slots = list(Slot.objects.filter(pattern=pattern))
    booking = BookingFactory(slot=slots[-1])

    withdrawn = slot_pattern_stop(pattern=pattern, by=sendco, withdraw_open=True)

    assert withdrawn == len(slots) - 1
    assert list(Slot.objects.filter(pattern=pattern, withdrawn_at__isnull=True)) == [booking.slot]


def test_the_clock_change_keeps_meetings_at_nine_london_time(school, host, sendco):
    # The clocks went back on Sunday 25 October 2026.
    now = datetime.datetime(2026, 10, 19, 12, 0, tzinfo=UTC)
    pattern = make(
        school,
        host,
        sendco,
        weekdays=[3],
        slot_count=1,
        weeks_ahead=3,
        starts_on=now.date(),
        now=now,
    ).pattern

    slots = list(Slot.objects.filter(pattern=pattern).order_by("starts_at"))
    assert [s.starts_at.astimezone(UTC) for s in slots] == [
        datetime.datetime(2026, 10, 22, 8, 0, tzinfo=UTC),
        datetime.datetime(2026, 10, 29, 9, 0, tzinfo=UTC),
        datetime.datetime(2026, 11, 5, 9, 0, tzinfo=UTC),
    ]
    assert {local(s).strftime("%H:%M") for s in slots} == {"09:00"}


def test_the_scheduled_job_tops_up_every_active_pattern_in_fixed_queries(school, host, sendco):
    assert registered_jobs()["slot-patterns"] is top_up_job

    def patterns(n):
        made = []
        for _ in range(n):
            member = MembershipFactory(school=school, role="teacher")
            made.append(make(school, member, sendco, weeks_ahead=1).pattern)
        return made

    later = NOW + datetime.timedelta(days=7)
    first = patterns(1)
    with CaptureQueriesContext(connection) as one:
        top_up_job(later)
    more = patterns(3)
    stopped = more.pop()
    slot_pattern_stop(pattern=stopped, by=sendco)
    for pattern in first + more:
        SlotPattern.objects.filter(pk=pattern.pk).update(weeks_ahead=2)
    later_still = later + datetime.timedelta(days=7)
    with CaptureQueriesContext(connection) as three:
        top_up_job(later_still)

    per_pattern = len(one) - 1
    # One query for the patterns, then for each: the lock, the host's slots, the insert
    # (plus the savepoint the service's transaction opens inside the test's).
    assert len(three) == 1 + 3 * per_pattern
    assert Slot.objects.filter(pattern=stopped).count() == 10
    assert Slot.objects.filter(pattern=first[0]).count() == 40
    top_up_job(later_still)
    assert Slot.objects.filter(pattern=first[0]).count() == 40
