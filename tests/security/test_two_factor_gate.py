"""Two-factor sign-in is enforced for everyone who sees pupil data or school figures.

allauth has no "required" switch: the staff gate (partnership.accounts.middleware) sends
staff and governors without TOTP to set it up before any other page, and the trust pages
ask trustees themselves. Each role is walked through the whole journey here: refused
before set-up, the open paths still open, set-up with a real authenticator code, then
signing in with a recovery code when the phone is lost. Parents are never asked.
"""

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.test import Client

from partnership.schools.models import Trust
from tests.conftest import staff_member
from tests.factories import PASSWORD, AssignmentFactory, FamilyLinkFactory, UserFactory

SETUP = "/accounts/2fa/totp/activate/"
ROLES = ["teacher", "teaching_assistant", "sendco", "administrator", "governor", "trustee"]


def _pages(role: str, user, school, child) -> list[str]:
    """Pages this person may open once they have two-factor set up."""
    summary = f"/schools/{school.slug}/summary/"
    if role in ("teacher", "teaching_assistant"):
        AssignmentFactory(membership=user.memberships.get(), child=child)
        return ["/staff/", f"/children/{child.pk}/"]
    if role in ("sendco", "administrator"):
        return ["/staff/", f"/children/{child.pk}/", summary]
    if role == "governor":
        return ["/governor/", summary]
    if role == "trustee":
        trust = Trust.objects.create(name="Riverbank Learning Trust", slug="riverbank")
        school.trust = trust
        school.save(update_fields=["trust"])
        trust.trustees.add(user)
        return [f"/trusts/{trust.slug}/summary/"]
    assert role == "superuser"
    return ["/admin/", "/admin/schools/child/"]


def _person(role: str, school):
    """A member of staff, governor, trustee or superuser who has never set up TOTP."""
    if role == "trustee":
        return UserFactory(email="trustee@example.test")  # no school role at all
    if role == "superuser":
        return UserFactory(email="root@example.test", is_staff=True, is_superuser=True)
    return staff_member(school, role, f"{role}@example.test", totp=False)


@pytest.fixture(params=[*ROLES, "superuser"])
def role(request):
    return request.param


@pytest.fixture
def person(role, school):
    return _person(role, school)


@pytest.fixture
def pages(role, person, school, child):
    return _pages(role, person, school, child)


def _password_sign_in(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    assert "/2fa/authenticate" not in response["Location"]  # nothing to ask for yet
    assert client.session.get("_auth_user_id") == str(user.pk)
    return client


def _set_up_totp(client: Client) -> None:
    """Through allauth's own pages, as a person with an authenticator app would."""
    page = client.get(SETUP)
    if page.status_code == 302 and page["Location"].startswith("/accounts/reauthenticate/"):
        # allauth asks for the password again before an authenticator is added.
        client.post(page["Location"], {"password": PASSWORD})
        page = client.get(SETUP)
    assert page.status_code == 200
    secret = page.context["form"].secret
    done = client.post(SETUP, {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302, done.content[:500]
    # The first authenticator comes with recovery codes, shown to the person once.
    assert done["Location"] == "/accounts/2fa/recovery-codes/"


def _recovery_codes(user) -> list[str]:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return RecoveryCodes(authenticator).get_unused_codes()


def _sign_in_with_recovery_code(user, code: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and "/2fa/authenticate" in response["Location"]
    client.post(response["Location"], {"code": code})
    return client


def test_recovery_codes_are_switched_on():
    assert "recovery_codes" in settings.MFA_SUPPORTED_TYPES
    assert "totp" in settings.MFA_SUPPORTED_TYPES


def test_without_totp_every_page_sends_them_to_set_it_up(role, person, pages):
    client = _password_sign_in(person)
    # The home page only points to the person's own home, but it is gated all the same.
    for path in pages if role == "trustee" else ["/", *pages]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == SETUP, path
    if role != "trustee":  # the trust pages only answer GET
        # A form posted before set-up is turned away too, not only page views.
        assert client.post(pages[-1], {})["Location"] == SETUP
    assert not Authenticator.objects.filter(user=person).exists()


def test_before_set_up_they_can_still_reach_set_up_and_sign_out(role, person, pages):
    client = _password_sign_in(person)

    setup = client.get(SETUP)
    assert setup.status_code in (200, 302)
    if setup.status_code == 302:  # the password is asked again, on an open page
        assert setup["Location"].startswith("/accounts/reauthenticate/")
        assert client.get(setup["Location"]).status_code == 200

    signed_out = client.post("/accounts/logout/")
    assert signed_out.status_code == 302
    assert "_auth_user_id" not in client.session
    assert "/login/" in client.get(pages[0])["Location"]


def test_after_set_up_the_pages_open_and_a_recovery_code_signs_in(role, person, pages):
    client = _password_sign_in(person)
    _set_up_totp(client)
    for path in pages:
        assert client.get(path).status_code == 200, path

    # The phone is lost: one of the recovery codes signs in instead of the app's code.
    codes = _recovery_codes(person)
    assert len(codes) == getattr(settings, "MFA_RECOVERY_CODE_COUNT", 10)
    rescued = _sign_in_with_recovery_code(person, codes[0])
    assert rescued.session.get("_auth_user_id") == str(person.pk)
    for path in pages:
        assert rescued.get(path).status_code == 200, path

    # Each recovery code works once.
    again = _sign_in_with_recovery_code(person, codes[0])
    assert "_auth_user_id" not in again.session
    assert again.get(pages[0]).status_code == 302


def test_a_wrong_code_after_the_password_does_not_sign_in(school):
    sendco = _person("sendco", school)
    _set_up_totp(_password_sign_in(sendco))

    client = _sign_in_with_recovery_code(sendco, "00000000")

    assert "_auth_user_id" not in client.session
    assert client.get("/staff/")["Location"].startswith("/accounts/login/")


def test_new_recovery_codes_replace_the_old_ones(school):
    sendco = _person("sendco", school)
    client = _password_sign_in(sendco)
    _set_up_totp(client)
    old = _recovery_codes(sendco)

    page = client.get("/accounts/2fa/recovery-codes/generate/")
    assert page.status_code == 200
    done = client.post("/accounts/2fa/recovery-codes/generate/", {})
    assert done["Location"] == "/accounts/2fa/recovery-codes/"
    new = _recovery_codes(sendco)
    assert set(new).isdisjoint(old)

    assert "_auth_user_id" not in _sign_in_with_recovery_code(sendco, old[1]).session
    rescued = _sign_in_with_recovery_code(sendco, new[1])
    assert rescued.get("/staff/").status_code == 200


def test_a_parent_is_never_asked_for_two_factor(client, parent, child):
    response = client.post("/accounts/login/", {"login": parent.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "/2fa/" not in response["Location"]
    assert client.get("/")["Location"] == "/parent/"
    for path in ["/parent/", f"/children/{child.pk}/", "/accounts/sessions/"]:
        answer = client.get(path)
        assert answer.status_code == 200, path
    assert not Authenticator.objects.filter(user=parent).exists()


def test_a_parent_who_is_also_staff_is_asked_as_staff(school, child):
    """The gate follows the person, not the hat they have on."""
    teacher = staff_member(school, "teacher", "both@example.test", totp=False)
    FamilyLinkFactory(parent=teacher, child=child)
    client = _password_sign_in(teacher)
    assert client.get("/parent/")["Location"] == SETUP


# --- the Django admin -----------------------------------------------------------------


def test_admin_sign_in_is_the_portal_sign_in(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_admin_own_login_form_cannot_be_used_to_sign_in(client, db):
    """Posting straight to the admin's form would skip two-factor and the rate limits."""
    root = _person("superuser", None)
    response = client.post("/admin/login/", {"username": root.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_admin_sign_in_shares_the_portal_rate_limit(client, db):
    root = _person("superuser", None)
    for _ in range(5):
        client.post("/accounts/login/", {"login": root.email, "password": "not-the-password"})
    client.post("/accounts/login/", {"login": root.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
