"""Retention: what each school's policy says has expired, and removing it.

Four rules, each a bulk statement per school so a run costs a few queries whatever the
size of the school:
- the words of contact notes (and their agreed actions and parents' notes) older than the
  policy are replaced by a marker: that the contact happened still counts;
- what parents wrote in check-ins is cleared after its period (the rating stays);
- copies of emails already sent (or given up) are deleted after their period;
- a leaver's whole record is deleted once they are past the policy's age plus years
  (the audit trail keeps its rows without the child).

`retention_plan` says what a run would do (the dry run); `retention_apply` does it. Both
work "as of" a time, so a run can be reproduced.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.deletion import Collector
from django.utils import timezone

from partnership.contact.models import AgreedAction, CheckIn, Confirmation, ContactEntry
from partnership.notifications.models import OutboxMessage
from partnership.notifications.schedule import scheduled_job
from partnership.plans.models import HomeObservation

from .models import Child, RetentionPolicy, School

REMOVED = "[Removed under the school's retention policy]"


@dataclass
class RetentionPlan:
    school: School
    contact_notes: int = 0
    checkin_messages: int = 0
    sent_emails: int = 0
    # (child id, the day they left): never a name, so the plan can be logged and printed.
    leavers: list[tuple[int, datetime.date]] = field(default_factory=list)

    @property
    def nothing_to_do(self) -> bool:
        return not (self.contact_notes or self.checkin_messages or self.sent_emails or self.leavers)


def policy_of(school: School) -> RetentionPolicy:
    """The school's policy; the defaults until it sets its own (not saved by a read)."""
    try:
        return school.retention
    except RetentionPolicy.DoesNotExist:
        return RetentionPolicy(school=school)


def _months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    # Calendar months, as the policy says; the month's last day stands in for a day it
    # lacks (31 March less one month is 28 or 29 February).
    years, month0 = divmod(moment.month - 1 - months, 12)
    year, month = moment.year + years, month0 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _old_notes(school: School, before: datetime.datetime) -> QuerySet[ContactEntry]:
    return ContactEntry.objects.filter(school=school, happened_at__lt=before).exclude(
        summary=REMOVED
    )


def _old_checkins(school: School, before: datetime.datetime) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(school=school, created_at__lt=before).exclude(message="")


def _old_emails(school: School, before: datetime.datetime) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(
        school=school,
        status__in=[OutboxMessage.Status.SENT, OutboxMessage.Status.FAILED],
        created_at__lt=before,
    )


def _expired_leavers(school: School, policy: RetentionPolicy, today: datetime.date):
    """Leavers past the policy's age plus years (born on or before that many years ago)."""
    years = policy.sen_records_until_age + policy.sen_records_extra_years
    try:
        born_by = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born_by = today.replace(year=today.year - years, day=28)
    return Child.objects.filter(
        school=school, left_on__isnull=False, date_of_birth__lte=born_by
    ).order_by("pk")


def retention_plan(*, school: School, now: datetime.datetime | None = None) -> RetentionPlan:
    now = now or timezone.now()
    policy = policy_of(school)
    today = timezone.localdate(now)
    return RetentionPlan(
        school=school,
        contact_notes=_old_notes(school, _months_before(now, policy.contact_notes_months)).count(),
        checkin_messages=_old_checkins(
            school, _months_before(now, policy.checkin_messages_months)
        ).count(),
        sent_emails=_old_emails(
            school, now - datetime.timedelta(days=policy.sent_emails_days)
        ).count(),
        leavers=list(_expired_leavers(school, policy, today).values_list("pk", "left_on")),
    )


@transaction.atomic
def retention_apply(*, school: School, now: datetime.datetime | None = None) -> RetentionPlan:
    """Remove what has expired at `now`; returns what was done (the same shape as a plan)."""
    now = now or timezone.now()
    policy = policy_of(school)
    done = RetentionPlan(school=school)

    notes_before = _months_before(now, policy.contact_notes_months)
    entries = _old_notes(school, notes_before)
    AgreedAction.objects.filter(entry__in=entries).update(description=REMOVED)
    Confirmation.objects.filter(entry__in=entries).exclude(note="").update(note=REMOVED)
    done.contact_notes = entries.update(summary=REMOVED)

    done.checkin_messages = _old_checkins(
        school, _months_before(now, policy.checkin_messages_months)
    ).update(message="")
    done.sent_emails, _ = _old_emails(
        school, now - datetime.timedelta(days=policy.sent_emails_days)
    ).delete()

    leavers = _expired_leavers(school, policy, timezone.localdate(now))
    done.leavers = list(leavers.values_list("pk", "left_on"))
    if done.leavers:
        _delete_leavers([pk for pk, _left in done.leavers])
    return done


def erasure_preview(*, child: Child) -> dict[str, int]:
    """What erasing this child's record would delete, by kind of record (the dry run)."""
    collector = Collector(using="default")
    collector.collect([child])
    counts = {
        model._meta.verbose_name_plural: len(rows) for model, rows in collector.data.items() if rows
    }
    for query in collector.fast_deletes:
        if count := query.count():
            name = query.model._meta.verbose_name_plural
            counts[name] = counts.get(name, 0) + count
    contact = _contact_only_about([child.pk]).count()
    if contact:
        counts[ContactEntry._meta.verbose_name_plural] = contact
    return counts


@transaction.atomic
def child_erase(*, child: Child) -> None:
    """Erase a child's whole record now (an erasure the school has agreed to), as retention
    does when it ends; the audit trail keeps its rows without the child."""
    _delete_leavers([child.pk])


def _contact_only_about(child_ids: list[int]) -> QuerySet[ContactEntry]:
    links = ContactEntry.children.through.objects
    others = links.filter(contactentry_id=OuterRef("pk")).exclude(child_id__in=child_ids)
    return ContactEntry.objects.filter(children__in=child_ids).filter(~Exists(others))


def _delete_leavers(child_ids: list[int]) -> None:
    # Photos live outside the database: delete the files once the rows are gone for good.
    photos = [
        name
        for name in HomeObservation.objects.filter(child_id__in=child_ids)
        .exclude(photo="")
        .values_list("photo", flat=True)
    ]
    # Contact entries only about these children go with them; an entry that also concerns
    # a child still on the record keeps its other children.
    only_theirs = _contact_only_about(child_ids)
    ContactEntry.objects.filter(pk__in=list(only_theirs.values_list("pk", flat=True))).delete()
    Child.objects.filter(pk__in=child_ids).delete()
    if photos:
        storage = HomeObservation._meta.get_field("photo").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in photos])


@scheduled_job("retention")
def job(now: datetime.datetime) -> int:
    """Every school's retention, each tick: a run with nothing expired changes nothing."""
    changed = 0
    for school in School.objects.select_related("retention").order_by("pk"):
        done = retention_apply(school=school, now=now)
        changed += done.contact_notes + done.checkin_messages + done.sent_emails
        changed += len(done.leavers)
    return changed
