"""Publishing and withdrawing from the diary: the pattern form, one slot, withdraw, stop."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.meetings.models import Slot, SlotPattern
from partnership.meetings.services.slots import slot_pattern_create
from tests.factories_meetings import BookingFactory

from .test_diary import membership, signed_in, slot_at  # noqa: F401


def pattern_data(host, **overrides):
    data = {
        "host": host.pk,
        "weekdays": ["1", "3"],
        "first_starts_at": "09:00",
        "slot_minutes": "20",
        "slot_count": "5",
        "buffer_minutes": "5",
        "mode": "in_person",
        "location": "SENDCo's office",
        "video_link": "",
        "starts_on": timezone.localdate().isoformat(),
        "ends_on": "",
        "weeks_ahead": "4",
    }
    data.update(overrides)
    return data


def slot_data(host, **overrides):
    data = {
        "host": host.pk,
        "day": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
        "starts": "15:30",
        "minutes": "30",
        "mode": "phone",
        "location": "",
        "video_link": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("name", ["slot_pattern_new", "slot_new"])
@pytest.mark.parametrize(
    ("who", "status"), [("sendco", 200), ("teacher", 200), ("governor", 404), ("parent", 404)]
)
def test_who_may_open_the_forms(request, school, signed_in, name, who, status):  # noqa: F811
    client = signed_in(request.getfixturevalue(who))
    assert client.get(reverse(name, args=[school.slug])).status_code == status


def test_the_pattern_form_previews_the_slots_a_week(school, sendco, signed_in):  # noqa: F811
    page = signed_in(sendco).get(reverse("slot_pattern_new", args=[school.slug]))
    html = page.content.decode()
    assert "This makes 10 slots a week." in html
    assert "js/meetings_pattern.js" in html
    assert "<script>" not in html and "style=" not in html


def test_a_sendco_publishes_a_weekly_pattern(school, sendco, signed_in):  # noqa: F811
    host = membership(sendco, school)
    response = signed_in(sendco).post(
        reverse("slot_pattern_new", args=[school.slug]), pattern_data(host), follow=True
    )

    pattern = SlotPattern.objects.get()
    assert (pattern.host, pattern.weekdays, pattern.buffer_minutes) == (host, "1,3", 5)
    made = Slot.objects.filter(pattern=pattern).count()
    assert 30 <= made <= 40  # four weeks from today, less any of today's times gone
    assert f"{made} slots are now in the diary." in response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("meetings_diary", args=[school.slug]))


def test_a_sendco_may_publish_for_a_colleague_a_teacher_only_for_themselves(
    school,
    sendco,
    teacher,
    signed_in,  # noqa: F811
):
    colleague = membership(teacher, school)
    client = signed_in(sendco)
    client.post(reverse("slot_pattern_new", args=[school.slug]), pattern_data(colleague))
    assert SlotPattern.objects.get().host == colleague

    client = signed_in(teacher)
    response = client.post(
        reverse("slot_pattern_new", args=[school.slug]),
        pattern_data(membership(sendco, school), first_starts_at="13:00"),
    )
    assert response.status_code == 200
    assert "host" in response.context["form"].errors
    assert SlotPattern.objects.count() == 1


def test_a_pattern_the_service_refuses_shows_why(school, sendco, signed_in):  # noqa: F811
    response = signed_in(sendco).post(
        reverse("slot_pattern_new", args=[school.slug]),
        pattern_data(membership(sendco, school), mode="video"),
    )
    assert response.status_code == 200
    assert "Add the video link families will use to join." in response.content.decode()
    assert not SlotPattern.objects.exists()


def test_a_one_off_slot_is_added_at_the_schools_wall_clock_time(school, sendco, signed_in):  # noqa: F811
    host = membership(sendco, school)
    client = signed_in(sendco)
    response = client.post(reverse("slot_new", args=[school.slug]), slot_data(host))

    assert response.status_code == 302
    slot = Slot.objects.get()
    assert timezone.localtime(slot.starts_at).strftime("%H:%M") == "15:30"
    assert slot.ends_at - slot.starts_at == datetime.timedelta(minutes=30)

    response = client.post(
        reverse("slot_new", args=[school.slug]), slot_data(host, starts="15:45", minutes="20")
    )
    assert response.status_code == 200
    assert "overlaps the slot at" in response.content.decode()
    assert Slot.objects.count() == 1


def test_withdrawing_asks_first_then_withdraws(school, sendco, signed_in):  # noqa: F811
    slot = slot_at(school, membership(sendco, school), timezone.now() + datetime.timedelta(days=3))
    url = reverse("slot_withdraw", args=[school.slug, slot.pk])
    client = signed_in(sendco)

    page = client.get(url)
    assert page.status_code == 200 and "Withdraw this slot?" in page.content.decode()
    slot.refresh_from_db()
    assert slot.withdrawn_at is None

    response = client.post(url, follow=True)
    assert "The slot is withdrawn." in response.content.decode()
    slot.refresh_from_db()
    assert slot.withdrawn_by == sendco
    assert client.get(url).status_code == 404


def test_a_booked_slot_cannot_be_withdrawn_from_the_page(school, sendco, signed_in):  # noqa: F811
    slot = slot_at(school, membership(sendco, school), timezone.now() + datetime.timedelta(days=3))
    booking = BookingFactory(slot=slot)
    url = reverse("slot_withdraw", args=[school.slug, slot.pk])
    client = signed_in(sendco)

    page = client.get(url).content.decode()
    assert "Cancel the booking first – the parent will be told." in page
    assert reverse("booking_detail", args=[booking.pk]) in page
    assert 'type="submit">Withdraw' not in page

    response = client.post(url, follow=True)
    assert "Cancel the booking first – the parent will be told." in response.content.decode()
    slot.refresh_from_db()
    assert slot.withdrawn_at is None


def test_a_teacher_cannot_withdraw_someone_elses_slot(school, sendco, teacher, signed_in):  # noqa: F811
    slot = slot_at(school, membership(sendco, school), timezone.now() + datetime.timedelta(days=3))
    url = reverse("slot_withdraw", args=[school.slug, slot.pk])
    client = signed_in(teacher)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    slot.refresh_from_db()
    assert slot.withdrawn_at is None


def test_stopping_a_pattern(school, sendco, teacher, signed_in):  # noqa: F811
    published = slot_pattern_create(
        school=school,
        host=membership(sendco, school),
        by=sendco,
        weekdays=[1, 3],
        first_starts_at=datetime.time(9, 0),
        slot_minutes=20,
        slot_count=5,
        buffer_minutes=0,
        mode="phone",
        weeks_ahead=2,
    )
    pattern = published.pattern
    url = reverse("slot_pattern_stop", args=[school.slug, pattern.pk])

    # Signing in twice in one test would reuse a TOTP code; the teacher goes first.
    assert signed_in(teacher).get(url).status_code == 404

    client = signed_in(sendco)
    assert "Stop this weekly pattern?" in client.get(url).content.decode()
    response = client.post(url, {"withdraw_open": "on"}, follow=True)
    assert "The pattern is stopped" in response.content.decode()
    pattern.refresh_from_db()
    assert pattern.is_active is False
    assert not Slot.objects.filter(pattern=pattern, withdrawn_at__isnull=True).exists()
    assert client.get(url).status_code == 404
