"""The demo school's plans: real-looking content on every page, the same on every run."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from partnership.notifications.models import OutboxMessage
from partnership.plans.models import (
    HomeObservation,
    Intervention,
    ObservationReply,
    Outcome,
    PassportProposal,
    PassportVersion,
    Placement,
    PlanCycle,
    ProgressReview,
    Target,
)
from partnership.plans.notices import plan_updates_send
from partnership.schools.models import Child

MODELS = [
    PlanCycle,
    Target,
    ProgressReview,
    Intervention,
    Placement,
    HomeObservation,
    ObservationReply,
    PassportVersion,
    PassportProposal,
]


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    return {child.first_name + child.last_name: child for child in Child.objects.all()}


def counts():
    return [model.objects.count() for model in MODELS]


def test_seeding_twice_adds_nothing(demo):
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    assert all(first)


def test_every_child_has_a_current_plan_of_two_or_three_shared_targets(demo):
    today = timezone.localdate()
    children = Child.objects.count()
    assert PlanCycle.objects.filter(status="open").count() == children
    per_cycle = Target.objects.filter(cycle__status="open").values("cycle").annotate(n=Count("pk"))
    assert {row["n"] for row in per_cycle} <= {2, 3}
    open_targets = Target.objects.filter(cycle__status="open")
    assert open_targets.filter(shared_at__isnull=False).count() > 0.9 * open_targets.count()
    assert open_targets.exclude(how_to_help_at_home="").count() == open_targets.count()
    assert open_targets.filter(parent_agreed_on__isnull=False).count() > 0.7 * len(open_targets)
    # the SENDCo's reviews-due list has content: some overdue, several in the next 4 weeks
    due = PlanCycle.objects.filter(status="open")
    assert due.filter(review_on__lt=today).count() >= 2
    assert (
        due.filter(review_on__gte=today, review_on__lte=today + datetime.timedelta(28)).count() >= 5
    )


def test_about_half_the_children_have_a_reviewed_plan_with_a_target_carried_forward(demo):
    closed = PlanCycle.objects.filter(status="closed")
    assert 12 <= closed.count() <= 18
    carried = Target.objects.filter(carried_from__isnull=False, cycle__status="open")
    assert carried.count() == closed.count()
    assert all(t.carried_from.outcome_at_review == Outcome.CARRIED_FORWARD for t in carried)


def test_reviews_run_over_the_past_year_and_mostly_climb(demo):
    today = timezone.localdate()
    reviews = ProgressReview.objects.order_by("reviewed_on")
    assert reviews.first().reviewed_on < today - datetime.timedelta(days=270)
    assert reviews.last().reviewed_on <= today
    history = Target.objects.filter(cycle__status="closed", outcome_at_review="achieved")
    for target in history:
        ratings = list(target.reviews.values_list("rating", flat=True))
        assert ratings == sorted(ratings) and ratings[-1] == 5
        assert len(ratings) >= 5
    # the demo's history is not news: the first tick emails nobody
    assert plan_updates_send(timezone.now()) == 0
    assert not OutboxMessage.objects.filter(kind="plan_updated").exists()


def test_the_catalogue_and_most_children_on_an_intervention(demo):
    assert 5 <= Intervention.objects.count() <= 6
    assert all(i.home_support_ideas for i in Intervention.objects.all())
    placed = Child.objects.filter(placements__isnull=False).distinct().count()
    assert placed >= 0.75 * Child.objects.count()


def test_the_demo_family_sees_observations_replies_and_a_pending_passport_change(demo):
    ava, noah = demo["AvaAdams"], demo["NoahAdams"]
    for kid in (ava, noah):
        assert kid.observations.filter(author__email="parent@example.org").count() >= 3
        assert kid.passport_versions.count() >= 2
    assert ObservationReply.objects.filter(observation__child=ava).count() >= 2
    assert HomeObservation.objects.exclude(child__in=[ava, noah]).count() >= 8
    proposal = PassportProposal.objects.get()
    assert (proposal.child, proposal.proposed_by.email) == (noah, "parent@example.org")
    assert proposal.status == "pending"
    assert PassportVersion.objects.values("child").distinct().count() >= 20


def test_the_demo_parent_sees_avas_plan_on_her_page(demo, client):
    from partnership.accounts.models import User

    client.force_login(User.objects.get(email="parent@example.org"))
    html = client.get(f"/children/{demo['AvaAdams'].pk}/").content.decode()
    assert "How you can help at home" in html and "Latest review" in html
    assert "Carried forward from the last plan" in html
