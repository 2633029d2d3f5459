"""The child page: the plan as the family sees it (only what was shared, with how to help
at home and the trend), and as staff see it (everything, with the actions)."""

import datetime
from html import unescape

import pytest
from django.utils import timezone

from partnership.plans.child_page import child_page
from partnership.plans.models import Outcome, PlanCycle
from tests.factories import (
    AssignmentFactory,
    ChildFactory,
    FamilyLinkFactory,
    KeyContactFactory,
)
from tests.factories_plans import (
    HomeObservationFactory,
    InterventionFactory,
    PassportVersionFactory,
    PlacementFactory,
    PlanCycleFactory,
    ProgressReviewFactory,
    TargetFactory,
)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def plan(child):
    """Ava's current plan: a shared target with three reviews, and a draft."""
    cycle = PlanCycleFactory(child=child, review_on=days(20))
    shared = TargetFactory(
        cycle=cycle,
        outcome="Ava asks for help with her help card",
        how_to_help_at_home="Keep a help card on the fridge and point to it",
    )
    for offset, rating, comment in [
        (-40, 1, "Introduced the card"),
        (-20, 2, "Used it twice with a prompt"),
        (-5, 4, "Used it on her own most days"),
    ]:
        ProgressReviewFactory(
            target=shared, reviewed_on=days(offset), rating=rating, comment=comment
        )
    draft = TargetFactory(cycle=cycle, outcome="Ava writes three sentences", shared_at=None)
    return {"cycle": cycle, "shared": shared, "draft": draft}


def page_of(client, child):
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_parent_sees_shared_targets_with_home_ideas_trend_and_latest_review(
    client, parent, child, plan, login_with_password
):
    login_with_password(client, parent)
    html = page_of(client, child)
    assert "Ava asks for help with her help card" in html
    assert "How you can help at home" in html
    assert "Keep a help card on the fridge and point to it" in html
    # the trend, oldest first, and the latest review in words
    assert html.index("Not started") < html.index("Emerging") < html.index("Nearly there")
    assert "Used it on her own most days" in html
    assert f"/targets/{plan['shared'].pk}/" in html


def test_parent_never_sees_a_target_that_was_not_shared(
    client, parent, child, plan, login_with_password
):
    login_with_password(client, parent)
    html = page_of(client, child)
    assert "Ava writes three sentences" not in html
    assert f"/targets/{plan['draft'].pk}/" not in html


def test_parent_sees_only_shared_interventions_with_their_home_ideas(
    client, parent, child, plan, login_with_password
):
    running = InterventionFactory(
        school=child.school, name="Talk Boost", home_support_ideas="Play I spy on the bus"
    )
    placed = PlacementFactory(child=child, intervention=running)
    placed.targets.set([plan["shared"], plan["draft"]])
    PlacementFactory(
        child=child, intervention__name="Fine motor group", shared_at=None, frequency="Daily"
    )
    login_with_password(client, parent)
    html = page_of(client, child)
    assert "Talk Boost" in html and "Play I spy on the bus" in html
    assert "Fine motor group" not in html
    # a shared placement does not leak the draft target it is linked to
    assert "Ava writes three sentences" not in html
    assert "An intervention is extra support" in html


def test_a_target_carried_forward_shows_the_trend_from_the_earlier_plan(
    client, parent, child, login_with_password
):
    earlier = PlanCycleFactory(
        child=child, starts_on=days(-300), review_on=days(-60), status=PlanCycle.Status.CLOSED
    )
    before = TargetFactory(
        cycle=earlier, outcome="Reads a page", outcome_at_review=Outcome.CARRIED_FORWARD
    )
    ProgressReviewFactory(target=before, reviewed_on=days(-200), rating=2, comment="Last year")
    now = PlanCycleFactory(child=child, starts_on=days(-50))
    carried = TargetFactory(cycle=now, outcome="Reads a page", carried_from=before)
    ProgressReviewFactory(target=carried, reviewed_on=days(-10), rating=3, comment="This term")
    login_with_password(client, parent)
    html = page_of(client, child)
    assert "Carried forward from the last plan" in html
    assert "2 reviews, from Emerging" in html  # last year's review starts the trend
    printed = client.get(f"/children/{child.pk}/?print=1").content.decode()
    assert printed.index("Last year") < printed.index("This term")


def test_a_parent_of_two_children_always_sees_which_child_an_item_is_about(
    client, school, login_with_password
):
    parent = FamilyLinkFactory(child__school=school, child__first_name="Ava").parent
    noah = FamilyLinkFactory(parent=parent, child__school=school, child__first_name="Noah").child
    ava = parent.family_links.get(child__first_name="Ava").child
    for kid in (ava, noah):
        TargetFactory(cycle__child=kid, outcome=f"{kid.first_name}'s own target")
        PlacementFactory(child=kid)
    login_with_password(client, parent)
    for kid, other in ((ava, noah), (noah, ava)):
        html = unescape(page_of(client, kid))
        for heading in (
            f"{kid.first_name}'s targets",
            f"{kid.first_name}'s target ·",
            f"Extra support for {kid.first_name}",
            f"{kid.first_name}'s extra support",
            f"What you've seen at home with {kid.first_name}",
            f"{kid.first_name}'s pupil passport",
            f"Who to contact about {kid.first_name}",
        ):
            assert heading in html
        assert f"{other.first_name}'s own target" not in html


def test_parent_is_invited_to_add_what_they_see_at_home_but_gets_no_staff_actions(
    client, parent, child, plan, login_with_password
):
    login_with_password(client, parent)
    html = page_of(client, child)
    assert f"/children/{child.pk}/observations/new/" in html
    for staff_only in (
        "/targets/new/",
        "/placements/new/",
        f"/cycles/{plan['cycle'].pk}/close/",
        "Not shared with the family yet",
        ">Family<",
    ):
        assert staff_only not in html


def test_sendco_sees_every_target_the_actions_and_the_family(
    client, sendco, parent, child, plan, login_with_password
):
    login_with_password(client, sendco)
    html = page_of(client, child)
    assert "Ava writes three sentences" in html and "Not shared with the family yet" in html
    for action in (
        f"/children/{child.pk}/targets/new/",
        f"/children/{child.pk}/placements/new/",
        f"/children/{child.pk}/passport/",
        f"/cycles/{plan['cycle'].pk}/close/",
    ):
        assert action in html
    assert str(parent) in unescape(html)  # the family section
    assert f"/children/{child.pk}/observations/new/" not in html  # a parent's prompt


def test_a_child_without_a_plan_offers_staff_to_start_one(
    client, sendco, child, login_with_password
):
    login_with_password(client, sendco)
    html = page_of(client, child)
    assert f"/children/{child.pk}/cycles/new/" in html
    assert "has no current plan" in html


def test_teacher_of_the_child_gets_the_actions_but_only_the_sendco_closes_a_plan(
    client, teacher, child, plan, login_with_password
):
    AssignmentFactory(membership=teacher.memberships.get(), child=child)
    login_with_password(client, teacher)
    html = page_of(client, child)
    assert f"/children/{child.pk}/targets/new/" in html
    assert f"/cycles/{plan['cycle'].pk}/close/" not in html


def test_teacher_who_does_not_teach_the_child_gets_404(
    client, teacher, child, plan, login_with_password
):
    login_with_password(client, teacher)
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 404
    assert b"Ava" not in response.content


def test_latest_observations_show_without_withdrawn_ones(
    client, parent, child, login_with_password
):
    for n in range(7):
        HomeObservationFactory(
            child=child,
            author=parent,
            text=f"Seen at home {n}",
            created_at=timezone.now() - datetime.timedelta(days=10 - n),
        )
    HomeObservationFactory(
        child=child, author=parent, text="Taken back", withdrawn_at=timezone.now()
    )
    login_with_password(client, parent)
    html = page_of(client, child)
    assert [f"Seen at home {n}" in html for n in range(7)] == [False] * 2 + [True] * 5
    assert "Taken back" not in html


def test_the_print_version_opens_everything_and_drops_the_actions(
    client, sendco, child, plan, login_with_password
):
    login_with_password(client, sendco)
    html = page_of(client, child)
    assert f"/children/{child.pk}/?print=1" in html
    assert 'media="print"' in html
    printed = client.get(f"/children/{child.pk}/?print=1").content.decode()
    assert "Use your browser's Print command" in printed
    assert "data-print" in printed and "js/print.js" in printed
    assert '<details class="mb-2" open>' in printed
    assert f"/children/{child.pk}/targets/new/" not in printed


def grow(child, parent, n, author):
    """n targets with three reviews each, n placements, n observations."""
    cycle = PlanCycle.objects.get(child=child, status="open")
    for i in range(n):
        target = TargetFactory(cycle=cycle)
        for _ in range(3):
            ProgressReviewFactory(target=target, author=author)
        placement = PlacementFactory(child=child)
        placement.targets.set([target])
        HomeObservationFactory(child=child, author=parent)
        KeyContactFactory(child=child, name=f"Contact {i}")


@pytest.mark.parametrize(
    "who, queries",
    [
        # session, the user with their standing; the child with its school and the
        # viewer's standing with the child; key contacts; the open cycle; its targets;
        # their reviews; placements with intervention and staff; their targets; the latest
        # observations; the passport; the latest praise's ids (none here, so no read of
        # the rows). (Earlier reviews of carried-forward targets would be one more; none
        # here.) A parent's read is not recorded, and the standing says so at once.
        ("parent", 12),
        # as above, plus the gate's check for the staff member's TOTP, the family, the
        # thanks parents sent for the praise, and the audit trail's look-up of the child
        # and INSERT of the read.
        ("sendco", 16),
    ],
)
def test_the_page_runs_the_same_queries_when_the_plan_grows_tenfold(
    client, child, parent, sendco, who, queries, login_with_password, django_assert_num_queries
):
    PlanCycleFactory(child=child)
    PassportVersionFactory(child=child)
    viewer = {"parent": parent, "sendco": sendco}[who]
    grow(child, parent, 1, sendco)
    login_with_password(client, viewer)
    client.get(f"/children/{child.pk}/")  # the first visit settles the session
    with django_assert_num_queries(queries):
        page_of(client, child)
    grow(child, parent, 9, sendco)
    with django_assert_num_queries(queries):
        html = page_of(client, child)
    assert html.count("target-card") == 10


def test_the_selector_answers_404_for_a_child_of_another_school(other_school, sendco):
    from django.http import Http404

    elsewhere = ChildFactory(school=other_school)
    with pytest.raises(Http404):
        child_page(sendco, elsewhere.pk)
