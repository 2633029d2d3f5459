"""The contact radar: each family on track, due or overdue against its plan, and its
SENDCo meetings this school year."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from partnership.contact.models import DEFAULT_FREQUENCY, FREQUENCY_DAYS
from partnership.contact.radar import Reason, Status, school_radar
from tests.factories import ChildFactory
from tests.factories_contact import ContactEntryFactory, ContactPlanFactory

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 3, 11)  # a Wednesday


def at(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def ago(days: int, hour: int = 12) -> datetime.datetime:
    return at(TODAY - datetime.timedelta(days=days), hour)


def contact(child, days_ago: int, **fields):
    return ContactEntryFactory(
        school=child.school, children=[child], happened_at=ago(days_ago), **fields
    )


def row(child, today=TODAY):
    rows = school_radar(child.school, today=today).rows
    return next(r for r in rows if r.child == child)


CADENCE = [
    ("daily", 0, Status.ON_TRACK),
    ("daily", 1, Status.DUE),
    ("daily", 2, Status.OVERDUE),
    ("weekly", 6, Status.ON_TRACK),
    ("weekly", 7, Status.DUE),
    ("weekly", 10, Status.DUE),
    ("weekly", 11, Status.OVERDUE),
    ("fortnightly", 13, Status.ON_TRACK),
    ("fortnightly", 14, Status.DUE),
    ("fortnightly", 21, Status.DUE),
    ("fortnightly", 22, Status.OVERDUE),
    ("half_termly", 48, Status.ON_TRACK),
    ("half_termly", 49, Status.DUE),
    ("half_termly", 73, Status.DUE),
    ("half_termly", 74, Status.OVERDUE),
]


@pytest.mark.parametrize(("frequency", "days", "expected"), CADENCE)
def test_each_plan_is_on_track_then_due_then_overdue(child, frequency, days, expected):
    ContactPlanFactory(child=child, frequency=frequency)
    contact(child, days + 30)  # an older contact does not count
    contact(child, days)
    family_row = row(child)
    assert family_row.status == expected
    assert family_row.days_since == days
    assert family_row.last_contact == TODAY - datetime.timedelta(days=days)


@pytest.mark.parametrize("frequency", ["daily", "weekly", "fortnightly", "half_termly"])
def test_a_family_never_contacted_is_overdue(child, frequency):
    ContactPlanFactory(child=child, frequency=frequency)
    family_row = row(child)
    assert family_row.status == Status.OVERDUE
    assert family_row.last_contact is None
    assert family_row.reasons == [Reason.OVERDUE]


def test_a_contact_late_in_the_evening_counts_on_the_schools_own_date(child):
    # 23:30 in London on a summer evening is already the next day in UTC.
    ContactPlanFactory(child=child, frequency="daily")
    summer = datetime.date(2026, 6, 10)
    ContactEntryFactory(school=child.school, children=[child], happened_at=at(summer, 23, 30))
    assert row(child, today=summer).status == Status.ON_TRACK
    assert row(child, today=summer).last_contact == summer


def test_a_contact_after_the_day_asked_about_is_not_counted(child):
    contact(child, -3)
    assert row(child).last_contact is None


def test_a_check_in_answer_does_not_count_as_school_getting_in_touch(child):
    contact(child, 2, channel="check_in", started_by="parent")
    assert row(child).status == Status.OVERDUE
    contact(child, 3)  # a phone call from school
    assert row(child).status == Status.ON_TRACK


def test_without_a_plan_a_family_follows_the_default(child):
    contact(child, 14)
    family_row = row(child)
    assert family_row.frequency == DEFAULT_FREQUENCY
    assert family_row.sendco_meetings_target == 6
    assert family_row.status == Status.DUE


def test_secondary_age_children_get_no_lower_default_than_primary(school):
    primary = ChildFactory(school=school, year_group=3)
    secondary = ChildFactory(school=school, year_group=9)
    for child in (primary, secondary):
        contact(child, FREQUENCY_DAYS[DEFAULT_FREQUENCY])
    rows = {r.child: r for r in school_radar(school, today=TODAY).rows}
    assert secondary.is_secondary_age and not primary.is_secondary_age
    assert FREQUENCY_DAYS[rows[secondary].frequency] <= FREQUENCY_DAYS[rows[primary].frequency]
    assert rows[secondary].status == rows[primary].status == Status.DUE


def test_another_schools_families_are_not_on_the_radar(school, other_school, child):
    ChildFactory(school=other_school)
    assert [r.child for r in school_radar(school, today=TODAY).rows] == [child]


# SENDCo meetings this school year, from the latest 1 September.


def meeting(child, when, **fields):
    fields.setdefault("is_sendco_meeting", True)
    ContactEntryFactory(
        school=child.school, children=[child], happened_at=when, channel="meeting", **fields
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 8, 31), 2),  # the year that began on 1 September 2025
        (datetime.date(2026, 9, 1), 1),  # a new school year starts the count again
        (datetime.date(2026, 10, 20), 2),
    ],
)
def test_sendco_meetings_count_from_the_first_of_september(child, today, expected):
    meeting(child, at(datetime.date(2025, 8, 31)))  # the year before
    meeting(child, at(datetime.date(2025, 9, 1), 9))
    meeting(child, at(datetime.date(2026, 8, 31), 16))
    meeting(child, at(datetime.date(2026, 9, 1), 0, 30))
    meeting(child, at(datetime.date(2026, 10, 2)))
    meeting(child, at(datetime.date(2026, 10, 3)), is_sendco_meeting=False)  # a class teacher
    assert row(child, today=today).sendco_meetings == expected


def test_sendco_meetings_are_counted_against_the_plans_target(child):
    ContactPlanFactory(child=child, sendco_meetings_target=9)
    meeting(child, ago(10))
    family_row = row(child)
    assert (family_row.sendco_meetings, family_row.sendco_meetings_target) == (1, 9)


def test_the_radar_counts_families_by_status(school):
    for days, name in ((1, "A"), (2, "B"), (8, "C"), (30, "D")):
        child = ChildFactory(school=school, first_name=name)
        ContactPlanFactory(child=child, frequency="weekly")
        contact(child, days)
    ChildFactory(school=school)  # never contacted
    counts = school_radar(school, today=TODAY).counts
    assert counts == {"on_track": 2, "due": 1, "overdue": 2}
