"""The demo governor opens the summary, switches from this term to the school year, prints
the report and downloads the CSV, on a phone and on a desktop."""

import csv
import io
from pathlib import Path

import pytest

from tests.e2e.test_contact_journey import TOTP_SECRET, expect, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [{"width": 390, "height": 844}, {"width": 1280, "height": 900}]


def test_governor_switches_term_prints_and_downloads(live_server, browser, settings):
    from django.core.management import call_command

    settings.DEBUG = True  # the demo school loads only in a local, debug setting
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False

    context = browser.new_context(viewport=SIZES[0], accept_downloads=True)
    page = context.new_page()
    # One sign-in for both sizes: a TOTP code is accepted once.
    sign_in(page, live_server.url, "governor@example.org", totp_secret=TOTP_SECRET)
    page.wait_for_url(f"{live_server.url}/governor/")
    for size in SIZES:
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/governor/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("works with parents")
        expect(page.get_by_text("Autumn term 2026").first).to_be_visible()
        for section in ("Contact with families", "Meetings with the SENDCo", "Praise"):
            expect(page.get_by_role("heading", name=section)).to_be_visible()

        page.get_by_label("Period").select_option(label="School year 2026 to 2027")
        page.get_by_role("button", name="Show").click()
        expect(page.get_by_label("Period")).to_have_value("2026-27")
        expect(page.get_by_text("School year 2026 to 2027").first).to_be_visible()

        with page.expect_download() as download:
            page.get_by_role("link", name="Download as CSV").click()
        assert download.value.suggested_filename == "riverside-summary-2026-27.csv"
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {"section", "figure", "group", "value"} <= set(rows[0])
        assert any(row["value"] == "fewer than 5" for row in rows)
        assert not any("Adams" in value for row in rows for value in row.values())

        page.get_by_role("link", name="Print for the meeting papers").click()
        expect(page.get_by_role("heading", name="Contact with families")).to_be_visible()
        expect(page.get_by_text("Produced on", exact=False).first).to_be_visible()
    context.close()
