import io

import pyotp
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAW_AT_HOME = "Ava used her picture timetable for the trip to the shops and stayed calm."
REPLY = "Thank you! We will add a 'shopping' picture to her school timetable too."


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def sign_in(page, url, email, totp_secret=None):
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("demo-partnership")
    page.get_by_role("button", name="Sign In").click()
    if totp_secret:
        page.wait_for_url("**/2fa/authenticate/**")
        page.locator("input[name=code]").fill(pyotp.TOTP(totp_secret).now())
        page.get_by_role("button", name="Sign In").click()


def test_parent_adds_what_she_sees_at_home_and_the_sendco_replies_on_the_target(
    live_server, browser, settings
):
    from django.core.management import call_command

    settings.DEBUG = True  # the demo school loads only in a local, debug setting
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False

    family = browser.new_context(viewport={"width": 390, "height": 844})
    page = family.new_page()
    console = []
    page.on("console", lambda message: console.append((page.url, message.text)))
    sign_in(page, live_server.url, "parent@example.org")
    page.wait_for_url(f"{live_server.url}/parent/")
    page.get_by_role("link", name="Ava Adams").click()
    assert page.get_by_role("heading", name="Ava Adams", level=1).is_visible()

    first = page.locator("article.target-card").first
    outcome = first.get_by_role("heading", level=3).inner_text()
    assert first.get_by_role("heading", name="How you can help at home").is_visible()
    assert first.get_by_text("picture timetable for the morning routine").is_visible()
    # a trend, not a single word: one bar per review and the same facts in words
    assert first.locator(".trend-bar").count() >= 3
    assert first.get_by_text("reviews, from").is_visible()
    assert first.get_by_role("heading", name="Latest review").is_visible()

    page.get_by_role("link", name="Print Ava's plan").click()
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()  # print.js ran
    assert page.get_by_text("Where they were at the start").first.is_visible()  # opened out
    page.go_back()

    first = page.locator("article.target-card").first
    first.get_by_role("link", name="See this target in full").click()
    assert page.get_by_role("heading", name=outcome, level=1).is_visible()
    assert page.get_by_role("list", name="Progress over time, oldest first").is_visible()
    assert page.get_by_role("progressbar").count() >= 3
    page.go_back()

    page.locator("article.target-card").first.get_by_role(
        "link", name="Tell school what you've seen at home"
    ).click()
    page.get_by_label("What did you see at home?").fill(SAW_AT_HOME)
    page.get_by_role("button", name="Send to school").click()
    assert page.get_by_text("Thank you.").first.is_visible()
    assert page.get_by_text(SAW_AT_HOME).is_visible()
    # The Print button's script is a static file the policy allows, never inline.
    assert not [text for _, text in console if "script-src" in text]
    family.close()

    school = browser.new_context(viewport={"width": 1280, "height": 900})
    page = school.new_page()
    sign_in(page, live_server.url, "sendco@example.org", totp_secret="JBSWY3DPEHPK3PXPJBSWY3DP")
    page.wait_for_url(f"{live_server.url}/staff/")
    page.get_by_role("link", name="Adams, Ava").click()
    page.locator("article.target-card", has_text=outcome).get_by_role(
        "link", name="Open the target"
    ).click()
    assert page.get_by_role("heading", name=outcome, level=1).is_visible()
    observation = page.locator("li.observation", has_text=SAW_AT_HOME)
    assert observation.is_visible()
    observation.get_by_label("Reply to the family").fill(REPLY)
    observation.get_by_role("button", name="Send reply").click()
    assert page.locator("li.observation", has_text=SAW_AT_HOME).get_by_text(REPLY).is_visible()
    school.close()
