"""The demo class teacher, Priya Shah, on a phone and on a desktop: sees a family's thanks
for her praise, praises three children at once, logs a contact with Ava's family and reads
Ava's pupil passport. Every page is scanned
with axe."""

import re

import pytest

from tests.e2e.steps import TOTP_SECRET, expect, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRAISE_NOTE = "Read her sentence to the whole class in a clear, steady voice"
THANKS = "She told us all about it at tea. Thank you for noticing!"
CONTACT_NOTE = "Told Jamie at the gate how well the new reading group went today."
MISTAKE = re.compile("required|missing|fill|choose|tell", re.IGNORECASE)


def test_teacher_journey(journey):
    from partnership.contact.models import ContactEntry
    from partnership.praise.models import Praise
    from partnership.praise.services.thanks import praise_thank
    from partnership.schools.models import Child

    ava = Child.objects.get(mis_id="DEMO001")
    classmates = list(
        Child.objects.filter(school=ava.school, year_group=4, assignments__isnull=False)
        .exclude(pk=ava.pk)
        .distinct()
        .order_by("last_name", "first_name")[:2]
    )
    assert len(classmates) == 2
    praised = [ava, *classmates]
    # Ava's parent has said thank you for praise this teacher gave her (the parent's own
    # journey does it in the browser).
    earlier = Praise.objects.filter(child=ava, given_by__email="teacher@example.org").first()
    praise_thank(praise=earlier, parent=ava.family_links.get().parent, message=THANKS)
    praise_before = Praise.objects.count()
    page = journey.page

    sign_in(page, journey.url, "teacher@example.org", totp_secret=TOTP_SECRET)
    page.wait_for_url(f"{journey.url}/staff/")
    journey.look("staff home")
    expect(page.get_by_role("heading", name="Children you work with")).to_be_visible()
    expect(page.get_by_role("link", name="Adams, Ava")).to_be_visible()
    thanks = page.get_by_role("region", name="Thanks from families")
    expect(thanks).to_contain_text("Jamie Adams thanked you")
    expect(thanks).to_contain_text(THANKS)

    # Praise for three children at once; sent with nothing chosen, the form says so.
    page.get_by_role("link", name="Give praise").first.click()
    expect(page.get_by_role("heading", name="Give praise")).to_be_visible()
    journey.look("give praise")
    page.get_by_role("button", name="Give praise").click()
    expect(page.get_by_text(MISTAKE).first).to_be_visible()
    journey.look("give praise with a mistake")
    for child in praised:
        page.get_by_label(child.full_name).check()
    expect(page.get_by_text("3 children chosen")).to_be_visible()
    page.locator("label.praise-chip").first.click()
    page.get_by_label("What they did").fill(PRAISE_NOTE)
    page.get_by_role("button", name="Give praise").click()
    expect(page.get_by_text(f"Praise saved for {ava.first_name}", exact=False)).to_be_visible()
    journey.look("praise saved")
    assert Praise.objects.count() == praise_before + 3
    assert set(Praise.objects.filter(note=PRAISE_NOTE).values_list("child", flat=True)) == {
        child.pk for child in praised
    }

    # A contact with Ava's family, from her page; saved without a summary it asks for one.
    journey.go(f"/children/{ava.pk}/", "teacher child page")
    expect(page.get_by_role("heading", name="Ava Adams", level=1)).to_be_visible()
    page.get_by_role("link", name="Contact with the family: log and history").click()
    journey.look("contact history")
    page.get_by_role("link", name="Log a contact").click()
    expect(page.get_by_role("heading", name="Log a contact about Ava Adams")).to_be_visible()
    journey.look("log a contact")
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    journey.look("log a contact with a mistake")
    page.get_by_label("What was said").fill(CONTACT_NOTE)
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text("Contact logged.")).to_be_visible()
    expect(page.get_by_text(CONTACT_NOTE)).to_be_visible()
    journey.look("contact logged")
    assert ContactEntry.objects.filter(summary=CONTACT_NOTE, children=ava).exists()

    # Ava's pupil passport: what every adult who works with her should know.
    breadcrumb = page.get_by_role("navigation", name="You are here")
    breadcrumb.get_by_role("link", name="Ava Adams").click()
    journey.look("teacher child page")
    page.get_by_role("link", name="Pupil passport").click()
    expect(page.get_by_role("heading", name="Ava's pupil passport", level=1)).to_be_visible()
    for heading in ("What people like and admire about me", "How best to support me"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    journey.look("pupil passport")

    journey.finish()
