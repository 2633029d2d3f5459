"""Each person's private calendar feed: made on the settings page and shown once, served
without signing in to whoever holds the address, replaced or stopped at will, holding
only that person's meetings and never a child's name."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.meetings.models import Booking, CalendarFeed
from partnership.meetings.services.calendar import calendar_feed_issue, token_hash
from tests.conftest import staff_member
from tests.factories import ChildFactory, FamilyLinkFactory, MembershipFactory
from tests.factories_meetings import (
    BookingFactory,
    GroupSessionFactory,
    SessionPlaceFactory,
)

pytestmark = pytest.mark.django_db
ADDRESS = re.compile(r"https?://[^\"<\s]+/calendar/([A-Za-z0-9_-]+)\.ics")


def feed(client, token):
    return client.get(reverse("calendar_feed", args=[token]))


def unfolded(response) -> str:
    return response.content.decode().replace("\r\n ", "")


def test_settings_page_needs_a_login(client):
    response = client.get(reverse("calendar_settings"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_governor_has_no_calendar_page(client, governor):
    client.force_login(governor)
    assert client.get(reverse("calendar_settings")).status_code == 404


def test_parent_makes_an_address_that_is_shown_once_and_works(client, parent):
    client.force_login(parent)
    page = client.get(reverse("calendar_settings"))
    assert "Subscribe to your meetings in your phone" in page.content.decode()
    assert "Create my calendar address" in page.content.decode()

    made = client.post(reverse("calendar_settings"))

    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    token = ADDRESS.search(made.content.decode()).group(1)
    assert CalendarFeed.objects.get(user=parent).token_hash == token_hash(token)
    assert token not in CalendarFeed.objects.get(user=parent).token_hash
    again = client.get(reverse("calendar_settings")).content.decode()
    assert token not in again
    assert "Make a new address (the old one stops working)" in again
    client.logout()
    response = feed(client, token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"].startswith("private")
    assert "X-WR-CALNAME:School meetings" in response.content.decode()


def test_a_new_address_switches_the_old_one_off(client, parent):
    client.force_login(parent)
    first = ADDRESS.search(client.post(reverse("calendar_settings")).content.decode()).group(1)
    second = ADDRESS.search(client.post(reverse("calendar_settings")).content.decode()).group(1)

    assert first != second
    assert feed(client, first).status_code == 404
    assert feed(client, second).status_code == 200
    assert CalendarFeed.objects.filter(user=parent).count() == 1


def test_stopping_asks_first_then_switches_the_address_off(client, parent):
    client.force_login(parent)
    token = ADDRESS.search(client.post(reverse("calendar_settings")).content.decode()).group(1)

    confirm = client.get(reverse("calendar_stop"))
    assert "Stop your calendar address?" in confirm.content.decode()
    assert feed(client, token).status_code == 200

    client.post(reverse("calendar_stop"))

    assert feed(client, token).status_code == 404
    assert not CalendarFeed.objects.filter(user=parent).exists()


def test_an_unknown_or_mangled_address_is_not_found(client, parent):
    token = calendar_feed_issue(user=parent)
    assert feed(client, "nothing-like-it").status_code == 404
    assert feed(client, token[:-1]).status_code == 404
    assert feed(client, token + "x" * 200).status_code == 404


def test_the_feed_of_a_person_who_left_is_switched_off(client, parent):
    token = calendar_feed_issue(user=parent)
    parent.is_active = False
    parent.save()
    assert feed(client, token).status_code == 404


def test_parent_feed_has_their_meetings_and_places_and_nobody_elses(client, school, child, parent):
    mine = BookingFactory(slot__school=school, child=child, parent=parent)
    cancelled = BookingFactory(
        slot__school=school, child=child, parent=parent, status=Booking.Status.CANCELLED
    )
    old = BookingFactory(
        slot__school=school,
        child=child,
        parent=parent,
        slot__starts_at=timezone.now() - datetime.timedelta(days=40),
    )
    theirs = BookingFactory(slot__school=school)
    place = SessionPlaceFactory(session__school=school, child=child, parent=parent)
    SessionPlaceFactory(session__school=school, session__title="Someone else's workshop")
    token = calendar_feed_issue(user=parent)

    text = unfolded(feed(client, token))

    assert f"UID:booking-{mine.pk}@" in text
    assert f"UID:session-{place.session_id}-place-{place.pk}@" in text
    assert f"booking-{cancelled.pk}@" not in text
    assert f"booking-{old.pk}@" not in text  # over a month ago
    assert f"booking-{theirs.pk}@" not in text
    assert "Someone else's workshop" not in text
    assert "Ava" not in text and "Adams" not in text
    assert mine.note not in text


def test_host_sees_the_families_booked_without_their_names(client, school, child, parent, sendco):
    host = sendco.memberships.get()
    booking = BookingFactory(slot__school=school, slot__host=host, child=child, parent=parent)
    other_host_booking = BookingFactory(slot__school=school)
    led = GroupSessionFactory(school=school, host=host, title="Coffee morning for parents")
    token = calendar_feed_issue(user=sendco)

    text = unfolded(feed(client, token))

    assert f"UID:booking-{booking.pk}-host@" in text
    assert "SUMMARY:Meeting with a family" in text
    assert f"UID:session-{led.pk}-host@" in text
    assert f"booking-{other_host_booking.pk}" not in text
    for private in ("Ava", "Adams", parent.email, booking.note, parent.full_name):
        assert private not in text


def add_meetings(school, parent, host, n):
    for _ in range(n):
        child = ChildFactory(school=school)
        FamilyLinkFactory(child=child, parent=parent)
        BookingFactory(slot__school=school, child=child, parent=parent)
        BookingFactory(slot__school=school, slot__host=host)
        session = GroupSessionFactory(school=school, host=host)
        SessionPlaceFactory(session=session, child=child, parent=parent)


def test_feed_queries_do_not_grow_with_meetings(client, school, parent, django_assert_num_queries):
    # A parent who is also a teacher at the school: every kind of event in one feed.
    host = MembershipFactory(school=school, user=parent, role="teacher")
    token = calendar_feed_issue(user=parent)
    add_meetings(school, parent, host, 1)
    # The feed owner; bookings as parent; places; bookings hosted; sessions led.
    with django_assert_num_queries(5):
        small = feed(client, token)
    add_meetings(school, parent, host, 9)
    with django_assert_num_queries(5):
        large = feed(client, token)
    assert small.content.count(b"BEGIN:VEVENT") == 4
    assert large.content.count(b"BEGIN:VEVENT") == 40


def test_staff_page_for_a_teacher(client, school):
    teacher = staff_member(school, "teacher", "t@example.test")
    client.force_login(teacher)
    assert client.get(reverse("calendar_settings")).status_code == 200
