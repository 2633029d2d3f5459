"""Staff switch the end-of-day praise reminder off and on; nobody else has the page."""

import re

import pytest
from django.urls import reverse

from partnership.notifications.models import OutboxMessage
from partnership.praise import nudge
from partnership.praise.models import PraiseReminder
from partnership.praise.services.reminders import (
    ReminderRefused,
    praise_reminder_is_on,
    praise_reminder_set,
)
from tests.factories import AssignmentFactory, ChildFactory
from tests.praise.test_nudge import AFTER_SCHOOL

pytestmark = pytest.mark.django_db

URL = "/praise/reminders/"


@pytest.fixture
def signed_in(client, login_with_password):
    def sign_in(user):
        client.logout()
        login_with_password(client, user)
        return client

    return sign_in


def _box_ticked(page: str) -> bool:
    (box,) = re.findall(r"<input[^>]*name=\"daily_nudge\"[^>]*>", page)
    return " checked" in box


def test_the_page_has_its_address():
    assert reverse("praise_reminders") == URL


def test_a_teacher_sees_the_reminder_on_by_default_with_the_school_day_end(signed_in, teacher):
    response = signed_in(teacher).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Email me at the end of the school day if I haven&#x27;t given praise" in page
    assert _box_ticked(page)
    assert "Riverside: the school day ends at 15:30." in page


def test_switching_it_off_stops_the_nudge_and_switching_on_brings_it_back(
    signed_in, school, teacher
):
    membership = teacher.memberships.get()
    AssignmentFactory(membership=membership, child=ChildFactory(school=school))
    client = signed_in(teacher)

    response = client.post(URL, {}, follow=True)  # an unticked box is "off"

    assert "The end-of-day reminder is off" in response.content.decode()
    assert PraiseReminder.objects.get(user=teacher).daily_nudge is False
    assert not _box_ticked(client.get(URL).content.decode())
    assert nudge.job(AFTER_SCHOOL) == 0

    response = client.post(URL, {"daily_nudge": "on"}, follow=True)

    assert "The end-of-day reminder is on" in response.content.decode()
    assert PraiseReminder.objects.get(user=teacher).daily_nudge is True
    assert nudge.job(AFTER_SCHOOL) == 1
    assert OutboxMessage.objects.get().to_email == teacher.email


@pytest.mark.parametrize("role", ["sendco", "administrator"])
def test_whole_school_staff_have_the_page_too(signed_in, school, role, request):
    user = request.getfixturevalue(role)
    assert signed_in(user).get(URL).status_code == 200


def test_parents_and_governors_get_not_found(signed_in, parent, governor):
    assert signed_in(parent).get(URL).status_code == 404
    client = signed_in(governor)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {}).status_code == 404
    assert not PraiseReminder.objects.exists()


def test_someone_who_has_left_the_school_gets_not_found(signed_in, teacher):
    teacher.memberships.update(is_active=False)
    assert signed_in(teacher).get(URL).status_code == 404


def test_signed_out_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_service_keeps_one_row_and_refuses_non_staff(teacher, governor):
    assert praise_reminder_is_on(user=teacher) is True
    praise_reminder_set(user=teacher, daily_nudge=False)
    praise_reminder_set(user=teacher, daily_nudge=False)
    assert PraiseReminder.objects.filter(user=teacher).count() == 1
    assert praise_reminder_is_on(user=teacher) is False

    with pytest.raises(ReminderRefused):
        praise_reminder_set(user=governor, daily_nudge=False)
