"""The demo teacher praises two children at once on a phone; the demo parent sees the
praise on her home page and says thank you; the teacher sees the thank-you."""

import io

import pytest

from tests.e2e.test_contact_journey import TOTP_SECRET, expect, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Read her sentence to the whole class in a clear, steady voice"
THANKS = "She told us all about it at tea. Thank you for noticing!"


def test_teacher_praises_two_children_and_the_parent_says_thank_you(live_server, browser, settings):
    from django.core.management import call_command

    from partnership.praise.models import Praise, PraiseThanks
    from partnership.schools.models import Child

    settings.DEBUG = True  # the demo school loads only in a local, debug setting
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    ava = Child.objects.get(mis_id="DEMO001")
    classmate = (
        Child.objects.filter(school=ava.school, year_group=4, assignments__isnull=False)
        .exclude(pk=ava.pk)
        .order_by("last_name", "first_name")
        .first()
    )
    before = Praise.objects.count()

    staff = browser.new_context(viewport={"width": 390, "height": 844})
    page = staff.new_page()
    sign_in(page, live_server.url, "teacher@example.org", totp_secret=TOTP_SECRET)
    page.wait_for_url(f"{live_server.url}/staff/")
    page.get_by_role("link", name="Give praise").first.click()
    page.get_by_label(ava.full_name).check()
    page.get_by_label(classmate.full_name).check()
    expect(page.get_by_text("2 children chosen")).to_be_visible()
    value = page.locator("label.praise-chip").first
    value_name = value.inner_text().strip()
    value.click()
    page.get_by_label("What they did").fill(NOTE)
    page.get_by_role("button", name="Give praise").click()
    expect(page.get_by_text(f"Praise saved for {ava.first_name} and")).to_be_visible()
    assert Praise.objects.count() == before + 2

    family = browser.new_context(viewport={"width": 390, "height": 844})
    home = family.new_page()
    sign_in(home, live_server.url, "parent@example.org")
    home.wait_for_url(f"{live_server.url}/parent/")
    praise = home.locator(".praise-item").filter(has_text=NOTE)
    expect(praise).to_have_count(1)  # her own child's, not the classmate's
    expect(praise).to_contain_text("Priya Shah")
    expect(praise).to_contain_text(value_name)
    praise.get_by_text("Add a message (optional)").click()
    praise.get_by_label("A few words for the adult who noticed").fill(THANKS)
    praise.get_by_role("button", name="Say thank you").click()
    expect(praise.get_by_text("You said thank you")).to_be_visible()
    family.close()
    assert PraiseThanks.objects.filter(praise__note=NOTE, message=THANKS).count() == 1

    # The teacher is still signed in (a TOTP code is accepted once, so no second sign-in).
    page = staff.pages[0]
    page.goto(f"{live_server.url}/staff/")
    thanks = page.get_by_role("region", name="Thanks from families")
    expect(thanks).to_contain_text("Jamie Adams thanked you")
    expect(thanks).to_contain_text(THANKS)
    staff.close()
