"""The ratings trend, praise in the holidays, targets across plan cycles, and an empty
trust: the edges of the summary's figures."""

import datetime

from partnership.coproduction.summary.figures import school_summary, trust_summary
from partnership.schools.models import Trust
from tests.factories import ChildFactory, FamilyLinkFactory
from tests.factories_contact import CheckInFactory, ContactEntryFactory
from tests.factories_plans import PlanCycleFactory, TargetFactory
from tests.factories_praise import PraiseFactory

from .summary_data import PERIOD, TODAY, at, monday


def figures_of(summary) -> dict:
    return {f.key: f for section in summary.sections for f in section.figures}


def _parents(school, count: int) -> list:
    return [FamilyLinkFactory(child=ChildFactory(school=school)).parent for _n in range(count)]


def _rate(parent, school, week: datetime.date, rating: int) -> None:
    CheckInFactory(
        parent=parent,
        school=school,
        week_of=week,
        answered_at=datetime.datetime.combine(week, datetime.time(18), tzinfo=datetime.UTC),
        rating=rating,
    )


def test_the_ratings_trend_shows_weeks_with_five_answers_and_hides_their_complement(school):
    parents = _parents(school, 6)
    # Week of 28 September: 2 answers (1, 1). Week of 5 October: 6 answers, 4 4 4 4 4 5,
    # mean 25 / 6 = 4.17. Week of 12 October: 5 answers of 3, mean 3.0.
    for parent in parents[:2]:
        _rate(parent, school, monday(9, 28), 1)
    for n, parent in enumerate(parents):
        _rate(parent, school, monday(10, 5), 5 if n == 5 else 4)
    for parent in parents[:5]:
        _rate(parent, school, monday(10, 12), 3)
    summary = school_summary(school, PERIOD, today=TODAY)
    trend = summary.sections[2].trends[0]
    points = {point.label: point.figure for point in trend.points}
    assert points["Week of 5 Oct"].value == 4.2
    # 28 September (2) is hidden; the overall mean (on 13 answers) less 5 October's
    # would give it back with 12 October's, so 12 October (the next smallest) is hidden.
    assert points["Week of 28 Sep"].suppressed
    assert points["Week of 12 Oct"].suppressed
    # Overall: (2 + 25 + 15) / 13 = 3.23.
    assert figures_of(summary)["voice.mean_rating"].value == 3.2


def test_no_praise_in_the_holidays_misses_nobody(school):
    children = [ChildFactory(school=school) for _n in range(5)]
    # Everyone praised in September; nobody at all in the fortnight before 19 October.
    for child in children:
        PraiseFactory(child=child, given_at=at(9, 15))
    figures = figures_of(school_summary(school, PERIOD, today=TODAY))
    assert figures["praise.none_in_fortnight"].value is None
    assert figures["praise.none_in_fortnight"].display == "none yet"
    # 5 praise over 5 children and 7 weeks: 0.14 a week.
    assert figures["praise.per_child_per_week"].value == 0.14


def test_targets_count_in_a_cycle_closed_during_the_period_not_before(school):
    children = [ChildFactory(school=school) for _n in range(5)]
    # Each child: a cycle closed on 1 October (in the term) with one target agreed, and
    # a new cycle with one target not yet agreed. 10 shared, 5 agreed: 50%.
    for child in children:
        closed = PlanCycleFactory(
            child=child,
            starts_on=datetime.date(2026, 5, 1),
            review_on=datetime.date(2026, 9, 30),
            status="closed",
            closed_at=at(10, 1),
        )
        TargetFactory(cycle=closed, shared_at=at(5, 2), parent_agreed_on=datetime.date(2026, 5, 9))
        fresh = PlanCycleFactory(child=child, starts_on=datetime.date(2026, 10, 2))
        TargetFactory(cycle=fresh, shared_at=at(10, 3))
        # Shared after today: not yet counted.
        TargetFactory(cycle=fresh, shared_at=at(10, 22))
    agreed = figures_of(school_summary(school, PERIOD, today=TODAY))["voice.targets_agreed_share"]
    assert (agreed.value, agreed.base) == (50.0, 5)


def test_a_trust_with_no_schools_yet_shows_nothing(db):
    trust = Trust.objects.create(name="New Trust", slug="new")
    summary = trust_summary(trust, PERIOD, today=TODAY)
    assert (summary.schools, summary.families.suppressed) == (0, True)
    assert all(f.suppressed for section in summary.sections for f in section.figures)


def test_the_gap_reads_the_latest_answer_of_either_parent_at_the_childs_school(
    school, other_school
):
    children = [ChildFactory(school=school) for _n in range(5)]
    mum = FamilyLinkFactory(child=children[0]).parent
    dad = FamilyLinkFactory(child=children[0]).parent
    others = [FamilyLinkFactory(child=child).parent for child in children[1:]]
    for child in children:
        for n in range(3):
            ContactEntryFactory(school=school, children=[child], happened_at=at(9, 20 + n))
    # Dad said "more than once a week" on 9 October, mum "not at all" on 16 October: hers
    # is the latest. Dad's answer to another school on 18 October is not about this child.
    for parent, answered, heard, where in (
        (dad, 9, "10+", school),
        (mum, 16, "0", school),
        (dad, 18, "10+", other_school),
    ):
        CheckInFactory(
            parent=parent,
            school=where,
            week_of=monday(10, answered - 4),
            answered_at=at(10, answered),
            heard_from_school=heard,
        )
    for parent in others:
        CheckInFactory(
            parent=parent,
            school=school,
            week_of=monday(10, 12),
            answered_at=at(10, 16),
            heard_from_school="3-5",
        )
    figures = figures_of(school_summary(school, PERIOD, today=TODAY))
    # Child 1: "0" against 3 logged: fewer. The other four: "3-5" against 3: the same.
    assert figures["contact.gap_fewer_share"].value == 20.0
    assert figures["contact.gap_same_share"].value == 80.0
    assert figures["contact.gap_more_share"].value == 0.0
