"""The demo SENDCo, Sam Okafor, on a phone and on a desktop: sees the families needing closer
contact (the Adams family asked for a call this week) and logs the call; publishes a week
of meeting slots; replies to what Ava's parent saw at home and turns it into a target agreed
with him and shared with the family; looks at the week's praise; opens a consultation,
closes it and publishes "you said, we did". Every page is scanned with axe."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.e2e.steps import TOTP_SECRET, expect, sign_in, this_weeks_checkin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")
WORRY = "Ava has not wanted to come in all week. Could someone ring me?"
CALL_NOTE = "Rang Jamie back about the mornings. Agreed a calm start in the library."
SEEN = "Ava put her shoes on by herself when the sand timer ran out, three days running."
REPLY = "Thank you! We will use a sand timer for getting changed for PE too."
OUTCOME = "Ava gets ready for school using her sand timer, with one reminder or none."
AT_HOME = "Use the sand timer for shoes and coat; praise her when she beats it."
TITLE = "A calm start in the library before registration"
STATEMENTS = [
    "A calm start would help my child come into school",
    "8:30 is a good time for it to open",
]
WE_DID = "The library opens at 8:30 from Monday."
MISTAKE = ".invalid-feedback, .alert-danger, .errorlist"


def closer_rows(page):
    """The families in "needing closer contact" that have a "Log contact" link, in order."""
    section = page.get_by_role("region", name="Families needing closer contact")
    return section.locator("tr, li").filter(has=page.get_by_role("link", name="Log contact"))


def test_sendco_journey(journey):
    from partnership.contact.services.checkins import checkin_answer
    from partnership.coproduction.models import Consultation
    from partnership.meetings.models import Slot, SlotPattern
    from partnership.plans.models import Target
    from partnership.plans.services.observations import observation_add
    from partnership.schools.models import Child

    # What the family did this week, through the same services their pages call.
    checkin = checkin_answer(checkin=this_weeks_checkin(), rating=2, message=WORRY, wants_call=True)
    ava = Child.objects.get(mis_id="DEMO001")
    observation_add(child=ava, author=checkin.parent, text=SEEN)
    today = timezone.localdate(timezone=LONDON)
    monday = today + datetime.timedelta(days=7 - today.weekday() + 7)  # in two weeks
    page = journey.page

    sign_in(page, journey.url, "sendco@example.org", totp_secret=TOTP_SECRET)
    page.wait_for_url(f"{journey.url}/staff/")
    journey.look("staff home")

    # The family who asked for a call is at the top of "needing closer contact".
    page.get_by_role("link", name="Contact dashboard").click()
    journey.look("contact dashboard")
    top = closer_rows(page).first
    expect(top).to_contain_text("Adams")
    expect(top).to_contain_text("Asked for a call")
    top.get_by_role("link", name="Log contact").click()
    expect(page.get_by_role("heading", name=re.compile("^Log a contact about"))).to_be_visible()
    expect(page.get_by_label("Jamie Adams")).to_be_checked()
    journey.look("log the call")
    page.get_by_label("What was said").fill(CALL_NOTE)
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text("request for a call is marked as answered")).to_be_visible()
    journey.look("call logged")
    checkin.refresh_from_db()
    assert checkin.call_done_at is not None

    # A week of slots; an impossible time is refused first.
    journey.go("/schools/riverside/meetings/", "meeting diary")
    page.get_by_role("link", name="Publish weekly slots").click()
    journey.look("publish weekly slots")
    for day in ("Tuesday", "Thursday"):  # the form suggests the usual days; not this time
        page.get_by_label(day, exact=True).uncheck()
    page.get_by_label("Monday", exact=True).check()
    page.get_by_label("Wednesday", exact=True).check()
    page.get_by_label("First meeting starts at").fill("14:00")
    page.get_by_label("Minutes per meeting").fill("0")
    page.get_by_label("Meetings each day").fill("3")
    page.get_by_label("Where (in person)").fill("The family room")
    page.get_by_label("From").fill(monday.isoformat())
    page.get_by_label("Until (optional)").fill((monday + datetime.timedelta(days=6)).isoformat())
    page.get_by_role("button", name="Publish slots").click()
    expect(page.locator(MISTAKE).first).to_be_visible()
    journey.look("publish weekly slots with a mistake")
    page.get_by_label("Minutes per meeting").fill("30")
    page.get_by_role("button", name="Publish slots").click()
    expect(page.get_by_text("6 slots", exact=False).first).to_be_visible()
    journey.look("slots published")
    assert Slot.objects.filter(pattern=SlotPattern.objects.latest("pk")).count() == 6

    # A target that starts from what Ava's parent saw at home, agreed with him, then shared.
    journey.go(f"/children/{ava.pk}/", "SENDCo child page")
    page.get_by_role("link", name="All home observations, and reply").click()
    journey.look("home observations")
    seen = page.locator("li.observation", has_text=SEEN)
    seen.get_by_label("Reply to the family").fill(REPLY)
    seen.get_by_role("button", name="Send reply").click()
    seen = page.locator("li.observation", has_text=SEEN)
    expect(seen.get_by_text(REPLY)).to_be_visible()
    journey.look("reply sent")
    seen.get_by_role("link", name="Use as baseline for a new target").click()
    expect(page.get_by_role("heading", name="New target for Ava Adams")).to_be_visible()
    expect(page.get_by_label("Where they are now (baseline)")).to_have_value(SEEN)
    journey.look("new target")
    page.get_by_role("button", name="Add target").click()
    expect(page.locator(MISTAKE).first).to_be_visible()
    journey.look("new target with a mistake")
    page.get_by_label("The target, in plain words").fill(OUTCOME)
    page.get_by_label("How we will know it is achieved").fill("Ready by 8:15 on four days of five.")
    page.get_by_label("How to help at home").fill(AT_HOME)
    page.get_by_role("button", name="Add target").click()
    expect(page.get_by_text("Target added.")).to_be_visible()
    expect(page.get_by_role("heading", name=OUTCOME, level=1)).to_be_visible()
    journey.look("target added")
    page.get_by_label("Parent or carer who agreed").select_option(index=0)
    page.get_by_role("button", name="Record agreement").click()
    expect(page.get_by_text("Agreement recorded.")).to_be_visible()
    journey.look("agreement recorded")
    page.get_by_role("button", name="Share with the family").click()
    expect(page.get_by_text("Shared.", exact=False)).to_be_visible()
    journey.look("target shared")
    target = Target.objects.get(outcome=OUTCOME)
    assert target.baseline == SEEN and target.how_to_help_at_home == AT_HOME

    # Praise across the school this week, and who has had none lately.
    journey.go("/schools/riverside/praise/", "praise this week")
    expect(page.get_by_role("heading", name="Praise across the school")).to_be_visible()
    expect(page.get_by_role("heading", name="By adult")).to_be_visible()

    # A consultation: opened to every SEND family, closed, and "you said, we did".
    journey.go("/schools/riverside/consultations/", "consultations")
    page.get_by_role("link", name="New consultation").click()
    journey.look("new consultation")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What is changing and why").fill(
        "We would like to open the library at 8:30 for children who find the playground hard."
    )
    page.get_by_label("Statements to agree or disagree with").fill("\n".join(STATEMENTS))
    page.get_by_label("Closing date").fill((today + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Save draft").click()
    journey.look("consultation draft")
    page.get_by_label("All SEND families").check()
    page.get_by_role("button", name="Check who is asked").click()
    journey.look("who is asked")
    page.get_by_role("button", name="Send to").click()
    expect(page.get_by_text("0 of", exact=False).first).to_be_visible()
    journey.look("consultation open")
    consultation = Consultation.objects.get(title=TITLE)
    assert consultation.status == Consultation.Status.OPEN
    assert consultation.invites.filter(parent__email="parent@example.org").exists()
    page.get_by_role("link", name="Close it early").click()
    journey.look("close early")
    page.get_by_role("button", name="Close it now").click()
    journey.look("you said, we did")
    page.get_by_role("button", name="Publish and tell parents").click()
    expect(page.locator(MISTAKE).first).to_be_visible()
    journey.look("you said, we did with a mistake")
    page.get_by_label("You said: what parents told us").fill(
        "Families had not answered yet; those we spoke to said a calm start would help."
    )
    page.get_by_label("We did: what we changed").fill(WE_DID)
    page.get_by_label("What did not change, and why").fill(
        "We cannot open before 8:30: staff are not on site earlier."
    )
    page.get_by_role("button", name="Publish and tell parents").click()
    expect(page.get_by_text(WE_DID)).to_be_visible()
    journey.look("you said, we did published")
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.PUBLISHED

    journey.finish()
