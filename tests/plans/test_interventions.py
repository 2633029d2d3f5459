"""The catalogue of interventions and a child's place on one: the rules the services keep
whoever calls them."""

import datetime

import pytest
from django.utils import timezone

from partnership.plans.models import Intervention
from partnership.plans.services.interventions import (
    InterventionRefused,
    intervention_create,
    intervention_update,
    placement_create,
    placement_share,
    placement_update,
)
from tests.factories import ChildFactory, MembershipFactory
from tests.factories_plans import InterventionFactory, PlacementFactory, TargetFactory


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def talk_boost(school):
    return InterventionFactory(
        school=school, name="Talk Boost", home_support_ideas="Play I spy on the way to school"
    )


def place(child, intervention, by, **fields):
    values = {
        "staff": None,
        "frequency": "Three times a week",
        "starts_on": days(0),
        "ends_on": days(70),
    }
    values.update(fields)
    return placement_create(child=child, intervention=intervention, by=by, **values)


def test_the_sendco_adds_and_changes_a_catalogue_entry(school, sendco):
    entry = intervention_create(
        school=school, name="  Maths catch-up ", description="Small group", by=sendco
    )
    assert (entry.name, entry.is_active) == ("Maths catch-up", True)
    intervention_update(
        intervention=entry,
        name="Maths catch-up",
        description="Small group, three times a week",
        home_support_ideas="Count the stairs together",
        is_active=False,
        by=sendco,
    )
    entry.refresh_from_db()
    assert entry.home_support_ideas == "Count the stairs together" and not entry.is_active


def test_two_entries_with_one_name_are_refused_but_another_school_may_use_it(
    school, other_school, sendco, talk_boost
):
    with pytest.raises(InterventionRefused, match="already has an intervention called"):
        intervention_create(school=school, name="Talk Boost", by=sendco)
    other = InterventionFactory(school=school, name="ELSA")
    with pytest.raises(InterventionRefused):
        intervention_update(
            intervention=other,
            name="Talk Boost",
            description="",
            home_support_ideas="",
            is_active=True,
            by=sendco,
        )
    assert intervention_create(school=other_school, name="Talk Boost", by=sendco)
    assert Intervention.objects.filter(name="Talk Boost").count() == 2


def test_a_child_is_placed_with_staff_and_their_own_targets_not_yet_shared(
    child, sendco, talk_boost
):
    ta = MembershipFactory(school=child.school, role="teaching_assistant")
    target = TargetFactory(cycle__child=child)
    placement = place(
        child, talk_boost, sendco, staff=ta, targets=[target], entry_measure="14 of 34"
    )
    assert placement.staff == ta and list(placement.targets.all()) == [target]
    assert placement.shared_at is None
    assert placement.home_ideas == "Play I spy on the way to school"  # the catalogue's


def test_a_placement_stays_inside_the_childs_school(child, other_school, sendco, talk_boost):
    elsewhere = InterventionFactory(school=other_school)
    with pytest.raises(InterventionRefused, match="your school's interventions"):
        place(child, elsewhere, sendco)
    outsider = MembershipFactory(school=other_school, role="teaching_assistant")
    with pytest.raises(InterventionRefused, match="member of staff"):
        place(child, talk_boost, sendco, staff=outsider)
    governor = MembershipFactory(school=child.school, role="governor")
    with pytest.raises(InterventionRefused, match="member of staff"):
        place(child, talk_boost, sendco, staff=governor)


def test_only_the_childs_own_targets_can_be_linked(child, school, sendco, talk_boost):
    brother = ChildFactory(school=school)
    their_target = TargetFactory(cycle__child=brother)
    with pytest.raises(InterventionRefused, match="own targets"):
        place(child, talk_boost, sendco, targets=[their_target])


def test_a_new_place_needs_an_intervention_offered_now_but_an_existing_one_keeps_it(
    child, sendco, talk_boost
):
    placement = place(child, talk_boost, sendco)
    talk_boost.is_active = False
    talk_boost.save()
    with pytest.raises(InterventionRefused, match="not offered now"):
        place(child, talk_boost, sendco)
    placement_update(
        placement=placement,
        intervention=talk_boost,
        staff=None,
        frequency="Twice a week",
        starts_on=days(0),
        ends_on=None,
        entry_measure="",
        exit_measure="12 of 34",
        targets=[],
        home_support="",
        by=sendco,
    )
    placement.refresh_from_db()
    assert (placement.frequency, placement.exit_measure) == ("Twice a week", "12 of 34")


def test_the_end_cannot_come_before_the_start(child, sendco, talk_boost):
    with pytest.raises(InterventionRefused, match="end date"):
        place(child, talk_boost, sendco, starts_on=days(10), ends_on=days(5))


def test_sharing_shows_the_family_and_keeps_the_first_date(child, sendco, talk_boost):
    placement = place(child, talk_boost, sendco)
    first = timezone.now() - datetime.timedelta(hours=1)
    placement_share(placement=placement, by=sendco, now=first)
    placement_share(placement=placement, by=sendco)
    placement.refresh_from_db()
    assert placement.shared_at == first


def test_sharing_without_any_idea_for_home_is_refused(child, sendco, school):
    silent = InterventionFactory(school=school, home_support_ideas="")
    placement = place(child, silent, sendco)
    with pytest.raises(InterventionRefused, match="support this at home"):
        placement_share(placement=placement, by=sendco)
    placement.refresh_from_db()
    assert placement.shared_at is None
    placement = placement_update(
        placement=placement,
        intervention=silent,
        staff=None,
        frequency="Daily",
        starts_on=days(0),
        ends_on=None,
        entry_measure="",
        exit_measure="",
        targets=[],
        home_support="Read the group's word list together",
        by=sendco,
    )
    assert placement_share(placement=placement, by=sendco).shared_at is not None


def test_a_shared_placement_cannot_lose_its_home_ideas(child, sendco, school):
    silent = InterventionFactory(school=school, home_support_ideas="")
    placement = PlacementFactory(child=child, intervention=silent, home_support="Count stairs")
    with pytest.raises(InterventionRefused, match="already see this"):
        placement_update(
            placement=placement,
            intervention=silent,
            staff=None,
            frequency="Daily",
            starts_on=days(0),
            ends_on=None,
            entry_measure="",
            exit_measure="",
            targets=[],
            home_support="",
            by=sendco,
        )
