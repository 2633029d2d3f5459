"""The booking pages: a parent books, sees, cancels and moves their meetings; staff book
for a family and record the outcome; nobody reaches another family's booking."""

import datetime

import pytest
from django.urls import reverse

from partnership.meetings.models import Booking
from partnership.meetings.services.bookings import booking_make
from tests.conftest import staff_member
from tests.factories import ChildFactory, FamilyLinkFactory, KeyContactFactory, MembershipFactory

from .booking_helpers import family, in_touch, mails, make_past, sendco_host, slot_at

pytestmark = pytest.mark.django_db
TAKEN = "Sorry, that time has just been taken. Please choose another."


@pytest.fixture
def signed_in(client, login_with_password):
    def sign_in(user):
        client.logout()
        login_with_password(client, user)
        return client

    return sign_in


@pytest.fixture
def host(school):
    return sendco_host(school)


@pytest.fixture
def slot(school, host):
    return slot_at(school, host)


def test_the_book_page_shows_open_times_by_day_and_person(signed_in, parent, slot):
    response = signed_in(parent).get(reverse("meeting_book_start"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sam Sendco" in page and "SENDCo&#x27;s office" in page
    assert reverse("meeting_book", args=[slot.pk]) in page


def test_the_book_page_has_a_kind_empty_state(signed_in, parent):
    page = signed_in(parent).get(reverse("meeting_book_start")).content.decode()
    assert "There are no free times to book just now" in page


def test_a_parent_with_two_children_chooses_which(signed_in, school, parent, child):
    sibling = ChildFactory(school=school, first_name="Ben")
    FamilyLinkFactory(child=sibling, parent=parent)
    page = signed_in(parent).get(reverse("meeting_book_start")).content.decode()
    assert "Which child is the meeting about?" in page and "Ben" in page


def test_a_parent_books_through_the_page(signed_in, parent, child, slot):
    client = signed_in(parent)
    url = reverse("meeting_book", args=[slot.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"child": child.pk, "note": "The new timetable"})
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("booking_detail", args=[booking.pk])
    assert (booking.child, booking.parent, booking.note) == (child, parent, "The new timetable")
    assert mails("booking_confirmed", to=parent.email).count() == 1


def test_a_slot_taken_meanwhile_shows_the_message_and_keeps_the_note(
    signed_in, school, parent, child, host, slot
):
    other = slot_at(school, host, hours_ahead=300)
    client = signed_in(parent)
    someone, their_child = family(school)
    booking_make(slot=slot, child=their_child, parent=someone, by=someone)
    response = client.post(
        reverse("meeting_book", args=[slot.pk]), {"child": child.pk, "note": "Sleep at home"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert TAKEN.replace("'", "&#x27;") in page or TAKEN in page
    assert 'value="Sleep at home"' in page
    assert reverse("meeting_book", args=[other.pk]) in page
    # Choosing another time carries the note to its booking form.
    response = client.post(
        reverse("meeting_book", args=[other.pk]),
        {"choose": "1", "child": child.pk, "note": "Sleep at home"},
    )
    assert "Sleep at home</textarea>" in response.content.decode()
    assert Booking.objects.filter(parent=parent).count() == 0


def test_a_parent_cannot_reach_slots_of_staff_they_may_not_meet(signed_in, school, parent):
    not_theirs = slot_at(school, MembershipFactory(school=school, role="teacher"))
    response = signed_in(parent).get(reverse("meeting_book", args=[not_theirs.pk]))
    assert response.status_code == 404


def test_a_parent_cannot_book_for_someone_elses_child(signed_in, school, parent, slot):
    _, other_child = family(school)
    response = signed_in(parent).post(
        reverse("meeting_book", args=[slot.pk]), {"child": other_child.pk, "note": ""}
    )
    assert response.status_code == 200
    assert not Booking.objects.exists()


def test_another_familys_booking_is_404_on_every_url(signed_in, school, slot, child, parent):
    booking = booking_make(slot=slot, child=child, parent=parent, by=parent)
    stranger, _ = family(school)
    client = signed_in(stranger)
    for name in ("booking_detail", "booking_ics", "booking_cancel", "booking_move"):
        url = reverse(name, args=[booking.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"reason": "x"}).status_code == 404, name
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_staff_of_another_school_get_404(signed_in, other_school, slot, child, parent):
    booking = booking_make(slot=slot, child=child, parent=parent, by=parent)
    outsider = staff_member(other_school, "sendco")
    client = signed_in(outsider)
    assert client.get(reverse("booking_detail", args=[booking.pk])).status_code == 404
    url = reverse("booking_outcome", args=[other_school.slug, booking.pk])
    assert client.get(url).status_code == 404
    url = reverse("booking_for_family", args=[other_school.slug, slot.pk])
    assert client.get(url).status_code == 404


def test_the_detail_page_offers_calendar_cancel_and_move(signed_in, slot, child, parent):
    booking = booking_make(slot=slot, child=child, parent=parent, by=parent)
    client = signed_in(parent)
    page = client.get(reverse("booking_detail", args=[booking.pk])).content.decode()
    for name in ("booking_ics", "booking_cancel", "booking_move"):
        assert reverse(name, args=[booking.pk]) in page
    response = client.get(reverse("booking_ics", args=[booking.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    assert b"BEGIN:VEVENT" in response.content


def test_a_parent_cancels_through_the_confirmation_page(signed_in, slot, child, parent, host):
    booking = booking_make(slot=slot, child=child, parent=parent, by=parent)
    client = signed_in(parent)
    url = reverse("booking_cancel", args=[booking.pk])
    assert "Cancel the meeting?" in client.get(url).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert mails("booking_host_cancelled", to=host.user.email).count() == 1


def test_inside_the_cutoff_the_parent_is_asked_to_call(signed_in, school, host, child, parent):
    soon = slot_at(school, host, hours_ahead=2)
    booking = booking_make(slot=soon, child=child, parent=parent, by=host.user)
    client = signed_in(parent)
    page = client.get(reverse("booking_detail", args=[booking.pk])).content.decode()
    assert "please call school" in page
    assert reverse("booking_cancel", args=[booking.pk]) not in page
    client.post(reverse("booking_cancel", args=[booking.pk]), {"reason": ""})
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_a_parent_moves_to_another_time(signed_in, school, host, slot, child, parent):
    later = slot_at(school, host, hours_ahead=300)
    booking = booking_make(slot=slot, child=child, parent=parent, by=parent)
    client = signed_in(parent)
    url = reverse("booking_move", args=[booking.pk])
    assert f'value="{later.pk}"' in client.get(url).content.decode()
    response = client.post(url, {"slot": later.pk})
    new = Booking.objects.get(slot=later)
    assert response["Location"] == reverse("booking_detail", args=[new.pk])
    assert mails("booking_changed").count() == 1


def test_staff_book_for_a_family_from_the_school_list(
    signed_in, school, sendco, slot, child, parent
):
    link = child.family_links.get()
    client = signed_in(sendco)
    url = reverse("booking_for_family", args=[school.slug, slot.pk])
    page = client.get(url).content.decode()
    assert "Ava Adams" in page
    response = client.post(url, {"family": link.pk, "note": "Rang about sleep"})
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert (booking.parent, booking.booked_by, booking.note) == (
        link.parent,
        sendco,
        "Rang about sleep",
    )


def test_a_key_contacts_slot_lists_only_their_families(signed_in, school, child, parent):
    teacher = MembershipFactory(school=school, role="teacher", user__full_name="Tess Teacher")
    KeyContactFactory(child=child, membership=teacher)
    other = ChildFactory(school=school, first_name="Zed", last_name="Zebra")
    FamilyLinkFactory(child=other)
    slot = slot_at(school, teacher)
    sendco = staff_member(school, "sendco")
    page = (
        signed_in(sendco)
        .get(reverse("booking_for_family", args=[school.slug, slot.pk]))
        .content.decode()
    )
    assert "Ava Adams" in page and "Zed Zebra" not in page


def test_a_teacher_cannot_book_into_someone_elses_diary(signed_in, school, slot):
    teacher = staff_member(school, "teacher")
    url = reverse("booking_for_family", args=[school.slug, slot.pk])
    assert signed_in(teacher).get(url).status_code == 404


def test_staff_record_a_meeting_as_held(signed_in, school, sendco, slot, child, parent):
    booking = booking_make(slot=slot, child=child, parent=parent, by=parent)
    make_past(slot)
    client = signed_in(sendco)
    page = client.get(reverse("booking_detail", args=[booking.pk])).content.decode()
    url = reverse("booking_outcome", args=[school.slug, booking.pk])
    assert url in page
    assert client.post(url, {"outcome": "held"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == "held" and booking.contact_entry.is_sendco_meeting


def test_a_parent_cannot_record_the_outcome(signed_in, school, slot, child, parent):
    booking = booking_make(slot=slot, child=child, parent=parent, by=parent)
    make_past(slot)
    url = reverse("booking_outcome", args=[school.slug, booking.pk])
    assert signed_in(parent).post(url, {"outcome": "held"}).status_code == 404


def test_times_show_in_the_schools_time_zone(signed_in, school, host, child, parent, settings):
    school.time_zone = "America/New_York"
    school.save()
    starts = datetime.datetime(2027, 6, 15, 13, 0, tzinfo=datetime.UTC)  # 09:00 in New York
    slot = slot_at(school, host)
    type(slot).objects.filter(pk=slot.pk).update(
        starts_at=starts, ends_at=starts + datetime.timedelta(minutes=20)
    )
    booking = booking_make(
        slot=slot.__class__.objects.get(pk=slot.pk), child=child, parent=parent, by=parent
    )
    page = signed_in(parent).get(reverse("booking_detail", args=[booking.pk])).content.decode()
    assert "09:00–09:20" in page


# Session, the user with their standing; the parent's children; their link to the chosen
# child; the radar for that child alone (praise, the child, its parents, its recent
# contact counted, earlier contact, recent check-ins and calls waiting, overdue reviews);
# slot count and page; when the slots kept for closer-contact families open; upcoming and
# earlier bookings.
BOOK_PAGE_QUERIES = 16


def test_the_book_page_queries_do_not_grow_with_slots_or_bookings(
    signed_in, school, host, child, parent, django_assert_num_queries
):
    in_touch(child, school)
    teacher = MembershipFactory(school=school, role="teacher")
    KeyContactFactory(child=child, membership=teacher)
    client = signed_in(parent)

    def add(n: int, offset: int) -> None:
        for i in range(n):
            slot_at(school, host if i % 2 else teacher, hours_ahead=48 + offset + i)
            ahead = slot_at(school, host, hours_ahead=1000 + offset + i)
            booking_make(slot=ahead, child=child, parent=parent, by=parent)
            past = slot_at(school, host, hours_ahead=2000 + offset + i)
            booking_make(slot=past, child=child, parent=parent, by=host.user)
            make_past(past, hours=24 * (offset + i + 1))

    total = 0
    for n, offset in ((1, 0), (9, 100)):  # 1x, then 10x
        add(n, offset)
        total += n
        with django_assert_num_queries(BOOK_PAGE_QUERIES):
            page = client.get(reverse("meeting_book_start")).content.decode()
        # Every upcoming and earlier booking is listed (ten earlier at most).
        assert page.count('class="list-group-item') == 2 * total
