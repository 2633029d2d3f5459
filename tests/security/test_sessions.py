"""Sessions beyond what tests/accounts/test_sessions_and_passwords.py proves.

That file covers sign-out, password change, the list of devices and unverified addresses.
Here: the session id changes at sign-in (no fixation), the cookie cannot be read by
script or sent cross-site, a session ends when it expires, when the account is switched
off, and when the password is reset from the emailed link; signing out and ending other
devices need a real POST from the portal's own page.
"""

import datetime
import re

import pyotp
import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD, TOTP_SECRET

pytestmark = pytest.mark.django_db


def signed_in_client(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "/2fa/" not in response["Location"]
    return client


def _signed_out(client: Client, path: str = "/parent/") -> bool:
    answer = client.get(path)
    return answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def test_signing_in_gives_a_new_session_id(client, parent):
    client.get("/accounts/login/")
    client.session.save()  # a visitor's session, as an attacker could plant one
    before = client.session.session_key

    client.post("/accounts/login/", {"login": parent.email, "password": PASSWORD})

    after = client.session.session_key
    assert after and after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_the_session_cookie_is_hidden_from_script_and_from_other_sites(client, parent):
    response = client.post("/accounts/login/", {"login": parent.email, "password": PASSWORD})

    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() in ("lax", "strict")
    # Without "remember me" it is a browser-session cookie; with it, it ends with the
    # session's age. Either way the server forgets the session after SESSION_COOKIE_AGE.
    assert cookie["max-age"] == "" or 0 < int(cookie["max-age"]) <= 24 * 60 * 60
    stored = Session.objects.get(session_key=cookie.value)
    assert stored.expire_date <= timezone.now() + datetime.timedelta(hours=24)


def test_an_expired_session_is_signed_out(parent):
    client = signed_in_client(parent)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert _signed_out(client)


def test_switching_an_account_off_ends_its_sessions_at_once(parent):
    client = signed_in_client(parent)
    assert client.get("/parent/").status_code == 200

    parent.is_active = False
    parent.save(update_fields=["is_active"])

    assert _signed_out(client)


def test_staff_who_leave_lose_the_childs_page_in_the_same_session(
    client, sendco, child, login_with_password
):
    login_with_password(client, sendco)
    assert client.get(f"/children/{child.pk}/").status_code == 200

    sendco.memberships.update(is_active=False)

    assert client.get(f"/children/{child.pk}/").status_code == 404


def test_resetting_the_password_from_the_email_ends_every_session(
    parent, django_capture_on_commit_callbacks
):
    """Whoever had the old password, or a stolen session, is out once the family resets."""
    laptop = signed_in_client(parent)
    phone = Client()
    with django_capture_on_commit_callbacks(execute=True):
        phone.post("/accounts/password/reset/", {"email": parent.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body

    form = phone.get(link.group(1), follow=True)
    assert form.status_code == 200
    new = "a-fresh-passphrase-after-reset"
    done = phone.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert done.status_code == 302

    assert _signed_out(laptop)
    parent.refresh_from_db()
    assert parent.check_password(new)


def test_a_link_to_the_sign_out_page_does_not_sign_out(parent):
    """A GET (an image or link on another site) must not end anyone's session."""
    client = signed_in_client(parent)

    page = client.get("/accounts/logout/")

    assert page.status_code == 200  # a page asking to confirm
    assert client.get("/parent/").status_code == 200


def test_signing_out_and_ending_other_devices_need_the_csrf_token(parent):
    laptop, phone = signed_in_client(parent), signed_in_client(parent)
    laptop.handler.enforce_csrf_checks = True  # as a browser posting from another site

    assert laptop.post("/accounts/sessions/").status_code == 403
    assert laptop.post("/accounts/logout/").status_code == 403
    assert phone.get("/parent/").status_code == 200
    assert laptop.get("/parent/").status_code == 200


def test_staff_end_their_other_sessions_too(sendco, login_with_password):
    office, home = Client(), Client()
    login_with_password(office, sendco)
    # A TOTP code works once; the second device types the next one (within tolerance).
    step = home.post("/accounts/login/", {"login": sendco.email, "password": PASSWORD})
    next_code = pyotp.TOTP(TOTP_SECRET).at(timezone.now() + datetime.timedelta(seconds=30))
    home.post(step["Location"], {"code": next_code})
    assert home.get("/staff/").status_code == 200

    page = office.get("/accounts/sessions/")
    assert page.status_code == 200 and len(page.context["sessions"]) == 2
    office.post("/accounts/sessions/")

    assert office.get("/staff/").status_code == 200
    assert _signed_out(home, "/staff/")


def test_a_half_finished_sign_in_opens_nothing(sendco):
    """Password right, authenticator code not yet given: still signed out."""
    client = Client()
    response = client.post("/accounts/login/", {"login": sendco.email, "password": PASSWORD})
    assert "/2fa/authenticate" in response["Location"]

    assert "_auth_user_id" not in client.session
    for path in ["/staff/", "/accounts/sessions/", "/accounts/2fa/totp/activate/"]:
        assert client.get(path)["Location"].startswith("/accounts/login/"), path
