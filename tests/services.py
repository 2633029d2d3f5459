"""Real services for the tests that are about them.

Outside CI a missing service skips those tests with the reason; under CI=true it fails
them, so a broken CI machine can never look green.
"""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = "/usr/bin/chromium"


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI needs this service: {reason}")
    pytest.skip(reason)


def require_postgres() -> None:
    if connection.vendor != "postgresql":
        _unavailable("PostgreSQL is not configured: set DATABASE_URL=postgres://...")


def redis_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1).close()
    except OSError:
        _unavailable(f"Redis is not reachable at {parsed.hostname}:{parsed.port or 6379}")
    return url


# make test runs one pytest process per core (pytest-xdist, `-n 2`), whole test files to a
# process. Each process flushes and listens on Redis databases of its own, so one process's
# worker never takes, or a flush never drops, the other's messages. Three numbers a process.
_PROCESS = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
REDIS_USES = ("rate limits", "worker broker", "sends benchmark broker")


def own_redis_db(use: str) -> int:
    """This test process's Redis database number for `use` (one of REDIS_USES): 2-4 for the
    first process, 5-7 for the second; clear of database 0, the broker CI names, and of the
    benchmark's 10 and 11."""
    base = int(os.environ.get("TEST_REDIS_DB_BASE", "2"))
    number = base + len(REDIS_USES) * _PROCESS + REDIS_USES.index(use)
    if number > 15:
        pytest.fail(f"Redis has databases 0-15: too many test processes for {use!r}")
    return number


def require_chromium() -> str:
    if not shutil.which(CHROMIUM):
        _unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _unavailable("Playwright is not installed (pip install -r requirements-dev.txt)")
    return CHROMIUM


__all__ = [
    "IN_CI",
    "own_redis_db",
    "require_postgres",
    "redis_url",
    "require_chromium",
    "settings",
]
