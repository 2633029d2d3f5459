"""axe-core scans of the main pages of each demo role's journeys, at phone and desktop
sizes. Prints one line per page with its violation counts by impact; fails on any serious
or critical violation."""

import io
from collections import Counter

import pytest
from django.urls import reverse

from tests.e2e.test_contact_journey import TOTP_SECRET, sign_in, this_weeks_checkin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "riverside"
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 900)}
IMPACTS = ("critical", "serious", "moderate", "minor")

# Rules switched off for one page: {page label: {axe rule id: "the problem, and why it
# stays"}}. Keep this empty if you can; never switch a rule off without saying why.
EXCLUDED = {}


def journeys():
    """(email, totp secret, [(label, path)]) for each demo role."""
    from partnership.schools.models import School

    school = School.objects.get(slug=SLUG)
    child = school.children.get(mis_id="DEMO001")
    checkin = this_weeks_checkin()
    return [
        (
            "parent@example.org",
            None,
            [
                ("parent home", reverse("parent_home")),
                ("parent child page", reverse("child_detail", args=[child.pk])),
                ("praise feed", reverse("praise_feed")),
                ("book a meeting", reverse("meeting_book_start")),
                ("check-in answer", reverse("checkin_answer", args=[checkin.pk])),
                ("your views", reverse("consultation_inbox")),
            ],
        ),
        (
            "teacher@example.org",
            TOTP_SECRET,
            [
                ("staff home", reverse("staff_home")),
                ("give praise", reverse("praise_give", args=[SLUG])),
                ("teacher child page", reverse("child_detail", args=[child.pk])),
                ("log a contact", reverse("contact_log", args=[child.pk])),
            ],
        ),
        (
            "sendco@example.org",
            TOTP_SECRET,
            [
                ("contact dashboard", reverse("contact_dashboard", args=[SLUG])),
                ("meeting diary", reverse("meetings_diary", args=[SLUG])),
                ("publish weekly slots", reverse("slot_pattern_new", args=[SLUG])),
                ("consultations", reverse("consultation_list", args=[SLUG])),
                ("praise this week", reverse("praise_school", args=[SLUG])),
            ],
        ),
        (
            "governor@example.org",
            TOTP_SECRET,
            [("governor home", reverse("governor_home"))],
        ),
        (
            "admin@example.org",
            TOTP_SECRET,
            [
                ("invite a parent", reverse("invite_parent", args=[SLUG])),
                ("import", reverse("import_children", args=[SLUG])),
            ],
        ),
    ]


def test_main_pages_have_no_serious_accessibility_violations(live_server, browser, settings):
    from axe_playwright_python.sync_playwright import Axe
    from django.core.management import call_command

    settings.DEBUG = True  # the demo school loads only in a local, debug setting
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False

    axe = Axe()
    failures = []
    for email, secret, pages in journeys():
        context = browser.new_context()
        page = context.new_page()
        sign_in(page, live_server.url, email, secret)
        page.wait_for_url(lambda url: "/accounts/" not in url)
        for label, path in pages:
            response = page.goto(live_server.url + path)
            assert response.ok, f"{email} {path}: HTTP {response.status}"
            assert page.url == live_server.url + path, f"{email} {path}: sent to {page.url}"
            page.evaluate(axe.axe_script)  # once per page; each size rescans the same page
            options = {"resultTypes": ["violations"]}
            if label in EXCLUDED:
                options["rules"] = {rule: {"enabled": False} for rule in EXCLUDED[label]}
            for size, (width, height) in VIEWPORTS.items():
                page.set_viewport_size({"width": width, "height": height})
                violations = page.evaluate("options => axe.run(document, options)", options)[
                    "violations"
                ]
                counts = Counter(v["impact"] for v in violations)
                summary = ", ".join(f"{impact} {counts[impact]}" for impact in IMPACTS)
                print(f"{label} ({size}) {path}: {summary}")
                for violation in violations:
                    if violation["impact"] in ("serious", "critical"):
                        targets = [n["target"] for n in violation["nodes"]][:3]
                        failures.append(
                            f"{label} ({size}): {violation['id']} [{violation['impact']}] "
                            f"{violation['help']} {targets}"
                        )
        context.close()
    assert not failures, "\n".join(failures)
