"""Plan cycles: one current plan per child, and the review that closes it and carries
targets into the next without retyping."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.utils import timezone

from partnership.plans.models import Outcome, PlanCycle, Target
from partnership.plans.services.targets import PlanRefused, cycle_close, cycle_open
from tests.conftest import staff_member
from tests.factories import AssignmentFactory
from tests.factories_plans import (
    HomeObservationFactory,
    PlanCycleFactory,
    ProgressReviewFactory,
    TargetFactory,
)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def cycle(child):
    return PlanCycleFactory(child=child, starts_on=days(-90), review_on=days(0))


@pytest.fixture
def three_targets(cycle, parent):
    observation = HomeObservationFactory(child=cycle.child, author=parent)
    return [
        TargetFactory(cycle=cycle, outcome="Reads ten tricky words"),
        TargetFactory(
            cycle=cycle,
            outcome="Takes turns in a game of four",
            area_of_need="SEMH",
            baseline="Waits for one turn",
            success_criteria="Waits three turns unprompted",
            how_to_help_at_home="Play snap after tea",
            baseline_observation=observation,
            parent_agreed_by=parent,
            parent_agreed_on=days(-80),
        ),
        TargetFactory(cycle=cycle, outcome="Writes a sentence with a capital letter"),
    ]


def test_opening_a_plan_for_a_child(child, sendco):
    cycle = cycle_open(child=child, starts_on=days(0), review_on=days(84), by=sendco)
    assert cycle.status == PlanCycle.Status.OPEN
    assert (cycle.child, cycle.review_on, cycle.created_by) == (child, days(84), sendco)


def test_a_second_current_plan_is_refused_with_a_clear_message(cycle, sendco):
    with pytest.raises(PlanRefused, match="already has a current plan"):
        cycle_open(child=cycle.child, starts_on=days(0), review_on=days(84), by=sendco)
    assert PlanCycle.objects.filter(child=cycle.child).count() == 1


def test_the_database_also_allows_one_current_plan_per_child(cycle):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanCycle.objects.create(child=cycle.child, starts_on=days(0), review_on=days(84))


def test_a_review_date_before_the_start_is_refused(child, sendco):
    with pytest.raises(PlanRefused, match="on or after the start"):
        cycle_open(child=child, starts_on=days(10), review_on=days(9), by=sendco)
    assert not PlanCycle.objects.exists()


def test_closing_records_outcomes_and_carries_targets_forward_without_retyping(
    cycle, three_targets, sendco
):
    reading, turns, writing = three_targets
    following = cycle_close(
        cycle=cycle,
        outcomes={
            reading.pk: Outcome.ACHIEVED,
            turns.pk: Outcome.CARRIED_FORWARD,
            writing.pk: Outcome.NOT_YET,
        },
        summary="Reading came on fast; turn-taking needs another term.",
        next_review_on=days(84),
        by=sendco,
    )

    cycle.refresh_from_db()
    assert cycle.status == PlanCycle.Status.CLOSED
    assert cycle.closed_by == sendco and cycle.closed_at is not None
    assert cycle.review_summary.startswith("Reading came on fast")
    assert dict(cycle.targets.values_list("outcome", "outcome_at_review")) == {
        reading.outcome: "achieved",
        turns.outcome: "carried_forward",
        writing.outcome: "not_yet",
    }

    assert following.status == PlanCycle.Status.OPEN
    assert (following.starts_on, following.review_on) == (days(0), days(84))
    (copy,) = following.targets.all()
    assert copy.carried_from == turns and copy.child == cycle.child
    for field in (
        "outcome",
        "area_of_need",
        "baseline",
        "success_criteria",
        "how_to_help_at_home",
        "baseline_observation",
    ):
        assert getattr(copy, field) == getattr(turns, field), field
    # A new plan is shared and agreed afresh.
    assert copy.shared_at is None and copy.parent_agreed_on is None
    assert copy.outcome_at_review == ""


def test_every_target_needs_an_outcome_or_nothing_changes(cycle, three_targets, sendco):
    reading, turns, _ = three_targets
    with pytest.raises(PlanRefused, match="every target"):
        cycle_close(
            cycle=cycle,
            outcomes={reading.pk: Outcome.ACHIEVED, turns.pk: Outcome.CARRIED_FORWARD},
            summary="",
            next_review_on=days(84),
            by=sendco,
        )
    cycle.refresh_from_db()
    assert cycle.status == PlanCycle.Status.OPEN
    assert not Target.objects.exclude(outcome_at_review="").exists()
    assert PlanCycle.objects.count() == 1


def test_a_reviewed_plan_cannot_be_closed_again(cycle, three_targets, sendco):
    outcomes = {target.pk: Outcome.CARRIED_FORWARD for target in three_targets}
    cycle_close(cycle=cycle, outcomes=outcomes, summary="", next_review_on=days(84), by=sendco)
    with pytest.raises(PlanRefused, match="reviewed and closed"):
        cycle_close(cycle=cycle, outcomes=outcomes, summary="", next_review_on=days(84), by=sendco)
    assert PlanCycle.objects.count() == 2
    assert Target.objects.count() == 6


def test_the_next_review_must_be_in_the_future(cycle, sendco):
    with pytest.raises(PlanRefused, match="after today"):
        cycle_close(cycle=cycle, outcomes={}, summary="", next_review_on=days(0), by=sendco)
    cycle.refresh_from_db()
    assert cycle.status == PlanCycle.Status.OPEN


# Pages ---------------------------------------------------------------------------------


def test_staff_who_teach_the_child_open_a_plan_then_add_targets(
    client, child, teacher, login_with_password
):
    AssignmentFactory(membership=teacher.memberships.get(), child=child)
    login_with_password(client, teacher)
    url = f"/children/{child.pk}/cycles/new/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"starts_on": days(0), "review_on": days(84)})
    assert response.status_code == 302
    assert response["Location"] == f"/children/{child.pk}/targets/new/"
    assert PlanCycle.objects.get(child=child).review_on == days(84)


def test_opening_a_second_plan_shows_why_not(client, cycle, sendco, login_with_password):
    login_with_password(client, sendco)
    response = client.post(
        f"/children/{cycle.child_id}/cycles/new/", {"starts_on": days(0), "review_on": days(84)}
    )
    assert response.status_code == 200
    assert "already has a current plan" in response.content.decode()
    assert PlanCycle.objects.count() == 1


def test_adding_a_target_without_a_plan_leads_to_starting_one(
    client, child, sendco, login_with_password
):
    login_with_password(client, sendco)
    response = client.get(f"/children/{child.pk}/targets/new/")
    assert response["Location"] == f"/children/{child.pk}/cycles/new/"


def test_the_sendco_reviews_a_plan_on_one_form(
    client, cycle, three_targets, sendco, login_with_password
):
    reading, turns, writing = three_targets
    ProgressReviewFactory(target=turns, rating=4, reviewed_on=days(-3))
    login_with_password(client, sendco)
    url = f"/cycles/{cycle.pk}/close/"
    page = client.get(url).content.decode()
    assert all(target.outcome in page for target in three_targets)
    assert "Latest progress: Nearly there" in page  # the meeting starts from the trend
    response = client.post(
        url,
        {
            f"outcome_{reading.pk}": "achieved",
            f"outcome_{turns.pk}": "carried_forward",
            f"outcome_{writing.pk}": "carried_forward",
            "summary": "Good progress",
            "next_review_on": days(84),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/children/{cycle.child_id}/"
    following = PlanCycle.objects.get(child=cycle.child, status="open")
    assert set(following.targets.values_list("carried_from", flat=True)) == {turns.pk, writing.pk}
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("2 target(s) carried forward" in message for message in told)
    # The old target keeps its outcome and the meeting's summary, for staff and family.
    old = client.get(f"/targets/{turns.pk}/").content.decode()
    assert "Carried forward" in old and "Good progress" in old
    assert "Edit target" not in old  # a reviewed plan stays as it was


def test_the_review_form_asks_again_for_a_missing_outcome(
    client, cycle, three_targets, sendco, login_with_password
):
    login_with_password(client, sendco)
    response = client.post(
        f"/cycles/{cycle.pk}/close/",
        {f"outcome_{three_targets[0].pk}": "achieved", "next_review_on": days(84)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    cycle.refresh_from_db()
    assert cycle.status == PlanCycle.Status.OPEN


def test_a_teacher_of_the_child_cannot_close_the_plan(
    client, cycle, three_targets, teacher, login_with_password
):
    AssignmentFactory(membership=teacher.memberships.get(), child=cycle.child)
    login_with_password(client, teacher)
    url = f"/cycles/{cycle.pk}/close/"
    assert client.get(url).status_code == 404
    data = {f"outcome_{t.pk}": "carried_forward" for t in three_targets}
    assert client.post(url, {**data, "summary": "x", "next_review_on": days(84)}).status_code == 404
    cycle.refresh_from_db()
    assert cycle.status == PlanCycle.Status.OPEN


def test_a_sendco_of_another_school_cannot_close_the_plan(
    client, cycle, other_school, login_with_password
):
    login_with_password(client, staff_member(other_school, "sendco"))
    assert client.get(f"/cycles/{cycle.pk}/close/").status_code == 404
