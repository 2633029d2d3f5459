"""The praise form: any adult praises the children they work with in seconds."""

import pytest
from django.test import Client

from partnership.praise.models import Praise
from tests.conftest import staff_member
from tests.factories import AssignmentFactory, ChildFactory, MembershipFactory, SchoolFactory
from tests.factories_plans import TargetFactory
from tests.factories_praise import PraiseValueFactory

URL = "/schools/riverside/praise/give/"


@pytest.fixture
def signed_in(client, login_with_password):
    def sign_in(user):
        client.logout()
        login_with_password(client, user)
        return client

    return sign_in


@pytest.fixture
def kindness(school):
    return PraiseValueFactory(school=school, name="Kindness")


@pytest.fixture
def noah(school):
    return ChildFactory(school=school, first_name="Noah", last_name="Nash", class_name="4B")


def assign(user, child):
    AssignmentFactory(membership=user.memberships.get(school=child.school), child=child)


def data(children, value, note="Helped a friend find their coat", **extra):
    return {"children": [c.pk for c in children], "value": value.pk, "note": note, **extra}


def test_a_teacher_praises_two_children_at_once(signed_in, school, child, noah, teacher, kindness):
    assign(teacher, child)
    assign(teacher, noah)
    client = signed_in(teacher)
    page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ava Adams" in html and "Noah Nash" in html and "Kindness" in html
    response = client.post(URL, data([child, noah], kindness), follow=True)
    assert response.redirect_chain[-1][0] == URL
    rows = list(Praise.objects.all())
    assert len(rows) == 2 and len({row.batch for row in rows}) == 1
    html = response.content.decode()
    assert "Praise saved for Ava and Noah. Their families will see it." in html
    # Back to an empty form, ready for the next child.
    assert response.context["form"]["children"].value() in (None, [])
    assert "Praise you gave recently" in html and "Helped a friend find their coat" in html


def test_one_child_is_named_alone(signed_in, child, teacher, kindness):
    assign(teacher, child)
    response = signed_in(teacher).post(URL, data([child], kindness), follow=True)
    assert "Praise saved for Ava. Their family will see it." in response.content.decode()


def test_a_teacher_sees_only_assigned_children(signed_in, child, noah, teacher, kindness):
    assign(teacher, child)
    html = signed_in(teacher).get(URL).content.decode()
    assert "Ava Adams" in html and "Noah Nash" not in html


def test_posting_another_childs_id_is_an_error_and_saves_nothing(
    signed_in, child, noah, teacher, kindness
):
    assign(teacher, child)
    response = signed_in(teacher).post(URL, data([child, noah], kindness))
    assert response.status_code == 200
    assert "not one you can praise here" in response.content.decode()
    assert not Praise.objects.exists()


def test_the_form_says_what_is_missing(signed_in, child, teacher, kindness):
    assign(teacher, child)
    client = signed_in(teacher)
    response = client.post(URL, {"note": ""})
    html = response.content.decode()
    assert "Choose at least one child to praise." in html
    assert "Choose the value they showed." in html
    assert "Say in a few words what they did." in html
    too_long = client.post(URL, data([child], kindness, note="x" * 281))
    assert "at most 280 characters" in too_long.content.decode()
    assert not Praise.objects.exists()


def test_a_retired_value_is_not_offered_or_accepted(signed_in, school, child, sendco, kindness):
    retired = PraiseValueFactory(school=school, name="Teamwork", is_active=False)
    client = signed_in(sendco)
    assert "Teamwork" not in client.get(URL).content.decode()
    response = client.post(URL, data([child], retired))
    assert "no longer offered" in response.content.decode()
    assert not Praise.objects.exists()


@pytest.mark.parametrize("who", ["governor", "parent"])
def test_governors_and_parents_get_404(signed_in, request, child, kindness, who):
    client = signed_in(request.getfixturevalue(who))
    assert client.get(URL).status_code == 404
    assert client.post(URL, data([child], kindness)).status_code == 404
    assert client.get("/praise/give/").status_code == 404
    assert not Praise.objects.exists()


def test_staff_of_another_school_get_404(signed_in, other_school, child, kindness):
    stranger = staff_member(other_school, "sendco")
    client = signed_in(stranger)
    assert client.get(URL).status_code == 404
    assert client.post(URL, data([child], kindness)).status_code == 404
    assert not Praise.objects.exists()


def test_the_start_link_goes_to_the_only_school(signed_in, teacher):
    response = signed_in(teacher).get("/praise/give/")
    assert response.status_code == 302 and response["Location"] == URL


def test_the_start_link_asks_which_school_for_someone_at_two(signed_in, school, teacher):
    second = SchoolFactory(name="Brookside", slug="brookside")
    MembershipFactory(user=teacher, school=second, role="teaching_assistant")
    page = signed_in(teacher).get("/praise/give/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Which school" in html and URL in html and "/schools/brookside/praise/give/" in html


def test_targets_are_offered_per_child_from_the_open_plan(signed_in, child, noah, sendco, kindness):
    open_target = TargetFactory(cycle__child=child, outcome="Asks for help with words")
    TargetFactory(cycle__child=noah, cycle__status="closed", outcome="Old reviewed target")
    html = signed_in(sendco).get(URL).content.decode()
    assert "Asks for help with words" in html and "Old reviewed target" not in html
    assert f'<optgroup label="Ava Adams" data-child="{child.pk}">' in html
    assert f'value="{open_target.pk}"' in html


def test_a_target_of_a_child_not_ticked_is_an_error(signed_in, child, noah, sendco, kindness):
    target = TargetFactory(cycle__child=noah)
    response = signed_in(sendco).post(URL, data([child], kindness, target=target.pk))
    assert "That target is Noah&#x27;s, but Noah is not ticked" in response.content.decode()
    assert not Praise.objects.exists()


def test_a_target_applies_only_to_its_childs_praise(signed_in, child, noah, sendco, kindness):
    target = TargetFactory(cycle__child=child)
    signed_in(sendco).post(URL, data([child, noah], kindness, target=target.pk))
    assert Praise.objects.get(child=child).target == target
    assert Praise.objects.get(child=noah).target is None


def test_a_teacher_with_no_children_is_told_why(signed_in, teacher, kindness):
    html = signed_in(teacher).get(URL).content.decode()
    assert "No children are assigned to you yet" in html
    assert '<form method="post" class="card' not in html


def test_no_values_yet_sends_the_sendco_to_choose_them(signed_in, child, sendco, teacher):
    assign(teacher, child)
    sendco_html = signed_in(sendco).get(URL).content.decode()
    assert "has not chosen its praise values yet" in sendco_html
    assert 'href="/schools/riverside/praise/values/"' in sendco_html
    teacher_html = signed_in(teacher).get(URL).content.decode()
    assert "has not chosen its praise values yet" in teacher_html
    assert "Ask your SENDCo to choose them." in teacher_html
    assert "/praise/values/" not in teacher_html


def test_the_page_links_to_the_end_of_day_reminder(signed_in, child, sendco, kindness):
    html = signed_in(sendco).get(URL).content.decode()
    assert '<a class="small" href="/praise/reminders/">End-of-day reminder: change</a>' in html


def test_the_staff_home_button_leads_to_the_form(db):
    from django.template.loader import render_to_string

    html = render_to_string("praise/fragment_give_button.html")
    assert 'href="/praise/give/"' in html and "Give praise" in html


def test_a_post_without_the_csrf_token_is_refused(login_with_password, child, sendco, kindness):
    client = Client(enforce_csrf_checks=True)
    login_with_password(client, sendco)
    response = client.post(URL, data([child], kindness))
    assert response.status_code == 403
    assert not Praise.objects.exists()


NAMES = ["Ava", "Ben", "Cal", "Dee", "Eli", "Fay", "Gus"]


def test_a_long_list_of_names_is_shortened(school):
    from partnership.praise.views.give import saved_message

    pupils = [ChildFactory.build(first_name=name) for name in NAMES]
    assert saved_message(pupils) == (
        "Praise saved for Ava, Ben, Cal, Dee and 3 other children. Their families will see it."
    )


def test_a_sendco_sees_the_whole_school_grouped_by_class(
    signed_in, school, child, sendco, kindness
):
    for n in range(45):
        ChildFactory(school=school, class_name=f"Class {n % 5}")
    page = signed_in(sendco).get(URL)
    html = page.content.decode()
    groups = page.context["form"].child_groups()
    assert [name for name, _boxes, _ticked in groups] == ["4A"] + [f"Class {n}" for n in range(5)]
    assert sum(len(boxes) for _name, boxes, _ticked in groups) == 46
    # A whole school starts folded, with a box to find a child or class.
    assert not page.context["open_all"]
    assert "Find a child or class" in html
