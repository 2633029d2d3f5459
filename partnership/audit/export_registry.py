"""What a subject access export holds: for every model that relates to a child or to a
person, which rows are about the subject and which fields leave the building.

Each model appears here exactly once, either as an `Entry` (exported) or as an
`Excluded` (with the reason a data protection officer would accept). The completeness
test walks `apps.get_models()`; a new model with a relation to Child or to the user
model and no line here fails it, so the export cannot fall behind the portal.

Rows are chosen with Q objects built from a `Scope`:
- a child's export holds everything the school holds about the child, staff-only notes
  and both parents' contributions included (the administrator redacts third parties
  before sharing it);
- a parent's export holds the parent's own rows and what they may already see about
  their own children. In a separated family one parent's observations, check-ins and
  proposals are not the other's, so those follow the author, never the child.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

# Never exported, whatever a model's entry says: a field whose name looks like a secret
# is dropped even if someone forgets to exclude it.
SECRET_FIELD = re.compile(r"password|token|secret|session_key|hash|otp", re.IGNORECASE)


@dataclass(frozen=True)
class Scope:
    """Whose export this is. `school` limits a parent's export to one school's records;
    None (the management command without --school) means every school."""

    child_ids: frozenset[int]
    # People whose names may appear in many-to-many lists (the child's own parents, or
    # the parent themself): another family's parent named on a shared entry stays out.
    people_ids: frozenset[int]
    school_id: int | None = None
    child_id: int | None = None
    parent_id: int | None = None
    parent_children: QuerySet | None = None

    def at(self, path: str) -> Q:
        return Q(**{path: self.school_id}) if self.school_id is not None else Q()


Selector = Callable[[Scope], Q]


@dataclass(frozen=True)
class Entry:
    label: str
    heading: str
    for_child: Selector | None = None
    for_parent: Selector | None = None
    # Either a whitelist (fields) or all concrete fields minus `exclude`.
    fields: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # Extra columns read through a join in the same query: {"slot_starts_at": "slot__starts_at"}.
    extra: dict[str, str] = field(default_factory=dict)
    photo_field: str | None = None
    order_by: tuple[str, ...] = ("pk",)


@dataclass(frozen=True)
class Excluded:
    label: str
    reason: str


def _child(path: str = "child") -> Selector:
    return lambda s: Q(**{path: s.child_id})


def _mine(path: str, school_path: str | None = None) -> Selector:
    if school_path is None:
        return lambda s: Q(**{path: s.parent_id})
    return lambda s: Q(**{path: s.parent_id}) & s.at(school_path)


def _childs_parents(parent_path: str, school_path: str) -> Selector:
    """Rows a family member wrote to the child's school (check-ins): part of the child's
    record because they are about how the child's week went."""
    return lambda s: Q(**{f"{parent_path}__in": s.people_ids, school_path: s.school_id})


def _their_children(path: str = "child", extra: Q | None = None) -> Selector:
    return lambda s: Q(**{f"{path}__in": s.parent_children}) & (extra or Q())


def _entry_seen_by_parent(prefix: str = "") -> Selector:
    # What the contact log shows a parent: entries shared with the family about one of
    # their children, or with them named as taking part.
    def select(s: Scope) -> Q:
        return Q(**{f"{prefix}shared_with_family": True}) & (
            Q(**{f"{prefix}children__in": s.parent_children})
            | Q(**{f"{prefix}parents": s.parent_id})
        )

    return select


ENTRIES: tuple[Entry, ...] = (
    # --- the person and the child ---------------------------------------------------
    Entry(
        "accounts.User",
        "Account",
        for_parent=lambda s: Q(pk=s.parent_id),
        fields=("id", "email", "full_name", "is_active", "date_joined", "last_login"),
    ),
    Entry(
        "account.EmailAddress",
        "Email addresses",
        for_parent=_mine("user"),
        fields=("id", "email", "verified", "primary"),
    ),
    Entry(
        "mfa.Authenticator",
        "Two-step sign-in",
        for_parent=_mine("user"),
        fields=("id", "type", "created_at", "last_used_at"),
    ),
    Entry(
        "usersessions.UserSession",
        "Signed-in devices",
        for_parent=_mine("user"),
        fields=("id", "created_at", "last_seen_at", "ip", "user_agent"),
    ),
    Entry(
        "accounts.Invitation",
        "Invitations",
        for_parent=_mine("user", "school"),
        fields=("id", "school", "invited_by", "created_at", "expires_at", "accepted_at"),
    ),
    Entry(
        "schools.Child",
        "Child",
        for_child=lambda s: Q(pk=s.child_id),
        for_parent=lambda s: Q(pk__in=s.parent_children),
        exclude=("school",),
        extra={"school_name": "school__name"},
    ),
    Entry(
        "schools.FamilyLink",
        "Family",
        for_child=_child(),
        for_parent=_mine("parent", "child__school"),
    ),
    Entry("schools.KeyContact", "Who to contact", _child(), _their_children()),
    Entry(
        "schools.Assignment",
        "Staff who work with the child",
        for_child=_child(),
        extra={"staff_name": "membership__user__full_name", "role": "membership__role"},
    ),
    Entry(
        "schools.Membership",
        "Roles at school",
        for_parent=_mine("user", "school"),
        extra={"school_name": "school__name"},
    ),
    Entry("schools.Trust", "Trusts", for_parent=_mine("trustees"), fields=("id", "name")),
    # --- plans ----------------------------------------------------------------------
    Entry("plans.PlanCycle", "Plan cycles", _child(), _their_children()),
    Entry(
        "plans.Target",
        "Targets",
        for_child=_child(),
        for_parent=_their_children(extra=Q(shared_at__isnull=False)),
    ),
    Entry(
        "plans.ProgressReview",
        "Progress reviews",
        for_child=_child("target__child"),
        for_parent=_their_children("target__child", Q(target__shared_at__isnull=False)),
        extra={"target_outcome": "target__outcome"},
    ),
    Entry(
        "plans.Placement",
        "Interventions",
        for_child=_child(),
        for_parent=_their_children(extra=Q(shared_at__isnull=False)),
        extra={"intervention_name": "intervention__name"},
    ),
    Entry(
        "plans.HomeObservation",
        "What the family saw at home",
        for_child=_child(),
        for_parent=_mine("author", "child__school"),
        photo_field="photo",
    ),
    Entry(
        "plans.ObservationReply",
        "Replies to home observations",
        for_child=_child("observation__child"),
        for_parent=lambda s: (
            (Q(observation__author=s.parent_id) | Q(author=s.parent_id))
            & s.at("observation__child__school")
        ),
    ),
    Entry("plans.PassportVersion", "Pupil passport", _child(), _their_children()),
    Entry(
        "plans.PassportProposal",
        "Suggested changes to the pupil passport",
        for_child=_child(),
        for_parent=_mine("proposed_by", "child__school"),
    ),
    # --- contact --------------------------------------------------------------------
    # Staff keep the contact plan on their dashboard; parents are never shown it, so it
    # is in the child's export only.
    Entry("contact.ContactPlan", "Agreed contact", for_child=_child()),
    Entry(
        "contact.ContactEntry",
        "Contact with school",
        for_child=_child("children"),
        for_parent=lambda s: _entry_seen_by_parent()(s) & s.at("school"),
        exclude=("school",),
    ),
    Entry(
        "contact.AgreedAction",
        "Agreed actions",
        for_child=_child("entry__children"),
        for_parent=lambda s: _entry_seen_by_parent("entry__")(s) & s.at("entry__school"),
    ),
    Entry(
        "contact.Confirmation",
        "Replies to contact notes",
        for_child=_child("entry__children"),
        for_parent=_mine("parent", "entry__school"),
    ),
    Entry(
        "contact.CheckIn",
        "Weekly check-ins",
        for_child=_childs_parents("parent", "school"),
        for_parent=_mine("parent", "school"),
    ),
    Entry("contact.CheckInPreference", "Check-in choices", for_parent=_mine("parent", "school")),
    Entry(
        "contact.Broadcast",
        "Messages from school",
        for_parent=lambda s: Q(recipients__parent=s.parent_id) & s.at("school"),
        fields=("id", "subject", "body", "audience", "created_at"),
    ),
    Entry(
        "contact.BroadcastRecipient",
        "Messages received",
        for_parent=_mine("parent", "broadcast__school"),
        extra={"subject": "broadcast__subject"},
    ),
    # --- praise ---------------------------------------------------------------------
    Entry(
        "praise.Praise",
        "Praise",
        for_child=_child(),
        for_parent=_their_children(),
        exclude=("school", "batch"),
        extra={"value_name": "value__name"},
    ),
    Entry(
        "praise.PraiseThanks",
        "Thank-you messages",
        for_child=_child("praise__child"),
        for_parent=_mine("parent", "praise__school"),
    ),
    Entry("praise.PraiseReminder", "Praise reminders", for_parent=_mine("user")),
    # --- meetings -------------------------------------------------------------------
    Entry(
        "meetings.Booking",
        "Meetings",
        for_child=_child(),
        for_parent=_mine("parent", "child__school"),
        extra={
            "starts_at": "slot__starts_at",
            "ends_at": "slot__ends_at",
            "mode": "slot__mode",
            "location": "slot__location",
        },
    ),
    Entry(
        "meetings.SessionPlace",
        "Group sessions",
        for_child=_child(),
        for_parent=_mine("parent", "session__school"),
        extra={"session_title": "session__title", "session_starts_at": "session__starts_at"},
    ),
    Entry(
        "meetings.CalendarFeed",
        "Calendar feed",
        for_parent=_mine("user"),
        fields=("id", "created_at"),
    ),
    # --- co-production --------------------------------------------------------------
    Entry(
        "coproduction.ConsultationInvite",
        "Consultations you were asked about",
        for_parent=_mine("parent", "consultation__school"),
        extra={"consultation_title": "consultation__title"},
    ),
    Entry(
        "coproduction.ConsultationResponse",
        "Consultation answers",
        for_parent=_mine("parent", "consultation__school"),
        extra={"consultation_title": "consultation__title"},
    ),
    Entry(
        "coproduction.ConsultationAnswer",
        "Consultation answers, question by question",
        for_parent=_mine("response__parent", "response__consultation__school"),
        extra={"question_text": "question__text"},
    ),
    Entry(
        "coproduction.SupportRequest",
        "Support asked for",
        for_parent=_mine("parent", "school"),
    ),
    Entry(
        "coproduction.ParentGroupMember",
        "SEND parent group",
        for_parent=_mine("parent", "school"),
    ),
    # --- emails and the audit trail -------------------------------------------------
    Entry(
        "notifications.OutboxMessage",
        "Emails sent",
        for_parent=_mine("recipient", "school"),
        # The body may carry a working sign-in or invitation link: never exported.
        fields=("id", "kind", "to_email", "subject", "status", "created_at", "sent_at"),
    ),
    Entry(
        "audit.AuditEvent",
        "Audit trail: who looked at or changed records",
        for_child=_child(),
        for_parent=_mine("user", "school"),
        fields=("id", "at", "user", "action", "what", "object_id", "outcome"),
    ),
)

EXCLUDED: tuple[Excluded, ...] = (
    Excluded(
        "admin.LogEntry",
        "Changes made in the technical admin site: a record of what the operator did, "
        "not data about a family.",
    ),
    Excluded(
        "meetings.SlotPattern",
        "A member of staff's weekly diary pattern; its only link to a person is the staff "
        "member who set it up.",
    ),
    Excluded(
        "meetings.Slot",
        "Times staff offer for meetings; a family's meeting is exported from its booking, "
        "with the slot's time and place.",
    ),
    Excluded(
        "meetings.GroupSession",
        "A session offered to many parents; a family's place is exported with the "
        "session's title and time.",
    ),
    Excluded(
        "coproduction.Consultation",
        "A consultation written by staff for many parents; a parent's invitation and "
        "answers are exported with its title.",
    ),
)

BY_LABEL: dict[str, Entry] = {entry.label: entry for entry in ENTRIES}
EXCLUDED_BY_LABEL: dict[str, Excluded] = {item.label: item for item in EXCLUDED}
