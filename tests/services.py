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


def require_chromium() -> str:
    if not shutil.which(CHROMIUM):
        _unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _unavailable("Playwright is not installed (pip install -r requirements-dev.txt)")
    return CHROMIUM


__all__ = ["IN_CI", "require_postgres", "redis_url", "require_chromium", "settings"]
