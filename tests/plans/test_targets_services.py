"""Writing targets and reviews: the rules of the plan, whoever calls."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from partnership.plans.models import PlanCycle, ProgressReview, Target
from partnership.plans.services.targets import (
    PlanRefused,
    review_add,
    target_create,
    target_record_agreement,
    target_share,
    target_update,
)
from tests.factories import ChildFactory, FamilyLinkFactory
from tests.factories_plans import HomeObservationFactory, PlanCycleFactory, TargetFactory

TODAY = timezone.localdate


@pytest.fixture
def cycle(child):
    return PlanCycleFactory(child=child)


def new_target(cycle, by, **overrides):
    fields = {
        "outcome": "Asks for help with a sign or a word",
        "area_of_need": "SLCN",
        "baseline": "Waits silently when stuck",
        "success_criteria": "Asks for help three times in a week",
        "how_to_help_at_home": "Leave a favourite toy just out of reach and wait",
    }
    return target_create(cycle=cycle, by=by, **{**fields, **overrides})


def test_a_new_target_belongs_to_the_childs_plan_and_is_not_yet_shared(cycle, sendco):
    target = new_target(cycle, sendco)
    target.refresh_from_db()
    assert target.cycle == cycle and target.child == cycle.child
    assert target.outcome == "Asks for help with a sign or a word"
    assert target.created_by == sendco
    assert target.shared_at is None and target.family_notified_at is None


def test_a_target_can_start_from_what_the_family_saw_at_home(cycle, sendco, parent):
    observation = HomeObservationFactory(child=cycle.child, author=parent)
    target = new_target(cycle, sendco, baseline=observation.text, baseline_observation=observation)
    assert Target.objects.get(pk=target.pk).baseline_observation == observation


def test_an_observation_about_another_child_cannot_be_a_baseline(cycle, sendco, school):
    elsewhere = HomeObservationFactory(child=ChildFactory(school=school))
    with pytest.raises(ValueError):
        new_target(cycle, sendco, baseline_observation=elsewhere)
    assert not Target.objects.exists()


def test_no_target_is_added_to_a_reviewed_plan(cycle, sendco):
    PlanCycle.objects.filter(pk=cycle.pk).update(status=PlanCycle.Status.CLOSED)
    cycle.refresh_from_db()
    with pytest.raises(PlanRefused, match="reviewed and closed"):
        new_target(cycle, sendco)


def test_editing_a_target_changes_what_it_says(cycle, sendco):
    target = new_target(cycle, sendco)
    target_update(target=target, by=sendco, outcome="Asks for help with words", baseline="Points")
    target.refresh_from_db()
    assert (target.outcome, target.baseline) == ("Asks for help with words", "Points")
    assert target.success_criteria == "Asks for help three times in a week"


def test_editing_cannot_share_or_agree_a_target(cycle, sendco):
    target = new_target(cycle, sendco)
    with pytest.raises(ValueError):
        target_update(target=target, by=sendco, shared_at=timezone.now())


def test_a_shared_target_keeps_its_home_ideas(cycle, sendco):
    target = TargetFactory(cycle=cycle)
    with pytest.raises(PlanRefused, match="how to help at home"):
        target_update(target=target, by=sendco, how_to_help_at_home="  ")
    target.refresh_from_db()
    assert target.how_to_help_at_home


def test_sharing_without_home_ideas_is_refused(cycle, sendco):
    target = new_target(cycle, sendco, how_to_help_at_home="")
    with pytest.raises(PlanRefused, match="how to help at home"):
        target_share(target=target, by=sendco)
    target.refresh_from_db()
    assert target.shared_at is None


def test_the_database_also_refuses_a_shared_target_without_home_ideas(cycle, sendco):
    target = new_target(cycle, sendco, how_to_help_at_home="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.filter(pk=target.pk).update(shared_at=timezone.now())


def test_sharing_shows_the_target_and_leaves_the_email_to_the_batch(cycle, sendco):
    target = new_target(cycle, sendco)
    target_share(target=target, by=sendco)
    target.refresh_from_db()
    assert target.shared_at is not None
    assert target.family_notified_at is None  # the batched family email picks it up


def test_sharing_twice_keeps_the_first_date(cycle, sendco):
    target = new_target(cycle, sendco)
    first = target_share(target=target, by=sendco).shared_at
    assert target_share(target=target, by=sendco).shared_at == first


def test_a_linked_parent_agreement_is_recorded_with_its_date(cycle, sendco, parent):
    target = new_target(cycle, sendco)
    agreed_on = TODAY() - datetime.timedelta(days=2)
    target_record_agreement(target=target, parent=parent, agreed_on=agreed_on)
    target.refresh_from_db()
    assert (target.parent_agreed_by, target.parent_agreed_on) == (parent, agreed_on)


def test_a_parent_of_another_child_cannot_agree_the_target(cycle, sendco, school):
    stranger = FamilyLinkFactory(child=ChildFactory(school=school)).parent
    target = new_target(cycle, sendco)
    with pytest.raises(PlanRefused, match="linked to the child"):
        target_record_agreement(target=target, parent=stranger, agreed_on=TODAY())
    target.refresh_from_db()
    assert target.parent_agreed_by is None and target.parent_agreed_on is None


def test_an_agreement_cannot_be_dated_in_the_future(cycle, sendco, parent):
    target = new_target(cycle, sendco)
    with pytest.raises(PlanRefused, match="future"):
        target_record_agreement(
            target=target, parent=parent, agreed_on=TODAY() + datetime.timedelta(days=1)
        )


def test_a_progress_review_is_dated_rated_and_signed(cycle, sendco):
    target = TargetFactory(cycle=cycle)
    on = TODAY() - datetime.timedelta(days=7)
    review = review_add(target=target, rating=4, comment="Asked twice", reviewed_on=on, by=sendco)
    review = ProgressReview.objects.get(pk=review.pk)
    assert (review.target, review.rating, review.reviewed_on) == (target, 4, on)
    assert review.comment == "Asked twice" and review.author == sendco
    assert review.family_notified_at is None  # the batched family email picks it up


def test_a_review_cannot_be_dated_in_the_future(cycle, sendco):
    target = TargetFactory(cycle=cycle)
    with pytest.raises(PlanRefused, match="future"):
        review_add(
            target=target,
            rating=3,
            comment="Later",
            reviewed_on=TODAY() + datetime.timedelta(days=1),
            by=sendco,
        )
    assert not ProgressReview.objects.exists()
