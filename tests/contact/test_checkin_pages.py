"""The check-in on the portal: a parent's list and answer page, their choice of how often,
and staff marking a call-back as done."""

import datetime

import pytest

from partnership.contact.models import CheckIn, CheckInPreference
from partnership.contact.services.checkins import checkin_answer, checkin_token
from tests.conftest import staff_member
from tests.factories import AssignmentFactory, ChildFactory, FamilyLinkFactory, UserFactory
from tests.factories_contact import CheckInFactory

pytestmark = pytest.mark.django_db

ALREADY = "You have already answered this week"


@pytest.fixture
def checkin(school, parent):
    return CheckInFactory(parent=parent, school=school)


# --- on the portal, signed in ----------------------------------------------------------


@pytest.fixture
def signed_in(client, login_with_password):
    def sign_in(user):
        client.logout()
        login_with_password(client, user)
        return client

    return sign_in


def test_a_parent_answers_on_the_portal_from_their_list(signed_in, checkin, parent):
    older = CheckInFactory(parent=parent, school=checkin.school, week_of="2026-01-05")
    client = signed_in(parent)

    page = client.get("/checkins/").content.decode()
    assert page.index(f'action="/checkins/{checkin.pk}/"') < page.index("5 January 2026")
    response = client.post(f"/checkins/{checkin.pk}/", {"rating": 2, "wants_call": "on"})

    assert response.status_code == 302 and response["Location"] == "/checkins/"
    checkin.refresh_from_db()
    assert (checkin.rating, checkin.wants_call) == (2, True)
    older.refresh_from_db()
    assert older.answered_at is None


def test_another_parents_checkin_is_not_found(signed_in, checkin, school):
    stranger = FamilyLinkFactory(child=ChildFactory(school=school)).parent
    client = signed_in(stranger)

    assert client.get(f"/checkins/{checkin.pk}/").status_code == 404
    assert client.post(f"/checkins/{checkin.pk}/", {"rating": 1}).status_code == 404
    assert f"/checkins/{checkin.pk}/" not in client.get("/checkins/").content.decode()
    checkin.refresh_from_db()
    assert checkin.answered_at is None


def test_an_answered_checkin_on_the_portal_says_thank_you_and_keeps_the_answer(
    signed_in, checkin, parent
):
    checkin_answer(checkin=checkin, rating=5)
    client = signed_in(parent)

    assert ALREADY in client.get(f"/checkins/{checkin.pk}/").content.decode()
    client.post(f"/checkins/{checkin.pk}/", {"rating": 1})
    assert CheckIn.objects.get().rating == 5


def test_a_parent_with_no_checkins_is_told_what_comes_next(signed_in, parent):
    page = signed_in(parent).get("/checkins/").content.decode()
    assert "No check-ins yet" in page


def test_a_parent_chooses_how_often_for_each_school(signed_in, parent, school, other_school):
    FamilyLinkFactory(parent=parent, child=ChildFactory(school=other_school))
    client = signed_in(parent)

    page = client.get("/checkins/preferences/").content.decode()
    assert "Check-ins from Riverside" in page and "Check-ins from Hillside" in page
    response = client.post(
        "/checkins/preferences/",
        {f"school_{school.pk}": "fortnightly", f"school_{other_school.pk}": "none"},
    )

    assert response.status_code == 302
    assert dict(
        CheckInPreference.objects.filter(parent=parent).values_list("school__slug", "frequency")
    ) == {"riverside": "fortnightly", "hillside": "none"}


def test_a_school_the_parent_has_no_child_at_cannot_be_chosen(signed_in, parent, other_school):
    client = signed_in(parent)
    client.post("/checkins/preferences/", {f"school_{other_school.pk}": "none"})
    assert not CheckInPreference.objects.filter(school=other_school).exists()


def test_preferences_are_for_parents_only(signed_in, school):
    assert (
        signed_in(staff_member(school, "sendco")).get("/checkins/preferences/").status_code == 404
    )


# --- the call back ---------------------------------------------------------------------


def test_staff_who_work_with_the_child_mark_the_call_done(signed_in, checkin, teacher, child):
    checkin_answer(checkin=checkin, rating=3, wants_call=True)
    AssignmentFactory(membership=teacher.memberships.get(), child=child)
    client = signed_in(teacher)

    assert client.get(f"/checkins/{checkin.pk}/call-done/").status_code == 405
    response = client.post(f"/checkins/{checkin.pk}/call-done/")

    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.call_done_at is not None


@pytest.mark.parametrize("who", ["unassigned_teacher", "sendco_elsewhere", "parent", "governor"])
def test_nobody_else_can_mark_the_call_done(
    signed_in, checkin, teacher, other_school, school, parent, who
):
    user = {
        "unassigned_teacher": lambda: teacher,
        "sendco_elsewhere": lambda: staff_member(other_school, "sendco"),
        "parent": lambda: parent,
        "governor": lambda: staff_member(school, "governor"),
    }[who]()

    assert signed_in(user).post(f"/checkins/{checkin.pk}/call-done/").status_code == 404
    checkin.refresh_from_db()
    assert checkin.call_done_at is None


def test_a_sendco_sees_a_family_with_children_elsewhere_only_through_their_school(
    signed_in, school, other_school, sendco
):
    parent = FamilyLinkFactory(child=ChildFactory(school=other_school)).parent
    FamilyLinkFactory(parent=parent, child=ChildFactory(school=school))
    theirs = CheckInFactory(parent=parent, school=other_school)
    ours = CheckInFactory(parent=parent, school=school, week_of=theirs.week_of)
    client = signed_in(sendco)

    assert client.post(f"/checkins/{theirs.pk}/call-done/").status_code == 404
    assert client.post(f"/checkins/{ours.pk}/call-done/").status_code == 302


def test_a_stranger_signed_in_sees_no_more_than_first_names(signed_in, checkin):
    client = signed_in(UserFactory())
    page = client.get(f"/checkin/r/{checkin_token(checkin=checkin, rating=3)}/").content.decode()
    assert "Ava" in page and "Adams" not in page and "parent@example.test" not in page


@pytest.mark.parametrize("weeks", [3, 30])
def test_the_list_makes_the_same_queries_however_many_checkins(
    signed_in, parent, school, weeks, django_assert_num_queries
):
    monday = datetime.date(2026, 11, 23)
    for n in range(weeks):
        CheckInFactory(parent=parent, school=school, week_of=monday - datetime.timedelta(weeks=n))
    client = signed_in(parent)

    # The session and the user with their standing; the count and the page of check-ins
    # with their schools; the parent's children.
    with django_assert_num_queries(5):
        assert client.get("/checkins/").status_code == 200
