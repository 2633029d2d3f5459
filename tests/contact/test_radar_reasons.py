"""Families needing closer contact: each reason alone, then together, and the order the
SENDCo sees them in."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from partnership.contact.radar import Reason, school_radar
from partnership.plans.models import PlanCycle
from tests.factories import ChildFactory, FamilyLinkFactory
from tests.factories_contact import CheckInFactory, ContactEntryFactory, ContactPlanFactory
from tests.factories_plans import PlanCycleFactory
from tests.factories_praise import PraiseFactory

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 3, 11)  # a Wednesday
THIS_MONDAY = datetime.date(2026, 3, 9)


def ago(days: int) -> datetime.datetime:
    day = TODAY - datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=LONDON)


def contact(child, days_ago: int):
    return ContactEntryFactory(school=child.school, children=[child], happened_at=ago(days_ago))


def weeks_back(n: int) -> datetime.date:
    return THIS_MONDAY - datetime.timedelta(weeks=n)


def reasons(child, today=TODAY) -> list[Reason]:
    rows = school_radar(child.school, today=today).rows
    return next(r for r in rows if r.child == child).reasons


@pytest.fixture
def family(child):
    """A family on a weekly plan, in touch yesterday: nothing to worry about."""
    ContactPlanFactory(child=child, frequency="weekly")
    contact(child, 1)
    return FamilyLinkFactory(child=child).parent


def test_a_family_in_touch_as_agreed_needs_nothing_more(family, child):
    CheckInFactory(parent=family, school=child.school, week_of=weeks_back(0))
    CheckInFactory(
        parent=family, school=child.school, week_of=weeks_back(1), answered_at=ago(6), rating=4
    )
    assert reasons(child) == []
    assert school_radar(child.school, today=TODAY).closer_contact == []


def test_overdue_contact_is_a_reason(family, child):
    assert reasons(child, today=TODAY + datetime.timedelta(days=20)) == [Reason.OVERDUE]


def test_two_unanswered_check_ins_in_a_row_are_a_reason(family, child):
    CheckInFactory(parent=family, school=child.school, week_of=weeks_back(2), answered_at=ago(15))
    CheckInFactory(parent=family, school=child.school, week_of=weeks_back(1))
    assert reasons(child) == []  # one missed week is not a pattern
    CheckInFactory(parent=family, school=child.school, week_of=weeks_back(0))
    assert reasons(child) == [Reason.CHECKINS_UNANSWERED]
    assert Reason.CHECKINS_UNANSWERED.label == "Last two check-ins unanswered"


def test_a_check_in_answered_by_the_other_parent_answers_for_the_family(family, child):
    other = FamilyLinkFactory(child=child, relationship="father").parent
    for week in (0, 1):
        CheckInFactory(parent=family, school=child.school, week_of=weeks_back(week))
    CheckInFactory(parent=other, school=child.school, week_of=weeks_back(1), answered_at=ago(7))
    assert reasons(child) == []


def test_a_low_rating_in_the_last_three_weeks_is_a_reason(family, child):
    CheckInFactory(
        parent=family, school=child.school, week_of=weeks_back(3), answered_at=ago(22), rating=1
    )
    assert reasons(child) == []  # too long ago
    CheckInFactory(
        parent=family, school=child.school, week_of=weeks_back(1), answered_at=ago(8), rating=2
    )
    assert reasons(child) == [Reason.LOW_RATING]


def test_a_better_week_since_a_low_rating_clears_it(family, child):
    CheckInFactory(
        parent=family, school=child.school, week_of=weeks_back(1), answered_at=ago(8), rating=1
    )
    CheckInFactory(
        parent=family, school=child.school, week_of=weeks_back(0), answered_at=ago(1), rating=3
    )
    assert reasons(child) == []


def test_a_call_asked_for_is_a_reason_until_it_is_done(family, child):
    checkin = CheckInFactory(
        parent=family,
        school=child.school,
        week_of=THIS_MONDAY,
        answered_at=ago(1),
        rating=4,
        wants_call=True,
    )
    assert reasons(child) == [Reason.WANTS_CALL]
    checkin.call_done_at = ago(0)
    checkin.save()
    assert reasons(child) == []


def test_a_call_asked_for_at_another_school_is_not_this_schools(family, child, other_school):
    CheckInFactory(
        parent=family, school=other_school, week_of=THIS_MONDAY, answered_at=ago(1), wants_call=True
    )
    assert reasons(child) == []


def test_no_praise_in_two_weeks_is_a_reason_while_the_school_is_praising(family, child):
    zone = ZoneInfo(child.school.time_zone)
    days_ago = lambda n: datetime.datetime.combine(  # noqa: E731
        TODAY - datetime.timedelta(days=n), datetime.time(10, 0), tzinfo=zone
    )
    classmate = ChildFactory(school=child.school)
    PraiseFactory(child=classmate, given_at=days_ago(2))
    PraiseFactory(child=child, given_at=days_ago(20))
    assert reasons(child) == [Reason.NO_RECENT_PRAISE]
    PraiseFactory(child=child, given_at=days_ago(3))
    assert reasons(child) == []


def test_an_overdue_plan_review_is_a_reason(family, child):
    cycle = PlanCycleFactory(
        child=child, starts_on=TODAY - datetime.timedelta(days=90), review_on=TODAY
    )
    assert reasons(child) == []  # due today is not yet overdue
    cycle.review_on = TODAY - datetime.timedelta(days=1)
    cycle.save()
    assert reasons(child) == [Reason.REVIEW_OVERDUE]
    cycle.status = PlanCycle.Status.CLOSED
    cycle.save()
    assert reasons(child) == []


def test_every_reason_shows_together_in_words(child):
    parent = FamilyLinkFactory(child=child).parent
    for week in (0, 1):
        CheckInFactory(parent=parent, school=child.school, week_of=weeks_back(week))
    CheckInFactory(
        parent=parent,
        school=child.school,
        week_of=weeks_back(2),
        answered_at=ago(9),
        rating=1,
        wants_call=True,
    )
    PlanCycleFactory(child=child, starts_on=TODAY - datetime.timedelta(days=90), review_on=TODAY)
    PlanCycle.objects.update(review_on=TODAY - datetime.timedelta(days=3))
    # The school is praising (a classmate, this week); this child had none in two weeks.
    PraiseFactory(
        child=ChildFactory(school=child.school),
        given_at=datetime.datetime.combine(TODAY, datetime.time(9, 0), tzinfo=ZoneInfo("UTC")),
    )
    family_row = next(r for r in school_radar(child.school, today=TODAY).rows if r.child == child)
    assert family_row.reason_labels == [
        "Asked for a call",
        "Contact overdue",
        "Last two check-ins unanswered",
        "Low check-in rating (2 or less out of 5)",
        "No praise lately",
        "Plan review overdue",
    ]
    assert family_row.parents == [parent]


def test_callers_first_then_most_reasons_then_longest_without_contact(school):
    def child_with(name, *, contacted=None, call=False, review_overdue=False, frequency="weekly"):
        child = ChildFactory(school=school, first_name=name, last_name="Zed")
        ContactPlanFactory(child=child, frequency=frequency)
        if contacted is not None:
            contact(child, contacted)
        if call:
            parent = FamilyLinkFactory(child=child).parent
            CheckInFactory(
                parent=parent,
                school=school,
                week_of=THIS_MONDAY,
                answered_at=ago(1),
                wants_call=True,
            )
        if review_overdue:
            PlanCycleFactory(
                child=child,
                starts_on=TODAY - datetime.timedelta(days=90),
                review_on=TODAY - datetime.timedelta(days=1),
            )
        return child

    child_with("Fine", contacted=1)
    child_with("Caller", contacted=1, call=True)
    child_with("Late", contacted=30)
    child_with("Later", contacted=40)
    child_with("LateReview", contacted=12, review_overdue=True)
    child_with("Never", review_overdue=True)
    closer = school_radar(school, today=TODAY).closer_contact
    assert [r.child.first_name for r in closer] == [
        "Caller",
        "Never",
        "LateReview",
        "Later",
        "Late",
    ]
