"""Each family's contact plan: agreed by the staff who work with the child, read by the
radar."""

import pytest

from partnership.contact.models import DEFAULT_FREQUENCY, ContactPlan
from partnership.contact.radar import school_radar
from partnership.contact.services.plans import ContactPlanRefused, contact_plan_set
from tests.conftest import staff_member
from tests.factories import AssignmentFactory, ChildFactory

URL = "/children/{}/contact/plan/"


def plan_of(child) -> ContactPlan:
    return ContactPlan.objects.get(child=child)


def test_setting_a_plan_twice_changes_the_one_plan(child, sendco, teacher):
    contact_plan_set(
        child=child, frequency="weekly", sendco_meetings_target=6, notes=" Fridays ", by=sendco
    )
    contact_plan_set(
        child=child, frequency="daily", sendco_meetings_target=9, notes="After school", by=teacher
    )
    plan = plan_of(child)
    assert ContactPlan.objects.count() == 1
    assert (plan.frequency, plan.sendco_meetings_target, plan.notes) == ("daily", 9, "After school")
    assert plan.updated_by == teacher


def test_fewer_than_six_sendco_meetings_a_year_is_refused(child, sendco):
    with pytest.raises(ContactPlanRefused, match="at least 6 times a year"):
        contact_plan_set(
            child=child, frequency="weekly", sendco_meetings_target=3, notes="", by=sendco
        )
    assert not ContactPlan.objects.exists()


def test_an_unknown_frequency_is_refused(child, sendco):
    with pytest.raises(ContactPlanRefused):
        contact_plan_set(
            child=child, frequency="yearly", sendco_meetings_target=6, notes="", by=sendco
        )


def test_the_radar_follows_the_agreed_plan(child, sendco):
    contact_plan_set(child=child, frequency="daily", sendco_meetings_target=8, notes="", by=sendco)
    row = school_radar(child.school).rows[0]
    assert (row.frequency, row.sendco_meetings_target) == ("daily", 8)


@pytest.fixture
def signed_in(client, login_with_password):
    def sign_in(user):
        login_with_password(client, user)
        return client

    return sign_in


def test_a_teacher_who_works_with_the_child_agrees_the_plan(school, child, teacher, signed_in):
    AssignmentFactory(membership=teacher.memberships.get(), child=child)
    client = signed_in(teacher)
    page = client.get(URL.format(child.pk)).content.decode()
    assert "No plan agreed yet" in page and "every two weeks" in page
    response = client.post(
        URL.format(child.pk),
        {"frequency": "weekly", "sendco_meetings_target": "8", "notes": "A call on Mondays"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/children/{child.pk}/"
    assert "Contact plan saved for Ava" in response.content.decode()
    assert (plan_of(child).frequency, plan_of(child).updated_by) == ("weekly", teacher)


def test_the_sendco_goes_back_to_the_dashboard(school, child, sendco, signed_in):
    response = signed_in(sendco).post(
        URL.format(child.pk), {"frequency": "daily", "sendco_meetings_target": "6", "notes": ""}
    )
    assert response["Location"] == "/schools/riverside/contact/"


def test_the_form_explains_a_refused_target(school, child, sendco, signed_in):
    response = signed_in(sendco).post(
        URL.format(child.pk), {"frequency": "weekly", "sendco_meetings_target": "2", "notes": ""}
    )
    assert response.status_code == 200
    assert "at least 6 times a year" in response.content.decode()
    assert not ContactPlan.objects.exists()


def test_a_secondary_age_child_starts_from_the_same_default(school, sendco, signed_in):
    secondary = ChildFactory(school=school, year_group=10)
    form = signed_in(sendco).get(URL.format(secondary.pk)).context["form"]
    assert form["frequency"].value() == DEFAULT_FREQUENCY


@pytest.mark.parametrize("who", ["teacher", "parent", "governor", "sendco_elsewhere"])
def test_only_staff_who_work_with_the_child_see_the_plan(
    school, other_school, child, parent, teacher, governor, who, signed_in
):
    people = {
        "teacher": teacher,  # not assigned to this child
        "parent": parent,
        "governor": governor,
        "sendco_elsewhere": staff_member(other_school, "sendco"),
    }
    client = signed_in(people[who])
    assert client.get(URL.format(child.pk)).status_code == 404
    response = client.post(
        URL.format(child.pk), {"frequency": "daily", "sendco_meetings_target": "6", "notes": ""}
    )
    assert response.status_code == 404
    assert not ContactPlan.objects.exists()
