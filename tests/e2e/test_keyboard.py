"""Keyboard only, no mouse: the demo parent books a meeting and the demo teacher gives praise.
Every control the Tab key lands on must show where focus is, the Tab order must reach each
control in reading order (skip link first), and nothing may trap focus on the way."""

import io
from zoneinfo import ZoneInfo

import pyotp
import pytest

from tests.e2e.steps import TOTP_SECRET, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEETING_NOTE = "Ava's spelling homework, typed with the keyboard only"
PRAISE_NOTE = "Helped a new classmate find the library, all by herself"

# What has focus, its accessible-ish name, and whether focus can be seen on it: an outline,
# or a box-shadow that is not transparent. A visually hidden radio (Bootstrap's .btn-check)
# shows its focus on its label, so the label is the thing to look at.
FOCUSED = """() => {
  const e = document.activeElement;
  const shown = e.classList.contains("btn-check") && e.labels.length ? e.labels[0] : e;
  const s = getComputedStyle(shown);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow !== "none" && !s.boxShadow.startsWith("rgba(0, 0, 0, 0)");
  const label = e.labels && e.labels.length ? e.labels[0].innerText : "";
  const name = label || e.getAttribute("aria-label") || e.innerText || e.value || "";
  return {
    tag: e.tagName, type: e.type || "", id: e.id, html: e.outerHTML.slice(0, 200),
    name: name.replace(/\\s+/g, " ").trim(), visible: outline || shadow,
    checked: Boolean(e.checked),
  };
}"""


def tab_to(page, wanted, describe, limit=60):
    """Press Tab until the focused control is the one `wanted` picks; every stop on the way
    must show focus, and coming back to a control already passed means focus is going round
    in circles (or has left the page) before reaching it."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["tag"] != "BODY", f"Tab left the page before reaching {describe}: {passed}"
        assert focused["visible"], f"focus is not visible on {focused['html']}"
        assert focused["html"] not in [f["html"] for f in passed], (
            f"Tab came back to {focused['name']!r} before reaching {describe}"
        )
        passed.append(focused)
        if wanted(focused):
            return passed
    raise AssertionError(f"{describe} not reached in {limit} Tab presses: {passed}")


def named(name, tag=None):
    return lambda f: f["name"].startswith(name) and (tag is None or f["tag"] == tag)


def first_stop_is_skip_link(passed):
    assert passed[0]["name"] == "Skip to main content", passed[0]


def keyboard_sign_in(page, url, email, totp_secret=None):
    page.goto(f"{url}/accounts/login/")
    first_stop_is_skip_link(tab_to(page, named("Email", "INPUT"), "the email field"))
    page.keyboard.type(email)
    tab_to(page, named("Password", "INPUT"), "the password field", limit=3)
    page.keyboard.type("demo-partnership")
    page.keyboard.press("Enter")
    if totp_secret:
        page.wait_for_url("**/2fa/authenticate/**")
        tab_to(page, lambda f: f["tag"] == "INPUT" and f["type"] != "hidden", "the code field")
        page.keyboard.type(pyotp.TOTP(totp_secret).now())
        page.keyboard.press("Enter")


def seed():
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = True  # the demo school loads only in a local, debug setting
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


def test_parent_books_a_meeting_with_the_keyboard(live_server, browser, settings):
    from partnership.meetings.models import Booking

    seed()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    keyboard_sign_in(page, live_server.url, "parent@example.org")
    page.wait_for_url(f"{live_server.url}/parent/")

    passed = tab_to(page, named("Book a meeting", "A"), "Book a meeting")
    first_stop_is_skip_link(passed)
    page.keyboard.press("Enter")
    page.wait_for_url("**/meetings/**")

    # The child chooser comes before the times it filters; then the first free time.
    passed = tab_to(page, lambda f: "meeting-slot" in f["html"], "a free time")
    first_stop_is_skip_link(passed)
    assert any(f["tag"] == "SELECT" for f in passed), "the child chooser was skipped"
    time = passed[-1]["name"][:5]
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Book this time")).to_be_visible()

    tab_to(page, named("What would you like to talk about?", "TEXTAREA"), "the note field")
    page.keyboard.type(MEETING_NOTE)
    tab_to(page, named("Book this meeting", "BUTTON"), "Book this meeting", limit=10)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Meeting with Sam Okafor")).to_be_visible()
    expect(page.get_by_text(MEETING_NOTE)).to_be_visible()
    context.close()

    booking = Booking.objects.get(note=MEETING_NOTE)
    assert booking.parent.email == "parent@example.org"
    starts = booking.slot.starts_at.astimezone(ZoneInfo(booking.slot.school.time_zone))
    assert f"{starts:%H:%M}" == time  # the time chosen with the keyboard


def test_teacher_gives_praise_with_the_keyboard(live_server, browser, settings):
    from partnership.praise.models import Praise
    from partnership.schools.models import Child

    seed()
    ava = Child.objects.get(mis_id="DEMO001")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    keyboard_sign_in(page, live_server.url, "teacher@example.org", totp_secret=TOTP_SECRET)
    page.wait_for_url(f"{live_server.url}/staff/")

    first_stop_is_skip_link(tab_to(page, named("Give praise", "A"), "Give praise"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Give praise")).to_be_visible()

    passed = tab_to(page, named(ava.full_name, "INPUT"), ava.full_name)
    first_stop_is_skip_link(passed)
    page.keyboard.press("Space")
    assert page.evaluate(FOCUSED)["checked"], "Space did not tick the child"
    expect(page.get_by_text("1 child chosen")).to_be_visible()

    # The values are one radio group: Tab lands on it once, Space chooses, arrows move on.
    value = tab_to(page, lambda f: f["type"] == "radio", "the values")[-1]
    page.keyboard.press("Space")
    assert page.evaluate(FOCUSED)["checked"], "Space did not choose the value"
    tab_to(page, named("What they did", "TEXTAREA"), "the note field", limit=3)
    page.keyboard.type(PRAISE_NOTE)
    tab_to(page, named("Give praise", "BUTTON"), "the Give praise button", limit=5)
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Praise saved for {ava.first_name}")).to_be_visible()
    context.close()

    praise = Praise.objects.get(note=PRAISE_NOTE)
    assert praise.child == ava
    assert praise.given_by.email == "teacher@example.org"
    assert praise.value.name in value["name"]
