"""Each figure of the governors' summary on a small hand-made school (summary_data.py),
against the numbers worked out by hand. Six families: enough that the whole-school
figures show, too few for any split cell to (every group has fewer than five)."""

import pytest

from partnership.coproduction.summary.figures import school_summary

from .summary_data import PERIOD, TODAY, build_small_school


@pytest.fixture
def summary(school):
    build_small_school(school)
    return school_summary(school, PERIOD, today=TODAY)


def figures_of(summary) -> dict:
    return {figure.key: figure for section in summary.sections for figure in section.figures}


def value(summary, key):
    return figures_of(summary)[key].value


def test_the_period_so_far_is_one_half_term():
    so_far = PERIOD.clipped_to(TODAY)
    # 1 September to 19 October inclusive: 30 + 19 = 49 days, 7 weeks.
    assert (so_far.days, so_far.weeks) == (49, 7)


def test_sections_and_families(summary):
    assert [section.key for section in summary.sections] == [
        "contact",
        "meetings",
        "voice",
        "praise",
        "coproduction",
    ]
    assert summary.families.value == 6
    assert summary.scope == "Riverside"
    assert summary.schools == 1


def test_contact(summary):
    # Contacts per child A-F: 7, 3, 1, 2, 0, 0 over one half-term; sorted 0 0 1 2 3 7, so
    # the median is (1 + 2) / 2 = 1.5.
    assert value(summary, "contact.median_per_half_term") == 1.5
    assert figures_of(summary)["contact.median_per_half_term"].display == "1.5"
    # Three a year pro rata: 3 x 49 / 365 = 0.40, so one contact: A B C D = 4 of 6.
    assert value(summary, "contact.three_a_year_share") == 66.7
    # Own plan: A weekly needs 7 (has 7), B fortnightly 3 (3), C half-termly 1 (1), D
    # fortnightly 3 (2), E weekly 7 (0), F fortnightly 3 (0): A B C = 3 of 6.
    assert value(summary, "contact.on_plan_share") == 50.0
    assert figures_of(summary)["contact.on_plan_share"].display == "50%"


def test_perception_gap(summary):
    # Latest answers, against contacts logged in the 49 days before them:
    # A "3-5" vs 7: fewer; B "3-5" vs 3: same; C "0" vs 1: fewer; D "6-9" vs 2: more;
    # E "1-2" (its later answer, not the earlier "0") vs 0: more. F never answered.
    # 5 answering: fewer 2/5, same 1/5, more 2/5.
    assert value(summary, "contact.gap_fewer_share") == 40.0
    assert value(summary, "contact.gap_same_share") == 20.0
    assert value(summary, "contact.gap_more_share") == 40.0
    assert figures_of(summary)["contact.gap_fewer_share"].base == 5


def test_meetings(summary):
    # A term asks two SENDCo meetings: A has 2, B 1, the rest 0: 1 of 6.
    six = figures_of(summary)["meetings.six_a_year_share"]
    assert six.value == 16.7
    assert "2" in six.label
    # Held one-to-one with a SENDCo: 5 (the missed one and the teacher's do not count).
    assert value(summary, "meetings.one_to_one") == 5
    # One session held (the cancelled one and the one on 30 October are not), 6 places
    # confirmed, 5 attended: 83.3%.
    assert value(summary, "meetings.sessions_held") == 1
    assert value(summary, "meetings.group_attended") == 5
    assert value(summary, "meetings.attendance_rate") == 83.3


def test_voice(summary):
    # 12 check-ins sent (2 to each of 6 parents; August's is outside), 7 answered:
    # A 2, B 1, C 1, D 1, E 2. 7 / 12 = 58.3%.
    assert value(summary, "voice.checkin_response_rate") == 58.3
    assert value(summary, "voice.checkin_response_rate_by_family") == 58.3
    # Ratings 4 5 3 2 4 1: 19 / 6 = 3.17, shown to one place.
    assert value(summary, "voice.mean_rating") == 3.2
    # Home observations: A 2 + B 1 (C's withdrawn) = 3 over 6 families.
    assert value(summary, "voice.observations_per_family") == 0.5
    # Targets shared in cycles open in the period: A 2, B 1, D 1, E 1, F 1 = 6, agreed
    # A 1, B 1, E 1 = 3: 50%, built on 5 families.
    agreed = figures_of(summary)["voice.targets_agreed_share"]
    assert (agreed.value, agreed.base) == (50.0, 5)


def test_ratings_trend_per_week_of_a_term(summary):
    trend = next(section for section in summary.sections if section.key == "voice").trends[0]
    # Weeks of 31 August to 19 October: eight points.
    assert [point.label for point in trend.points][:2] == ["Week of 31 Aug", "Week of 7 Sep"]
    assert len(trend.points) == 8
    # No week had five ratings (5 October: 2, 12 October: 4): every point hidden.
    assert all(point.figure.suppressed for point in trend.points)


def test_praise(summary):
    # 7 + 7 + 0 + 14 + 0 + 0 = 28 praise over 6 children and 7 weeks: 28 / 42 = 0.67.
    assert value(summary, "praise.per_child_per_week") == 0.67
    # Praised from 6 October on: A (10 Oct) and D (15 Oct); B, C, E, F not: 4, 66.7%.
    assert value(summary, "praise.none_in_fortnight") == 4
    assert value(summary, "praise.none_in_fortnight_share") == 66.7


def test_coproduction(summary):
    figures = figures_of(summary)
    # Opened in the period: the published one (10 Sep) and the closed one (1 Oct).
    assert figures["coproduction.consultations_opened"].value == 2
    # (4 + 2) answered of (6 + 4) invited: 60%.
    assert figures["coproduction.response_rate"].value == 60.0
    assert figures["coproduction.outcomes_published"].display == "1 of 2"
    # Requests made in the period: 5 behaviour + 2 wellbeing (August's not counted).
    assert figures["coproduction.support_requested"].value == 7
    # Sessions planned in the term, not cancelled: 20 September and 30 October.
    assert figures["coproduction.sessions_offered"].value == 2


def test_support_by_topic_hides_the_small_cell_and_its_complement(summary):
    section = next(section for section in summary.sections if section.key == "coproduction")
    requested, offered = section.splits
    cells = {row.group: row.figure for row in requested.rows}
    # Wellbeing (2) is small; with the total of 7 shown, behaviour (5) would give it
    # away, so it is hidden too.
    assert cells["Wellbeing"].suppressed and cells["Managing behaviour"].suppressed
    assert {row.group: row.figure.value for row in offered.rows} == {
        "Autism": 1,
        "Managing behaviour": 1,
    }


def test_every_split_cell_here_is_too_small(summary):
    contact = summary.sections[0]
    by_year = next(
        split
        for split in contact.splits
        if split.dimension == "year_group" and "median" in split.figure_label
    )
    # Years 3, 4 and 5 have two families each.
    assert [row.group for row in by_year.rows] == ["Year 3", "Year 4", "Year 5"]
    assert all(row.figure.suppressed and row.figure.value is None for row in by_year.rows)
    assert all(row.figure.display == "fewer than 5" for row in by_year.rows)
