"""The demo governor, on a phone and on a desktop: opens the summary, switches from this
term to the school year, downloads the CSV and opens the printable report. Every page is
scanned with axe."""

import csv
import io
from pathlib import Path

import pytest

from tests.e2e.steps import TOTP_SECRET, expect, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_governor_journey(journey):
    page = journey.page
    code = sign_in(page, journey.url, "governor@example.org", totp_secret=TOTP_SECRET)
    page.wait_for_url(f"{journey.url}/governor/")
    journey.look("governor summary")

    # The code just used is refused a second time, even in another browser: the tests get
    # a fresh cache each (tests/conftest.py), the sign-in keeps its one-use rule.
    elsewhere = page.context.browser.new_context()
    second = elsewhere.new_page()
    sign_in(second, journey.url, "governor@example.org", totp_secret=TOTP_SECRET, code=code)
    expect(second.get_by_text("Incorrect code.", exact=True)).to_be_visible()
    journey.look("two-factor code refused", page=second)
    assert "/2fa/authenticate/" in second.url
    elsewhere.close()
    expect(page.get_by_role("heading", level=1)).to_contain_text("works with parents")
    expect(page.get_by_text("Autumn term 2026").first).to_be_visible()
    for section in ("Contact with families", "Meetings with the SENDCo", "Praise"):
        expect(page.get_by_role("heading", name=section)).to_be_visible()

    page.get_by_label("Period").select_option(label="School year 2026 to 2027")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_label("Period")).to_have_value("2026-27")
    expect(page.get_by_text("School year 2026 to 2027").first).to_be_visible()
    journey.look("governor summary, school year")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename == "riverside-summary-2026-27.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"section", "figure", "group", "value"} <= set(rows[0])
    assert any(row["value"] == "fewer than 5" for row in rows)  # small groups stay hidden
    assert not any("Adams" in value for row in rows for value in row.values())

    page.get_by_role("link", name="Print for the meeting papers").click()
    expect(page.get_by_role("heading", name="Contact with families")).to_be_visible()
    expect(page.get_by_text("Produced on", exact=False).first).to_be_visible()
    journey.look("governor report to print")

    journey.finish()
