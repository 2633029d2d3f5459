"""Passwords are long and not common; signing out or changing the password ends the
server session; each person sees the devices signed in as them and can end the others;
an address nobody has verified cannot sign in."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signed_in_client(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize(
    "password, message",
    [
        ("short-pass1", "at least 12 characters"),
        ("password1234", "too common"),
    ],
)
def test_a_short_or_common_password_is_refused(client, parent, password, message):
    client.force_login(parent)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    parent.refresh_from_db()
    assert parent.check_password(PASSWORD)


def test_signing_out_ends_the_server_session(parent):
    client = signed_in_client(parent)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()

    client.post("/accounts/logout/")

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/parent/").status_code == 302


def test_changing_the_password_ends_this_session_and_every_other(parent):
    laptop, phone = signed_in_client(parent), signed_in_client(parent)
    new = "a-brand-new-passphrase-7"

    response = laptop.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )

    assert response.status_code == 302
    for device in (laptop, phone):
        answer = device.get("/parent/")
        assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def test_a_person_sees_their_devices_and_ends_the_others(parent):
    laptop, phone = signed_in_client(parent), signed_in_client(parent)
    stranger = signed_in_client(UserFactory())

    page = laptop.get("/accounts/sessions/")
    assert page.status_code == 200
    assert len(page.context["sessions"]) == 2  # only their own, not the stranger's

    laptop.post("/accounts/sessions/")

    assert laptop.get("/parent/").status_code == 200
    assert phone.get("/parent/").status_code == 302
    assert stranger.session.get("_auth_user_id")


def test_an_address_nobody_verified_cannot_sign_in_with_a_password(client, db):
    person = UserFactory(verified=False)

    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/confirm-email/")
    assert "_auth_user_id" not in client.session
