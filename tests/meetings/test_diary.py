"""The staff diary of meeting slots: who sees it, what each slot says, and its cost."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.meetings.models import Booking, Slot, SlotPattern
from partnership.schools.models import Membership
from tests.conftest import staff_member
from tests.factories import ChildFactory, FamilyLinkFactory, MembershipFactory
from tests.factories_meetings import BookingFactory, SlotFactory

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def signed_in(client, login_with_password):
    def sign_in(user):
        client.logout()
        login_with_password(client, user)
        return client

    return sign_in


def next_monday() -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 - today.weekday())


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def week_param(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def diary(client, school, day=None):
    url = reverse("meetings_diary", args=[school.slug])
    if day is not None:
        url += f"?week={week_param(day)}"
    return client.get(url)


def membership(user, school) -> Membership:
    return Membership.objects.get(user=user, school=school)


def slot_at(school, host, when, **kwargs) -> Slot:
    return SlotFactory(
        school=school,
        host=host,
        starts_at=when,
        ends_at=when + datetime.timedelta(minutes=20),
        **kwargs,
    )


@pytest.mark.parametrize("who", ["sendco", "administrator", "teacher"])
def test_staff_see_the_diary(request, school, signed_in, who):
    user = request.getfixturevalue(who)
    response = diary(signed_in(user), school)
    assert response.status_code == 200
    assert "Meeting diary" in response.content.decode()


@pytest.mark.parametrize("who", ["governor", "parent"])
def test_governors_and_parents_get_404(request, school, signed_in, who):
    user = request.getfixturevalue(who)
    assert diary(signed_in(user), school).status_code == 404


def test_staff_of_another_school_get_404(school, other_school, signed_in):
    stranger = staff_member(other_school, "sendco", "elsewhere@example.test")
    assert diary(signed_in(stranger), school).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, school):
    response = diary(client, school)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_sendco_sees_every_host_a_teacher_only_their_own(school, sendco, teacher, signed_in):
    monday = next_monday()
    slot_at(school, membership(sendco, school), at(monday, 10, 0))
    slot_at(school, membership(teacher, school), at(monday, 14, 40))

    page = diary(signed_in(sendco), school, monday).content.decode()
    assert "10:00–10:20" in page and "14:40–15:00" in page
    assert str(teacher) in page

    page = diary(signed_in(teacher), school, monday).content.decode()
    assert "14:40–15:00" in page and "10:00–10:20" not in page


def test_each_slot_says_what_state_it_is_in(school, sendco, signed_in):
    host = membership(sendco, school)
    monday = next_monday()
    now = timezone.now()
    open_slot = slot_at(school, host, at(monday, 9, 0))
    kept = slot_at(school, host, at(monday, 9, 30), priority_until=now + datetime.timedelta(days=2))
    booked = BookingFactory(
        slot=slot_at(school, host, at(monday, 10, 0)),
        child=ChildFactory(school=school, first_name="Ben"),
        parent__full_name="Bola Bello",
        note="Sleep has been difficult",
    )
    cancelled = BookingFactory(slot=slot_at(school, host, at(monday, 10, 30)))
    cancelled.status = Booking.Status.CANCELLED
    cancelled.save()

    page = diary(signed_in(sendco), school, monday).content.decode()

    assert "Booked by Bola Bello for Ben" in page
    assert "Sleep has been difficult" in page
    assert reverse("booking_detail", args=[booked.pk]) in page
    assert "kept for families needing closer contact until" in page
    assert reverse("booking_for_family", args=[school.slug, open_slot.pk]) in page
    assert reverse("booking_for_family", args=[school.slug, kept.pk]) in page
    # A cancelled booking leaves the slot open again.
    assert reverse("booking_for_family", args=[school.slug, cancelled.slot.pk]) in page
    assert reverse("slot_withdraw", args=[school.slug, open_slot.pk]) in page
    # Held or missed is asked once the meeting has started, not before.
    assert reverse("booking_outcome", args=[school.slug, booked.pk]) not in page


def test_past_meetings_show_held_missed_or_ask_for_the_outcome(school, sendco, signed_in):
    host = membership(sendco, school)
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    held = BookingFactory(slot=slot_at(school, host, at(monday, 9)), status="held")
    missed = BookingFactory(slot=slot_at(school, host, at(monday, 10)), status="missed")
    waiting = BookingFactory(slot=slot_at(school, host, at(monday, 11)))
    slot_at(school, host, at(monday, 12))

    page = diary(signed_in(sendco), school, monday).content.decode()

    assert "Held" in page and "Missed" in page and "Not booked" in page
    assert reverse("booking_outcome", args=[school.slug, waiting.pk]) in page
    assert reverse("booking_outcome", args=[school.slug, held.pk]) not in page
    assert reverse("booking_outcome", args=[school.slug, missed.pk]) not in page


def test_the_week_can_be_chosen_and_a_garbled_week_means_this_week(school, sendco, signed_in):
    host = membership(sendco, school)
    later = next_monday() + datetime.timedelta(weeks=3)
    slot_at(school, host, at(later + datetime.timedelta(days=2), 13, 0))
    client = signed_in(sendco)

    page = diary(client, school, later).content.decode()
    assert "13:00–13:20" in page
    assert f"?week={week_param(later - datetime.timedelta(weeks=1))}" in page
    assert f"?week={week_param(later + datetime.timedelta(weeks=1))}" in page

    url = reverse("meetings_diary", args=[school.slug])
    for garbled in ("2026-W99", "soon", "x-Wy"):
        response = client.get(url, {"week": garbled})
        assert response.status_code == 200
        assert response.context["monday"] == timezone.localdate() - datetime.timedelta(
            days=timezone.localdate().weekday()
        )


def test_times_are_shown_in_london_time_across_the_clock_change(school, sendco, signed_in):
    host = membership(sendco, school)
    # 09:00 London on the Thursday before the clocks go back and the Thursday after.
    slot_at(school, host, datetime.datetime(2026, 10, 22, 8, 0, tzinfo=datetime.UTC))
    slot_at(school, host, datetime.datetime(2026, 10, 29, 9, 0, tzinfo=datetime.UTC))
    client = signed_in(sendco)

    for day in (datetime.date(2026, 10, 22), datetime.date(2026, 10, 29)):
        assert "09:00–09:20" in diary(client, school, day).content.decode()


def test_the_summary_counts_open_slots_in_the_next_four_weeks(school, sendco, teacher, signed_in):
    host = membership(sendco, school)
    soon = timezone.now() + datetime.timedelta(days=2)
    for n in range(4):
        slot_at(school, host, soon + datetime.timedelta(hours=n))
    BookingFactory(slot=slot_at(school, host, soon + datetime.timedelta(hours=5)))
    slot_at(school, host, soon + datetime.timedelta(hours=6), withdrawn_at=timezone.now())
    slot_at(school, host, timezone.now() + datetime.timedelta(weeks=5))
    slot_at(school, membership(teacher, school), soon)

    page = diary(signed_in(sendco), school).content.decode()
    assert "5 open slots in the next four weeks." in page

    page = diary(signed_in(teacher), school).content.decode()
    assert "1 open slot in the next four weeks." in page


def test_active_patterns_are_listed_with_a_stop_link(school, sendco, signed_in):
    pattern = SlotPattern.objects.create(
        school=school,
        host=membership(sendco, school),
        weekdays="1,3",
        first_starts_at=datetime.time(9, 0),
        mode="phone",
        starts_on=timezone.localdate(),
    )
    page = diary(signed_in(sendco), school).content.decode()
    assert "Tuesday, Thursday: 5 slots of 20 minutes from 09:00" in page
    assert reverse("slot_pattern_stop", args=[school.slug, pattern.pk]) in page


QUERIES = 11


def _fill_week(school, hosts, monday, n, first_hour=8):
    """n slots per host across the week; every other one booked by a family."""
    for host in hosts:
        for i in range(n):
            day = monday + datetime.timedelta(days=i % 5)
            slot = slot_at(school, host, at(day, first_hour + i // 5))
            if i % 2:
                link = FamilyLinkFactory(child=ChildFactory(school=school))
                BookingFactory(slot=slot, child=link.child, parent=link.parent)
        SlotPattern.objects.create(
            school=school,
            host=host,
            weekdays="0",
            first_starts_at=datetime.time(first_hour, 0),
            mode="phone",
            starts_on=monday,
        )


def test_the_diary_costs_the_same_queries_at_ten_times_the_slots(
    school, sendco, signed_in, django_assert_num_queries
):
    monday = next_monday()
    client = signed_in(sendco)
    hosts = [membership(sendco, school), MembershipFactory(school=school, role="teacher")]
    _fill_week(school, hosts, monday, 2)

    # Session, the user with their standing, and the two-factor check for a TOTP
    # authenticator (3); the school, the person's role there and whether it covers the
    # whole school (3); the hosts they manage, the patterns, the week's slots, their live
    # bookings with parent and child, the count of open slots ahead (5).
    with django_assert_num_queries(QUERIES):
        response = diary(client, school, monday)
    assert sum(row["count"] for row in response.context["hosts"]) == 4

    _fill_week(school, hosts, monday, 18, first_hour=12)
    more_hosts = [MembershipFactory(school=school, role="teaching_assistant") for _ in range(2)]
    _fill_week(school, more_hosts, monday, 20)
    with django_assert_num_queries(QUERIES):
        response = diary(client, school, monday)
    assert sum(row["count"] for row in response.context["hosts"]) == 80
    assert len(response.context["patterns"]) == 6
