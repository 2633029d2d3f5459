"""The rules of the contact log: whose children, whose parents, what counts as a SENDCo
meeting, and the parent's own side of the record."""

import datetime

import pytest
from django.utils import timezone

from partnership.contact.models import AgreedAction, CheckIn, Confirmation, ContactEntry
from partnership.contact.services.log import (
    ContactRefused,
    action_done,
    contact_confirm,
    contact_log,
)
from tests.conftest import staff_member
from tests.factories import ChildFactory, FamilyLinkFactory, MembershipFactory, UserFactory
from tests.factories_contact import CheckInFactory, ContactEntryFactory

NOW = timezone.make_aware(datetime.datetime(2026, 11, 20, 10, 30))


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def log(school, by, **overrides):
    fields = {
        "school": school,
        "children": [],
        "parents": [],
        "happened_at": NOW - datetime.timedelta(hours=1),
        "channel": "phone",
        "started_by": "school",
        "summary": "Talked about the trip next week",
        "shared_with_family": True,
        "actions": [],
        "by": by,
    }
    fields.update(overrides)
    return contact_log(**fields)


def test_a_contact_is_logged_with_its_children_parents_and_actions(school, child, parent, sendco):
    sibling = ChildFactory(school=school)
    FamilyLinkFactory(parent=parent, child=sibling)
    due = datetime.date(2026, 11, 27)
    entry = log(
        school,
        sendco,
        children=[child, sibling],
        parents=[parent],
        actions=[
            {"description": "Send the trip letter home", "owner": sendco, "due_on": due},
            {"description": "Practise the bus route", "owner": parent},
            {"description": "Book the speech therapist", "owner_label": "NHS speech team"},
        ],
    )
    entry.refresh_from_db()
    assert set(entry.children.all()) == {child, sibling}
    assert list(entry.parents.all()) == [parent]
    assert entry.author == sendco and entry.shared_with_family
    actions = list(entry.actions.order_by("pk"))
    assert [a.description for a in actions] == [
        "Send the trip letter home",
        "Practise the bus route",
        "Book the speech therapist",
    ]
    assert actions[0].owner == sendco and actions[0].due_on == due
    assert actions[1].owner == parent
    assert actions[2].owner is None and actions[2].owner_label == "NHS speech team"


def test_a_child_of_another_school_is_refused(school, other_school, child, sendco):
    elsewhere = ChildFactory(school=other_school)
    with pytest.raises(ContactRefused, match="same school"):
        log(school, sendco, children=[child, elsewhere])
    assert not ContactEntry.objects.exists()


def test_a_parent_not_linked_to_the_children_is_refused(school, child, parent, sendco):
    stranger = FamilyLinkFactory(child=ChildFactory(school=school)).parent
    with pytest.raises(ContactRefused, match="not a parent or carer"):
        log(school, sendco, children=[child], parents=[parent, stranger])
    assert not ContactEntry.objects.exists()


def test_a_contact_needs_a_child_a_summary_and_a_time_not_in_the_future(school, child, sendco):
    with pytest.raises(ContactRefused):
        log(school, sendco, children=[])
    with pytest.raises(ContactRefused):
        log(school, sendco, children=[child], summary="   ")
    with pytest.raises(ContactRefused, match="future"):
        log(school, sendco, children=[child], happened_at=NOW + datetime.timedelta(hours=2))
    with pytest.raises(ContactRefused):
        log(school, sendco, children=[child], channel="check_in")
    assert not ContactEntry.objects.exists()


def test_an_action_belongs_to_staff_of_the_school_or_to_a_parent_in_the_contact(
    school, other_school, child, parent, sendco
):
    outsider = staff_member(other_school, "teacher")
    with pytest.raises(ContactRefused, match="member of staff"):
        log(school, sendco, children=[child], actions=[{"description": "x", "owner": outsider}])
    with pytest.raises(ContactRefused, match="who will do"):
        log(school, sendco, children=[child], actions=[{"description": "Call the GP"}])
    too_many = [{"description": "x", "owner": sendco}] * 4
    with pytest.raises(ContactRefused, match="at most 3"):
        log(school, sendco, children=[child], actions=too_many)
    assert not AgreedAction.objects.exists()


@pytest.mark.parametrize(
    "role, channel, counts",
    [
        ("sendco", "meeting", True),
        ("sendco", "video", True),
        ("sendco", "home_visit", True),
        ("sendco", "phone", False),
        ("sendco", "email", False),
        ("teacher", "meeting", False),
        ("administrator", "meeting", False),
    ],
)
def test_only_a_meeting_with_the_sendco_counts_towards_the_six_a_year(
    school, child, role, channel, counts
):
    author = staff_member(school, role)
    entry = log(school, author, children=[child], channel=channel)
    assert entry.is_sendco_meeting is counts


def test_a_sendco_of_another_school_does_not_make_it_a_sendco_meeting(school, other_school, child):
    author = staff_member(school, "teacher")
    MembershipFactory(user=author, school=other_school, role="sendco")
    entry = log(school, author, children=[child], channel="meeting")
    assert not entry.is_sendco_meeting


def test_talking_with_the_parent_answers_their_call_back_request(school, child, parent, sendco):
    asked = CheckInFactory(
        parent=parent, school=school, wants_call=True, answered_at=NOW - datetime.timedelta(days=1)
    )
    by_email = log(school, sendco, children=[child], parents=[parent], channel="email")
    assert by_email.callbacks_answered == 0
    asked.refresh_from_db()
    assert asked.call_done_at is None  # an email is not the call they asked for
    by_phone = log(school, sendco, children=[child], parents=[parent], channel="phone")
    assert by_phone.callbacks_answered == 1
    asked.refresh_from_db()
    assert asked.call_done_at == NOW


def test_a_call_logged_as_earlier_the_same_day_answers_the_request(school, child, parent, sendco):
    CheckInFactory(parent=parent, school=school, wants_call=True, answered_at=NOW)
    log(school, sendco, children=[child], parents=[parent], happened_at=NOW.replace(hour=9))
    assert CheckIn.objects.get().call_done_at == NOW


def test_a_call_days_before_the_request_does_not_answer_it(school, child, parent, sendco):
    CheckInFactory(parent=parent, school=school, wants_call=True, answered_at=NOW)
    log(
        school,
        sendco,
        children=[child],
        parents=[parent],
        happened_at=NOW - datetime.timedelta(days=2),
    )
    assert CheckIn.objects.get().call_done_at is None


def test_an_action_is_marked_done_once(school, child, sendco):
    entry = log(school, sendco, children=[child], actions=[{"description": "x", "owner": sendco}])
    action = entry.actions.get()
    assert action_done(action=action, by=sendco).done_at == NOW
    with pytest.raises(ContactRefused, match="already"):
        action_done(action=action, by=sendco)


def shared_entry(school, child, **kwargs):
    return ContactEntryFactory(school=school, children=[child], **kwargs)


def test_a_parent_confirms_and_can_change_their_answer(school, child, parent):
    entry = shared_entry(school, child, parents=[parent])
    contact_confirm(entry=entry, parent=parent, answer="confirmed", note="")
    contact_confirm(entry=entry, parent=parent, answer="disputed", note=" It was Tuesday ")
    answer = Confirmation.objects.get()
    assert (answer.answer, answer.note) == ("disputed", "It was Tuesday")


def test_a_parent_linked_to_the_child_answers_even_if_not_named(school, child, parent):
    entry = shared_entry(school, child)
    contact_confirm(entry=entry, parent=parent, answer="confirmed")
    assert Confirmation.objects.filter(parent=parent, answer="confirmed").exists()


def test_only_a_party_answers_and_only_on_a_shared_entry(school, child, parent):
    other_parent = FamilyLinkFactory(child=ChildFactory(school=school)).parent
    with pytest.raises(ContactRefused, match="Only a parent"):
        contact_confirm(entry=shared_entry(school, child), parent=other_parent, answer="disputed")
    unshared = shared_entry(school, child, parents=[parent], shared_with_family=False)
    with pytest.raises(ContactRefused, match="not shared"):
        contact_confirm(entry=unshared, parent=parent, answer="confirmed")
    with pytest.raises(ContactRefused):
        contact_confirm(entry=shared_entry(school, child), parent=parent, answer="maybe")
    assert not Confirmation.objects.exists()


def test_a_parent_does_not_confirm_their_own_check_in(school, child, parent):
    own = shared_entry(school, child, parents=[parent], author=parent, channel="check_in")
    with pytest.raises(ContactRefused, match="your own"):
        contact_confirm(entry=own, parent=parent, answer="confirmed")


def test_a_parent_of_another_family_is_not_a_party_even_as_a_user(school, child):
    with pytest.raises(ContactRefused):
        contact_confirm(entry=shared_entry(school, child), parent=UserFactory(), answer="confirmed")
