"""The demo administrator invites a parent, then imports a CSV from the MIS with a mistake
in it, is told the row and column, fixes the file and imports it: on a phone and on a
desktop."""

import io

import pytest

from tests.e2e.test_contact_journey import TOTP_SECRET, expect, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "mis_id,first_name,last_name,date_of_birth,year_group,class_name,send_status,primary_need"


def csv_file(name: str, rows: list[str]) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": "\n".join([HEADER, *rows]).encode()}


def test_administrator_invites_a_parent_and_fixes_an_import(live_server, browser, settings):
    from django.core.management import call_command

    from partnership.schools.models import Child, FamilyLink

    settings.DEBUG = True  # the demo school loads only in a local, debug setting
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live_server.url, "admin@example.org", totp_secret=TOTP_SECRET)
    page.wait_for_url(f"{live_server.url}/staff/")

    # On a phone: invite a parent for Ava.
    page.get_by_role("link", name="Invite a parent").click()
    page.get_by_label("Email address").fill("grandma.adams@example.org")
    page.get_by_label("Full name").fill("Pat Adams")
    page.get_by_label("Ava Adams", exact=False).first.check()
    page.get_by_label("Relationship to the child").select_option(label="Grandparent")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to grandma.adams@example.org.")).to_be_visible()
    assert FamilyLink.objects.filter(
        parent__email="grandma.adams@example.org", child__mis_id="DEMO001"
    ).exists()

    # On a desktop: an import with a mistake, then the fixed file.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/staff/")
    page.get_by_role("link", name="Import children from MIS").click()
    wrong = [
        "N3001,Zara,Okoye,2015-09-30,Year 5,5B,SEN support,SPLD",
        "N3002,Tom,Reid,2014-13-01,Year 6,6A,EHC plan,ASD",
    ]
    page.get_by_label("CSV file").set_input_files(csv_file("wrong.csv", wrong))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("The file was not imported. Nothing has changed.")).to_be_visible()
    problem = page.locator("li").filter(has_text="Row 3")
    expect(problem).to_have_count(1)  # the second child's row (the header is row 1)
    expect(problem).to_contain_text("date")
    assert not Child.objects.filter(mis_id__in=["N3001", "N3002"]).exists()

    fixed = [wrong[0], wrong[1].replace("2014-13-01", "2014-12-01")]
    page.get_by_label("CSV file").set_input_files(csv_file("fixed.csv", fixed))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Import finished. Children added: 2.", exact=False)).to_be_visible()
    assert Child.objects.filter(mis_id__in=["N3001", "N3002"]).count() == 2
    context.close()
