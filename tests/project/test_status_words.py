"""Colour is never the only signal: every status the portal colours also says itself in words.

A parent or teacher who cannot tell red from green, reads in grey on a cheap phone, or
prints the page must still see "Overdue", "On track", "Waiting list" or "No praise this
week". Pages of the demo school are read as the SENDCo and as the demo parent: each
coloured element has words of its own (or is hidden from assistive technology beside words
that say the same), and the pages show the words of their statuses.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from partnership.accounts.models import User
from partnership.meetings.models import Booking, SessionPlace
from partnership.schools.models import Child

from .form_html import colour_only, parse, text_of

STAFF_PAGES = {
    # page: the words its statuses must be shown in
    "contact_dashboard": ("Overdue", "Due", "On track", "Families needing closer contact"),
    "reviews_due": (),
    "praise_school": ("No praise this week",),
    "meetings_diary": (),
    "session_manage": (),
    "consultation_list": (),
}
SENDCO, PARENT = "sendco@example.org", "parent@example.org"
# Seeding the demo takes seconds and the pages are only read: the tests share one reading.
_PAGES: dict[str, str] = {}


def _get(client, user: User, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def pages(db, settings, client) -> dict[str, str]:
    if _PAGES:
        return _PAGES
    settings.DEBUG = True  # seed_demo refuses to run outside development
    call_command("seed_demo", stdout=io.StringIO())
    sendco, parent = User.objects.get(email=SENDCO), User.objects.get(email=PARENT)
    for name in STAFF_PAGES:
        _PAGES[name] = _get(client, sendco, reverse(name, args=["riverside"]))
    ava = reverse("child_detail", args=[Child.objects.get(mis_id="DEMO001").pk])
    _PAGES["child_detail:staff"] = _get(client, sendco, ava)
    _PAGES["child_detail:parent"] = _get(client, parent, ava)
    booking = Booking.objects.filter(parent=parent).first()
    _PAGES["booking_detail"] = _get(client, parent, reverse("booking_detail", args=[booking.pk]))
    _PAGES["booking_status"] = booking.get_status_display()
    _PAGES["session_list"] = _get(client, parent, reverse("session_list"))
    # The demo parent has a place; another family of the demo waits for one.
    for status in ("confirmed", "waiting"):
        place = SessionPlace.objects.filter(status=status).select_related("parent").first()
        url = reverse("session_detail", args=[place.session_id])
        _PAGES[f"session_detail:{status}"] = _get(client, place.parent, url)
    return _PAGES


def _words(html: str) -> str:
    return text_of(parse(html))


@pytest.mark.parametrize("name", sorted(STAFF_PAGES))
def test_staff_pages_say_each_status_in_words(pages, name):
    html = pages[name]

    assert not colour_only(html)
    words = _words(html)
    for expected in STAFF_PAGES[name]:
        assert expected in words, f"{name}: {expected!r} missing"


def test_a_childs_page_says_progress_and_sharing_in_words(pages):
    as_staff, as_parent = pages["child_detail:staff"], pages["child_detail:parent"]

    for html in (as_staff, as_parent):
        assert not colour_only(html)
        # The little progress bars are hidden from screen readers; the words sit beside them.
        assert re.search(r"\d+ reviews, from [A-Z][a-z ]+ \(", _words(html))
    assert "Shared with the family" in _words(as_staff)


def test_meetings_and_sessions_say_booked_or_waiting_in_words(pages):
    names = ("booking_detail", "session_list", "session_detail:confirmed", "session_detail:waiting")

    for name in names:
        assert not colour_only(pages[name]), name
    assert pages["booking_status"] in _words(pages["booking_detail"])
    assert "You have a place." in _words(pages["session_detail:confirmed"])
    assert "on the waiting list" in _words(pages["session_detail:waiting"])


def test_a_status_shown_by_colour_alone_is_caught():
    dot = '<p>Contact <span class="badge text-bg-danger"></span></p>'
    worded = '<p>Contact <span class="badge text-bg-danger">Overdue</span></p>'
    decorative = '<div aria-hidden="true"><span class="trend-bar trend-level-5"></span></div>'

    assert colour_only(dot)
    assert not colour_only(worded)
    assert not colour_only(decorative)
