"""The contact log: what school and a family talked about, what they agreed to do, and
the parent's own side of the record.

Access is the view's job; these functions enforce the rules of the record itself (the
children belong to the school, the parents to the children, a parent answers only for
an entry shared with them).
"""

import datetime
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.accounts.models import User
from partnership.schools.models import STAFF_ROLES, Child, FamilyLink, Membership, Role, School

from ..models import (
    MEETING_CHANNELS,
    AgreedAction,
    Channel,
    CheckIn,
    Confirmation,
    ContactEntry,
    StartedBy,
)
from . import Refused

MAX_ACTIONS = 3
# A phone's clock may run a little ahead of the server's: "now" on the phone is not the
# future.
CLOCK_SLACK = datetime.timedelta(minutes=10)
# Talking with the family, by voice or face to face, answers a request for a call; an
# email or a text does not.
CALL_CHANNELS = (
    Channel.PHONE,
    Channel.MEETING,
    Channel.IN_PERSON,
    Channel.VIDEO,
    Channel.HOME_VISIT,
)


class ContactRefused(Refused):
    """A rule of the contact log was broken; the message is for the person who tried."""


def _check_children(school: School, children: list[Child]) -> None:
    if not children:
        raise ContactRefused(_("Choose the child (or children) the contact was about."))
    if any(child.school_id != school.pk for child in children):
        raise ContactRefused(_("Every child in a contact must be at the same school."))


def _check_parents(children: list[Child], parents: list[User]) -> None:
    linked = set(
        FamilyLink.objects.filter(child__in=children, parent__in=parents).values_list(
            "parent_id", flat=True
        )
    )
    strangers = [parent for parent in parents if parent.pk not in linked]
    if strangers:
        raise ContactRefused(
            _("%(name)s is not a parent or carer of the children chosen.") % {"name": strangers[0]}
        )


def _check_actions(school: School, parents: list[User], actions: Sequence[dict]) -> None:
    if len(actions) > MAX_ACTIONS:
        raise ContactRefused(
            _("Record at most %(count)s agreed actions at a time.") % {"count": MAX_ACTIONS}
        )
    staff = set(
        Membership.objects.active()
        .filter(school=school, role__in=STAFF_ROLES)
        .values_list("user_id", flat=True)
    )
    family = {parent.pk for parent in parents}
    for action in actions:
        if not action.get("description", "").strip():
            raise ContactRefused(_("Say what was agreed for each action."))
        owner = action.get("owner")
        if owner is None and not action.get("owner_label", "").strip():
            raise ContactRefused(_("Say who will do each agreed action."))
        if owner is not None and owner.pk not in staff | family:
            raise ContactRefused(
                _(
                    "An agreed action belongs to a member of staff at the school or to a "
                    "parent or carer who was part of the contact."
                )
            )


def _answer_call_requests(
    school: School, parents: list[User], channel: str, happened_at: datetime.datetime
) -> int:
    """Mark the parents' open call-back requests as done when school has spoken with
    them, so the family does not stay on the SENDCo's "asked for a call" list.

    A conversation answers requests made up to the end of its day (school time): the time
    typed in is rounded, often to when the call started, and the request may have come in
    while staff were already on the phone to the family.
    """
    if channel not in CALL_CHANNELS or not parents:
        return 0
    zone = ZoneInfo(school.time_zone)
    day = timezone.localtime(happened_at, zone).date() + datetime.timedelta(days=1)
    end_of_day = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    return CheckIn.objects.filter(
        school=school,
        parent__in=parents,
        wants_call=True,
        call_done_at__isnull=True,
        answered_at__lt=end_of_day,
    ).update(call_done_at=timezone.now())


def is_sendco(user: User, school: School) -> bool:
    return Membership.objects.active().filter(user=user, school=school, role=Role.SENDCO).exists()


@transaction.atomic
def contact_log(
    *,
    school: School,
    children: Iterable[Child],
    parents: Iterable[User],
    happened_at: datetime.datetime,
    channel: str,
    started_by: str,
    summary: str,
    shared_with_family: bool,
    actions: Sequence[dict],
    by: User,
) -> ContactEntry:
    """Record a contact with a family and the actions agreed in it.

    Each action is a dict with `description`, `owner` (a user: staff at the school or one
    of `parents`) or `owner_label` (someone not on the portal), and `due_on`. Open
    call-back requests from the parents are answered by a conversation logged after them.
    The entry's `callbacks_answered` says how many.
    """
    children, parents = list(children), list(parents)
    _check_children(school, children)
    # Check-in answers are written by the check-in itself, and count as the parent's word.
    if channel not in Channel.values or channel == Channel.CHECK_IN:
        raise ContactRefused(_("Choose how the contact happened."))
    if started_by not in StartedBy.values:
        raise ContactRefused(_("Choose who started the contact."))
    if happened_at > timezone.now() + CLOCK_SLACK:
        raise ContactRefused(_("A contact cannot be logged for a time in the future."))
    if not summary.strip():
        raise ContactRefused(_("Write a short summary of what was said."))
    _check_parents(children, parents)
    _check_actions(school, parents, actions)

    entry = ContactEntry.objects.create(
        school=school,
        happened_at=happened_at,
        channel=channel,
        started_by=started_by,
        summary=summary.strip(),
        shared_with_family=shared_with_family,
        author=by,
        is_sendco_meeting=channel in MEETING_CHANNELS and is_sendco(by, school),
    )
    entry.children.set(children)
    entry.parents.set(parents)
    AgreedAction.objects.bulk_create(
        [
            AgreedAction(
                entry=entry,
                description=action["description"].strip(),
                owner=action.get("owner"),
                owner_label=action.get("owner_label", "").strip(),
                due_on=action.get("due_on"),
            )
            for action in actions
        ]
    )
    entry.callbacks_answered = _answer_call_requests(school, parents, channel, happened_at)
    return entry


@transaction.atomic
def action_done(*, action: AgreedAction, by: User) -> AgreedAction:
    """Mark an agreed action done; the first mark stands."""
    # Compare-and-swap: two people ticking it at once record one time.
    won = AgreedAction.objects.filter(pk=action.pk, done_at__isnull=True).update(
        done_at=timezone.now()
    )
    if not won:
        raise ContactRefused(_("This action is already marked as done."))
    action.refresh_from_db(fields=["done_at"])
    return action


def is_party(entry: ContactEntry, parent: User) -> bool:
    """A parent takes part in an entry by being named in it or linked to one of its
    children."""
    return (
        entry.parents.filter(pk=parent.pk).exists()
        or FamilyLink.objects.filter(parent=parent, child__in=entry.children.all()).exists()
    )


@transaction.atomic
def contact_confirm(
    *, entry: ContactEntry, parent: User, answer: str, note: str = ""
) -> Confirmation:
    """The parent's side of the record: "yes, that is right" or "that is not how I
    remember it". A parent may change their answer; the latest one stands."""
    if not entry.shared_with_family:
        raise ContactRefused(_("This note is not shared with the family."))
    if not is_party(entry, parent):
        raise ContactRefused(_("Only a parent or carer of the children can answer this."))
    if entry.author_id == parent.pk:
        raise ContactRefused(_("This is your own answer to school; there is nothing to confirm."))
    if answer not in Confirmation.Answer.values:
        raise ContactRefused(_("Choose whether this is right or not how you remember it."))
    confirmation, _created = Confirmation.objects.update_or_create(
        entry=entry,
        parent=parent,
        defaults={"answer": answer, "note": note.strip(), "answered_at": timezone.now()},
    )
    return confirmation
