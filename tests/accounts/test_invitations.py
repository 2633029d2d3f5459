from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from partnership.accounts.models import Invitation, User
from partnership.notifications.models import OutboxMessage
from partnership.schools.models import FamilyLink, Membership
from tests.factories import ChildFactory


def _invite_parent(client, sendco_login, school, children, email="new.parent@example.test"):
    response = client.post(
        f"/schools/{school.slug}/invite/parent/",
        {
            "email": email,
            "full_name": "Robin Taylor",
            "children": [child.pk for child in children],
            "relationship": "father",
            "parental_responsibility": "on",
            "preferred_channel": "text",
            "preferred_language": "Polish",
        },
    )
    return response


def _link_from_email(message) -> str:
    line = next(line for line in message.body.splitlines() if "/invite/" in line)
    return line[line.index("/invite/") :].strip()


@pytest.fixture
def invited_parent(client, school, sendco, login_with_password, django_capture_on_commit_callbacks):
    ava = ChildFactory(school=school, first_name="Ava")
    noah = ChildFactory(school=school, first_name="Noah", year_group=7)
    login_with_password(client, sendco)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite_parent(client, None, school, [ava, noah])
    assert response.status_code == 302
    client.logout()
    return ava, noah


def test_sendco_invites_parent_linked_to_two_children_with_one_email(invited_parent):
    ava, noah = invited_parent
    parent = User.objects.get(email="new.parent@example.test")
    assert not parent.is_active  # cannot sign in until the invitation is accepted
    links = FamilyLink.objects.filter(parent=parent)
    assert {link.child_id for link in links} == {ava.pk, noah.pk}
    assert {(link.preferred_channel, link.preferred_language) for link in links} == {
        ("text", "Polish")
    }
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.parent@example.test"]
    assert "/invite/" in mail.outbox[0].body
    assert OutboxMessage.objects.get(kind="invitation").status == "sent"


def test_invitation_link_sets_up_account_once(client, invited_parent):
    link = _link_from_email(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert b"new.parent@example.test" in page.content

    response = client.post(link, {"full_name": "Robin Taylor"})  # parents need no password
    assert response.status_code == 302
    home = client.get("/", follow=True)
    assert b"Ava" in home.content and b"Noah" in home.content
    parent = User.objects.get(email="new.parent@example.test")
    assert parent.is_active and not parent.has_usable_password()

    client.logout()
    again = client.post(link, {"full_name": "Someone Else"})
    assert again.status_code == 410
    assert b"already been used" in again.content
    assert User.objects.get(email="new.parent@example.test").full_name == "Robin Taylor"


def test_expired_invitation_is_refused(client, invited_parent):
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    link = _link_from_email(mail.outbox[0])
    response = client.post(link, {"full_name": "Robin Taylor"})
    assert response.status_code == 410
    assert b"expired" in response.content
    assert not User.objects.get(email="new.parent@example.test").is_active


def test_unknown_invitation_token_is_refused(client, db):
    response = client.get("/invite/not-a-real-token/")
    assert response.status_code == 410
    assert b"not valid" in response.content


def test_only_a_hash_of_the_token_is_stored(invited_parent):
    link = _link_from_email(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[-1]
    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash
    assert len(invitation.token_hash) == 64


def test_invited_staff_must_choose_a_password_then_set_up_two_factor(
    client, school, administrator, login_with_password, django_capture_on_commit_callbacks
):
    login_with_password(client, administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/schools/{school.slug}/invite/staff/",
            {
                "email": "new.ta@example.test",
                "full_name": "Jo Bloggs",
                "role": "teaching_assistant",
            },
        )
    assert response.status_code == 302
    client.logout()
    person = User.objects.get(email="new.ta@example.test")
    assert Membership.objects.filter(user=person, school=school, role="teaching_assistant").exists()

    link = _link_from_email(mail.outbox[-1])
    no_password = client.post(link, {"full_name": "Jo Bloggs"})
    assert no_password.status_code == 200  # the form asks for the password again
    assert b"Enter a password." in no_password.content

    accepted = client.post(
        link,
        {
            "full_name": "Jo Bloggs",
            "password1": "plum-kettle-43-orbit",
            "password2": "plum-kettle-43-orbit",
        },
    )
    assert accepted.status_code == 302
    gated = client.get("/staff/")
    assert gated.status_code == 302
    assert gated["Location"] == "/accounts/2fa/totp/activate/"


def test_parent_invite_cannot_link_another_schools_child(
    client, school, other_school, sendco, login_with_password
):
    foreign = ChildFactory(school=other_school)
    login_with_password(client, sendco)
    response = _invite_parent(client, None, school, [foreign])
    assert response.status_code == 200  # the form rejects the forged choice
    assert not FamilyLink.objects.filter(child=foreign).exists()
    assert not User.objects.filter(email="new.parent@example.test").exists()


@pytest.mark.parametrize("role_fixture", ["teacher", "governor", "parent"])
def test_only_administrators_and_sendcos_can_invite(
    request, client, school, role_fixture, login_with_password
):
    user = request.getfixturevalue(role_fixture)
    login_with_password(client, user)
    assert client.get(f"/schools/{school.slug}/invite/parent/").status_code == 404
    assert client.get(f"/schools/{school.slug}/invite/staff/").status_code == 404


def test_sendco_cannot_invite_into_another_school(
    client, other_school, sendco, login_with_password
):
    login_with_password(client, sendco)
    assert client.get(f"/schools/{other_school.slug}/invite/parent/").status_code == 404


def test_there_is_no_open_sign_up(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "stranger@example.test",
            "password1": "plum-kettle-43",
            "password2": "plum-kettle-43",
        },
    )
    assert not User.objects.filter(email="stranger@example.test").exists()
    assert b"closed" in response.content.lower()
