import pyotp
import pytest
from django.core.cache import cache

from send_portal.celery import app as celery_app

from .factories import (
    PASSWORD,
    TOTP_SECRET,
    ChildFactory,
    FamilyLinkFactory,
    MembershipFactory,
    SchoolFactory,
    with_totp,
)


@pytest.fixture(autouse=True)
def _tasks_run_inline():
    # Unit tests run queued tasks in-process; the tests about delivery start a real worker.
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.3 s a password by design; tests prove behaviour, not cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache():
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def school(db):
    return SchoolFactory(name="Riverside", slug="riverside")


@pytest.fixture
def other_school(db):
    return SchoolFactory(name="Hillside", slug="hillside")


@pytest.fixture
def child(school):
    return ChildFactory(school=school, first_name="Ava", last_name="Adams")


@pytest.fixture
def parent(child):
    link = FamilyLinkFactory(child=child, parent__email="parent@example.test")
    return link.parent


def staff_member(school, role, email=None, totp=True):
    kwargs = {"school": school, "role": role}
    if email:
        kwargs["user__email"] = email
    membership = MembershipFactory(**kwargs)
    if totp:
        with_totp(membership.user)
    return membership.user


@pytest.fixture
def sendco(school):
    return staff_member(school, "sendco", "sendco@example.test")


@pytest.fixture
def administrator(school):
    return staff_member(school, "administrator", "admin@example.test")


@pytest.fixture
def teacher(school):
    return staff_member(school, "teacher", "teacher@example.test")


@pytest.fixture
def governor(school):
    return staff_member(school, "governor", "governor@example.test")


def totp_now() -> str:
    return pyotp.TOTP(TOTP_SECRET).now()


@pytest.fixture
def login_with_password():
    """Sign in through the real allauth login page, answering the TOTP step if asked."""

    def login(client, user, password=PASSWORD):
        response = client.post("/accounts/login/", {"login": user.email, "password": password})
        if response.status_code == 302 and "/2fa/authenticate" in response["Location"]:
            response = client.post(response["Location"], {"code": totp_now()})
        return response

    return login
