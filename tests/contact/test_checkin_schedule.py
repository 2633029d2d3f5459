"""The weekly check-in tick: who gets one, when, and never twice."""

import datetime
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from partnership.contact import checkin_schedule
from partnership.contact.models import CheckIn, CheckInPreference
from partnership.contact.services.checkins import checkin_token_read
from partnership.notifications import schedule
from partnership.notifications.models import OutboxMessage
from tests.factories import ChildFactory, FamilyLinkFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC


def london(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


# Friday 27 November 2026 is in ISO week 48 (even); the Friday after, week 49 (odd).
EVEN_FRIDAY = london(2026, 11, 27, 15, 0)
ODD_FRIDAY = london(2026, 12, 4, 15, 0)


def family(school, first_name="Ava", parent=None, **child_fields):
    """A parent linked to a new child at `school`; pass parent= to add a child."""
    child = ChildFactory(school=school, first_name=first_name, **child_fields)
    extra = {"parent": parent} if parent is not None else {}
    return FamilyLinkFactory(child=child, **extra).parent


def emailed(kind="checkin") -> list[str]:
    return sorted(OutboxMessage.objects.filter(kind=kind).values_list("to_email", flat=True))


def choose(parent, school, frequency):
    CheckInPreference.objects.create(parent=parent, school=school, frequency=frequency)


# --- who gets one ----------------------------------------------------------------------


def test_every_family_gets_one_checkin_and_one_email_by_default(school):
    amira = family(school, parent=UserFactory(email="amira@example.test"))
    ben = family(school, "Ben", parent=UserFactory(email="ben@example.test"))

    assert checkin_schedule.job(EVEN_FRIDAY) == 2

    assert emailed() == ["amira@example.test", "ben@example.test"]
    week = datetime.date(2026, 11, 23)
    assert set(CheckIn.objects.values_list("parent", "school", "week_of")) == {
        (amira.pk, school.pk, week),
        (ben.pk, school.pk, week),
    }
    assert OutboxMessage.objects.filter(key=f"checkin:{amira.pk}:{school.pk}:2026-W48").exists()


def test_fortnightly_families_are_asked_in_even_weeks_only(school):
    fortnightly = family(school, parent=UserFactory(email="fortnightly@example.test"))
    choose(fortnightly, school, "fortnightly")
    family(school, "Ben", parent=UserFactory(email="weekly@example.test"))

    checkin_schedule.job(ODD_FRIDAY)
    assert emailed() == ["weekly@example.test"]

    checkin_schedule.job(EVEN_FRIDAY)
    assert emailed() == ["fortnightly@example.test", "weekly@example.test", "weekly@example.test"]


def test_a_family_that_chose_none_is_never_asked(school):
    parent = family(school)
    choose(parent, school, "none")

    assert checkin_schedule.job(EVEN_FRIDAY) == 0
    assert checkin_schedule.job(ODD_FRIDAY) == 0
    assert not CheckIn.objects.exists()


def test_an_inactive_parent_is_skipped(school):
    parent = family(school)
    parent.is_active = False
    parent.save()

    assert checkin_schedule.job(EVEN_FRIDAY) == 0
    assert not CheckIn.objects.exists()


def test_two_children_at_one_school_make_one_email_naming_both(
    school, django_capture_on_commit_callbacks
):
    parent = family(school, "Noah")
    family(school, "Ava", parent=parent)

    with django_capture_on_commit_callbacks(execute=True):
        assert checkin_schedule.job(EVEN_FRIDAY) == 1

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "How was this week for Ava and Noah?"


def test_a_parent_with_children_at_two_schools_gets_one_from_each(school, other_school):
    parent = family(school)
    family(other_school, "Dee", parent=parent)
    choose(parent, other_school, "none")

    assert checkin_schedule.job(EVEN_FRIDAY) == 1
    CheckInPreference.objects.filter(school=other_school).update(frequency="weekly")
    assert checkin_schedule.job(EVEN_FRIDAY) == 1  # the second school's, the first is done

    assert sorted(CheckIn.objects.values_list("school__slug", flat=True)) == [
        "hillside",
        "riverside",
    ]
    assert emailed() == [parent.email, parent.email]


def test_families_of_children_learning_remotely_are_asked_too(school):
    family(school, attendance="remote", parent=UserFactory(email="remote@example.test"))

    assert checkin_schedule.job(EVEN_FRIDAY) == 1
    assert emailed() == ["remote@example.test"]


def test_the_email_is_short_warm_and_has_five_one_tap_answers(
    school, django_capture_on_commit_callbacks
):
    parent = family(school, parent=UserFactory(full_name="Jamie Adams"))

    with django_capture_on_commit_callbacks(execute=True):
        checkin_schedule.job(EVEN_FRIDAY)

    (email,) = mail.outbox
    checkin = CheckIn.objects.get(parent=parent)
    assert email.body.startswith("Dear Jamie,")
    assert "How was this week for Ava?" in email.body
    for label in ("1 – Really hard", "2 – Hard", "3 – Okay", "4 – Good", "5 – Really good"):
        assert label in email.body
    assert email.body.count("/checkin/r/") == 5
    assert f"/checkins/{checkin.pk}/" in email.body
    assert "heard from school this half-term" in email.body
    assert "/checkins/preferences/" in email.body
    html = email.alternatives[0][0]
    assert html.count("/checkin/r/") == 5 and "Really good" in html


def test_every_family_in_a_batch_gets_its_own_names_and_links(
    school, django_capture_on_commit_callbacks, caplog
):
    # The first email of a batch is rendered on its own; the rest are filled in from it.
    family(school, parent=UserFactory(full_name="Amira Khan"))
    darcy = family(school, "Zoë-Léa", parent=UserFactory(full_name="D'Arcy Brown & Co"))

    with django_capture_on_commit_callbacks(execute=True):
        assert checkin_schedule.job(EVEN_FRIDAY) == 2

    assert "one by one" not in caplog.text  # the fill matched the ordinary rendering
    email = next(m for m in mail.outbox if m.to == [darcy.email])
    html = email.alternatives[0][0]
    assert email.subject == "How was this week for Zoë-Léa?"
    assert email.body.startswith("Dear D'Arcy,")
    assert "<p>Dear D&#x27;Arcy,</p>" in html
    checkin = CheckIn.objects.get(parent=darcy)
    tokens = re.findall(r"/checkin/r/([^/]+)/", email.body)
    assert [checkin_token_read(token) for token in tokens] == [(checkin.pk, r) for r in range(1, 6)]
    assert re.findall(r"/checkin/r/([^/]+)/", html) == tokens
    assert f"/checkins/{checkin.pk}/" in email.body and f"/checkins/{checkin.pk}/" in html


# --- when ------------------------------------------------------------------------------


def test_nothing_is_sent_before_the_schools_time_and_everything_after(school):
    family(school)

    assert checkin_schedule.job(london(2026, 11, 27, 13, 59)) == 0
    assert checkin_schedule.job(london(2026, 11, 23, 9, 0)) == 0  # Monday of the same week
    assert checkin_schedule.job(london(2026, 11, 27, 14, 0)) == 1


def test_each_school_sends_at_its_own_day_and_time(school):
    wednesday = SchoolFactory(checkin_weekday=2, checkin_time=datetime.time(9, 0))
    family(school, parent=UserFactory(email="friday@example.test"))
    family(wednesday, parent=UserFactory(email="wednesday@example.test"))

    checkin_schedule.job(london(2026, 11, 25, 8, 59))
    assert emailed() == []
    checkin_schedule.job(london(2026, 11, 25, 9, 0))
    assert emailed() == ["wednesday@example.test"]
    checkin_schedule.job(london(2026, 11, 27, 14, 0))
    assert emailed() == ["friday@example.test", "wednesday@example.test"]


def test_a_tick_after_the_week_is_over_does_not_send_last_weeks_checkin(school):
    family(school)

    # The Monday after: a new week, whose check-in time has not come yet.
    assert checkin_schedule.job(london(2026, 11, 30, 9, 0)) == 0
    assert not CheckIn.objects.exists()


def test_a_checkin_more_than_six_days_late_is_left_out():
    monday_school = SchoolFactory(checkin_weekday=0, checkin_time=datetime.time(9, 0))
    family(monday_school)

    # Sunday of the same week, just over six days after Monday 09:00.
    assert checkin_schedule.job(london(2026, 11, 29, 9, 1)) == 0
    assert checkin_schedule.job(london(2026, 11, 29, 8, 59)) == 1


@pytest.mark.parametrize(
    ("weekday", "day", "utc_hour"),
    [
        (4, datetime.date(2026, 10, 23), 13),  # Friday in summer time (BST)
        (4, datetime.date(2026, 10, 30), 14),  # last Friday of October: clocks went back
        (6, datetime.date(2026, 10, 25), 14),  # the Sunday the clocks go back
        (4, datetime.date(2027, 3, 26), 14),  # last Friday of March: still GMT
        (6, datetime.date(2027, 3, 28), 13),  # the Sunday the clocks go forward
        (4, datetime.date(2027, 4, 2), 13),  # the Friday after: BST
    ],
)
def test_the_checkin_keeps_to_14_00_london_time_when_the_clocks_change(weekday, day, utc_hour):
    school = SchoolFactory(checkin_weekday=weekday)
    family(school)
    moment = datetime.datetime.combine(day, datetime.time(utc_hour), tzinfo=UTC)

    assert checkin_schedule.checkin_moment(school, moment)[1] == moment
    assert checkin_schedule.job(moment - datetime.timedelta(minutes=1)) == 0
    assert checkin_schedule.job(moment) == 1


# --- never twice -----------------------------------------------------------------------


def test_a_second_tick_or_a_catch_up_run_the_same_week_writes_nothing(
    school, django_capture_on_commit_callbacks
):
    family(school)
    family(school, "Ben")

    with django_capture_on_commit_callbacks(execute=True):
        assert schedule.tick(now=EVEN_FRIDAY)["weekly-checkin"] == 2
        assert schedule.tick(now=EVEN_FRIDAY)["weekly-checkin"] == 0
        assert schedule.tick(now=london(2026, 11, 28, 10, 0))["weekly-checkin"] == 0
        out = StringIO()
        call_command("run_scheduled", "--at", "2026-11-27T15:00", stdout=out)

    assert "weekly-checkin: wrote 0" in out.getvalue()
    assert CheckIn.objects.count() == 2
    assert OutboxMessage.objects.filter(kind="checkin").count() == 2
    assert len([m for m in mail.outbox if "/checkin/r/" in m.body]) == 2


def test_a_checkin_row_left_without_its_email_gets_the_email_next_tick(school):
    parent = family(school)
    CheckIn.objects.create(parent=parent, school=school, week_of=datetime.date(2026, 11, 23))

    assert checkin_schedule.job(EVEN_FRIDAY) == 1
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize("families", [3, 30])
def test_the_tick_makes_the_same_queries_however_many_families(
    school, families, django_assert_num_queries
):
    for n in range(families):
        family(school, f"Child{n}")
    checkin_schedule.job(EVEN_FRIDAY)

    # The schools; then for the school that is due, inside its savepoint (two queries):
    # preferences, families with their children, and the outbox keys already written (all
    # of them, so no check-in is inserted and nothing is rendered).
    with django_assert_num_queries(6):
        assert checkin_schedule.job(EVEN_FRIDAY) == 0
