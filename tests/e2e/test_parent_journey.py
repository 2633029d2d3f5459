"""The demo parent, Jamie Adams, on a phone and on a desktop: signs in with an emailed code,
sees both children, reads Ava's targets with their home ideas (one in full, then the plan to
print) and her praise, says thank you, answers this week's check-in asking for a call, books
a free meeting and adds it to her calendar, tells school what she saw at home
and gives her views on the open consultation. Every page is scanned with axe."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from tests.e2e.steps import emailed_code, expect, this_weeks_checkin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORRY = "Ava has not wanted to come in all week. Could someone ring me?"
MEETING_NOTE = "Ava's new reading group, and how we can practise at home"
SEEN = "Ava waited for her turn at snap three times tonight without a reminder."
CONSULTATION = "A quiet room at lunchtime"
THANK = re.compile("^Say thank you")
MISTAKE = ".invalid-feedback, .alert-danger, .errorlist"
VIEWS = "Ava would use it every day: the hall is too loud for her."


def test_parent_journey(journey):
    from django.core import mail

    from partnership.coproduction.models import ConsultationResponse
    from partnership.meetings.models import Booking, Slot
    from partnership.plans.models import HomeObservation
    from partnership.schools.models import Child

    # New slots are kept for families needing closer contact for a few days, and the
    # Adams family may not be one of them: let those days be over, as they will be.
    Slot.objects.filter(priority_until__gt=timezone.now()).update(
        priority_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    checkin = this_weeks_checkin()
    ava = Child.objects.get(mis_id="DEMO001")
    mail.outbox = []
    page = journey.page

    # Sign in with a code sent by email: no password to remember.
    page.goto(f"{journey.url}/")
    journey.look("sign in")
    page.get_by_role("link", name="Email me a sign-in code").click()
    journey.look("ask for a code")
    page.get_by_label("Email").fill("parent@example.org")
    page.get_by_role("button", name=re.compile("code", re.IGNORECASE)).click()
    journey.look("enter the code")
    page.get_by_label("Code").fill(emailed_code("parent@example.org"))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{journey.url}/parent/")
    journey.look("parent home")

    # Both children, each with who to contact.
    ava_card = page.locator("section", has=page.get_by_role("heading", name="Ava Adams"))
    noah_card = page.locator("section", has=page.get_by_role("heading", name="Noah Adams"))
    expect(ava_card.get_by_text("Sam Okafor").first).to_be_visible()
    expect(ava_card.get_by_text("Priya Shah").first).to_be_visible()
    expect(noah_card.get_by_text("Chris Evans").first).to_be_visible()

    # All praise, and a thank-you for the first that has none yet (sent without leaving
    # the page).
    page.get_by_role("link", name="See all praise").click()
    journey.look("all praise")
    item = page.locator(".praise-item").filter(has=page.get_by_role("button", name=THANK)).first
    praise_text = item.locator("p").first.inner_text()
    item.get_by_role("button", name=THANK).click()
    thanked = page.locator(".praise-item").filter(has_text=praise_text)
    expect(thanked.get_by_text("You said thank you")).to_be_visible()
    journey.look("praise thanked")

    # Ava's page: targets that say how to help at home, and her praise.
    journey.go(f"/children/{ava.pk}/", "Ava's page")
    expect(page.get_by_role("heading", name="Ava Adams", level=1)).to_be_visible()
    target = page.locator("article.target-card").first
    expect(target.get_by_text(re.compile("help at home", re.IGNORECASE)).first).to_be_visible()
    expect(target.get_by_text("picture timetable for the morning routine")).to_be_visible()
    praise = page.get_by_role("region", name="Praise for Ava")
    expect(praise.locator(".praise-item").first).to_be_visible()
    # One target in full: its progress as a trend, in bars and in words.
    outcome = target.get_by_role("heading", level=3).inner_text()
    target.get_by_role("link", name="See this target in full").click()
    expect(page.get_by_role("heading", name=outcome, level=1)).to_be_visible()
    expect(page.get_by_role("list", name="Progress over time, oldest first")).to_be_visible()
    journey.look("target in full")
    # The plan to print, opened out, with a Print button from a script the policy allows.
    journey.go(f"/children/{ava.pk}/?print=1", "Ava's plan to print")
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    expect(page.get_by_text("Where they were at the start").first).to_be_visible()
    page.get_by_role("link", name="Back to the normal page").click()
    journey.look("Ava's page")

    # What she saw at home: an empty form is sent back with a reason, then the real one.
    page.get_by_role("link", name="Tell school what you've seen at home with Ava").click()
    journey.look("home observation")
    page.get_by_role("button", name="Send to school").click()
    expect(page.locator(MISTAKE).first).to_be_visible()
    journey.look("home observation with a mistake")
    page.get_by_label("What did you see at home?").fill(SEEN)
    page.get_by_role("button", name="Send to school").click()
    expect(page.get_by_text(SEEN)).to_be_visible()
    journey.look("home observation sent")
    assert HomeObservation.objects.filter(text=SEEN, child=ava).exists()

    # This week's check-in: sent empty it says what is missing, then the real answer.
    journey.go("/checkins/", "weekly check-ins")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator(MISTAKE).first).to_be_visible()
    journey.look("check-in with a mistake")
    page.get_by_label("2 – Hard").check()
    page.get_by_label("Anything to tell us?").fill(WORRY)
    page.get_by_label("I would like a call from school").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Your answer is with school")).to_be_visible()
    journey.look("check-in sent")
    checkin.refresh_from_db()
    assert checkin.wants_call and checkin.answered_at

    # Book the first free time.
    journey.go("/meetings/", "book a meeting")
    slot = page.locator("a.meeting-slot").first
    time = slot.inner_text().strip()[:5]
    slot.click()
    expect(page.get_by_role("heading", name="Book this time")).to_be_visible()
    journey.look("book this time")
    page.get_by_label("What would you like to talk about?").fill(MEETING_NOTE)
    page.get_by_role("button", name="Book this meeting").click()
    expect(page.get_by_role("heading", name=re.compile("^Meeting with "))).to_be_visible()
    expect(page.get_by_text(MEETING_NOTE)).to_be_visible()
    expect(page.get_by_text(time).first).to_be_visible()
    journey.look("meeting booked")
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar").click()
    ics = Path(download.value.path()).read_text(encoding="utf-8")
    assert f"T{time.replace(':', '')}00" in ics
    assert "Ava" not in ics and "Adams" not in ics  # calendars leave school: no child named
    assert Booking.objects.filter(note=MEETING_NOTE, parent__email="parent@example.org").exists()

    # Views on the open consultation, from "Your views".
    journey.go("/consultations/", "your views")
    page.get_by_role("link", name=CONSULTATION).first.click()
    expect(page.get_by_role("heading", name=CONSULTATION, level=1)).to_be_visible()
    journey.look("consultation")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Please choose an answer to this statement.").first).to_be_visible()
    journey.look("consultation with a mistake")
    for group in page.locator(".consultation-answer-form fieldset").all():
        group.get_by_role("radio").first.check()
    page.get_by_label("Anything else you want to tell school? (optional)").fill(VIEWS)
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("button", name="Save my new answer")).to_be_visible()
    journey.look("consultation answered")
    assert ConsultationResponse.objects.filter(
        consultation__title=CONSULTATION, parent__email="parent@example.org", comment=VIEWS
    ).exists()

    journey.finish()
