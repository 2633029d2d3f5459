"""The screenshots in README.md's "What it looks like": each role's main page with the demo
school, taken afresh on every test run into docs/screenshots/. Viewport-sized, not full
page, so the files stay small."""

import io
import struct
from pathlib import Path

import pytest
from django.urls import reverse

from tests.e2e.steps import TOTP_SECRET, expect, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# (file name, who signs in, where they land, the page shown, viewport)
ROLES = [
    ("parent", "parent@example.org", "/parent/", None, PHONE),
    ("teacher", "teacher@example.org", "/staff/", None, DESKTOP),
    ("sendco", "sendco@example.org", "/staff/", ("contact_dashboard", ["riverside"]), DESKTOP),
    ("governor", "governor@example.org", "/governor/", None, DESKTOP),
    ("administrator", "admin@example.org", "/staff/", None, DESKTOP),
]


def png_size(path):
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_readme_screenshots(live_server, browser, settings):
    from django.core.management import call_command

    settings.DEBUG = True  # the demo school loads only in a local, debug setting
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    for role, email, home, page_name, viewport in ROLES:
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        totp = None if role == "parent" else TOTP_SECRET
        sign_in(page, live_server.url, email, totp_secret=totp)
        page.wait_for_url(f"{live_server.url}{home}")
        # Open the page afresh, so the "Successfully signed in" message is not in the picture.
        target = reverse(page_name[0], args=page_name[1]) if page_name else home
        page.goto(live_server.url + target)
        expect(page.locator("h1").first).to_be_visible()
        page.wait_for_load_state("networkidle")
        path = SCREENSHOTS / f"{role}.png"
        path.unlink(missing_ok=True)
        page.screenshot(path=str(path), animations="disabled", caret="hide")
        context.close()

        assert path.stat().st_size > 15_000, f"{path.name} is nearly empty"
        scale = png_size(path)[0] // viewport["width"]
        assert scale >= 1 and png_size(path) == (
            viewport["width"] * scale,
            viewport["height"] * scale,
        ), f"{path.name} is not one viewport in size"
