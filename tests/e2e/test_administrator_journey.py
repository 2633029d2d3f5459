"""The demo administrator, on a phone and on a desktop: invites a parent (a mistyped address
first), then imports a CSV from the MIS with a mistake in it, is told the row and column,
fixes the file and imports it. Every page is scanned with axe."""

import pytest

from tests.e2e.steps import TOTP_SECRET, expect, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "mis_id,first_name,last_name,date_of_birth,year_group,class_name,send_status,primary_need"


def csv_file(name: str, rows: list[str]) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": "\n".join([HEADER, *rows]).encode()}


def test_administrator_journey(journey):
    from partnership.schools.models import Child, FamilyLink

    page = journey.page
    sign_in(page, journey.url, "admin@example.org", totp_secret=TOTP_SECRET)
    page.wait_for_url(f"{journey.url}/staff/")
    journey.look("staff home")

    # Invite a parent for Ava; the mistyped address is sent back first.
    page.get_by_role("link", name="Invite a parent").click()
    journey.look("invite a parent")
    page.get_by_label("Email address").fill("grandma.adams@example")
    page.get_by_label("Full name").fill("Pat Adams")
    page.get_by_label("Ava Adams", exact=False).first.check()
    page.get_by_label("Relationship to the child").select_option(label="Grandparent")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    journey.look("invite a parent with a mistake")
    page.get_by_label("Email address").fill("grandma.adams@example.org")
    if not page.get_by_label("Ava Adams", exact=False).first.is_checked():
        page.get_by_label("Ava Adams", exact=False).first.check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to grandma.adams@example.org.")).to_be_visible()
    journey.look("invitation sent")
    assert FamilyLink.objects.filter(
        parent__email="grandma.adams@example.org", child__mis_id="DEMO001"
    ).exists()

    # An import with a mistake, then the fixed file.
    journey.go("/staff/", "staff home")
    page.get_by_role("link", name="Import children from MIS").click()
    journey.look("import")
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
    journey.look("import with a mistake")
    assert not Child.objects.filter(mis_id__in=["N3001", "N3002"]).exists()

    fixed = [wrong[0], wrong[1].replace("2014-13-01", "2014-12-01")]
    page.get_by_label("CSV file").set_input_files(csv_file("fixed.csv", fixed))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Import finished. Children added: 2.", exact=False)).to_be_visible()
    journey.look("import finished")
    assert Child.objects.filter(mis_id__in=["N3001", "N3002"]).count() == 2

    journey.finish()
