import pytest

from tests.conftest import staff_member
from tests.factories import AssignmentFactory, ChildFactory, FamilyLinkFactory, KeyContactFactory


def test_each_role_lands_on_its_own_home(
    client, school, parent, sendco, governor, login_with_password
):
    for user, home in [(parent, "/parent/"), (sendco, "/staff/"), (governor, "/governor/")]:
        client.logout()
        login_with_password(client, user)
        response = client.get("/")
        assert response["Location"] == home


def test_parent_home_shows_each_child_with_who_to_contact(
    client, parent, child, school, login_with_password
):
    KeyContactFactory(
        child=child,
        name="Priya Shah",
        role_title="Class teacher",
        about="Day-to-day questions",
        hours="Replies within a day",
    )
    second = ChildFactory(school=school, first_name="Noah")
    FamilyLinkFactory(parent=parent, child=second)
    login_with_password(client, parent)
    page = client.get("/parent/").content.decode()
    assert "Ava" in page and "Noah" in page
    assert "Priya Shah" in page and "Day-to-day questions" in page
    assert "No key contacts yet" in page  # Noah has none: the empty state says what to do


def test_a_teacher_who_is_a_parent_switches_between_homes(client, school, login_with_password):
    teacher = staff_member(school, "teacher")
    own_child = ChildFactory(school=school, first_name="Olive")
    FamilyLinkFactory(parent=teacher, child=own_child)
    pupil = ChildFactory(school=school, first_name="Pip")
    AssignmentFactory(membership=teacher.memberships.get(), child=pupil)
    login_with_password(client, teacher)

    parent_view = client.get("/", follow=True)
    assert b"Olive" in parent_view.content and b"Viewing as" in parent_view.content
    staff_view = client.post("/switch/", {"hat": "staff"}, follow=True)
    assert b"Pip" in staff_view.content and b"Olive" not in staff_view.content
    assert client.get("/")["Location"] == "/staff/"  # the choice is remembered


def test_switching_to_a_hat_you_do_not_have_is_refused(client, parent, login_with_password):
    login_with_password(client, parent)
    response = client.post("/switch/", {"hat": "staff"}, follow=True)
    assert b"not available" in response.content
    assert client.get("/staff/").status_code == 404


@pytest.mark.parametrize("path", ["/parent/", "/governor/"])
def test_homes_of_other_roles_answer_404(client, sendco, login_with_password, path):
    login_with_password(client, sendco)
    assert client.get(path).status_code == 404


def test_governor_home_names_no_child(client, school, governor, child, login_with_password):
    login_with_password(client, governor)
    page = client.get("/governor/")
    assert page.status_code == 200
    assert child.first_name.encode() not in page.content
