"""The demo parent signs in with an emailed code on a phone, reads Ava's targets with their
home ideas and her praise, and tells school what she saw at home."""

import io
import re

import pytest

from tests.e2e.test_contact_journey import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEEN = "Ava waited for her turn at snap three times tonight without a reminder."


def test_parent_signs_in_by_code_and_adds_what_she_saw_at_home(live_server, phone_page, settings):
    from django.core import mail
    from django.core.management import call_command

    from partnership.plans.models import HomeObservation

    settings.DEBUG = True  # the demo school loads only in a local, debug setting
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    mail.outbox = []

    page = phone_page
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Email me a sign-in code").click()
    page.get_by_label("Email").fill("parent@example.org")
    page.get_by_role("button", name=re.compile("code", re.IGNORECASE)).click()
    code = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.MULTILINE)
    assert code, "the sign-in email carries a code"
    page.get_by_label("Code").fill(code.group(1))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{live_server.url}/parent/")

    expect(page.locator(".praise-item").first).to_be_visible()
    page.get_by_role("link", name="Ava Adams").click()
    expect(page.get_by_text("How to help at home").first).to_be_visible()
    page.get_by_role("link", name="Tell school what you've seen at home with Ava").click()
    page.get_by_label("What did you see at home?").fill(SEEN)
    page.get_by_role("button", name="Send to school").click()
    expect(page.get_by_text(SEEN)).to_be_visible()
    assert HomeObservation.objects.filter(
        text=SEEN, author__email="parent@example.org", child__mis_id="DEMO001"
    ).exists()
