import os

import pytest

from tests.e2e.steps import SIZES, Journey, seed_demo
from tests.services import require_chromium

# Playwright's sync API runs an event loop in the test thread; the ORM calls that set up
# data in these tests are still ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(SIZES))
def journey(request, browser, live_server, transactional_db):
    """The demo school, freshly loaded, and a browser at one size (the test runs once on a
    phone and once on a desktop). Staff sign in with a TOTP code, and allauth refuses a code
    a user has used already (it keeps used codes in the cache for one period): the phone
    and desktop runs often fall in the same 30 s, so it is tests/conftest.py's cache.clear()
    before each test, not a weaker check, that lets both sign in."""
    seed_demo()
    context = browser.new_context(viewport=SIZES[request.param], accept_downloads=True)
    yield Journey(context.new_page(), live_server.url, request.param)
    context.close()
