"""Who sees which child: the one access rule, checked for every role."""

import pytest

from partnership.schools.models import Child
from tests.conftest import staff_member
from tests.factories import (
    AssignmentFactory,
    ChildFactory,
    FamilyLinkFactory,
    KeyContactFactory,
    UserFactory,
)


@pytest.fixture
def world(school, other_school):
    """Two schools; a class of three children here, one child elsewhere."""
    ava, ben, cal = (ChildFactory(school=school, first_name=n) for n in ("Ava", "Ben", "Cal"))
    elsewhere = ChildFactory(school=other_school, first_name="Dee")
    return {"ava": ava, "ben": ben, "cal": cal, "elsewhere": elsewhere}


def visible(user):
    return set(Child.objects.visible_to(user).values_list("first_name", flat=True))


def test_parent_sees_only_linked_children(world):
    parent = FamilyLinkFactory(child=world["ava"]).parent
    FamilyLinkFactory(parent=parent, child=world["elsewhere"])  # children at two schools
    assert visible(parent) == {"Ava", "Dee"}


def test_sendco_and_administrator_see_their_whole_school(world, school):
    assert visible(staff_member(school, "sendco")) == {"Ava", "Ben", "Cal"}
    assert visible(staff_member(school, "administrator")) == {"Ava", "Ben", "Cal"}


@pytest.mark.parametrize("role", ["teacher", "teaching_assistant"])
def test_classroom_staff_see_the_children_they_work_with(world, school, role):
    adult = staff_member(school, role)
    AssignmentFactory(membership=adult.memberships.get(), child=world["ben"])
    assert visible(adult) == {"Ben"}


def test_governor_sees_no_child(world, school):
    assert visible(staff_member(school, "governor")) == set()


def test_inactive_membership_sees_nothing(world, school):
    sendco = staff_member(school, "sendco")
    sendco.memberships.update(is_active=False)
    assert visible(sendco) == set()


def test_teacher_who_is_also_a_parent_sees_both_without_duplicates(world, school):
    teacher = staff_member(school, "teacher")
    AssignmentFactory(membership=teacher.memberships.get(), child=world["ava"])
    FamilyLinkFactory(parent=teacher, child=world["ava"])
    FamilyLinkFactory(parent=teacher, child=world["cal"])
    assert list(
        Child.objects.visible_to(teacher)
        .order_by("first_name")
        .values_list("first_name", flat=True)
    ) == ["Ava", "Cal"]


def test_user_with_no_role_sees_nothing(world):
    assert visible(UserFactory()) == set()


@pytest.mark.parametrize("who", ["parent", "teacher", "sendco_elsewhere", "governor", "stranger"])
def test_a_child_you_may_not_see_answers_404(
    client, world, school, other_school, who, login_with_password
):
    users = {
        "parent": lambda: FamilyLinkFactory(child=world["ava"]).parent,
        "teacher": lambda: staff_member(school, "teacher"),
        "sendco_elsewhere": lambda: staff_member(other_school, "sendco"),
        "governor": lambda: staff_member(school, "governor"),
        "stranger": lambda: UserFactory(),
    }
    login_with_password(client, users[who]())
    response = client.get(f"/children/{world['ben'].pk}/")
    assert response.status_code == 404
    assert b"Ben" not in response.content
    assert client.get("/children/999999/").status_code == 404


def test_parent_sees_their_childs_page_with_key_contacts(client, world, login_with_password):
    parent = FamilyLinkFactory(child=world["ava"]).parent
    KeyContactFactory(child=world["ava"], name="Sam Okafor", about="Targets and reviews")
    login_with_password(client, parent)
    page = client.get(f"/children/{world['ava'].pk}/")
    assert page.status_code == 200
    assert b"Sam Okafor" in page.content and b"Targets and reviews" in page.content


def test_parent_home_lists_children_and_key_contacts_in_constant_queries(
    client, school, login_with_password, django_assert_num_queries
):
    parent = UserFactory()
    login_with_password(client, parent)

    def add_child(n):
        child = ChildFactory(school=school, first_name=f"Child{n}")
        FamilyLinkFactory(parent=parent, child=child)
        KeyContactFactory(child=child, name=f"Contact{n}")
        KeyContactFactory(child=child, name=f"Other{n}")

    add_child(1)
    client.get("/parent/")  # the first visit records the parent view in the session
    # session, the user with their standing, children with their school and contact plan,
    # key contacts, the latest praise, upcoming meetings, meetings with the SENDCo this
    # year, the next group sessions (none here, so no places are fetched), consultations
    # waiting for their views.
    with django_assert_num_queries(9):
        one = client.get("/parent/")
    for n in range(2, 8):
        add_child(n)
    with django_assert_num_queries(9):
        many = client.get("/parent/")
    assert b"Contact1" in one.content
    assert all(f"Contact{n}".encode() in many.content for n in range(1, 8))


def test_staff_home_lists_their_children_in_constant_queries(
    client, school, login_with_password, django_assert_num_queries
):
    teacher = staff_member(school, "teacher")
    membership = teacher.memberships.get()
    login_with_password(client, teacher)
    for _ in range(3):
        AssignmentFactory(membership=membership, child=ChildFactory(school=school))
    client.get("/staff/")  # the first visit records the staff view in the session
    # session, the user with their standing, two-factor gate (authenticator), "is
    # staff?", count, the page of children with their school, the school tools' schools,
    # the thanks families sent.
    with django_assert_num_queries(8):
        client.get("/staff/")
    for _ in range(40):
        AssignmentFactory(membership=membership, child=ChildFactory(school=school))
    with django_assert_num_queries(8):
        page = client.get("/staff/")
    assert page.context["page"].paginator.count == 43
