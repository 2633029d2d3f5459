"""The perception gap: how often school logged contact in the last seven weeks, beside how
often the parent says they heard from school."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from partnership.contact.radar import Gap, gap_of, school_radar
from tests.factories import ChildFactory, FamilyLinkFactory
from tests.factories_contact import CheckInFactory, ContactEntryFactory

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 3, 11)


def ago(days: int) -> datetime.datetime:
    return datetime.datetime.combine(
        TODAY - datetime.timedelta(days=days), datetime.time(12), tzinfo=LONDON
    )


def family(school, name: str, *, logged: int, says: str = "", answered_days_ago: int = 3):
    child = ChildFactory(school=school, first_name=name)
    parent = FamilyLinkFactory(child=child).parent
    for n in range(logged):
        ContactEntryFactory(school=school, children=[child], happened_at=ago(n + 1))
    if says:
        CheckInFactory(
            parent=parent,
            school=school,
            week_of=TODAY - datetime.timedelta(days=answered_days_ago + 2),
            answered_at=ago(answered_days_ago),
            heard_from_school=says,
        )
    return child, parent


@pytest.mark.parametrize(
    ("logged", "band", "expected"),
    [
        (0, "0", Gap.SAME),
        (1, "0", Gap.FEWER),
        (2, "1-2", Gap.SAME),
        (3, "1-2", Gap.FEWER),
        (2, "3-5", Gap.MORE),
        (9, "6-9", Gap.SAME),
        (30, "10+", Gap.SAME),
        (9, "10+", Gap.MORE),
        (4, "", None),
    ],
)
def test_the_parents_band_is_compared_with_the_schools_count(logged, band, expected):
    assert gap_of(logged, band) == expected


def test_the_gap_family_by_family_and_in_aggregate(school):
    hears_less, _ = family(school, "HearsLess", logged=5, says="1-2")
    agrees, agrees_parent = family(school, "Agrees", logged=1, says="1-2")
    hears_more, _ = family(school, "HearsMore", logged=0, says="3-5")
    busy, _ = family(school, "Busy", logged=8, says="3-5")
    family(school, "Silent", logged=3)
    family(school, "LongAgo", logged=2, says="0", answered_days_ago=50)
    # Outside the seven weeks, or the family's own check-in reply: not school's contact.
    ContactEntryFactory(school=school, children=[hears_less], happened_at=ago(49))
    ContactEntryFactory(
        school=school,
        children=[hears_less],
        happened_at=ago(2),
        channel="check_in",
        started_by="parent",
    )
    # The parent's latest answer is the one that counts.
    CheckInFactory(
        parent=agrees_parent,
        school=school,
        week_of=TODAY - datetime.timedelta(days=30),
        answered_at=ago(28),
        heard_from_school="0",
    )

    gap = school_radar(school, today=TODAY).perception_gap

    by_child = {row.child: row for row in gap.rows}
    assert set(by_child) == {hears_less, agrees, hears_more, busy}
    assert [
        (by_child[c].logged_this_half_term, by_child[c].heard_from_school)
        for c in (
            hears_less,
            agrees,
            hears_more,
            busy,
        )
    ] == [(5, "1-2"), (1, "1-2"), (0, "3-5"), (8, "3-5")]
    assert [by_child[c].gap for c in (hears_less, agrees, hears_more, busy)] == [
        Gap.FEWER,
        Gap.SAME,
        Gap.MORE,
        Gap.FEWER,
    ]
    # Those hearing less than school logged come first, then by most contacts logged.
    assert [row.child for row in gap.rows] == [busy, hears_less, agrees, hears_more]
    assert gap.not_answered == 2
    assert gap.hearing_less_percent == 50
    assert gap.median_logged == 3  # of 0, 1, 5 and 8
    assert gap.median_band == "1-2"
    assert gap.median_band_label == "Once or twice"


def test_no_answers_means_no_figures(school):
    family(school, "Silent", logged=3)
    gap = school_radar(school, today=TODAY).perception_gap
    assert gap.rows == []
    assert gap.hearing_less_percent is None and gap.median_logged is None
    assert gap.not_answered == 1
