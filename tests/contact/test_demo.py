"""The demo school's contact: a radar with something to show, the same on every run."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from partnership.contact.models import (
    AgreedAction,
    Broadcast,
    BroadcastRecipient,
    CheckIn,
    CheckInPreference,
    Confirmation,
    ContactEntry,
    ContactPlan,
    KeyDocument,
)
from partnership.contact.radar import Reason, Status, school_radar, school_year_start
from partnership.notifications.models import OutboxMessage
from partnership.schools.models import Child, School

MODELS = [
    ContactPlan,
    ContactEntry,
    AgreedAction,
    Confirmation,
    CheckIn,
    CheckInPreference,
    KeyDocument,
    Broadcast,
    BroadcastRecipient,
]


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    return School.objects.get(slug="riverside")


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seeding_twice_adds_nothing(demo):
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    assert all(first.values())


def test_the_demo_sends_no_email(demo):
    assert not OutboxMessage.objects.exists()


def test_every_child_has_a_plan_and_secondary_gets_no_less_contact(demo):
    plans = ContactPlan.objects.select_related("child")
    assert plans.count() == Child.objects.filter(school=demo).count()
    frequencies = {plan.frequency for plan in plans}
    assert frequencies == {"daily", "weekly", "fortnightly", "half_termly"}
    assert plans.filter(frequency="daily").count() == 2
    assert plans.filter(frequency="fortnightly").count() > plans.count() / 2
    assert not plans.filter(child__year_group__gte=7, frequency="half_termly").exists()


def test_the_radar_shows_families_on_track_due_and_overdue(demo):
    radar = school_radar(demo)
    assert radar.counts[Status.ON_TRACK] > radar.counts[Status.OVERDUE] >= 3
    assert radar.counts[Status.DUE] >= 1
    reasons = {reason for row in radar.closer_contact for reason in row.reasons}
    assert {Reason.WANTS_CALL, Reason.OVERDUE, Reason.LOW_RATING} <= reasons
    assert Reason.CHECKINS_UNANSWERED in reasons
    # The perception gap has something to say.
    assert radar.perception_gap.rows and radar.perception_gap.hearing_less_percent


def test_sendco_meetings_this_year_range_from_few_to_more_than_six(demo):
    radar = school_radar(demo)
    meetings = [row.sendco_meetings for row in radar.rows]
    assert any(1 <= n <= 2 for n in meetings)
    assert any(5 <= n <= 7 for n in meetings)
    year = school_year_start(radar.today)
    assert not ContactEntry.objects.filter(
        is_sendco_meeting=True, happened_at__date__lt=year
    ).exclude(author__email="sendco@example.org")


def test_the_log_is_mostly_shared_with_actions_and_a_few_answers(demo):
    entries = ContactEntry.objects.filter(school=demo)
    shared = entries.filter(shared_with_family=True).count()
    assert shared > entries.count() * 0.7
    assert entries.filter(started_by="parent").exists()
    authors = set(entries.values_list("author__email", flat=True))
    assert {"sendco@example.org", "teacher@example.org", "ta@example.org"} <= authors
    assert AgreedAction.objects.filter(done_at__isnull=True).exists()
    assert AgreedAction.objects.filter(done_at__isnull=False).exists()
    assert Confirmation.objects.filter(answer="disputed").count() == 1
    assert Confirmation.objects.filter(answer="confirmed").count() >= 3
    assert not Confirmation.objects.filter(entry__shared_with_family=False).exists()


def test_check_ins_leave_the_demo_parent_with_nothing_open(demo):
    checkins = CheckIn.objects.filter(school=demo)
    open_calls = checkins.filter(wants_call=True, call_done_at__isnull=True)
    assert open_calls.count() == 1
    assert open_calls.get().parent.email != "parent@example.org"
    assert checkins.filter(answered_at__isnull=True).exists()
    assert checkins.filter(rating__lte=2).count() == 2
    ratings = checkins.filter(rating__isnull=False).aggregate(
        good=Count("pk", filter=Q(rating__gte=3)), all=Count("pk")
    )
    assert ratings["good"] > ratings["all"] * 0.9
    assert checkins.exclude(heard_from_school="").exists()
    # This week's check-in is the weekly send's to write.
    demo_parent = checkins.filter(parent__email="parent@example.org")
    assert demo_parent.count() == 8
    assert not demo_parent.filter(wants_call=True, call_done_at__isnull=True).exists()


def test_documents_and_broadcasts_for_the_notices_page(demo):
    titles = set(KeyDocument.objects.filter(school=demo).values_list("title", flat=True))
    assert titles == {"SEND information report", "SEND policy", "The local offer"}
    assert Broadcast.objects.filter(school=demo).count() == 2
    recipients = BroadcastRecipient.objects.all()
    assert recipients.filter(opened_at__isnull=False).exists()
    assert recipients.filter(opened_at__isnull=True).exists()
