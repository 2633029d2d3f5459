"""Retention: the dry run lists what has expired and changes nothing; the real run removes
exactly that; a leaver is archived (off the lists and the weekly emails) until their
retention ends, and then their whole record goes, photos included."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from partnership.contact.checkin_schedule import parents_due
from partnership.contact.models import CheckIn, ContactEntry
from partnership.notifications.models import OutboxMessage
from partnership.plans.models import HomeObservation
from partnership.plans.services.observations import observation_add
from partnership.schools.models import Child, RetentionPolicy
from partnership.schools.retention import REMOVED, retention_apply, retention_plan
from partnership.schools.selectors import children_for_staff
from tests.factories import ChildFactory
from tests.factories_contact import CheckInFactory, ContactEntryFactory
from tests.factories_praise import PraiseFactory
from tests.notifications.helpers import OutboxMessageFactory
from tests.plans.test_observations import photo

NOW = timezone.make_aware(datetime.datetime(2026, 11, 23, 12, 0))
SECRET = "the note about the family's housing worry"


def ago(**kwargs) -> datetime.datetime:
    return NOW - datetime.timedelta(**kwargs)


@pytest.fixture
def expired_and_fresh(school, child, parent):
    old = ContactEntryFactory(
        school=school, children=[child], parents=[parent], summary=SECRET, happened_at=ago(days=800)
    )
    fresh = ContactEntryFactory(school=school, children=[child], happened_at=ago(days=30))
    old_checkin = CheckInFactory(
        parent=parent, school=school, week_of=datetime.date(2025, 6, 2), message=SECRET
    )
    CheckIn.objects.filter(pk=old_checkin.pk).update(created_at=ago(days=400))
    fresh_checkin = CheckInFactory(parent=parent, school=school, message="All fine this week")
    sent = OutboxMessageFactory(school=school, status="sent")
    OutboxMessage.objects.filter(pk=sent.pk).update(created_at=ago(days=91))
    pending = OutboxMessageFactory(school=school, status="pending")
    OutboxMessage.objects.filter(pk=pending.pk).update(created_at=ago(days=91))
    return old, fresh, old_checkin, fresh_checkin, sent, pending


def test_the_dry_run_lists_what_expired_and_changes_nothing(school, expired_and_fresh):
    old, *_ = expired_and_fresh
    out = StringIO()

    plan = retention_plan(school=school, now=NOW)
    call_command("apply_retention", "--dry-run", stdout=out)

    assert (plan.contact_notes, plan.checkin_messages, plan.sent_emails) == (1, 1, 1)
    assert plan.leavers == []
    assert "would remove the words of 1 contact notes" in out.getvalue()
    old.refresh_from_db()
    assert old.summary == SECRET


def test_the_run_removes_only_what_expired(school, expired_and_fresh):
    old, fresh, old_checkin, fresh_checkin, sent, pending = expired_and_fresh

    done = retention_apply(school=school, now=NOW)

    assert (done.contact_notes, done.checkin_messages, done.sent_emails) == (1, 1, 1)
    old.refresh_from_db()
    assert old.summary == REMOVED and old.children.count() == 1  # the contact still counts
    assert ContactEntry.objects.get(pk=fresh.pk).summary != REMOVED
    assert CheckIn.objects.get(pk=old_checkin.pk).message == ""
    assert CheckIn.objects.get(pk=fresh_checkin.pk).message == "All fine this week"
    assert not OutboxMessage.objects.filter(pk=sent.pk).exists()
    assert OutboxMessage.objects.filter(pk=pending.pk).exists()  # never an unsent email
    assert retention_plan(school=school, now=NOW).nothing_to_do  # a second run: nothing


def test_a_school_can_keep_notes_longer(school, expired_and_fresh):
    RetentionPolicy.objects.create(school=school, contact_notes_months=36)
    assert retention_plan(school=school, now=NOW).contact_notes == 0


def test_a_leaver_is_archived_until_their_retention_ends(
    school, child, parent, sendco, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    staying = ChildFactory(school=school)
    shared = ContactEntryFactory(school=school, children=[child, staying])
    theirs = ContactEntryFactory(school=school, children=[child])
    observation = observation_add(child=child, author=parent, text="Drew a map", photo=photo())
    stored = Path(tmp_path) / observation.photo.name
    PraiseFactory(child=child)
    child.left_on = datetime.date(2026, 7, 22)
    child.date_of_birth = datetime.date(2016, 3, 1)
    child.save()

    # Archived: off the SENDCo's lists and the weekly check-in, record intact.
    assert child not in children_for_staff(sendco)
    assert parents_due(school, datetime.date(2026, 11, 23)) == []
    assert retention_plan(school=school, now=NOW).leavers == []

    # Born 2016; 25 plus 6 years later the record goes.
    later = timezone.make_aware(datetime.datetime(2047, 3, 2, 12, 0))
    assert retention_plan(school=school, now=later).leavers == [(child.pk, child.left_on)]
    with django_capture_on_commit_callbacks(execute=True):  # photos go once rows are gone
        retention_apply(school=school, now=later)

    assert not Child.objects.filter(pk=child.pk).exists()
    assert not HomeObservation.objects.filter(pk=observation.pk).exists()
    assert not stored.exists()
    assert not ContactEntry.objects.filter(pk=theirs.pk).exists()
    assert list(ContactEntry.objects.get(pk=shared.pk).children.all()) == [staying]


def test_the_sendco_marks_a_leaver_and_can_undo_it(
    client, school, child, sendco, login_with_password
):
    login_with_password(client, sendco)
    url = f"/children/{child.pk}/leaving/"
    assert "kept until the young person is 25" in client.get(url).content.decode()

    client.post(url, {"left_on": "2026-12-18"})
    child.refresh_from_db()
    assert child.left_on == datetime.date(2026, 12, 18)

    client.post(url, {"return": "1"})
    child.refresh_from_db()
    assert child.left_on is None


def test_only_the_sendco_or_administrator_marks_leavers(client, school, child, parent, teacher):
    from tests.factories import AssignmentFactory

    AssignmentFactory(membership=teacher.memberships.get(), child=child)
    for person in (teacher, parent):
        client.force_login(person)
        assert (
            client.post(f"/children/{child.pk}/leaving/", {"left_on": "2026-12-18"}).status_code
            == 404
        )
    child.refresh_from_db()
    assert child.left_on is None


def test_the_retention_page_shows_the_dry_run_and_saves_the_policy(
    client, school, sendco, login_with_password, expired_and_fresh
):
    login_with_password(client, sendco)
    url = f"/schools/{school.slug}/retention/"
    page = client.get(url).content.decode()
    assert "1 copy of a sent email would be deleted" in page
    form = {
        "sen_records_until_age": "25",
        "sen_records_extra_years": "6",
        "contact_notes_months": "36",
        "checkin_messages_months": "12",
        "sent_emails_days": "90",
    }
    client.post(url, form)
    assert school.retention.contact_notes_months == 36
    refused = client.post(url, {**form, "sen_records_until_age": "16"})
    assert "at least until 18" in refused.content.decode()


def test_erasing_a_child_lists_first_then_removes_the_whole_record(school, child, parent):
    from partnership.audit.models import AuditEvent

    ContactEntryFactory(school=school, children=[child])
    PraiseFactory(child=child)
    AuditEvent.objects.create(
        child=child,
        school=school,
        action="read",
        what="child_page",
        method="GET",
        status_code=200,
        outcome="ok",
    )
    out = StringIO()

    call_command("erase_child", "--child", str(child.pk), stdout=out)

    assert "Nothing erased" in out.getvalue() and "1 praise" in out.getvalue()
    assert "1 contact entries" in out.getvalue()
    assert Child.objects.filter(pk=child.pk).exists()

    call_command("erase_child", "--child", str(child.pk), "--yes", stdout=StringIO())

    assert not Child.objects.filter(pk=child.pk).exists()
    assert not ContactEntry.objects.filter(school=school).exists()
    assert AuditEvent.objects.get().child is None  # the trail stays, without the child
