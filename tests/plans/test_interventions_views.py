"""The catalogue pages (SENDCo and administrator only) and placing a child (staff who work
with the child); the family sees a placement once it is shared."""

import pytest
from django.test import Client

from partnership.plans.models import Intervention, Placement
from tests.conftest import staff_member
from tests.factories import AssignmentFactory, ChildFactory, FamilyLinkFactory, MembershipFactory
from tests.factories_plans import InterventionFactory, PlacementFactory, TargetFactory


@pytest.fixture
def talk_boost(school):
    return InterventionFactory(
        school=school, name="Talk Boost", home_support_ideas="Play I spy on the way to school"
    )


@pytest.mark.parametrize("role", ["sendco", "administrator"])
def test_the_send_leads_add_and_edit_the_catalogue(client, school, role, login_with_password):
    login_with_password(client, staff_member(school, role))
    response = client.post(
        "/schools/riverside/interventions/new/",
        {
            "name": "ELSA (emotional literacy support)",
            "description": "One-to-one sessions about feelings",
            "home_support_ideas": "Ten calm minutes together each day",
            "is_active": "on",
        },
        follow=True,
    )
    assert "ELSA (emotional literacy support) is in the catalogue." in response.content.decode()
    entry = Intervention.objects.get(school=school)
    page = client.get("/schools/riverside/interventions/").content.decode()
    assert "Ten calm minutes together each day" in page
    client.post(
        f"/schools/riverside/interventions/{entry.pk}/edit/",
        {"name": entry.name, "description": "Weekly", "home_support_ideas": "Talk"},
    )
    entry.refresh_from_db()
    assert (entry.description, entry.is_active) == ("Weekly", False)


def test_a_duplicate_name_shows_a_message_on_the_form(
    client, sendco, talk_boost, login_with_password
):
    login_with_password(client, sendco)
    response = client.post("/schools/riverside/interventions/new/", {"name": "Talk Boost"})
    assert response.status_code == 200
    assert "already has an intervention called" in response.content.decode()
    assert Intervention.objects.count() == 1


@pytest.mark.parametrize("who", ["teacher", "parent", "sendco_elsewhere", "governor"])
def test_the_catalogue_is_404_for_everyone_else(
    client, school, other_school, talk_boost, parent, who, login_with_password
):
    users = {
        "teacher": lambda: staff_member(school, "teacher"),
        "parent": lambda: parent,
        "sendco_elsewhere": lambda: staff_member(other_school, "sendco"),
        "governor": lambda: staff_member(school, "governor"),
    }
    login_with_password(client, users[who]())
    for url in (
        "/schools/riverside/interventions/",
        "/schools/riverside/interventions/new/",
        f"/schools/riverside/interventions/{talk_boost.pk}/edit/",
    ):
        assert client.get(url).status_code == 404
    assert client.post("/schools/riverside/interventions/new/", {"name": "X"}).status_code == 404
    assert not Intervention.objects.filter(name="X").exists()


def test_an_intervention_of_another_school_is_404_by_id(
    client, sendco, other_school, login_with_password
):
    theirs = InterventionFactory(school=other_school)
    login_with_password(client, sendco)
    assert client.get(f"/schools/riverside/interventions/{theirs.pk}/edit/").status_code == 404


def test_the_placement_form_offers_only_this_schools_interventions_staff_and_this_childs_targets(
    client, child, school, other_school, sendco, talk_boost, login_with_password
):
    InterventionFactory(school=school, name="Old programme", is_active=False)
    InterventionFactory(school=other_school, name="Hillside reading")
    MembershipFactory(school=other_school, role="teacher", user__full_name="Hill Teacher")
    MembershipFactory(school=school, role="governor", user__full_name="Gov Ernor")
    TargetFactory(cycle__child=child, outcome="Ava's own target")
    TargetFactory(cycle__child=ChildFactory(school=school), outcome="Someone else's target")
    login_with_password(client, sendco)
    html = client.get(f"/children/{child.pk}/placements/new/").content.decode()
    assert "Talk Boost" in html
    for absent in ("Old programme", "Hillside reading", "Hill Teacher", "Gov Ernor", "else"):
        assert absent not in html
    assert "Ava&#x27;s own target" in html


def test_a_teacher_places_a_child_they_teach_and_shares_it_with_the_family(
    client, child, parent, teacher, talk_boost, login_with_password
):
    membership = teacher.memberships.get()
    AssignmentFactory(membership=membership, child=child)
    target = TargetFactory(cycle__child=child, outcome="Answers who questions")
    login_with_password(client, teacher)
    response = client.post(
        f"/children/{child.pk}/placements/new/",
        {
            "intervention": talk_boost.pk,
            "staff": membership.pk,
            "frequency": "Three times a week, 30 minutes",
            "starts_on": "2026-01-05",
            "ends_on": "2026-03-27",
            "entry_measure": "14 of 34",
            "targets": [target.pk],
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get(child=child)
    assert list(placement.targets.all()) == [target] and placement.shared_at is None

    family = Client()
    login_with_password(family, parent)
    assert "Talk Boost" not in family.get(f"/children/{child.pk}/").content.decode()
    assert family.post(f"/placements/{placement.pk}/share/").status_code == 404

    client.post(f"/placements/{placement.pk}/share/")
    html = family.get(f"/children/{child.pk}/").content.decode()
    assert "Talk Boost" in html and "Play I spy on the way to school" in html


def test_staff_who_do_not_work_with_the_child_get_404(
    client, child, school, other_school, talk_boost, login_with_password
):
    placement = PlacementFactory(child=child, intervention=talk_boost)
    for outsider in (staff_member(school, "teacher"), staff_member(other_school, "sendco")):
        browser = Client()
        login_with_password(browser, outsider)
        assert browser.get(f"/children/{child.pk}/placements/new/").status_code == 404
        assert browser.get(f"/placements/{placement.pk}/edit/").status_code == 404
        assert browser.post(f"/placements/{placement.pk}/share/").status_code == 404


def test_a_parent_cannot_place_or_edit(client, child, parent, talk_boost, login_with_password):
    placement = PlacementFactory(child=child, intervention=talk_boost)
    login_with_password(client, parent)
    assert client.get(f"/children/{child.pk}/placements/new/").status_code == 404
    assert client.get(f"/placements/{placement.pk}/edit/").status_code == 404


def test_editing_a_placement_and_a_refused_share_says_why(
    client, child, school, sendco, login_with_password
):
    silent = InterventionFactory(school=school, name="Quiet group", home_support_ideas="")
    placement = PlacementFactory(child=child, intervention=silent, shared_at=None)
    login_with_password(client, sendco)
    response = client.post(f"/placements/{placement.pk}/share/", follow=True)
    assert "Say how the family can support this at home" in response.content.decode()
    client.post(
        f"/placements/{placement.pk}/edit/",
        {
            "intervention": silent.pk,
            "frequency": "Daily",
            "starts_on": "2026-01-05",
            "home_support": "Sing the group's song at bath time",
        },
    )
    client.post(f"/placements/{placement.pk}/share/")
    placement.refresh_from_db()
    assert placement.home_ideas == "Sing the group's song at bath time"
    assert placement.shared_at is not None


def test_a_second_parent_sees_the_shared_placement_too(
    client, child, talk_boost, login_with_password
):
    PlacementFactory(child=child, intervention=talk_boost)
    other_parent = FamilyLinkFactory(child=child, relationship="father").parent
    login_with_password(client, other_parent)
    assert "Talk Boost" in client.get(f"/children/{child.pk}/").content.decode()
