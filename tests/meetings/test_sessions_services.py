import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from partnership.meetings.models import GroupSession, SessionPlace
from partnership.meetings.services.sessions import (
    SessionRefused,
    place_cancel,
    place_take,
    session_cancel,
    session_create,
    session_update,
)

from ..conftest import staff_member
from .session_helpers import a_session, family, mails

CONFIRMED, WAITING, CANCELLED = "confirmed", "waiting", "cancelled"


def test_create_session_in_school_time(school, sendco):
    start = datetime.datetime(2030, 10, 24, 9, 30, tzinfo=datetime.UTC)
    host = sendco.memberships.get()
    session = session_create(
        school=school,
        by=sendco,
        kind="workshop",
        topic="behaviour",
        title="  Managing behaviour at home ",
        description="",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        mode="in_person",
        location="The hall",
        video_link="https://ignored.example",
        capacity=15,
        host=host,
    )
    assert session.title == "Managing behaviour at home"
    assert session.video_link == ""  # only kept for video sessions
    assert session.confirmed_count == 0


@pytest.mark.parametrize(
    "change, message",
    [
        ({"capacity": 0}, "between 1 and 500"),
        ({"mode": "video", "video_link": ""}, "video link"),
        ({"location": ""}, "where in school"),
        ({"starts_at": timezone.now() - datetime.timedelta(hours=1)}, "future"),
    ],
)
def test_create_refuses_bad_details(school, sendco, change, message):
    start = timezone.now() + datetime.timedelta(days=3)
    details = {
        "kind": "coffee_morning",
        "topic": "autism",
        "title": "Coffee",
        "description": "",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=1),
        "mode": "in_person",
        "location": "Library",
        "video_link": "",
        "capacity": 10,
        "host": None,
        **change,
    }
    with pytest.raises(SessionRefused, match=message):
        session_create(school=school, by=sendco, **details)


def test_teacher_cannot_create(school, teacher):
    start = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(SessionRefused):
        session_create(
            school=school, by=teacher, kind="workshop", topic="other", title="x",
            description="", starts_at=start, ends_at=start + datetime.timedelta(hours=1),
            mode="phone", location="", video_link="", capacity=5, host=None,
        )  # fmt: skip


def test_places_then_waiting_list_in_order(school):
    session = a_session(school, capacity=2)
    people = [family(school, f"p{n}@example.test") for n in range(4)]
    places = [place_take(session=session, parent=p, child=c, by=p) for p, c in people]
    assert [p.status for p in places] == [CONFIRMED, CONFIRMED, WAITING, WAITING]
    session.refresh_from_db()
    assert session.confirmed_count == 2
    assert mails("session_confirmed").count() == 2
    assert mails("session_waiting").count() == 2
    confirmed_mail = mails("session_confirmed", "p0@example.test").get()
    assert "BEGIN:VCALENDAR" in confirmed_mail.calendar
    # A turn on the waiting list is not a place: no invitation for the diary.
    assert mails("session_waiting", "p2@example.test").get().calendar == ""


def test_second_sign_up_says_you_already_have_a_place(school):
    session = a_session(school, capacity=1)
    parent, child = family(school)
    place_take(session=session, parent=parent, child=child, by=parent)
    with pytest.raises(SessionRefused, match="You already have a place"):
        place_take(session=session, parent=parent, child=child, by=parent)
    other, other_child = family(school)
    place_take(session=session, parent=other, child=other_child, by=other)
    with pytest.raises(SessionRefused, match="already on the waiting list"):
        place_take(session=session, parent=other, child=other_child, by=other)


def test_database_allows_one_live_place_per_parent(school):
    session = a_session(school)
    parent, child = family(school)
    SessionPlace.objects.create(session=session, parent=parent, child=child, status=WAITING)
    with pytest.raises(IntegrityError):
        SessionPlace.objects.create(session=session, parent=parent, child=child, status=WAITING)


def test_database_never_lets_the_count_pass_capacity(school):
    session = a_session(school, capacity=1)
    with pytest.raises(IntegrityError):
        GroupSession.objects.filter(pk=session.pk).update(confirmed_count=2)


def test_only_for_own_child_at_the_session_school(school, other_school, child, parent):
    session = a_session(school)
    stranger, strangers_child = family(school)
    with pytest.raises(SessionRefused, match="your children"):
        place_take(session=session, parent=parent, child=strangers_child, by=parent)
    elsewhere = a_session(other_school)
    with pytest.raises(SessionRefused, match="your children"):
        place_take(session=elsewhere, parent=parent, child=child, by=parent)
    # Nor may one parent sign another up.
    with pytest.raises(SessionRefused):
        place_take(session=session, parent=stranger, child=strangers_child, by=parent)


def test_no_sign_up_after_the_start(school):
    session = a_session(school)
    parent, child = family(school)
    GroupSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    session.refresh_from_db()
    with pytest.raises(SessionRefused, match="already started"):
        place_take(session=session, parent=parent, child=child, by=parent)


def test_leaving_moves_the_first_waiting_up_and_emails_them_once(school):
    session = a_session(school, capacity=1)
    people = [family(school, f"q{n}@example.test") for n in range(3)]
    first, second, third = [place_take(session=session, parent=p, child=c, by=p) for p, c in people]
    place_cancel(place=first, by=people[0][0])
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (CONFIRMED, WAITING)
    assert second.confirmed_at is not None
    session.refresh_from_db()
    assert session.confirmed_count == 1
    moved = mails("session_moved_up", "q1@example.test").get()
    assert "You have a place now" in moved.subject
    assert "BEGIN:VCALENDAR" in moved.calendar
    assert mails("session_moved_up").count() == 1
    left = mails("session_left", "q0@example.test").get()
    assert "METHOD:CANCEL" in left.calendar


def test_leaving_the_waiting_list_moves_nobody(school):
    session = a_session(school, capacity=1)
    people = [family(school) for _ in range(3)]
    places = [place_take(session=session, parent=p, child=c, by=p) for p, c in people]
    place_cancel(place=places[1], by=people[1][0])
    places[2].refresh_from_db()
    assert places[2].status == WAITING
    assert not mails("session_moved_up").exists()
    with pytest.raises(SessionRefused, match="already cancelled"):
        place_cancel(place=places[1], by=people[1][0])


def test_a_parent_cannot_cancel_anothers_place(school):
    session = a_session(school)
    (owner, child), (other, _c) = family(school), family(school)
    place = place_take(session=session, parent=owner, child=child, by=owner)
    with pytest.raises(SessionRefused):
        place_cancel(place=place, by=other)
    place.refresh_from_db()
    assert place.status == CONFIRMED


def test_staff_may_cancel_a_place_for_a_parent(school, sendco):
    session = a_session(school)
    parent, child = family(school)
    place = place_take(session=session, parent=parent, child=child, by=parent)
    place_cancel(place=place, by=sendco)
    place.refresh_from_db()
    assert place.status == CANCELLED


def test_raising_capacity_moves_the_waiting_list_up_in_order(school, sendco):
    session = a_session(school, capacity=1)
    people = [family(school, f"r{n}@example.test") for n in range(4)]
    for p, c in people:
        place_take(session=session, parent=p, child=c, by=p)
    session_update(session=session, by=sendco, capacity=3)
    session.refresh_from_db()
    assert session.confirmed_count == 3
    assert sorted(mails("session_moved_up").values_list("to_email", flat=True)) == [
        "r1@example.test",
        "r2@example.test",
    ]
    assert SessionPlace.objects.get(parent=people[3][0]).status == WAITING


def test_capacity_cannot_go_below_the_places_taken(school, sendco):
    session = a_session(school, capacity=3)
    for p, c in [family(school) for _ in range(2)]:
        place_take(session=session, parent=p, child=c, by=p)
    with pytest.raises(SessionRefused, match="2 people already have a place"):
        session_update(session=session, by=sendco, capacity=1)
    session_update(session=session, by=sendco, capacity=2)
    session.refresh_from_db()
    assert (session.capacity, session.confirmed_count) == (2, 2)


def test_new_time_is_sent_to_everyone_signed_up(school, sendco):
    session = a_session(school, capacity=1)
    people = [family(school) for _ in range(2)]
    for p, c in people:
        place_take(session=session, parent=p, child=c, by=p)
    session_update(session=session, by=sendco, title="A new title")
    assert not mails("session_changed").exists()
    later = session.starts_at + datetime.timedelta(days=1)
    session_update(
        session=session, by=sendco, starts_at=later, ends_at=later + datetime.timedelta(hours=1)
    )
    changed = mails("session_changed")
    assert changed.count() == 2
    assert [bool(m.calendar) for m in changed.order_by("pk")] == [True, False]


def test_cancelling_a_session_tells_everyone(school, sendco):
    session = a_session(school, capacity=1)
    people = [family(school, f"s{n}@example.test") for n in range(3)]
    places = [place_take(session=session, parent=p, child=c, by=p) for p, c in people]
    place_cancel(place=places[2], by=people[2][0])  # already left: not told again
    session_cancel(session=session, by=sendco, reason="The hall is flooded.")
    session.refresh_from_db()
    assert session.cancelled_at is not None and session.confirmed_count == 0
    cancelled = mails("session_cancelled")
    assert sorted(cancelled.values_list("to_email", flat=True)) == [
        "s0@example.test",
        "s1@example.test",
    ]
    with_place = cancelled.get(to_email="s0@example.test")
    assert "METHOD:CANCEL" in with_place.calendar
    assert "The hall is flooded." in with_place.body_text
    assert set(SessionPlace.objects.values_list("status", flat=True)) == {CANCELLED}
    with pytest.raises(SessionRefused, match="cancelled"):
        place_take(session=session, parent=people[2][0], child=people[2][1], by=people[2][0])
    with pytest.raises(SessionRefused, match="already cancelled"):
        session_cancel(session=session, by=sendco, reason="")


def test_administrator_may_manage_but_not_another_schools_sendco(school, other_school):
    session = a_session(school)
    admin = staff_member(school, "administrator")
    session_update(session=session, by=admin, capacity=5)
    outsider = staff_member(other_school, "sendco")
    with pytest.raises(SessionRefused):
        session_update(session=session, by=outsider, capacity=6)
    with pytest.raises(SessionRefused):
        session_cancel(session=session, by=outsider, reason="")
