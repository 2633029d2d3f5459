"""The demo parent asks for a call in the weekly check-in; the SENDCo sees the family at the
top of "needing closer contact", logs the call, and the request is answered."""

import datetime
import io
from zoneinfo import ZoneInfo

import pyotp
import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"
WORRY = "Ava has not wanted to come in all week. Could someone ring me?"
CALL_NOTE = "Rang Jamie back about the mornings. Agreed a calm start in the library."


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


def closer_rows(page):
    """The families in "needing closer contact", each with its "Log contact" link, in
    order (table rows or list items, whichever the dashboard draws)."""
    section = page.get_by_role("region", name="Families needing closer contact")
    return section.locator("tr, li").filter(has=page.get_by_role("link", name="Log contact"))


def test_parent_asks_for_a_call_and_the_sendco_logs_it(live_server, browser, settings):
    from django.core.management import call_command

    settings.DEBUG = True  # the demo school loads only in a local, debug setting
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    checkin = this_weeks_checkin()
    assert checkin.parent.email == "parent@example.org"

    family = browser.new_context(viewport={"width": 390, "height": 844})
    page = family.new_page()
    sign_in(page, live_server.url, "parent@example.org")
    page.wait_for_url(f"{live_server.url}/parent/")
    page.goto(live_server.url + reverse("checkin_answer", args=[checkin.pk]))
    page.get_by_label("2 – Hard").check()
    page.get_by_label("Anything to tell us?").fill(WORRY)
    page.get_by_label("I would like a call from school").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Your answer is with school")).to_be_visible()
    family.close()

    school = browser.new_context(viewport={"width": 390, "height": 844})
    page = school.new_page()
    sign_in(page, live_server.url, "sendco@example.org", totp_secret=TOTP_SECRET)
    page.wait_for_url(f"{live_server.url}/staff/")
    dashboard = live_server.url + reverse("contact_dashboard", args=["riverside"])
    page.goto(dashboard)
    top = closer_rows(page).first
    expect(top).to_contain_text("Adams")
    expect(top).to_contain_text("Asked for a call")

    started = datetime.datetime.now()
    # The call request is the parent's, so Ava or her brother Noah may come first.
    name = "Ava Adams" if "Ava Adams" in top.inner_text() else "Noah Adams"
    top.get_by_role("link", name="Log contact").click()
    expect(page.get_by_role("heading", name=f"Log a contact about {name}")).to_be_visible()
    # Everything but the summary is already filled in: the child, the parent, now, a call.
    expect(page.get_by_label(name)).to_be_checked()
    expect(page.get_by_label("Jamie Adams")).to_be_checked()
    expect(page.get_by_label("How")).to_have_value("phone")
    page.get_by_label("What was said").fill(CALL_NOTE)
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text("Contact logged.")).to_be_visible()
    expect(page.get_by_text("request for a call is marked as answered")).to_be_visible()
    expect(page.get_by_text(CALL_NOTE)).to_be_visible()
    assert datetime.datetime.now() - started < datetime.timedelta(minutes=1)

    page.goto(dashboard)
    adams = closer_rows(page).filter(has_text="Adams")
    expect(adams.filter(has_text="Asked for a call")).to_have_count(0)
    school.close()
