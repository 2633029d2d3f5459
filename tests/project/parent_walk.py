"""Walk every page the demo parent can reach, as the parent would: by following links.

The walk starts at home and at the links a family gets by email (the one-tap check-in, the
invitation), and follows every link on every page it reaches. It visits at most a couple
of pages of each kind (each URL name), so its length does not grow with the demo's data.
The parent's rows of the role matrix (tests/security/matrix.py) say which pages exist; a
test fails if one of them is neither walked nor set aside below with its reason.
"""

from __future__ import annotations

import datetime
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from partnership.accounts.models import Invitation, User, hash_token
from partnership.contact.models import CheckIn
from partnership.contact.services.checkins import checkin_token
from partnership.meetings.models import CalendarFeed
from partnership.meetings.services.calendar import token_hash
from partnership.schools.models import School
from tests.security.matrix import MATRIX
from tests.security.world import PARENT

DEMO_PARENT = "parent@example.org"
PAGES_OF_A_KIND = 2
INVITATION_TOKEN = "plain-english-walk-invitation"

# Parent rows of the matrix that are not pages of words, or are reached another way.
NOT_READ = {
    "observation_photo": "a photo, not a page",
    "booking_ics": "a calendar file",
    "calendar_feed": "a calendar feed",
    "account_logout": "signs out; the walk stays signed in",
    # allauth answers these with its own error pages for made-up keys; no family sees them
    # from the portal's links, and their words are allauth's.
    "account_confirm_email": "reached only from allauth's email with a real key",
    "account_reset_password_from_key": "reached only from allauth's email with a real key",
    "account_reset_password_from_key_done": "only after a password reset by email",
    "account_inactive": "only for a switched-off account, never signed in",
    "account_email_verification_sent": "only after changing an email address",
    "account_reauthenticate": "asked only before a sensitive change",
}
# Pages a family reaches without a link on another page (from an email, or by typing).
SIGNED_IN_STARTS = (
    "home",
    "account_email",
    "account_change_password",
    "account_reset_password",
    "account_reset_password_done",
    "checkin_thanks",
    # Only the booking emails link to the calendar feed's settings.
    "calendar_settings",
)


def parent_page_names() -> set[str]:
    """The URL names the matrix says answer the parent with a page."""
    return {name for name, row in MATRIX.items() if "200" in (row.get[PARENT], row.post[PARENT])}


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    html: str


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and not href.startswith(("#", "mailto:", "tel:")):
            self.hrefs.append(href)


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def _url_name(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != "testserver":
        return None
    try:
        return resolve(parts.path).url_name
    except Resolver404:
        return None


def email_links() -> list[str]:
    """The links a family follows from the portal's emails, made for the demo parent."""
    parent = User.objects.get(email=DEMO_PARENT)
    open_checkin = CheckIn.objects.filter(parent=parent, answered_at__isnull=True).first()
    answered = CheckIn.objects.filter(parent=parent, answered_at__isnull=False).first()
    # A private calendar feed, so the page that stops it has something to stop.
    CalendarFeed.objects.get_or_create(user=parent, defaults={"token_hash": token_hash("walk")})
    invited = User.objects.create(email="new-family@example.org", is_active=False)
    Invitation.objects.create(
        user=invited,
        school=School.objects.get(slug="riverside"),
        token_hash=hash_token(INVITATION_TOKEN),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    links = [reverse("invitation_accept", args=[INVITATION_TOKEN])]
    for checkin in (open_checkin, answered):
        if checkin is not None:
            links.append(
                reverse("checkin_respond", args=[checkin_token(checkin=checkin, rating=4)])
            )
            links.append(reverse("checkin_answer", args=[checkin.pk]))
    return links


def walk(client) -> Iterator[Page]:
    """Every HTML page reachable from the starts, at most PAGES_OF_A_KIND of each name."""
    todo = deque([reverse(name) for name in SIGNED_IN_STARTS] + email_links())
    seen_urls: set[str] = set()
    per_name: dict[str, int] = {}
    while todo:
        url = todo.popleft()
        path = urlsplit(url).path
        name = _url_name(url)
        if name is None or path in seen_urls or per_name.get(name, 0) >= PAGES_OF_A_KIND:
            continue
        seen_urls.add(path)
        response = client.get(url, follow=True)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        final = response.request["PATH_INFO"]
        final_name = _url_name(final) or name
        if final != path and final in seen_urls:
            continue
        seen_urls.add(final)
        per_name[final_name] = per_name.get(final_name, 0) + 1
        html = response.content.decode()
        yield Page(final_name, final, html)
        todo.extend(_links(html))
