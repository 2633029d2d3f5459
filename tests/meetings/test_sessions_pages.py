import pytest
from django.urls import reverse

from partnership.meetings.models import GroupSession, SessionPlace
from partnership.meetings.services.sessions import place_take

from ..conftest import staff_member
from ..factories import FamilyLinkFactory
from .session_helpers import a_session, family, mails, make_started


def _parent_client(client, parent):
    client.force_login(parent)
    return client


def test_parent_list_shows_sessions_at_their_childs_school(client, school, other_school, parent):
    full = a_session(school, capacity=1, title="Coffee and chat")
    other, other_child = family(school)
    place_take(session=full, parent=other, child=other_child, by=other)
    a_session(school, capacity=5, title="Understanding autism")
    a_session(other_school, title="Elsewhere")
    page = _parent_client(client, parent).get(reverse("session_list")).content.decode()
    assert "Coffee and chat" in page and "Understanding autism" in page
    assert "Elsewhere" not in page
    assert "Full: you can join the waiting list" in page
    assert "5 places left" in page


def test_parent_list_empty_state(client, parent):
    page = _parent_client(client, parent).get(reverse("session_list")).content.decode()
    assert "no sessions coming up" in page


def test_sign_up_and_leave_with_confirmation(client, school, parent, child):
    session = a_session(school, capacity=1)
    _parent_client(client, parent)
    detail = reverse("session_detail", args=[session.pk])
    assert "Sign up" in client.get(detail).content.decode()
    response = client.post(reverse("session_join", args=[session.pk]), {"child": child.pk})
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert "You have a place." in page
    assert reverse("session_leave", args=[session.pk]) not in page  # asks first
    assert "Yes, give up my place" in client.get(detail + "?leave=1").content.decode()
    client.post(reverse("session_leave", args=[session.pk]))
    assert SessionPlace.objects.get().status == "cancelled"


def test_full_session_offers_the_waiting_list_and_shows_the_position(client, school, parent, child):
    session = a_session(school, capacity=1)
    for _ in range(2):
        p, c = family(school)
        place_take(session=session, parent=p, child=c, by=p)
    _parent_client(client, parent)
    detail = reverse("session_detail", args=[session.pk])
    assert "Join the waiting list" in client.get(detail).content.decode()
    client.post(reverse("session_join", args=[session.pk]), {"child": child.pk})
    assert "You are number 2 on the waiting list." in client.get(detail).content.decode()


def test_parent_with_two_children_chooses_and_only_their_own(client, school, parent, child):
    sibling = FamilyLinkFactory(parent=parent, child__school=school).child
    stranger_child = family(school)[1]
    session = a_session(school)
    _parent_client(client, parent)
    page = client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert "Which child is this for?" in page and sibling.first_name in page
    client.post(reverse("session_join", args=[session.pk]), {"child": stranger_child.pk})
    assert not SessionPlace.objects.exists()
    client.post(reverse("session_join", args=[session.pk]), {"child": sibling.pk})
    assert SessionPlace.objects.get().child == sibling


def test_second_sign_up_is_refused_kindly(client, school, parent, child):
    session = a_session(school)
    _parent_client(client, parent)
    client.post(reverse("session_join", args=[session.pk]), {"child": child.pk})
    response = client.post(
        reverse("session_join", args=[session.pk]), {"child": child.pk}, follow=True
    )
    assert "You already have a place" in response.content.decode()
    assert SessionPlace.objects.count() == 1
    assert mails("session_confirmed").count() == 1


def test_parent_of_another_school_gets_404(client, other_school, parent):
    session = a_session(other_school)
    _parent_client(client, parent)
    for name in ("session_detail", "session_join", "session_leave"):
        assert client.get(reverse(name, args=[session.pk])).status_code == 404
        assert client.post(reverse(name, args=[session.pk])).status_code == 404


def test_join_and_leave_are_post_only(client, school, parent):
    session = a_session(school)
    _parent_client(client, parent)
    assert client.get(reverse("session_join", args=[session.pk])).status_code == 405
    assert client.get(reverse("session_leave", args=[session.pk])).status_code == 405


def test_a_parent_cannot_leave_anothers_place(client, school, parent):
    session = a_session(school)
    owner, owner_child = family(school)
    place = place_take(session=session, parent=owner, child=owner_child, by=owner)
    _parent_client(client, parent)
    client.post(reverse("session_leave", args=[session.pk]))
    place.refresh_from_db()
    assert place.status == "confirmed"


@pytest.mark.parametrize("count", [1, 10])
def test_parent_list_query_count_is_flat(
    client, school, parent, child, count, django_assert_num_queries
):
    for _ in range(count):
        session = a_session(school, capacity=count + 1)
        place_take(session=session, parent=parent, child=child, by=parent)
        for _ in range(count):
            p, c = family(school)
            place_take(session=session, parent=p, child=c, by=p)
    _parent_client(client, parent)
    # Session and the user with their standing (2), the sessions' count and page, the
    # parent's own places.
    with django_assert_num_queries(5):
        response = client.get(reverse("session_list"))
    assert response.content.decode().count("You have a place") == count


def test_staff_create_edit_and_cancel(client, school, sendco, login_with_password):
    login_with_password(client, sendco)
    response = client.post(
        reverse("session_new", args=[school.slug]),
        {
            "kind": "workshop",
            "topic": "curriculum",
            "title": "Phonics at home",
            "description": "How we teach reading, and games to play at home.",
            "day": "2031-03-27",
            "starts": "09:00",
            "ends": "10:00",
            "mode": "in_person",
            "location": "Year 1 classroom",
            "capacity": "8",
            "host": sendco.memberships.get().pk,
        },
    )
    session = GroupSession.objects.get()
    assert response.status_code == 302
    # The clocks go forward on 30 March 2031: 09:00 school time is 09:00 GMT before it.
    assert session.starts_at.isoformat() == "2031-03-27T09:00:00+00:00"
    p, c = family(school)
    place_take(session=session, parent=p, child=c, by=p)
    edit = reverse("session_edit", args=[school.slug, session.pk])
    form = client.get(edit).content.decode()
    assert 'value="2031-03-27"' in form and 'value="09:00"' in form
    data = {
        "kind": "workshop",
        "topic": "curriculum",
        "title": "Phonics at home",
        "day": "2031-04-03",
        "starts": "09:00",
        "ends": "10:00",
        "mode": "in_person",
        "location": "Year 1 classroom",
        "capacity": "8",
    }
    client.post(edit, data)
    session.refresh_from_db()
    # After the change to summer time 09:00 in London is 08:00 UTC.
    assert session.starts_at.isoformat() == "2031-04-03T08:00:00+00:00"
    assert mails("session_changed").count() == 1
    cancel = reverse("session_cancel", args=[school.slug, session.pk])
    assert "Yes, cancel the session" in client.get(cancel).content.decode()
    client.post(cancel, {"reason": "Staff training"})
    session.refresh_from_db()
    assert session.cancelled_at is not None
    assert mails("session_cancelled").count() == 1


def test_staff_form_errors_are_shown(client, school, sendco, login_with_password):
    login_with_password(client, sendco)
    response = client.post(
        reverse("session_new", args=[school.slug]),
        {"kind": "workshop", "topic": "other", "title": "Video", "day": "2031-03-27",
         "starts": "10:00", "ends": "09:00", "mode": "video", "capacity": "5"},
    )  # fmt: skip
    page = response.content.decode()
    assert "must end after it starts" in page and "video link" in page
    assert not GroupSession.objects.exists()


def test_staff_detail_lists_places_and_waiting_in_order(
    client, school, sendco, login_with_password
):
    session = a_session(school, capacity=1)
    people = [family(school, f"w{n}@example.test") for n in range(3)]
    for p, c in people:
        place_take(session=session, parent=p, child=c, by=p)
    login_with_password(client, sendco)
    page = client.get(reverse("session_staff_detail", args=[school.slug, session.pk]))
    text = page.content.decode()
    names = [p.full_name for p, _c in people]
    assert text.index(names[0]) < text.index("Waiting list") < text.index(names[1])
    assert text.index(names[1]) < text.index(names[2])
    manage = client.get(reverse("session_manage", args=[school.slug])).content.decode()
    assert "1 / 1" in manage


def test_staff_record_attendance_on_the_page(client, school, sendco, login_with_password):
    session = a_session(school, capacity=2)
    people = [family(school) for _ in range(2)]
    places = [place_take(session=session, parent=p, child=c, by=p) for p, c in people]
    make_started(session)
    login_with_password(client, sendco)
    url = reverse("session_staff_detail", args=[school.slug, session.pk])
    assert "Save attendance" in client.get(url).content.decode()
    client.post(url, {"attended": [str(places[0].pk)]})
    assert [p.attended for p in SessionPlace.objects.order_by("joined_at", "pk")] == [True, False]


@pytest.mark.parametrize("role", ["teacher", "governor"])
def test_staff_pages_only_for_the_schools_sendco_and_administrators(
    client, school, other_school, role, login_with_password
):
    session = a_session(school)
    login_with_password(client, staff_member(school, role))
    assert client.get(reverse("session_manage", args=[school.slug])).status_code == 404
    client.logout()
    login_with_password(client, staff_member(other_school, "sendco"))
    for name in ("session_staff_detail", "session_edit", "session_cancel"):
        assert client.get(reverse(name, args=[school.slug, session.pk])).status_code == 404
        # Their own school's address does not reach another school's session either.
        assert client.get(reverse(name, args=[other_school.slug, session.pk])).status_code == 404
    assert (
        client.post(reverse("session_cancel", args=[other_school.slug, session.pk])).status_code
        == 404
    )


def test_administrator_manages_sessions(client, school, administrator, login_with_password):
    session = a_session(school)
    login_with_password(client, administrator)
    assert (
        client.get(reverse("session_staff_detail", args=[school.slug, session.pk])).status_code
        == 200
    )


@pytest.mark.parametrize("count", [1, 10])
def test_staff_detail_query_count_is_flat(
    client, school, sendco, login_with_password, count, django_assert_num_queries
):
    session = a_session(school, capacity=count)
    for _ in range(count * 2):
        p, c = family(school)
        place_take(session=session, parent=p, child=c, by=p)
    login_with_password(client, sendco)
    url = reverse("session_staff_detail", args=[school.slug, session.pk])
    # Sign-in with standing and the TOTP check (3), access (2), the session, its places.
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_staff_attendance_form_query_count_is_flat(
    client, school, sendco, login_with_password, count, django_assert_num_queries
):
    session = a_session(school, capacity=count)
    for _ in range(count):
        p, c = family(school)
        place_take(session=session, parent=p, child=c, by=p)
    make_started(session)
    login_with_password(client, sendco)
    url = reverse("session_staff_detail", args=[school.slug, session.pk])
    # Sign-in with standing and the TOTP check (3), access (2), the session, its places.
    with django_assert_num_queries(7):
        response = client.get(url)
    assert "Save attendance" in response.content.decode()


@pytest.mark.parametrize("count", [1, 10])
def test_staff_manage_query_count_is_flat(
    client, school, sendco, login_with_password, count, django_assert_num_queries
):
    for _ in range(count):
        session = a_session(school, capacity=1)
        for _ in range(2):
            p, c = family(school)
            place_take(session=session, parent=p, child=c, by=p)
    make_started(a_session(school))
    login_with_password(client, sendco)
    # Sign-in with standing and the TOTP check (3), access (2), two lists counted and read (4).
    with django_assert_num_queries(9):
        response = client.get(reverse("session_manage", args=[school.slug]))
    assert response.content.decode().count("1 / 1") == count


def test_home_fragment_shows_the_next_sessions(school, parent, child):
    from django.template.loader import render_to_string

    from partnership.meetings.selectors_sessions import upcoming_for_parent

    session = a_session(school, title="Wellbeing walk")
    place_take(session=session, parent=parent, child=child, by=parent)
    html = render_to_string(
        "meetings/fragment_parent_home.html", {"sessions": upcoming_for_parent(parent)}
    )
    assert "Wellbeing walk" in html and "You have a place" in html
