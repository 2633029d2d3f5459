"""The demo SENDCo publishes a week of slots; once the days kept for families needing
closer contact have passed, the demo parent books one on a phone and downloads its .ics."""

import datetime
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.e2e.test_contact_journey import TOTP_SECRET, expect, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")
NOTE = "Ava's new reading group, and how we can practise at home"


def test_sendco_publishes_a_week_and_the_parent_books_one(live_server, browser, settings):
    from django.core.management import call_command

    from partnership.meetings.models import Booking, Slot, SlotPattern

    settings.DEBUG = True  # the demo school loads only in a local, debug setting
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    today = timezone.localdate(timezone=LONDON)
    monday = today + datetime.timedelta(days=7 - today.weekday() + 7)  # in two weeks
    sunday = monday + datetime.timedelta(days=6)

    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    page = staff.new_page()
    sign_in(page, live_server.url, "sendco@example.org", totp_secret=TOTP_SECRET)
    page.wait_for_url(f"{live_server.url}/staff/")
    page.get_by_role("link", name="Meeting diary").click()
    page.get_by_role("link", name="Publish weekly slots").click()
    for day in ("Tuesday", "Thursday"):  # the form suggests the usual days; not this time
        page.get_by_label(day, exact=True).uncheck()
    page.get_by_label("Monday", exact=True).check()
    page.get_by_label("Wednesday", exact=True).check()
    page.get_by_label("First meeting starts at").fill("14:00")
    page.get_by_label("Minutes per meeting").fill("30")
    page.get_by_label("Meetings each day").fill("3")
    page.get_by_label("Where (in person)").fill("The family room")
    page.get_by_label("From").fill(monday.isoformat())
    page.get_by_label("Until (optional)").fill(sunday.isoformat())
    page.get_by_role("button", name="Publish slots").click()
    expect(page.get_by_text("6 slots", exact=False).first).to_be_visible()
    pattern = SlotPattern.objects.latest("pk")
    slots = Slot.objects.filter(pattern=pattern).order_by("starts_at")
    assert slots.count() == 6
    first = slots[0]
    assert first.starts_at.astimezone(LONDON).time() == datetime.time(14, 0)
    staff.close()

    family = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    page = family.new_page()
    sign_in(page, live_server.url, "parent@example.org")
    page.wait_for_url(f"{live_server.url}/parent/")
    page.get_by_role("link", name="Book a meeting").first.click()
    # New slots are kept for families needing closer contact first; the Adams family is
    # not one of them, so the page says when they open.
    expect(page.get_by_text("More times open to every family on")).to_be_visible()
    expect(page.get_by_text(f"{monday:%A} {monday.day} {monday:%B}")).to_have_count(0)

    # Three days on, the kept slots open to every family.
    slots.update(priority_until=timezone.now() - datetime.timedelta(minutes=1))
    page.reload()
    expect(page.get_by_text(f"{monday:%A} {monday.day} {monday:%B}")).to_be_visible()
    page.get_by_role("link", name="14:00").first.click()
    expect(page.get_by_role("heading", name="Book this time")).to_be_visible()
    page.get_by_label("What would you like to talk about?").fill(NOTE)
    page.get_by_role("button", name="Book this meeting").click()
    expect(page.get_by_role("heading", name="Meeting with Sam Okafor")).to_be_visible()
    expect(page.get_by_text(NOTE)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar").click()
    ics = Path(download.value.path()).read_text(encoding="utf-8")
    family.close()

    booking = Booking.objects.get(note=NOTE)
    assert booking.slot_id == first.pk and booking.child.first_name == "Ava"
    assert f"DTSTART;TZID=Europe/London:{monday:%Y%m%d}T140000" in ics
    assert "Ava" not in ics and "Adams" not in ics  # calendars leave school: no child named
