"""The demo SENDCo opens a consultation, the demo parent answers it on a phone, the SENDCo
closes it and publishes "you said, we did", and the demo governor sees it counted in the
summary."""

import datetime
import io

import pytest
from django.utils import timezone

from tests.e2e.test_contact_journey import TOTP_SECRET, expect, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "A calm start in the library before registration"
STATEMENTS = [
    "A calm start would help my child come into school",
    "8:30 is a good time for it to open",
]


def figure(page, label: str) -> str:
    card = page.locator(".summary-figure").filter(has_text=label).first
    return card.locator(".summary-figure-value").inner_text().strip()


def test_a_consultation_from_question_to_you_said_we_did(live_server, browser, settings):
    from django.core.management import call_command

    from partnership.coproduction.models import Consultation, ConsultationResponse

    settings.DEBUG = True  # the demo school loads only in a local, debug setting
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    closes = timezone.localdate() + datetime.timedelta(days=7)

    governor = browser.new_context(viewport={"width": 1280, "height": 900})
    summary = governor.new_page()
    sign_in(summary, live_server.url, "governor@example.org", totp_secret=TOTP_SECRET)
    summary.wait_for_url(f"{live_server.url}/governor/")
    opened_before = int(figure(summary, "Consultations opened"))

    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    page = staff.new_page()
    sign_in(page, live_server.url, "sendco@example.org", totp_secret=TOTP_SECRET)
    page.wait_for_url(f"{live_server.url}/staff/")
    page.get_by_role("link", name="Consultations").first.click()
    page.get_by_role("link", name="New consultation").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What is changing and why").fill(
        "We would like to open the library at 8:30 for children who find the playground hard."
    )
    page.get_by_label("Statements to agree or disagree with").fill("\n".join(STATEMENTS))
    page.get_by_label("Closing date").fill(closes.isoformat())
    page.get_by_role("button", name="Save draft").click()
    page.get_by_label("All SEND families").check()
    page.get_by_role("button", name="Check who is asked").click()
    page.get_by_role("button", name="Send to").click()
    expect(page.get_by_text("0 of", exact=False).first).to_be_visible()
    consultation = Consultation.objects.get(title=TITLE)
    assert consultation.status == Consultation.Status.OPEN
    assert consultation.invites.filter(parent__email="parent@example.org").exists()

    family = browser.new_context(viewport={"width": 390, "height": 844})
    phone = family.new_page()
    sign_in(phone, live_server.url, "parent@example.org")
    phone.wait_for_url(f"{live_server.url}/parent/")
    asked = phone.locator(".views-wanted").filter(has_text=TITLE)
    asked.get_by_role("link", name="Give your views").click()
    for statement, answer in zip(STATEMENTS, ("Agree", "Not sure"), strict=True):
        phone.get_by_role("group", name=statement).get_by_label(answer, exact=True).check()
    phone.get_by_label("Anything else you want to tell school? (optional)").fill(
        "My son would love this."
    )
    phone.get_by_role("button", name="Send my answer").click()
    expect(phone.get_by_role("button", name="Save my new answer")).to_be_visible()
    family.close()
    assert ConsultationResponse.objects.filter(
        consultation=consultation, parent__email="parent@example.org"
    ).exists()

    page.reload()
    expect(page.get_by_text("1 of", exact=False).first).to_be_visible()
    page.get_by_role("link", name="Close it early").click()
    page.get_by_role("button", name="Close it now").click()
    page.get_by_label("You said: what parents told us").fill(
        "Most families said a calm start would help; some asked for an earlier time."
    )
    page.get_by_label("We did: what we changed").fill("The library opens at 8:30 from Monday.")
    page.get_by_label("What did not change, and why").fill(
        "We cannot open before 8:30: staff are not on site earlier."
    )
    page.get_by_role("button", name="Publish and tell parents").click()
    expect(page.get_by_text("The library opens at 8:30 from Monday.")).to_be_visible()
    staff.close()
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.PUBLISHED

    summary.reload()
    assert int(figure(summary, "Consultations opened")) == opened_before + 1
    expect(summary.locator(".summary-figure").filter(has_text="You said, we did")).to_contain_text(
        "of"
    )
    governor.close()
