"""Answering the weekly check-in: one-tap links, the portal pages, what school hears."""

import time

import pytest
from django.core import mail, signing

from partnership.contact.models import CheckIn, ContactEntry
from partnership.contact.services.checkins import (
    CheckInRefused,
    checkin_answer,
    checkin_token,
)
from partnership.notifications.models import OutboxMessage
from tests.conftest import staff_member
from tests.factories import (
    ChildFactory,
    FamilyLinkFactory,
    KeyContactFactory,
)
from tests.factories_contact import CheckInFactory

pytestmark = pytest.mark.django_db

ALREADY = "You have already answered this week"


@pytest.fixture
def checkin(school, parent):
    return CheckInFactory(parent=parent, school=school)


@pytest.fixture
def key_teacher(school, child):
    """Ava's class teacher, her key contact on the portal."""
    teacher = staff_member(school, "teacher", "class.teacher@example.test")
    KeyContactFactory(child=child, membership=teacher.memberships.get(), name="Priya Shah")
    return teacher


def link(checkin, rating=4) -> str:
    return f"/checkin/r/{checkin_token(checkin=checkin, rating=rating)}/"


def answer(client, url, **fields):
    return client.post(url, {"rating": 4, **fields})


def alerts() -> list:
    return [m for m in mail.outbox if m.extra_headers["X-Portal-Message"].startswith("checkin-")]


# --- one-tap links ---------------------------------------------------------------------


def test_following_a_link_only_shows_the_choice_and_changes_nothing(client, checkin):
    response = client.get(link(checkin, 2))

    assert response.status_code == 200
    page = response.content.decode()
    assert "How was this week for Ava?" in page
    assert "2 – Hard" in page
    assert "Adams" not in page  # a first name only, to whoever holds the link
    checkin.refresh_from_db()
    assert checkin.answered_at is None and checkin.rating is None


def test_confirming_records_the_answer_as_a_parent_started_contact(
    client, checkin, child, parent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = answer(
            client, link(checkin, 4), rating=4, message="Slept well", heard_from_school="1-2"
        )

    assert response.status_code == 302 and response["Location"] == "/checkin/thanks/"
    checkin.refresh_from_db()
    assert (checkin.rating, checkin.message, checkin.heard_from_school) == (4, "Slept well", "1-2")
    assert checkin.answered_at is not None and not checkin.wants_call
    entry = ContactEntry.objects.get()
    assert (entry.channel, entry.started_by, entry.school_id) == (
        "check_in",
        "parent",
        checkin.school_id,
    )
    assert entry.shared_with_family and entry.author == parent
    assert list(entry.children.all()) == [child] and list(entry.parents.all()) == [parent]
    assert entry.summary == (
        "Weekly check-in: this week was “Good” (4 of 5). "
        "Heard from school this half-term: once or twice. Message: Slept well"
    )
    assert mail.outbox == []  # a good week raises no alert


def test_the_first_answer_wins_and_a_second_use_changes_nothing(client, checkin):
    answer(client, link(checkin, 5), rating=5)
    answered_at = CheckIn.objects.get().answered_at

    again = client.get(link(checkin, 1))
    assert again.status_code == 200 and ALREADY in again.content.decode()
    again = answer(client, link(checkin, 1), rating=1, wants_call="on")
    assert ALREADY in again.content.decode()

    checkin.refresh_from_db()
    assert (checkin.rating, checkin.wants_call, checkin.answered_at) == (5, False, answered_at)
    assert ContactEntry.objects.count() == 1


def test_the_service_refuses_a_second_answer(checkin):
    checkin_answer(checkin=checkin, rating=3)
    with pytest.raises(CheckInRefused, match="already answered"):
        checkin_answer(checkin=checkin, rating=1, wants_call=True)
    assert CheckIn.objects.get().rating == 3


def test_an_expired_link_asks_the_parent_to_sign_in_and_answer_there(client, checkin, monkeypatch):
    fifteen_days_ago = time.time() - 15 * 24 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: fifteen_days_ago)
    old = link(checkin, 1)
    monkeypatch.undo()

    response = client.get(old)
    assert response.status_code == 410
    page = response.content.decode()
    assert "This link has expired" in page
    assert f"/accounts/login/?next=/checkins/{checkin.pk}/" in page
    assert answer(client, old, rating=1).status_code == 410
    assert CheckIn.objects.get().answered_at is None


def test_a_link_thirteen_days_old_still_works(client, checkin, monkeypatch):
    thirteen_days_ago = time.time() - 13 * 24 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: thirteen_days_ago)
    recent = link(checkin, 3)
    monkeypatch.undo()

    assert client.get(recent).status_code == 200


def test_a_changed_link_is_refused_kindly(client, checkin):
    token = checkin_token(checkin=checkin, rating=4)
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")

    for bad in (changed, "not-a-token", signing.dumps({"c": checkin.pk, "r": 4}, salt="other")):
        response = client.get(f"/checkin/r/{bad}/")
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert answer(client, f"/checkin/r/{changed}/").status_code == 400
    assert CheckIn.objects.get().answered_at is None


def test_another_familys_checkin_cannot_be_answered_by_a_forged_link(client, checkin, school):
    other = CheckInFactory(school=school)
    mine = checkin_token(checkin=checkin, rating=4)
    forged_with_a_guessed_key = signing.dumps(
        {"c": other.pk, "r": 1}, salt="checkin", key="a-guessed-secret"
    )
    # Their check-in's payload with my link's signature.
    their_payload = signing.dumps({"c": other.pk, "r": 1}, salt="checkin").split(":")[0]
    spliced = ":".join([their_payload, *mine.split(":")[1:]])

    for forged in (forged_with_a_guessed_key, spliced):
        assert answer(client, f"/checkin/r/{forged}/", rating=1).status_code == 400
    other.refresh_from_db()
    assert other.answered_at is None


def test_a_payload_out_of_range_is_refused(client, checkin):
    token = signing.dumps({"c": checkin.pk, "r": 9}, salt="checkin")
    assert client.get(f"/checkin/r/{token}/").status_code == 400


# --- what school hears -----------------------------------------------------------------


def test_a_call_request_alerts_the_key_contact_once_without_the_message(
    client, checkin, key_teacher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer(client, link(checkin, 4), rating=4, wants_call="on", message="Bullied at lunch")

    (alert,) = alerts()
    assert alert.to == ["class.teacher@example.test"]
    assert "Ava's family asked for a call" in alert.subject
    assert "they asked for a call" in alert.body and "hard week" not in alert.body
    assert "Bullied" not in alert.body + alert.subject + alert.alternatives[0][0]
    assert "Adams" not in alert.body
    # A class teacher cannot open the SENDCo's dashboard: their link is their own home.
    assert "/staff/" in alert.body and "/contact/" not in alert.body
    assert OutboxMessage.objects.filter(
        key=f"checkin-alert:{checkin.pk}:{key_teacher.pk}", kind="checkin_alert"
    ).exists()
    assert "Bullied at lunch" in ContactEntry.objects.get().summary  # on the portal


@pytest.mark.parametrize(("rating", "alerted"), [(1, True), (2, True), (3, False), (5, False)])
def test_a_hard_week_alerts_the_key_contact_and_a_good_week_does_not(
    client, checkin, key_teacher, rating, alerted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer(client, link(checkin, rating), rating=rating)

    assert len(alerts()) == (1 if alerted else 0)
    if alerted:
        assert f"a hard week (rating {rating} of 5)" in alerts()[0].body


def test_without_key_contacts_on_the_portal_the_sendcos_are_alerted(
    checkin, child, sendco, django_capture_on_commit_callbacks
):
    KeyContactFactory(child=child, membership=None, name="Office")  # not on the portal
    staff_member(checkin.school, "governor", "governor@example.test")

    with django_capture_on_commit_callbacks(execute=True):
        checkin_answer(checkin=checkin, rating=1)

    assert [m.to for m in alerts()] == [["sendco@example.test"]]
    # The SENDCo's link goes to the contact dashboard, where the family is listed.
    assert "/schools/riverside/contact/" in alerts()[0].body


def test_a_family_with_two_children_alerts_each_key_contact_once(
    checkin, child, parent, key_teacher, school, django_capture_on_commit_callbacks
):
    noah = ChildFactory(school=school, first_name="Noah")
    FamilyLinkFactory(parent=parent, child=noah)
    KeyContactFactory(child=noah, membership=key_teacher.memberships.get())

    with django_capture_on_commit_callbacks(execute=True):
        checkin_answer(checkin=checkin, rating=4, wants_call=True)

    (alert,) = alerts()
    assert "Ava and Noah's family asked for a call" in alert.subject
    assert set(ContactEntry.objects.get().children.all()) == {child, noah}
