"""The batched "your child's plan was updated" email: one per parent per run, naming the
child of every item, never about anything not shared, and never twice."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from partnership.notifications.models import OutboxMessage
from partnership.notifications.schedule import registered_jobs, tick
from partnership.plans.models import ProgressReview, Target
from partnership.plans.notices import plan_updates_send
from tests.factories import ChildFactory, FamilyLinkFactory, UserFactory
from tests.factories_plans import PlanCycleFactory, ProgressReviewFactory, TargetFactory

NOW = timezone.now().replace(second=0, microsecond=0)


def ago(minutes: int) -> datetime.datetime:
    return NOW - datetime.timedelta(minutes=minutes)


@pytest.fixture
def adams(school):
    """One parent, two children at the school."""
    parent = UserFactory(email="jamie@example.test", full_name="Jamie Adams")
    ava = ChildFactory(school=school, first_name="Ava")
    noah = ChildFactory(school=school, first_name="Noah")
    for kid in (ava, noah):
        FamilyLinkFactory(parent=parent, child=kid)
    return parent, ava, noah


def send(django_capture_on_commit_callbacks, now=NOW) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return plan_updates_send(now)


def test_one_email_per_parent_covers_both_children_and_names_each_item_s_child(
    adams, django_capture_on_commit_callbacks
):
    parent, ava, noah = adams
    TargetFactory(cycle__child=ava, outcome="Uses the help card", shared_at=ago(30))
    noah_target = TargetFactory(cycle__child=noah, outcome="Answers who questions")
    noah_target.shared_at = ago(60 * 24 * 20)
    noah_target.family_notified_at = noah_target.shared_at  # told weeks ago
    noah_target.save()
    ProgressReviewFactory(target=noah_target, rating=4, created_at=ago(15))

    assert send(django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["jamie@example.test"]
    assert "Ava and Noah" in email.subject
    assert "A new target for Ava: Uses the help card" in email.body
    assert "Progress for Noah: Nearly there" in email.body and "Answers who questions" in email.body
    assert f"/children/{ava.pk}/" in email.body and f"/children/{noah.pk}/" in email.body
    html = email.alternatives[0][0]
    assert "Ava" in html and "Nearly there" in html
    row = OutboxMessage.objects.get()
    assert (row.kind, row.recipient, row.school) == ("plan_updated", parent, ava.school)
    assert row.key == f"plan-updated:{parent.pk}:{NOW:%Y%m%dT%H%M}"


def test_items_younger_than_ten_minutes_wait_so_a_burst_of_edits_goes_together(
    adams, django_capture_on_commit_callbacks
):
    _, ava, _ = adams
    settled = TargetFactory(cycle__child=ava, outcome="First target", shared_at=ago(12))
    fresh = TargetFactory(cycle=settled.cycle, outcome="Second target", shared_at=ago(3))
    ProgressReviewFactory(target=settled, created_at=ago(2), comment="Just now")

    send(django_capture_on_commit_callbacks)
    assert "First target" in mail.outbox[0].body
    assert "Second target" not in mail.outbox[0].body
    assert "Developing" not in mail.outbox[0].body
    fresh.refresh_from_db()
    assert fresh.family_notified_at is None

    send(django_capture_on_commit_callbacks, now=NOW + datetime.timedelta(minutes=10))
    assert len(mail.outbox) == 2
    assert "Second target" in mail.outbox[1].body and "Developing" in mail.outbox[1].body
    assert "A new target for Ava: First target" not in mail.outbox[1].body


def test_a_second_run_at_the_same_time_writes_nothing(adams, django_capture_on_commit_callbacks):
    _, ava, _ = adams
    target = TargetFactory(cycle__child=ava, shared_at=ago(20))
    ProgressReviewFactory(target=target, created_at=ago(20))
    assert send(django_capture_on_commit_callbacks) == 1
    assert send(django_capture_on_commit_callbacks) == 0
    assert send(django_capture_on_commit_callbacks, now=NOW + datetime.timedelta(hours=1)) == 0
    assert OutboxMessage.objects.count() == 1 and len(mail.outbox) == 1
    target.refresh_from_db()
    assert target.family_notified_at == NOW
    assert ProgressReview.objects.get().family_notified_at == NOW


def test_reviews_of_a_target_not_shared_never_go(adams, django_capture_on_commit_callbacks):
    _, ava, _ = adams
    draft = TargetFactory(cycle__child=ava, outcome="A draft", shared_at=None)
    ProgressReviewFactory(target=draft, created_at=ago(60))
    assert send(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == [] and OutboxMessage.objects.count() == 0
    assert ProgressReview.objects.get().family_notified_at is None


def test_both_parents_of_a_separated_family_each_get_one(
    school, django_capture_on_commit_callbacks
):
    child = ChildFactory(school=school, first_name="Mia")
    mum = FamilyLinkFactory(child=child, parent__email="mum@example.test").parent
    dad = FamilyLinkFactory(
        child=child, parent__email="dad@example.test", relationship="father"
    ).parent
    TargetFactory(cycle__child=child, outcome="Settles in the morning", shared_at=ago(30))
    assert send(django_capture_on_commit_callbacks) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["dad@example.test", "mum@example.test"]
    assert all("Settles in the morning" in m.body for m in mail.outbox)
    assert {row.recipient for row in OutboxMessage.objects.all()} == {mum, dad}


def test_another_family_hears_nothing_about_this_child(
    adams, school, django_capture_on_commit_callbacks
):
    _, ava, _ = adams
    FamilyLinkFactory(child=ChildFactory(school=school), parent__email="other@example.test")
    TargetFactory(cycle__child=ava, shared_at=ago(30))
    send(django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["jamie@example.test"]]


def test_a_parent_who_has_not_joined_yet_is_not_emailed(school, django_capture_on_commit_callbacks):
    child = ChildFactory(school=school)
    FamilyLinkFactory(child=child, parent__is_active=False)
    TargetFactory(cycle__child=child, shared_at=ago(30))
    assert send(django_capture_on_commit_callbacks) == 0
    assert Target.objects.get().family_notified_at == NOW  # the page shows it when they join


def test_the_job_runs_on_the_schedules_tick(adams, django_capture_on_commit_callbacks):
    _, ava, _ = adams
    TargetFactory(cycle__child=ava, shared_at=ago(30))
    assert "plan-updates" in registered_jobs()
    with django_capture_on_commit_callbacks(execute=True):
        assert tick(now=NOW)["plan-updates"] == 1
    assert len(mail.outbox) == 1


def test_queries_stay_the_same_when_the_items_grow_tenfold(
    adams, django_assert_num_queries, django_capture_on_commit_callbacks
):
    parent, ava, noah = adams
    cycles = [PlanCycleFactory(child=kid) for kid in (ava, noah)]

    def add(n):
        for _ in range(n):
            for cycle in cycles:
                target = TargetFactory(cycle=cycle, shared_at=ago(30))
                ProgressReviewFactory(target=target, created_at=ago(20))

    add(1)
    # savepoint and release around the run; targets, reviews, family links; the outbox row
    # (savepoint, insert, release); marking the targets and the reviews. Then delivering
    # the one email on commit: claim (which returns the row), mark sent.
    with django_assert_num_queries(12):
        send(django_capture_on_commit_callbacks)
    add(10)
    with django_assert_num_queries(12):
        send(django_capture_on_commit_callbacks, now=NOW + datetime.timedelta(minutes=1))
    assert mail.outbox[1].body.count("A new target for") == 20
