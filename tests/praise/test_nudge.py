"""The end-of-day praise nudge: who gets it, when, and never twice a day."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from partnership.notifications import schedule
from partnership.notifications.models import OutboxMessage
from partnership.praise import nudge
from partnership.praise.models import PraiseReminder
from partnership.schools.models import Membership
from tests.conftest import staff_member
from tests.factories import AssignmentFactory, ChildFactory, SchoolFactory
from tests.factories_praise import PraiseFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def london(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


# Wednesday 25 November 2026; the school day ends at 15:30 by default.
WEDNESDAY = datetime.date(2026, 11, 25)
AFTER_SCHOOL = london(2026, 11, 25, 15, 45)


def works_with(user, school, *children, role="teacher"):
    """Give `user` a membership at `school` (if needed) and assign them `children`."""
    membership, _ = Membership.objects.get_or_create(user=user, school=school, role=role)
    for child in children:
        AssignmentFactory(membership=membership, child=child)
    return membership


def assigned_teacher(school, email, *children):
    user = staff_member(school, "teacher", email)
    if not children:
        children = (ChildFactory(school=school),)
    works_with(user, school, *children)
    return user


def nudged() -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(kind="praise_nudge").values_list("to_email", flat=True)
    )


# --- who gets it -----------------------------------------------------------------------


def test_assigned_staff_with_no_praise_today_are_nudged_under_a_daily_key(school):
    teacher = assigned_teacher(school, "teacher@example.test")
    assistant = staff_member(school, "teaching_assistant", "ta@example.test")
    works_with(assistant, school, ChildFactory(school=school), role="teaching_assistant")

    assert nudge.job(AFTER_SCHOOL) == 2

    assert nudged() == ["ta@example.test", "teacher@example.test"]
    assert OutboxMessage.objects.filter(
        key=f"praise-nudge:{teacher.pk}:{school.pk}:2026-11-25", recipient=teacher
    ).exists()


def test_a_sendco_with_assigned_children_is_nudged_too(school, sendco):
    works_with(sendco, school, ChildFactory(school=school), role="sendco")

    assert nudge.job(AFTER_SCHOOL) == 1
    assert nudged() == ["sendco@example.test"]


def test_someone_who_gave_praise_today_is_not_nudged(school):
    teacher = assigned_teacher(school, "teacher@example.test")
    assigned_teacher(school, "other@example.test")
    # Early this morning, local time, still counts as today.
    PraiseFactory(
        child=ChildFactory(school=school), given_by=teacher, given_at=london(2026, 11, 25, 0, 5)
    )

    assert nudge.job(AFTER_SCHOOL) == 1
    assert nudged() == ["other@example.test"]


def test_praise_yesterday_or_at_another_school_does_not_count(school, other_school):
    teacher = assigned_teacher(school, "teacher@example.test")
    PraiseFactory(
        child=ChildFactory(school=school),
        given_by=teacher,
        given_at=london(2026, 11, 24, 23, 55),
    )
    works_with(teacher, other_school)
    PraiseFactory(child=ChildFactory(school=other_school), given_by=teacher, given_at=AFTER_SCHOOL)

    assert nudge.job(AFTER_SCHOOL) == 1
    assert OutboxMessage.objects.get(kind="praise_nudge").school == school


def test_someone_who_switched_it_off_is_not_nudged(school):
    teacher = assigned_teacher(school, "teacher@example.test")
    PraiseReminder.objects.create(user=teacher, daily_nudge=False)
    switched_back_on = assigned_teacher(school, "on@example.test")
    PraiseReminder.objects.create(user=switched_back_on, daily_nudge=True)

    assert nudge.job(AFTER_SCHOOL) == 1
    assert nudged() == ["on@example.test"]


def test_inactive_memberships_and_accounts_are_not_nudged(school):
    left_the_school = assigned_teacher(school, "left@example.test")
    left_the_school.memberships.update(is_active=False)
    account_closed = assigned_teacher(school, "closed@example.test")
    account_closed.is_active = False
    account_closed.save()

    assert nudge.job(AFTER_SCHOOL) == 0


def test_staff_without_assigned_children_and_governors_are_not_nudged(
    school, teacher, administrator, governor
):
    # A governor never sees a child; an assignment through that role gives no nudge.
    works_with(governor, school, ChildFactory(school=school), role="governor")

    assert nudge.job(AFTER_SCHOOL) == 0


def test_children_assigned_at_another_school_do_not_make_a_nudge_here(school, other_school):
    teacher = staff_member(school, "teacher", "teacher@example.test")
    works_with(teacher, other_school, ChildFactory(school=other_school))

    assert nudge.job(AFTER_SCHOOL) == 1
    assert OutboxMessage.objects.get(kind="praise_nudge").school == other_school


# --- when ------------------------------------------------------------------------------


def test_nothing_before_the_end_of_the_school_day(school):
    assigned_teacher(school, "teacher@example.test")

    assert nudge.job(london(2026, 11, 25, 15, 29)) == 0
    assert nudge.job(london(2026, 11, 25, 15, 30)) == 1


def test_each_school_uses_its_own_end_of_day(school):
    early = SchoolFactory(school_day_ends=datetime.time(14, 0))
    assigned_teacher(early, "early@example.test")
    assigned_teacher(school, "late@example.test")

    nudge.job(london(2026, 11, 25, 14, 0))
    assert nudged() == ["early@example.test"]


def test_no_nudge_at_the_weekend(school):
    assigned_teacher(school, "teacher@example.test")

    assert nudge.job(london(2026, 11, 28, 16, 0)) == 0  # Saturday
    assert nudge.job(london(2026, 11, 29, 16, 0)) == 0  # Sunday
    assert nudge.job(london(2026, 11, 27, 16, 0)) == 1  # Friday


def test_a_tick_after_midnight_does_not_nudge_about_yesterday(school):
    assigned_teacher(school, "teacher@example.test")

    assert nudge.job(london(2026, 11, 26, 0, 10)) == 0
    assert nudge.job(london(2026, 11, 26, 15, 30)) == 1
    assert OutboxMessage.objects.get().key.endswith(":2026-11-26")


def test_the_end_of_day_follows_london_time_across_the_clock_change(school):
    assigned_teacher(school, "teacher@example.test")

    # Friday 23 October 2026 is in summer time: 15:30 BST is 14:30 UTC.
    assert nudge.job(datetime.datetime(2026, 10, 23, 14, 29, tzinfo=datetime.UTC)) == 0
    assert nudge.job(datetime.datetime(2026, 10, 23, 14, 30, tzinfo=datetime.UTC)) == 1
    # Monday 26 October: back on GMT, so 15:30 is 15:30 UTC.
    assert nudge.job(datetime.datetime(2026, 10, 26, 15, 29, tzinfo=datetime.UTC)) == 0
    assert nudge.job(datetime.datetime(2026, 10, 26, 15, 30, tzinfo=datetime.UTC)) == 1


# --- the email -------------------------------------------------------------------------


def test_the_email_lists_their_children_and_links_to_the_praise_form(
    school, django_capture_on_commit_callbacks
):
    ava = ChildFactory(school=school, first_name="Ava", last_name="Adams", class_name="4A")
    noah = ChildFactory(school=school, first_name="Noah", last_name="Brown", class_name="5B")
    ChildFactory(school=school, first_name="Zed", last_name="Zane")  # not theirs
    teacher = staff_member(school, "teacher", "teacher@example.test")
    teacher.full_name = "Sam Okafor"
    teacher.save()
    works_with(teacher, school, ava, noah)
    # Also an assistant for Ava: she is listed once.
    works_with(teacher, school, ava, role="teaching_assistant")

    with django_capture_on_commit_callbacks(execute=True):
        assert nudge.job(AFTER_SCHOOL) == 1

    (email,) = mail.outbox
    assert email.to == ["teacher@example.test"]
    assert email.subject == "Who did something great today?"
    assert email.body.startswith("Hello Sam,")
    assert "- Ava Adams (4A)\n- Noah Brown (5B)\n" in email.body
    assert "Zed" not in email.body
    give = reverse("praise_give", args=[school.slug])
    assert f"http://testserver{give}" in email.body or give in email.body
    assert reverse("praise_reminders") in email.body
    html = email.alternatives[0][0]
    assert "<li>Ava Adams (4A)</li>" in html
    assert f'{give}"' in html and "Switch it off" in html


def test_the_link_takes_a_signed_out_teacher_to_login_first(school, client):
    assigned_teacher(school, "teacher@example.test")
    nudge.job(AFTER_SCHOOL)

    give = reverse("praise_give", args=[school.slug])
    assert give in OutboxMessage.objects.get().body_text
    response = client.get(give)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- never twice -----------------------------------------------------------------------


def test_repeated_ticks_and_a_catch_up_run_write_nothing_more(school):
    assigned_teacher(school, "one@example.test")
    assigned_teacher(school, "two@example.test")

    assert schedule.tick(now=AFTER_SCHOOL)["praise-nudge"] == 2
    assert schedule.tick(now=london(2026, 11, 25, 18, 0))["praise-nudge"] == 0
    out = StringIO()
    call_command("run_scheduled", "--at", "2026-11-25T17:00", stdout=out)

    assert "praise-nudge: wrote 0" in out.getvalue()
    assert OutboxMessage.objects.filter(kind="praise_nudge").count() == 2
    # The next school day is a new day.
    assert nudge.job(london(2026, 11, 26, 15, 45)) == 2


@pytest.mark.parametrize("size", [1, 10])
def test_the_tick_makes_the_same_queries_however_many_staff_and_praise(
    school, size, django_assert_num_queries
):
    for n in range(size):
        children = [ChildFactory(school=school) for _ in range(3)]
        teacher = assigned_teacher(school, f"teacher{n}@example.test", *children)
        PraiseFactory(child=children[0], given_by=teacher, given_at=london(2026, 11, 24, 10, 0))
        PraiseReminder.objects.create(user=teacher, daily_nudge=True)
    assert nudge.job(AFTER_SCHOOL) == size

    # The schools; then for the school whose day has ended, inside its savepoint (two
    # queries): staff due with their children, and the outbox keys already written (all of
    # them, so nothing is rendered or inserted).
    with django_assert_num_queries(5):
        assert nudge.job(AFTER_SCHOOL) == 0
