import pytest

from partnership.contact.models import ContactEntry
from partnership.contact.radar import school_radar
from partnership.meetings.models import SessionPlace
from partnership.meetings.services.session_attendance import attendance_record
from partnership.meetings.services.sessions import SessionRefused, place_take

from .session_helpers import a_session, family, make_started


def _session_with_families(school, count=3, **kwargs):
    session = a_session(school, capacity=count, **kwargs)
    people = [family(school) for _ in range(count)]
    places = [place_take(session=session, parent=p, child=c, by=p) for p, c in people]
    make_started(session)
    return session, people, places


def test_attendance_is_logged_as_one_sendco_meeting_for_those_who_came(school, sendco):
    session, people, places = _session_with_families(school)
    entry = attendance_record(
        session=session, by=sendco, attended_place_ids=[places[0].pk, places[1].pk]
    )
    assert entry.channel == "meeting" and entry.is_sendco_meeting
    assert entry.happened_at == session.starts_at
    assert set(entry.children.all()) == {people[0][1], people[1][1]}
    assert set(entry.parents.all()) == {people[0][0], people[1][0]}
    assert [p.attended for p in SessionPlace.objects.order_by("joined_at", "pk")] == [
        True,
        True,
        False,
    ]
    # The SENDCo's count of meetings this year sees it, family by family.
    meetings = {row.child.pk: row.sendco_meetings for row in school_radar(school).rows}
    assert meetings[people[0][1].pk] == 1
    assert meetings[people[2][1].pk] == 0


def test_recording_again_corrects_the_one_entry(school, sendco):
    session, people, places = _session_with_families(school)
    attendance_record(session=session, by=sendco, attended_place_ids=[places[0].pk])
    entry = attendance_record(
        session=session, by=sendco, attended_place_ids=[places[1].pk, places[2].pk]
    )
    assert ContactEntry.objects.count() == 1
    assert set(entry.children.all()) == {people[1][1], people[2][1]}
    assert SessionPlace.objects.get(pk=places[0].pk).contact_entry is None
    assert attendance_record(session=session, by=sendco, attended_place_ids=[]) is None
    assert not ContactEntry.objects.exists()


def test_a_session_not_led_by_the_sendco_is_contact_but_not_a_sendco_meeting(school, sendco):
    session, _people, places = _session_with_families(school, count=1, host_role="teacher")
    entry = attendance_record(session=session, by=sendco, attended_place_ids=[places[0].pk])
    assert entry is not None and not entry.is_sendco_meeting


def test_attendance_waits_for_the_start_and_only_names_places(school, sendco):
    session = a_session(school)
    parent, child = family(school)
    place = place_take(session=session, parent=parent, child=child, by=parent)
    with pytest.raises(SessionRefused, match="once the session has started"):
        attendance_record(session=session, by=sendco, attended_place_ids=[place.pk])
    make_started(session)
    with pytest.raises(SessionRefused, match="Only people with a place"):
        attendance_record(session=session, by=sendco, attended_place_ids=[place.pk + 999])


def test_teacher_cannot_record_attendance(school, teacher):
    session, _people, places = _session_with_families(school, count=1)
    with pytest.raises(SessionRefused):
        attendance_record(session=session, by=teacher, attended_place_ids=[places[0].pk])
