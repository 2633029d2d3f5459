"""What every browser journey does: load the demo school, sign in as one of its people,
and look at each page it reaches (axe scan, and nothing blocked by the
Content-Security-Policy)."""

import datetime
import io
import re
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pyotp
from django.utils import timezone

from tests.e2e.axe_scan import AxeScan

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def seed_demo() -> None:
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = True  # the demo school loads only in a local, debug setting
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


def sign_in(page, url, email, totp_secret=None, code=None) -> str | None:
    """Sign in with the password and, for staff, a TOTP code (`code`, or the current one).
    Returns the code given."""
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("demo-partnership")
    page.get_by_role("button", name="Sign In").click()
    if totp_secret:
        code = code or pyotp.TOTP(totp_secret).now()
        page.wait_for_url("**/2fa/authenticate/**")
        page.locator("input[name=code]").fill(code)
        page.get_by_role("button", name="Sign In").click()
    return code


def emailed_code(address: str) -> str:
    from django.core import mail

    sent = [message for message in mail.outbox if address in message.to]
    assert sent, f"no email to {address}"
    code = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", sent[-1].body, re.MULTILINE)
    assert code, "the sign-in email carries a code"
    return code.group(1)


def this_weeks_checkin():
    from partnership.contact.models import CheckIn
    from partnership.schools.models import School

    school = School.objects.get(slug="riverside")
    today = timezone.localdate(timezone=ZoneInfo(school.time_zone))
    week_of = today - datetime.timedelta(days=today.weekday())
    checkin, _created = CheckIn.objects.get_or_create(
        parent=school.children.get(mis_id="DEMO001").family_links.get().parent,
        school=school,
        week_of=week_of,
    )
    return checkin


class Journey:
    """One person's visit at one screen size: `go` opens a page, `look` checks the page as
    it stands after a click or a form sent (axe counts printed, console errors kept)."""

    def __init__(self, page, base_url: str, size: str):
        self.page = page
        self.url = base_url
        self.size = size
        self.axe = AxeScan(page, size)
        # Anything the Content-Security-Policy blocks (an inline style or script) shows
        # up as a console error: no page may need what the policy forbids.
        self.console_errors: list[str] = []
        page.on(
            "console",
            lambda message: (
                self.console_errors.append(f"{page.url}: {message.text}")
                if message.type == "error"
                else None
            ),
        )

    def go(self, path: str, label: str) -> None:
        response = self.page.goto(self.url + path)
        assert response.ok, f"{path}: HTTP {response.status}"
        assert urlparse(self.page.url).path == urlparse(path).path, f"sent to {self.page.url}"
        self.axe.scan(label)

    def look(self, label: str, page=None) -> None:
        self.axe.scan(label, page)

    def finish(self) -> None:
        assert self.console_errors == []
        self.axe.assert_clean()
