"""A trust's summary is the union of its schools; the number of queries is fixed whatever
the amount of data or the number of schools; nothing in a summary names anyone."""

import dataclasses
import datetime
import json

import pytest

from partnership.accounts.models import User
from partnership.contact.models import CheckIn, ContactEntry
from partnership.coproduction.models import Consultation, SupportRequest
from partnership.coproduction.summary.figures import school_summary, trust_summary
from partnership.coproduction.summary.shape import period_by_key
from partnership.coproduction.summary.store import summary_to_json
from partnership.plans.models import HomeObservation, Target
from partnership.praise.models import Praise
from partnership.schools.models import Child, Trust
from tests.factories import ChildFactory, SchoolFactory
from tests.factories_contact import ContactEntryFactory

from .summary_data import PERIOD, TODAY, at, build_small_school

# Queries for one summary: children, their latest perception-gap answers, and grouped by
# child contacts, praise, home observations, check-ins by family, targets; then group
# sessions by topic with their places, one-to-one bookings, check-ins by week,
# consultations, support requests by topic.
SCHOOL_QUERIES = 12
# The same, and the trust's schools listed once.
TRUST_QUERIES = SCHOOL_QUERIES + 1


def figures_of(summary) -> dict:
    return {f.key: f for section in summary.sections for f in section.figures}


@pytest.fixture
def trust(db):
    return Trust.objects.create(name="Oak Learning Trust", slug="oak")


def _families_with_contacts(school, counts):
    for count in counts:
        child = ChildFactory(school=school)
        for n in range(count):
            ContactEntryFactory(
                school=school,
                children=[child],
                happened_at=at(9, 10) + datetime.timedelta(days=n),
            )


def test_a_trust_counts_its_schools_together(trust, school, other_school):
    second = SchoolFactory(trust=trust)
    school.trust = trust
    school.save()
    _families_with_contacts(school, [1, 2, 3])
    _families_with_contacts(second, [0, 4, 5])
    # Not the trust's: 5 families with 10 contacts each.
    _families_with_contacts(other_school, [10] * 5)

    # Three families each: each school alone shows nothing.
    assert school_summary(school, PERIOD, today=TODAY).families.suppressed
    summary = trust_summary(trust, PERIOD, today=TODAY)
    assert (summary.scope, summary.schools, summary.families.value) == ("Oak Learning Trust", 2, 6)
    # 0 1 2 3 4 5 contacts in one half-term: median (2 + 3) / 2 = 2.5.
    assert figures_of(summary)["contact.median_per_half_term"].value == 2.5


def test_a_trust_of_two_copies_of_a_school_doubles_counts_and_keeps_shares(
    trust, school, other_school
):
    for each in (school, other_school):
        each.trust = trust
        each.save()
        build_small_school(each)
    one = figures_of(school_summary(school, PERIOD, today=TODAY))
    both = figures_of(trust_summary(trust, PERIOD, today=TODAY))
    for key in (
        "contact.median_per_half_term",
        "contact.on_plan_share",
        "contact.gap_fewer_share",
        "voice.checkin_response_rate",
        "praise.per_child_per_week",
        "coproduction.response_rate",
    ):
        assert both[key].value == one[key].value, key
    for key in (
        "meetings.one_to_one",
        "meetings.sessions_held",
        "coproduction.consultations_opened",
        "coproduction.support_requested",
        "praise.none_in_fortnight",
    ):
        assert both[key].value == 2 * one[key].value, key


def test_a_school_in_another_time_zone_keeps_its_own_dates(trust, school):
    school.trust = trust
    school.save()
    far = SchoolFactory(trust=trust, time_zone="America/New_York")
    # 02:00 on 1 September in London is still 31 August in New York: before the term.
    early = datetime.datetime(2026, 9, 1, 2, tzinfo=datetime.UTC) - datetime.timedelta(hours=1)
    for each in (school, far):
        for _n in range(5):
            ContactEntryFactory(
                school=each, children=[ChildFactory(school=each)], happened_at=early
            )
    summary = trust_summary(trust, PERIOD, today=TODAY)
    # London's five families were contacted in the term, New York's were not: 5 of 10.
    assert figures_of(summary)["contact.three_a_year_share"].value == 50.0


def _build(school, copies: int) -> None:
    for _n in range(copies):
        build_small_school(school)


@pytest.mark.parametrize("copies", [1, 10])
def test_a_school_summary_takes_a_fixed_number_of_queries(
    school, copies, django_assert_num_queries
):
    _build(school, copies)
    with django_assert_num_queries(SCHOOL_QUERIES):
        summary = school_summary(school, PERIOD, today=TODAY)
    assert summary.families.value == 6 * copies


@pytest.mark.parametrize("copies", [1, 10])
def test_a_trust_summary_takes_a_fixed_number_of_queries(trust, copies, django_assert_num_queries):
    # One school at 1x; three schools at 10x (4 + 3 + 3 copies of the small school).
    schools = [SchoolFactory(trust=trust) for _n in range(1 if copies == 1 else 3)]
    for index, each in enumerate(schools):
        _build(each, copies if len(schools) == 1 else (4 if index == 0 else 3))
    with django_assert_num_queries(TRUST_QUERIES):
        summary = trust_summary(trust, PERIOD, today=TODAY)
    assert summary.families.value == 6 * copies


def test_a_whole_school_year_has_six_half_terms_in_its_trend(school):
    build_small_school(school)
    year = period_by_key("2026-27", TODAY)
    summary = school_summary(school, year, today=TODAY)
    voice = next(section for section in summary.sections if section.key == "voice")
    # The autumn term (122 days) is cut at its 61st day, 1 November: on 19 October only
    # the first half-term has begun.
    assert [point.label for point in voice.trends[0].points] == ["Autumn 1"]
    later = school_summary(school, year, today=datetime.date(2027, 2, 1))
    labels = [point.label for point in later.sections[2].trends[0].points]
    assert labels == ["Autumn 1", "Autumn 2", "Spring 1"]
    # A school year asks six SENDCo meetings: nobody has six yet.
    six = figures_of(summary)["meetings.six_a_year_share"]
    assert six.value == 0.0 and "6" in six.label


SECRETS = (
    "Zebedee",
    "Quattlebaum",
    "Marigold",
    "Featherstonehaugh",
    "bit another child",
    "divorce",
    "Moving the reading group",
    "we changed nothing secret",
    "sleeps badly",
    "Helped a friend",
    "2016-05-04",
    "2016, 5, 4",
    "@example.test",
)


def test_nothing_in_a_summary_names_anyone_or_carries_their_words(school):
    build_small_school(school)
    Child.objects.update(first_name="Zebedee", last_name="Quattlebaum")
    User.objects.update(full_name="Marigold Featherstonehaugh")
    ContactEntry.objects.update(summary="Zebedee bit another child at lunch")
    CheckIn.objects.update(message="We are going through a divorce")
    HomeObservation.objects.update(text="Zebedee sleeps badly")
    Target.objects.update(outcome="Zebedee Quattlebaum stops hitting")
    SupportRequest.objects.update(note="Marigold needs help with the divorce")
    Consultation.objects.update(
        you_said="Marigold said no", we_did="we changed nothing secret", not_changed="divorce"
    )
    Praise.objects.update(note="Helped a friend")
    trust = Trust.objects.create(name="Oak Learning Trust", slug="oak")
    school.trust = trust
    school.save()
    for summary in (
        school_summary(school, PERIOD, today=TODAY),
        trust_summary(trust, PERIOD, today=TODAY),
    ):
        text = repr(summary)
        # What the snapshot table keeps must be as clean as what the page shows.
        stored = json.dumps(summary_to_json(summary), ensure_ascii=False)
        for secret in SECRETS:
            assert secret not in text
            assert secret not in stored
        _assert_only_aggregates(summary)


def _assert_only_aggregates(value) -> None:
    """No field of the summary is an id, a model or a child: only words, numbers, dates
    and the summary's own shapes all the way down."""
    if dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            assert field.name not in ("id", "pk") and not field.name.endswith("_id")
            _assert_only_aggregates(getattr(value, field.name))
    elif isinstance(value, list | tuple):
        for item in value:
            _assert_only_aggregates(item)
    else:
        assert value is None or isinstance(
            value, str | int | float | datetime.date | datetime.datetime
        ), type(value)
