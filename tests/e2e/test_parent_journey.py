import io

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_parent_signs_in_and_sees_both_children_with_key_contacts(
    live_server, phone_page, settings
):
    from django.core.management import call_command

    settings.DEBUG = True  # the demo school loads only in a local, debug setting
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False

    page = phone_page
    # Anything the Content-Security-Policy blocks (an inline style, a script) shows up
    # as a console error: the pages must need nothing the policy forbids.
    blocked = []
    page.on("console", lambda msg: blocked.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Email").fill("parent@example.org")
    page.get_by_label("Password").fill("demo-partnership")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/parent/")

    assert page.get_by_role("heading", name="Ava Adams").is_visible()
    assert page.get_by_role("heading", name="Noah Adams").is_visible()
    ava = page.locator("section", has=page.get_by_role("heading", name="Ava Adams"))
    assert ava.get_by_text("Sam Okafor").is_visible()
    assert ava.get_by_text("Targets, support plans and reviews").is_visible()
    assert ava.get_by_text("Priya Shah").is_visible()
    noah = page.locator("section", has=page.get_by_role("heading", name="Noah Adams"))
    assert noah.get_by_text("Chris Evans").is_visible()

    page.get_by_role("link", name="Noah Adams").click()
    assert page.get_by_role("heading", name="Noah Adams", level=1).is_visible()
    assert page.get_by_text("SEN support means extra help").is_visible()
    assert blocked == []
