"""Suppression: small numbers and what could be worked out from them never reach a
governor. Pure functions first, then a split and a whole summary."""

import datetime

import pytest

from partnership.coproduction.summary.figures import school_summary
from partnership.coproduction.summary.measures import figure
from partnership.coproduction.summary.shape import SUPPRESSED, Split, SplitRow
from partnership.coproduction.summary.suppression import (
    cells_to_hide,
    checked,
    checked_split,
    is_small,
)
from tests.factories import ChildFactory
from tests.factories_contact import ContactEntryFactory

from .summary_data import PERIOD, TODAY, at, build_small_school


def test_a_base_of_4_is_small_and_5_is_not():
    assert is_small(4)
    assert not is_small(5)
    assert is_small(0)


def test_a_figure_on_4_is_suppressed_base_and_all():
    shown = figure("x", "A share", 75.0, 4, unit="%")
    assert shown.suppressed
    assert shown.value is None
    assert shown.display == str(SUPPRESSED) == "fewer than 5"
    # The base would say as much as the value.
    assert shown.base == 0


def test_a_figure_on_5_is_shown():
    shown = figure("x", "A share", 80.0, 5, unit="%")
    assert (shown.suppressed, shown.value, shown.display, shown.base) == (False, 80.0, "80%", 5)


def test_medians_and_means_are_suppressed_on_a_small_base_too():
    assert figure("m", "Median", 1.5, 4).suppressed
    assert not figure("m", "Median", 1.5, 5).suppressed


def test_checked_leaves_a_suppressed_figure_alone():
    hidden = figure("x", "A share", 75.0, 4)
    assert checked(hidden) == hidden


def test_no_small_cell_hides_nothing():
    assert cells_to_hide([5, 9, 12]) == set()


def test_one_small_cell_takes_the_next_smallest_with_it():
    # Total 25 shown: 25 - 9 - 12 = 4 would give the hidden cell back.
    assert cells_to_hide([4, 9, 12]) == {0, 1}


def test_the_complement_is_the_next_smallest_whatever_its_place():
    assert cells_to_hide([12, 6, 3, 30]) == {1, 2}


def test_two_small_cells_that_add_up_to_five_are_enough():
    # Only their sum (5) can be worked out, and five is not a small number.
    assert cells_to_hide([2, 3, 20]) == {0, 1}


def test_two_small_cells_that_add_up_to_less_than_five_take_a_third():
    # 1 + 2 = 3 would still say "these two groups have three children between them".
    assert cells_to_hide([1, 2, 20, 8]) == {0, 1, 3}


def test_a_single_small_cell_alone_is_hidden():
    assert cells_to_hide([3]) == {0}


def test_when_every_cell_is_small_all_are_hidden():
    assert cells_to_hide([1, 1]) == {0, 1}


def test_ties_take_the_first_cell():
    assert cells_to_hide([2, 7, 7]) == {0, 1}


def _split(*bases: int) -> Split:
    rows = [
        SplitRow(group=f"Group {n}", figure=figure("c", "Count", base, base, decimals=0))
        for n, base in enumerate(bases)
    ]
    return Split("year_group", "Year group", "Count", rows)


def test_a_split_where_total_minus_the_others_would_reveal_a_cell():
    # Total 4 + 5 + 20 = 29. Hiding only the 4 leaves 29 - 5 - 20 = 4 to find.
    split = checked_split(_split(4, 5, 20))
    assert [row.figure.suppressed for row in split.rows] == [True, True, False]
    assert [row.figure.display for row in split.rows] == ["fewer than 5", "fewer than 5", "20"]


def test_a_split_with_a_cell_of_5_shows_everything():
    split = checked_split(_split(5, 6, 20))
    assert [row.figure.display for row in split.rows] == ["5", "6", "20"]


def test_a_scope_of_fewer_than_five_families_shows_nothing(school):
    for _n in range(4):
        child = ChildFactory(school=school)
        ContactEntryFactory(school=school, children=[child], happened_at=at(9, 10))
    summary = school_summary(school, PERIOD, today=TODAY)
    assert summary.families.suppressed
    for section in summary.sections:
        assert all(figure.suppressed for figure in section.figures), section.key
        assert all(not split.rows for split in section.splits)
        for trend in section.trends:
            assert all(point.figure.suppressed for point in trend.points)


@pytest.fixture
def twelve_families(school):
    """Year 3: 6 families with 2 contacts each; Year 4: 5 with 1; Year 5: 1 with 4."""
    for year, families, count in ((3, 6, 2), (4, 5, 1), (5, 1, 4)):
        for _n in range(families):
            child = ChildFactory(school=school, year_group=year)
            for n in range(count):
                ContactEntryFactory(
                    school=school,
                    children=[child],
                    happened_at=at(9, 10) + datetime.timedelta(days=n),
                )
    return school_summary(school, PERIOD, today=TODAY)


def test_a_year_group_of_one_hides_the_next_smallest_year_too(twelve_families):
    contact = twelve_families.sections[0]
    split = next(
        split
        for split in contact.splits
        if split.dimension == "year_group" and split.figure_label.endswith("(median)")
    )
    cells = {row.group: row.figure for row in split.rows}
    # Year 5 (1 family) is small; Year 4 (5) is the next smallest, hidden with it. Year 3
    # shows its median of 2 contacts in the one half-term.
    assert cells["Year 5"].suppressed and cells["Year 4"].suppressed
    assert (cells["Year 3"].value, cells["Year 3"].base) == (2.0, 6)
    # The whole school's median: 1 1 1 1 1 2 2 2 2 2 2 4: (2 + 2) / 2 = 2.
    median = next(f for f in contact.figures if f.key == "contact.median_per_half_term")
    assert (median.value, median.base) == (2.0, 12)


def test_splits_cover_every_dimension(twelve_families):
    contact = twelve_families.sections[0]
    dimensions = {split.dimension for split in contact.splits}
    assert dimensions == {"year_group", "primary_need", "send_status"}
    # Every family has SLCN and SEN support: one cell, the whole 12.
    by_need = next(
        split
        for split in contact.splits
        if split.dimension == "primary_need" and split.figure_label.endswith("(median)")
    )
    assert [(row.group, row.figure.base) for row in by_need.rows] == [
        ("Speech, language and communication needs", 12)
    ]


def test_small_hand_made_school_hides_status_cells(school):
    build_small_school(school)
    summary = school_summary(school, PERIOD, today=TODAY)
    praise = next(section for section in summary.sections if section.key == "praise")
    by_status = next(
        split
        for split in praise.splits
        if split.dimension == "send_status" and "per week" in split.figure_label
    )
    # EHC plan 2, SEN support 4: both small.
    assert [row.figure.display for row in by_status.rows] == ["fewer than 5"] * 2
