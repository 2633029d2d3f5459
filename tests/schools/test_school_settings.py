"""The SENDCo sets the school's times and booking rules; nobody else can."""

import datetime

import pytest

from partnership.schools.models import School
from tests.conftest import staff_member

URL = "/schools/riverside/settings/"

GOOD = {
    "checkin_weekday": "3",
    "checkin_time": "13:30",
    "sending_from": "07:30",
    "sending_until": "20:00",
    "school_day_ends": "15:15",
    "praise_digest_weekday": "4",
    "praise_digest_time": "16:00",
    "booking_cutoff_hours": "48",
    "priority_booking_days": "2",
}


def test_the_sendco_changes_the_schools_times_and_booking_rules(
    client, school, sendco, login_with_password
):
    login_with_password(client, sendco)
    assert client.get(URL).status_code == 200

    response = client.post(URL, GOOD, follow=True)

    assert "Settings saved." in response.content.decode()
    school.refresh_from_db()
    assert school.checkin_weekday == 3 and school.checkin_time == datetime.time(13, 30)
    assert school.sending_from == datetime.time(7, 30)
    assert school.school_day_ends == datetime.time(15, 15)
    assert (school.praise_digest_weekday, school.praise_digest_time) == (4, datetime.time(16))
    assert (school.booking_cutoff_hours, school.priority_booking_days) == (48, 2)
    assert school.name == "Riverside"  # nothing outside the form changed


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"sending_until": "07:00"}, "sending_until", "must be after their start"),
        ({"booking_cutoff_hours": "200"}, "booking_cutoff_hours", "At most 168 hours"),
        ({"priority_booking_days": "30"}, "priority_booking_days", "At most 14 days"),
        ({"school_day_ends": "09:00"}, "school_day_ends", "ends in the afternoon"),
    ],
)
def test_impossible_settings_are_refused_next_to_their_field(
    client, school, sendco, login_with_password, change, field, message
):
    login_with_password(client, sendco)
    response = client.post(URL, {**GOOD, **change})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert School.objects.get(pk=school.pk).booking_cutoff_hours == 24  # nothing saved


@pytest.mark.parametrize("role", ["teacher", "teaching_assistant", "governor"])
def test_other_staff_cannot_reach_the_settings(client, school, login_with_password, role):
    login_with_password(client, staff_member(school, role))
    assert client.get(URL).status_code == 404
    assert client.post(URL, GOOD).status_code == 404


def test_a_parent_and_another_schools_sendco_cannot_either(
    client, school, other_school, parent, login_with_password
):
    client.force_login(parent)
    assert client.get(URL).status_code == 404
    client.logout()
    login_with_password(client, staff_member(other_school, "sendco"))
    assert client.post(URL, GOOD).status_code == 404
    assert School.objects.get(pk=school.pk).booking_cutoff_hours == 24
