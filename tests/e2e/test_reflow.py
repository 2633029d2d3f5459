"""Text reflows (WCAG 1.4.10): the parent's main pages scroll only up and down at 320 px wide,
and at 1280 px with 200% zoom (emulated, as a browser does, with a 640 px wide viewport).
Plain English: the words "SENDCo", "EHC plan", "SEN support" and "intervention" are
explained where a parent first meets them."""

import io

import pytest
from django.urls import reverse

from tests.e2e.steps import sign_in

# 320 px is WCAG's reflow width; 1280 px at 200% zoom lays out like a 640 px viewport.
VIEWPORTS = [{"width": 320, "height": 640}, {"width": 640, "height": 800}]
SENDCO = "The SENDCo is the teacher who leads special educational needs support"
EHC_PLAN = "An EHC plan (education, health and care plan) is a legal document"
SEN_SUPPORT = "SEN support means extra help in school"
INTERVENTION = "An intervention is extra"


def seed_demo(settings):
    from django.core.management import call_command

    settings.DEBUG = True  # the demo school loads only in a local, debug setting
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


def parent_pages():
    from partnership.schools.models import Child

    children = Child.objects.filter(family_links__parent__email="parent@example.org")
    urls = [reverse("parent_home"), reverse("meeting_book_start")]
    urls += [reverse("child_detail", args=[child.pk]) for child in children.order_by("pk")]
    return urls


def overflow(page):
    """How many CSS pixels the page is wider than the window (0 when it reflows), and the
    widest elements that stick out, to say what to fix."""
    return page.evaluate(
        """() => {
          const extra = document.documentElement.scrollWidth - window.innerWidth;
          const wide = [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 5)
            .map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.'));
          return {extra, wide};
        }"""
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_parent_pages_reflow_at_320_px_and_200_percent_zoom(live_server, browser, settings):
    seed_demo(settings)
    urls = parent_pages()
    assert len(urls) >= 4  # home, booking and both children

    context = browser.new_context(viewport=VIEWPORTS[0])
    page = context.new_page()
    sign_in(page, live_server.url, "parent@example.org")
    page.wait_for_url(f"{live_server.url}/parent/")
    problems = []
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        for url in urls:
            page.goto(live_server.url + url)
            found = overflow(page)
            if found["extra"] > 0:
                problems.append((viewport["width"], url, found))
    context.close()
    assert problems == []


@pytest.mark.django_db
def test_parent_pages_explain_send_words(client, settings):
    from partnership.accounts.models import User
    from partnership.schools.models import Child

    seed_demo(settings)
    client.force_login(User.objects.get(email="parent@example.org"))
    children = Child.objects.filter(family_links__parent__email="parent@example.org")
    statuses = set(children.values_list("send_status", flat=True))

    home = client.get(reverse("parent_home")).content.decode()
    assert "What is a SENDCo?" in home and SENDCO in home
    for status, explanation in [("ehc_plan", EHC_PLAN), ("sen_support", SEN_SUPPORT)]:
        assert (explanation in home) == (status in statuses)

    for child in children:
        html = client.get(reverse("child_detail", args=[child.pk])).content.decode()
        assert SENDCO in html
        assert INTERVENTION in html
        assert (EHC_PLAN if child.send_status == "ehc_plan" else SEN_SUPPORT) in html

    booking = client.get(reverse("meeting_book_start")).content.decode()
    assert SENDCO in booking
