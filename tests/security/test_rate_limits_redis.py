"""Sign-in rate limits hold across web processes because they count in one Redis cache.

In production every gunicorn worker has its own memory, so allauth's counters must live in
the shared cache (CACHE_URL=redis://...). Two test clients stand in for two web processes
behind a load balancer, each from its own address, so only the per-account ("key")
limits can explain a refusal: attempts for one account spread across both must
still add up to one limit.
"""

from urllib.parse import urlparse

import pytest
import redis
from django.core import mail
from django.core.cache import cache
from django.test import Client

from tests.factories import PASSWORD, ChildFactory, FamilyLinkFactory
from tests.services import own_redis_db, redis_url

pytestmark = pytest.mark.redis


@pytest.fixture
def shared_cache(settings):
    parsed = urlparse(redis_url())
    # A database of its own: flushing it touches nobody else's keys.
    location = f"redis://{parsed.hostname}:{parsed.port or 6379}/{own_redis_db('rate limits')}"
    server = redis.Redis.from_url(location)
    server.flushdb()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
        }
    }
    yield server
    server.flushdb()
    server.close()


def _web_process(ip: str) -> Client:
    # A separate client, and a separate address, for each "process".
    return Client(REMOTE_ADDR=ip)


@pytest.fixture
def processes():
    return _web_process("198.51.100.1"), _web_process("198.51.100.2")


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_cache_really_is_redis(shared_cache):
    cache.set("probe", "here", 30)
    assert shared_cache.dbsize() == 1
    assert cache.get("probe") == "here"


def test_failed_passwords_for_one_account_add_up_across_processes(shared_cache, processes, parent):
    first, second = processes
    for client, tries in ((first, 3), (second, 2)):  # five wrong passwords in all
        for _ in range(tries):
            wrong = client.post(
                "/accounts/login/", {"login": parent.email, "password": "not-the-password"}
            )
            assert wrong.status_code == 200
            assert not _signed_in(client)
    assert shared_cache.dbsize() > 0  # the counters are in Redis, not in process memory

    for client in (first, second, _web_process("198.51.100.3")):
        refused = client.post("/accounts/login/", {"login": parent.email, "password": PASSWORD})
        assert refused.status_code in (200, 429)
        assert b"Too many" in refused.content
        assert not _signed_in(client)
        assert client.get("/parent/")["Location"].startswith("/accounts/login/")


def test_the_limit_is_per_account_so_another_family_still_signs_in(
    shared_cache, processes, parent, school
):
    other = FamilyLinkFactory(child=ChildFactory(school=school)).parent
    first, second = processes
    for client in (first, second, first, second, first):
        client.post("/accounts/login/", {"login": parent.email, "password": "not-the-password"})

    answer = second.post("/accounts/login/", {"login": other.email, "password": PASSWORD})

    assert answer.status_code == 302
    assert _signed_in(second)


def test_login_code_requests_add_up_across_processes(
    shared_cache, parent, django_capture_on_commit_callbacks
):
    # A browser that already waits for a code is shown the code page again without a new
    # email, so each request here comes from a fresh browser, alternately on each process.
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(6):
            browser = _web_process(f"198.51.100.{n % 2 + 1}")
            answers.append(browser.post("/accounts/login/code/", {"email": parent.email}))

    assert len(mail.outbox) == 3  # "3/m/key": the third request for the address is the last
    assert [a.status_code for a in answers[:3]] == [302, 302, 302]
    for refused in answers[3:]:  # the form again, saying why, and no code page
        assert refused.status_code == 200
        assert b"Too many" in refused.content


def test_password_reset_requests_add_up_across_processes(
    shared_cache, processes, parent, django_capture_on_commit_callbacks
):
    first, second = processes
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for client in (first, second, first, second, first, second, first):
            answers.append(client.post("/accounts/password/reset/", {"email": parent.email}))

    assert len(mail.outbox) == 5  # "5/m/key"
    assert [a.status_code for a in answers[:5]] == [302] * 5
    assert all(a.status_code == 429 for a in answers[5:])
