"""The target pages: staff who work with the child write them; the family reads a target
once it is shared; everyone else gets 404."""

import datetime

import pytest
from django.utils import timezone

from partnership.plans.models import PlanCycle, ProgressReview, Target
from tests.conftest import staff_member
from tests.factories import AssignmentFactory, ChildFactory, FamilyLinkFactory
from tests.factories_plans import (
    HomeObservationFactory,
    PlanCycleFactory,
    ProgressReviewFactory,
    TargetFactory,
)

TODAY = timezone.localdate


@pytest.fixture
def target(child):
    return TargetFactory(
        cycle=PlanCycleFactory(child=child),
        outcome="Takes turns in a game of four",
        how_to_help_at_home="Play snap after tea and praise each wait",
        shared_at=None,
    )


@pytest.fixture
def class_teacher(child, teacher):
    AssignmentFactory(membership=teacher.memberships.get(), child=child)
    return teacher


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# Staff write the plan --------------------------------------------------------------------


def test_the_class_teacher_adds_a_target_to_the_current_plan(
    client, child, target, class_teacher, login_with_password
):
    login_with_password(client, class_teacher)
    url = f"/children/{child.pk}/targets/new/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "outcome": "Asks for help with a word",
            "area_of_need": "SLCN",
            "baseline": "Waits silently",
            "success_criteria": "Asks three times in a week",
            "how_to_help_at_home": "Wait a moment before helping",
        },
    )
    added = Target.objects.get(outcome="Asks for help with a word")
    assert response["Location"] == f"/targets/{added.pk}/"
    assert added.cycle == target.cycle and added.created_by == class_teacher
    assert added.shared_at is None


def test_a_home_observation_becomes_the_baseline_of_a_new_target(
    client, child, target, parent, sendco, login_with_password
):
    observation = HomeObservationFactory(
        child=child, author=parent, text="He asked his sister for the red pen at home"
    )
    login_with_password(client, sendco)
    url = f"/children/{child.pk}/targets/new/?observation={observation.pk}"
    form = client.get(url).context["form"]
    assert form.initial["baseline"] == "He asked his sister for the red pen at home"
    client.post(
        url,
        {
            "outcome": "Asks an adult at school for what he needs",
            "area_of_need": "SLCN",
            "baseline": observation.text,
            "success_criteria": "",
            "how_to_help_at_home": "",
        },
    )
    added = Target.objects.get(outcome="Asks an adult at school for what he needs")
    assert added.baseline_observation == observation
    assert added.baseline == "He asked his sister for the red pen at home"


def test_an_observation_about_another_child_cannot_be_used_as_a_baseline(
    client, child, target, school, sendco, login_with_password
):
    other_child = ChildFactory(school=school)
    elsewhere = HomeObservationFactory(child=other_child)
    login_with_password(client, sendco)
    url = f"/children/{child.pk}/targets/new/?observation={elsewhere.pk}"
    assert client.get(url).status_code == 404
    assert client.get(f"/children/{child.pk}/targets/new/?observation=x").status_code == 404


def test_staff_edit_a_target(client, target, class_teacher, login_with_password):
    login_with_password(client, class_teacher)
    response = client.post(
        f"/targets/{target.pk}/edit/",
        {
            "outcome": "Takes turns in a game of three",
            "area_of_need": "SEMH",
            "baseline": "Waits once",
            "success_criteria": "Waits three times",
            "how_to_help_at_home": "Snap after tea",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.outcome, target.area_of_need) == ("Takes turns in a game of three", "SEMH")


def test_sharing_without_home_ideas_says_what_to_add(
    client, target, class_teacher, login_with_password
):
    Target.objects.filter(pk=target.pk).update(how_to_help_at_home="")
    login_with_password(client, class_teacher)
    response = client.post(f"/targets/{target.pk}/share/")
    assert any("how to help at home" in m for m in messages_of(response))
    target.refresh_from_db()
    assert target.shared_at is None


def test_sharing_with_home_ideas_shows_the_target_to_the_family(
    client, target, class_teacher, login_with_password
):
    login_with_password(client, class_teacher)
    response = client.post(f"/targets/{target.pk}/share/")
    assert response["Location"] == f"/targets/{target.pk}/"
    target.refresh_from_db()
    assert target.shared_at is not None and target.family_notified_at is None
    assert client.get(f"/targets/{target.pk}/share/").status_code == 405


def test_staff_record_which_parent_agreed_and_when(
    client, target, parent, class_teacher, login_with_password
):
    link = parent.family_links.get()
    login_with_password(client, class_teacher)
    agreed_on = TODAY() - datetime.timedelta(days=3)
    client.post(f"/targets/{target.pk}/agreement/", {"link": link.pk, "agreed_on": agreed_on})
    target.refresh_from_db()
    assert (target.parent_agreed_by, target.parent_agreed_on) == (parent, agreed_on)


def test_another_familys_parent_cannot_be_recorded_as_agreeing(
    client, target, parent, school, class_teacher, login_with_password
):
    stranger_link = FamilyLinkFactory(child=ChildFactory(school=school))
    login_with_password(client, class_teacher)
    response = client.post(
        f"/targets/{target.pk}/agreement/", {"link": stranger_link.pk, "agreed_on": TODAY()}
    )
    assert response.status_code == 200
    assert response.context["agreement_form"].errors["link"]
    target.refresh_from_db()
    assert target.parent_agreed_by is None


def test_staff_add_a_progress_review(client, target, class_teacher, login_with_password):
    login_with_password(client, class_teacher)
    url = f"/targets/{target.pk}/reviews/new/"
    form = client.get(url).content.decode()
    assert f'value="{TODAY().isoformat()}"' in form  # the date picker starts at today
    response = client.post(url, {"rating": "4", "comment": "Waited twice", "reviewed_on": TODAY()})
    assert response["Location"] == f"/targets/{target.pk}/"
    review = target.reviews.get()
    assert (review.rating, review.comment, review.author) == (4, "Waited twice", class_teacher)


def test_the_staff_target_page_shows_actions_and_the_trend(
    client, target, parent, class_teacher, login_with_password
):
    ProgressReviewFactory(target=target, rating=2, comment="Needed a prompt", author=class_teacher)
    login_with_password(client, class_teacher)
    page = client.get(f"/targets/{target.pk}/").content.decode()
    assert "Takes turns in a game of four" in page
    assert "Share with the family" in page and "Edit target" in page
    assert "Add a progress review" in page and "Record agreement" in page
    assert "Emerging" in page and "Needed a prompt" in page and 'class="progress-bar w-25"' in page
    assert "Review and close this plan" not in page  # only the SENDCo closes a plan


# The family reads a shared target --------------------------------------------------------


def test_a_parent_reads_a_shared_target_with_home_ideas_and_trend(
    client, target, parent, sendco, login_with_password
):
    Target.objects.filter(pk=target.pk).update(
        shared_at=timezone.now(), parent_agreed_by=parent, parent_agreed_on=TODAY()
    )
    ProgressReviewFactory(
        target=target, rating=2, comment="Waited once", author=sendco, reviewed_on=TODAY()
    )
    ProgressReviewFactory(
        target=target,
        rating=4,
        comment="Waited three times",
        author=sendco,
        reviewed_on=TODAY() - datetime.timedelta(days=60),
    )
    login_with_password(client, parent)
    response = client.get(f"/targets/{target.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "How to help at home" in page and "Play snap after tea" in page
    assert "Ava Adams" in page  # which child, for a parent of two
    assert f"Agreed by {parent}" in page
    # Oldest first, so the trend reads left to right in time.
    assert page.index("Waited three times") < page.index("Waited once")
    assert [r.comment for r in response.context["reviews"]] == ["Waited three times", "Waited once"]
    for staff_action in ("Edit target", "Share with the family", "Record agreement", "reviews/new"):
        assert staff_action not in page


def test_a_parent_gets_404_for_a_target_not_yet_shared(client, target, parent, login_with_password):
    login_with_password(client, parent)
    response = client.get(f"/targets/{target.pk}/")
    assert response.status_code == 404
    assert b"Takes turns" not in response.content


def test_a_parent_gets_404_for_another_familys_target(client, parent, school, login_with_password):
    theirs = TargetFactory(cycle=PlanCycleFactory(child=ChildFactory(school=school)))
    login_with_password(client, parent)
    assert client.get(f"/targets/{theirs.pk}/").status_code == 404


# Everyone else: 404 and nothing changes --------------------------------------------------


def staff_requests(target):
    """Every staff URL with data that would change something if access let it through."""
    child, cycle = target.child, target.cycle
    today = TODAY().isoformat()
    edits = {
        "outcome": "Changed",
        "area_of_need": "SEMH",
        "baseline": "",
        "success_criteria": "",
        "how_to_help_at_home": "Changed",
    }
    return [
        (f"/children/{child.pk}/cycles/new/", {"starts_on": today, "review_on": today}),
        (f"/children/{child.pk}/targets/new/", edits),
        (f"/targets/{target.pk}/edit/", edits),
        (f"/targets/{target.pk}/share/", {}),
        (
            f"/targets/{target.pk}/agreement/",
            {"link": child.family_links.get().pk, "agreed_on": today},
        ),
        (f"/targets/{target.pk}/reviews/new/", {"rating": 5, "comment": "x", "reviewed_on": today}),
        (
            f"/cycles/{cycle.pk}/close/",
            {
                f"outcome_{target.pk}": "carried_forward",
                "summary": "x",
                "next_review_on": (TODAY() + datetime.timedelta(days=30)).isoformat(),
            },
        ),
    ]


def snapshot():
    return (
        list(PlanCycle.objects.values()),
        list(Target.objects.values()),
        ProgressReview.objects.count(),
    )


@pytest.mark.parametrize("who", ["teacher", "parent", "governor", "sendco_elsewhere"])
def test_people_who_do_not_work_with_the_child_get_404_on_every_staff_url(
    client, target, parent, teacher, governor, other_school, who, login_with_password
):
    people = {
        "teacher": teacher,  # teaches at the school, but not this child
        "parent": parent,
        "governor": governor,
        "sendco_elsewhere": staff_member(other_school, "sendco"),
    }
    before = snapshot()
    login_with_password(client, people[who])
    for url, data in staff_requests(target):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    assert snapshot() == before


@pytest.mark.parametrize("who", ["teacher", "governor", "sendco_elsewhere"])
def test_staff_who_do_not_work_with_the_child_cannot_read_a_shared_target(
    client, target, teacher, governor, other_school, who, login_with_password
):
    Target.objects.filter(pk=target.pk).update(shared_at=timezone.now())
    people = {
        "teacher": teacher,
        "governor": governor,
        "sendco_elsewhere": staff_member(other_school, "sendco"),
    }
    login_with_password(client, people[who])
    response = client.get(f"/targets/{target.pk}/")
    assert response.status_code == 404
    assert b"Takes turns" not in response.content


# Queries do not grow with the trend ------------------------------------------------------


def add_reviews(target, n, author):
    for day in range(n):
        ProgressReviewFactory(
            target=target,
            rating=1 + day % 5,
            author=author,
            reviewed_on=TODAY() - datetime.timedelta(days=day),
        )


def test_the_staff_target_page_runs_the_same_queries_for_5_or_50_reviews(
    client, target, parent, sendco, login_with_password, django_assert_num_queries
):
    HomeObservationFactory(child=target.child, target=target, author=parent)
    add_reviews(target, 5, sendco)
    login_with_password(client, sendco)
    url = f"/targets/{target.pk}/"
    client.get(url)
    # session, the user with their standing, two-factor gate (authenticator), "works with
    # the child?", the target with child, school, cycle, agreement and origin, its reviews
    # with authors, observations with authors and targets, their replies, the family for
    # the agreement form, "leads SEND here?"; the audit trail's look-up of the target's
    # child and its INSERT of the read.
    with django_assert_num_queries(12):
        client.get(url)
    add_reviews(target, 45, sendco)
    with django_assert_num_queries(12):
        page = client.get(url)
    assert len(page.context["reviews"]) == 50


def test_the_parent_target_page_runs_the_same_queries_for_5_or_50_reviews(
    client, target, parent, sendco, login_with_password, django_assert_num_queries
):
    Target.objects.filter(pk=target.pk).update(shared_at=timezone.now())
    HomeObservationFactory(child=target.child, target=target, author=parent)
    add_reviews(target, 5, sendco)
    login_with_password(client, parent)
    url = f"/targets/{target.pk}/"
    client.get(url)
    # session, the user with their standing, the shared target with child, school, cycle,
    # agreement and origin, its reviews with authors, observations with authors and
    # targets, their replies. The standing says the parent is no staff: "works with the
    # child as staff?" is not asked, and their read is not recorded.
    with django_assert_num_queries(6):
        client.get(url)
    add_reviews(target, 45, sendco)
    with django_assert_num_queries(6):
        page = client.get(url)
    assert page.content.decode().count('role="progressbar"') == 50
