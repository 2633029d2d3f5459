import re

import pyotp
import pytest
from django.core import mail
from django.test import Client

from tests.conftest import totp_now
from tests.factories import PASSWORD, MembershipFactory, has_totp


def _code_from(message) -> str:
    match = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", message.body, re.MULTILINE)
    assert match, message.body
    return match.group(1)


def test_parent_signs_in_with_an_emailed_code(client, parent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/login/code/", {"email": parent.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [parent.email]

    response = client.post(response["Location"], {"code": _code_from(mail.outbox[0])})
    assert response.status_code == 302
    home = client.get("/", follow=True)
    assert b"Ava" in home.content


def test_a_wrong_code_does_not_sign_in(client, parent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/login/code/", {"email": parent.email})
    wrong = client.post(response["Location"], {"code": "ZZZZZZ"})
    assert wrong.status_code == 200
    assert client.get("/parent/").status_code == 302  # still signed out


def test_staff_signing_in_by_code_still_needs_their_two_factor_code(
    client, sendco, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/login/code/", {"email": sendco.email})
    response = client.post(response["Location"], {"code": _code_from(mail.outbox[0])})
    assert response.status_code == 302
    assert "/2fa/authenticate" in response["Location"]
    assert client.get("/staff/").status_code == 302  # not in yet

    response = client.post(response["Location"], {"code": totp_now()})
    assert client.get("/staff/").status_code == 200


def test_staff_without_two_factor_reach_no_pupil_page_until_they_set_it_up(client, school, child):
    membership = MembershipFactory(school=school, role="sendco")
    user = membership.user
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    for path in ["/", "/staff/", f"/children/{child.pk}/", f"/schools/{school.slug}/outbox/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/2fa/totp/activate/", path

    # allauth asks for the password again before an authenticator is added.
    reauth = client.get("/accounts/2fa/totp/activate/")
    assert reauth["Location"].startswith("/accounts/reauthenticate/")
    client.post(reauth["Location"], {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert has_totp(user)
    assert client.get(f"/children/{child.pk}/").status_code == 200


def test_governors_must_set_up_two_factor_too(client, school):
    governor = MembershipFactory(school=school, role="governor").user
    client.post("/accounts/login/", {"login": governor.email, "password": PASSWORD})
    assert client.get("/governor/")["Location"] == "/accounts/2fa/totp/activate/"


def test_admin_site_uses_the_portal_sign_in(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    login = client.get(response["Location"], follow=True)
    assert "/accounts/login/" in login.redirect_chain[-1][0]


def test_failed_password_attempts_are_rate_limited(client, parent):
    for _ in range(5):
        client.post("/accounts/login/", {"login": parent.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"login": parent.email, "password": PASSWORD})
    assert response.status_code == 429 or b"Too many" in response.content
    assert client.get("/parent/").status_code == 302  # the right password did not get in


def test_login_code_requests_are_rate_limited(parent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):  # six browsers asking for a code for the same address
            Client().post("/accounts/login/code/", {"email": parent.email})
    assert len(mail.outbox) == 3  # allauth's "3/m/key" for login codes


@pytest.mark.parametrize("path", ["/", "/parent/", "/staff/", "/governor/", "/children/1/"])
def test_signed_out_visitors_are_sent_to_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
