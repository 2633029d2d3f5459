"""The contact radar flags children with no praise in the last two weeks (P8)."""

import datetime
from zoneinfo import ZoneInfo

from partnership.contact.radar import Reason, no_recent_praise, school_radar
from partnership.praise.selectors_school import children_without_praise, unpraised_since
from tests.factories import ChildFactory
from tests.factories_praise import PraiseFactory

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 3, 11)


def ago(days: int, hour: int = 12) -> datetime.datetime:
    day = TODAY - datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def test_praise_13_days_ago_counts_and_15_days_ago_does_not(school, other_school):
    praised = ChildFactory(school=school)
    edge = ChildFactory(school=school)
    lapsed = ChildFactory(school=school)
    never = ChildFactory(school=school)
    elsewhere = ChildFactory(school=other_school)
    PraiseFactory(child=praised, given_at=ago(13))
    PraiseFactory(child=edge, given_at=ago(14, 0) + datetime.timedelta(minutes=1))
    PraiseFactory(child=lapsed, given_at=ago(15))
    assert no_recent_praise(school=school, today=TODAY) == {lapsed.pk, never.pk}
    assert elsewhere.pk not in children_without_praise(
        school=school, since=unpraised_since(school, TODAY)
    )


def test_the_radar_hook_reads_the_whole_school_in_one_query(school, django_assert_num_queries):
    children = ChildFactory.create_batch(20, school=school)
    for child in children[:15]:
        PraiseFactory.create_batch(3, child=child, given_at=ago(2))
    with django_assert_num_queries(1):
        flagged = no_recent_praise(school=school, today=TODAY)
    assert flagged == {child.pk for child in children[15:]}


def test_the_radar_shows_no_praise_lately_as_a_reason(school):
    missed = ChildFactory(school=school)
    praised = ChildFactory(school=school)
    PraiseFactory(child=praised, given_at=ago(3))
    rows = {row.child.pk: row for row in school_radar(school, today=TODAY).rows}
    assert Reason.NO_RECENT_PRAISE in rows[missed.pk].reasons
    assert Reason.NO_RECENT_PRAISE not in rows[praised.pk].reasons
    assert "No praise lately" in rows[missed.pk].reason_labels


def test_a_school_giving_no_praise_at_all_flags_nobody(school):
    # Not started yet, or the holidays: that says nothing about one child being missed.
    ChildFactory.create_batch(3, school=school)
    assert no_recent_praise(school=school, today=TODAY) == set()
    PraiseFactory(child=ChildFactory(school=school), given_at=ago(20))
    assert no_recent_praise(school=school, today=TODAY) == set()
    # The selector itself still answers the plain question for the praise page.
    assert len(children_without_praise(school=school, since=unpraised_since(school, TODAY))) == 4
