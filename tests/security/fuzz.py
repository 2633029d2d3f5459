"""The fuzz registry: every form of the portal, and how to reach it through its view.

A case says which URL shows the form, who may use it (an attribute of `World`), which apps'
tables it may write to, and, where stored text is shown back, the page that shows it with
valid values to put hostile text beside. tests/security/test_fuzz_forms.py fails for a
form without a case here.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from .fuzz_values import (
    ESCAPED_MARKER,
    HOSTILE_FILE,
    HOSTILE_VALUE,
    IMPORT_ROWS,
    MARKER,
    Case,
    page_defaults,
    table_counts,
)
from .fuzz_world import World

__all__ = [
    "ESCAPED_MARKER",
    "HOSTILE_FILE",
    "HOSTILE_VALUE",
    "MARKER",
    "REGISTRY",
    "Case",
    "World",
    "page_defaults",
    "table_counts",
]


def _school(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.school.slug])


def _child(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.child.pk])


def _of(name: str, attr: str, *, school: bool = False) -> Callable[[World], str]:
    def build(w: World) -> str:
        pk = getattr(w, attr).pk
        return reverse(name, args=[w.school.slug, pk] if school else [pk])

    return build


_slot_where = Case(
    _school("slot_new"),
    "sendco",
    ("meetings",),
    valid=lambda w: {"day": _in_days(8), "starts": "15:30", "location": "SENDCo's office"},
)
_import = Case(
    _school("import_children"), "sendco", ("schools", "accounts"), strategies={"file": IMPORT_ROWS}
)


def _in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _audience(w: World) -> dict:
    # "All SEND families" reaches the world's parent, so the message has someone to go to.
    assert w.parent is not None
    return {"kind": "all", "subject": "Hello", "body": "Body", "once": str(uuid.uuid4())}


def _contact_entry(w: World) -> dict:
    return {
        "children": str(w.child.pk),
        "parents": str(w.parent.pk),
        "happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": "phone",
        "started_by": "school",
        "summary": "Talked about the timetable",
        "action-TOTAL_FORMS": "1",
        "action-INITIAL_FORMS": "0",
    }


REGISTRY: dict[str, Case] = {
    "partnership.accounts.forms.AcceptInvitationForm": Case(
        lambda w: reverse("invitation_accept", args=[w.invitation_token]),
        "anonymous",
        ("accounts", "schools"),
        valid=lambda w: {
            "password1": "a-long-pass-phrase-77",
            "password2": "a-long-pass-phrase-77",
        },
    ),
    "partnership.audit.forms.AuditFilterForm": Case(
        _school("audit_search"), "sendco", ("schools",), method="get"
    ),
    "partnership.contact.forms.broadcasts.BroadcastForm": Case(
        _school("broadcast_new"),
        "sendco",
        ("contact",),
        shows=_school("broadcast_list"),
        # "send" skips the preview: the message goes out and is listed.
        valid=lambda w: _audience(w) | {"send": "1"},
        shown_fields=("subject",),
    ),
    "partnership.contact.forms.broadcasts.KeyDocumentForm": Case(
        _school("document_new"),
        "sendco",
        ("contact",),
        shows=_school("document_list"),
        valid=lambda w: {"title": "Local offer", "summary": "About", "link": "https://e.test/"},
        shown_fields=("title", "summary"),
    ),
    "partnership.contact.forms.checkins.CheckInAnswerForm": Case(
        _of("checkin_answer", "checkin"),
        "parent",
        ("contact",),
        # The family's words are read by staff, not shown back on the family's pages.
        valid=lambda w: {"rating": "3", "message": "A good week"},
    ),
    "partnership.contact.forms.checkins.CheckInPreferencesForm": Case(
        lambda w: reverse("checkin_preferences"),
        "parent",
        ("contact", "accounts"),
        extra_fields=lambda w: [f"school_{w.school.pk}"],
    ),
    # The agreed actions are a formset under the contact log; each field is fuzzed in the
    # first form of the set, beside a valid log entry.
    "partnership.contact.forms.log.ActionForm": Case(
        _child("contact_log"),
        "sendco",
        ("contact",),
        shows=_child("contact_history"),
        valid=lambda w: (
            _contact_entry(w)
            | {"action-0-description": "Send the cards", "action-0-owner_label": "Mum"}
        ),
        shown_fields=("action-0-description",),
        prefix="action-0-",
    ),
    "partnership.contact.forms.log.ConfirmForm": Case(
        _of("contact_confirm", "entry"), "parent", ("contact",)
    ),
    "partnership.contact.forms.log.ContactLogForm": Case(
        _child("contact_log"),
        "sendco",
        ("contact",),
        shows=_child("contact_history"),
        valid=_contact_entry,
        shown_fields=("summary",),
    ),
    "partnership.contact.forms.plans.ContactPlanForm": Case(
        _child("contact_plan_edit"), "sendco", ("contact",)
    ),
    "partnership.coproduction.forms_consultations.AnswerForm": Case(
        _of("consultation_answer", "consultation"),
        "parent",
        ("coproduction",),
        extra_fields=lambda w: [f"q{q.pk}" for q in w.consultation.questions.all()],
        valid=lambda w: {f"q{q.pk}": "agree" for q in w.consultation.questions.all()},
    ),
    # A draft's page asks who should answer; "open" sends it to them.
    "partnership.coproduction.forms_consultations.ConsultationAudienceForm": Case(
        _of("consultation_detail", "draft_consultation", school=True),
        "sendco",
        ("coproduction",),
        valid=lambda w: _audience(w) | {"open": "1"},
    ),
    "partnership.coproduction.forms_consultations.ConsultationForm": Case(
        _school("consultation_new"),
        "sendco",
        ("coproduction",),
        shows=_school("consultation_list"),
        valid=lambda w: {
            "title": "Reading group time",
            "background": "Mornings?",
            "statements": "Mornings suit us",
            "closes_on": _in_days(14),
            "closes_time": "17:00",
        },
        shown_fields=("title",),
    ),
    "partnership.coproduction.forms_consultations.OutcomeForm": Case(
        _of("consultation_detail", "closed_consultation", school=True),
        "sendco",
        ("coproduction",),
        shows=_of("consultation_detail", "closed_consultation", school=True),
        valid=lambda w: {"you_said": "Mornings", "we_did": "Moved it", "not_changed": "-"},
        shown_fields=("you_said", "we_did"),
    ),
    "partnership.coproduction.forms_group.InviteForm": Case(
        _school("parent_group_invite"), "sendco", ("coproduction", "meetings")
    ),
    "partnership.coproduction.forms_group.RepresentativeForm": Case(
        _school("parent_group_representative"), "sendco", ("coproduction",)
    ),
    "partnership.coproduction.forms_support.OfferForm": Case(
        _school("support_offer"), "sendco", ("coproduction", "meetings")
    ),
    "partnership.coproduction.forms_support.SupportRequestForm": Case(
        lambda w: reverse("support_requests"),
        "parent",
        ("coproduction",),
        shows=lambda w: reverse("support_requests"),
        valid=lambda w: {"school": w.school.pk, "topics": "autism", "online": "on"},
        shown_fields=("note",),
    ),
    "partnership.meetings.forms_bookings.BookForm": Case(
        _of("meeting_book", "slot"), "parent", ("meetings",)
    ),
    "partnership.meetings.forms_bookings.CancelForm": Case(
        _of("booking_cancel", "booking"), "parent", ("meetings",)
    ),
    "partnership.meetings.forms_bookings.FamilyBookForm": Case(
        _of("booking_for_family", "slot", school=True), "sendco", ("meetings",)
    ),
    "partnership.meetings.forms_bookings.MoveForm": Case(
        _of("booking_move", "booking"), "parent", ("meetings",)
    ),
    "partnership.meetings.forms_bookings.OutcomeForm": Case(
        _of("booking_outcome", "booking", school=True), "sendco", ("meetings",)
    ),
    "partnership.meetings.forms_sessions.AttendanceForm": Case(
        _of("session_staff_detail", "past_session", school=True), "sendco", ("meetings",)
    ),
    "partnership.meetings.forms_sessions.CancelSessionForm": Case(
        _of("session_cancel", "session", school=True), "sendco", ("meetings",)
    ),
    "partnership.meetings.forms_sessions.JoinForm": Case(
        _of("session_join", "session"), "parent", ("meetings",)
    ),
    "partnership.meetings.forms_sessions.SessionForm": Case(
        _school("session_new"),
        "sendco",
        ("meetings",),
        shows=_school("session_manage"),
        valid=lambda w: {
            "kind": "coffee_morning",
            "topic": "autism",
            "title": "Coffee morning",
            "description": "Come and talk",
            "day": _in_days(10),
            "starts": "09:00",
            "ends": "10:00",
            "mode": "in_person",
            "location": "Library",
            "capacity": "12",
        },
        shown_fields=("title",),
    ),
    "partnership.meetings.forms_slots.PatternStopForm": Case(
        _of("slot_pattern_stop", "pattern", school=True), "sendco", ("meetings",)
    ),
    "partnership.meetings.forms_slots.SlotForm": _slot_where,
    "partnership.meetings.forms_slots.SlotPatternForm": Case(
        _school("slot_pattern_new"),
        "sendco",
        ("meetings",),
        valid=lambda w: {"location": "SENDCo's office"},
    ),
    # The shared "where" fields have no view of their own; the slot form drives them.
    "partnership.meetings.forms_slots._WhereMixin": _slot_where,
    "partnership.plans.forms.interventions.InterventionForm": Case(
        _school("intervention_create"),
        "sendco",
        ("plans",),
        shows=_school("intervention_list"),
        valid=lambda w: {"name": "Talk Boost", "description": "Small group", "is_active": "on"},
        shown_fields=("name",),
    ),
    "partnership.plans.forms.interventions.PlacementForm": Case(
        _child("placement_create"),
        "sendco",
        ("plans",),
        valid=lambda w: {
            "intervention": str(w.intervention.pk),
            "frequency": "Twice a week",
            "starts_on": _in_days(0),
        },
    ),
    "partnership.plans.forms.observations.ObservationEditForm": Case(
        _of("observation_edit", "observation"),
        "parent",
        ("plans",),
        shows=_child("observation_list"),
        valid=lambda w: {"text": "Slept well"},
        shown_fields=("text",),
    ),
    "partnership.plans.forms.observations.ObservationForm": Case(
        _child("observation_create"),
        "parent",
        ("plans",),
        shows=_child("observation_list"),
        valid=lambda w: {"text": "Slept well"},
        shown_fields=("text",),
        strategies={"photo": HOSTILE_FILE},
    ),
    "partnership.plans.forms.observations.ReplyForm": Case(
        _of("observation_reply", "observation"),
        "sendco",
        ("plans",),
        shows=_child("observation_list"),
        valid=lambda w: {"text": "Thank you"},
        shown_fields=("text",),
    ),
    "partnership.plans.forms.passports.DeclineForm": Case(
        _of("proposal_decide", "proposal"), "sendco", ("plans",)
    ),
    "partnership.plans.forms.passports.PassportForm": Case(
        _child("passport_edit"),
        "sendco",
        ("plans",),
        shows=_child("passport"),
        valid=lambda w: {"admire": "Kind", "important": "Lego", "support": "Calm voice"},
        shown_fields=("admire", "important", "support"),
    ),
    # The family's proposal is shown to staff, not back to the family: no page to check.
    "partnership.plans.forms.passports.ProposalForm": Case(
        _child("passport_propose"),
        "parent",
        ("plans",),
        valid=lambda w: {"admire": "Kind", "important": "Lego", "support": "Calm voice"},
    ),
    "partnership.plans.forms.targets.AgreementForm": Case(
        _of("target_agreement", "target"), "sendco", ("plans",)
    ),
    "partnership.plans.forms.targets.CycleCloseForm": Case(
        _of("cycle_close", "cycle"),
        "sendco",
        ("plans",),
        valid=lambda w: {"summary": "A good term", "next_review_on": _in_days(90)},
    ),
    "partnership.plans.forms.targets.CycleOpenForm": Case(
        _child("cycle_new"),
        "sendco",
        ("plans",),
        valid=lambda w: {"starts_on": _in_days(0), "review_on": _in_days(90)},
    ),
    "partnership.plans.forms.targets.ReviewForm": Case(
        _of("review_create", "target"),
        "sendco",
        ("plans",),
        shows=_of("target_detail", "target"),
        valid=lambda w: {"rating": "3", "comment": "Better", "reviewed_on": _in_days(0)},
        shown_fields=("comment",),
    ),
    "partnership.plans.forms.targets.TargetForm": Case(
        _of("target_edit", "target"),
        "sendco",
        ("plans",),
        shows=_of("target_detail", "target"),
        valid=lambda w: {
            "outcome": "Reads a page aloud",
            "area_of_need": "SPLD",
            "baseline": "Half a page",
            "success_criteria": "A full page",
            "how_to_help_at_home": "Read together",
        },
        shown_fields=("outcome", "baseline"),
    ),
    "partnership.praise.forms.PraiseGiveForm": Case(_school("praise_give"), "sendco", ("praise",)),
    "partnership.praise.forms_thanks.ThanksForm": Case(
        _of("praise_thank", "praise"),
        "parent",
        ("praise",),
        shows=lambda w: reverse("praise_feed"),
        valid=lambda w: {"message": "Thank you!"},
        shown_fields=("message",),
    ),
    "partnership.praise.forms_values.PraiseValueForm": Case(
        _school("praise_values"),
        "sendco",
        ("praise",),
        shows=_school("praise_values"),
        valid=lambda w: {"add-name": "Courage", "add-description": "Trying new things"},
        shown_fields=("add-name", "add-description"),
        prefix="add-",
    ),
    "partnership.praise.views.reminders.PraiseReminderForm": Case(
        lambda w: reverse("praise_reminders"), "sendco", ("praise", "accounts")
    ),
    "partnership.schools.forms.ChildImportForm": _import,
    # Each row of an import is its own form; the import view drives it with a hostile file.
    "partnership.schools.forms.ChildImportRowForm": _import,
    "partnership.schools.forms.LeavingForm": Case(_child("child_leaving"), "sendco", ("schools",)),
    "partnership.schools.forms.ParentInviteForm": Case(
        _school("invite_parent"),
        "sendco",
        ("schools", "accounts"),
        shows=_child("child_detail"),
        valid=lambda w: {
            "email": "new.parent@example.test",
            "full_name": "Sam Parent",
            "children": str(w.child.pk),
            "relationship": "father",
            "parental_responsibility": "on",
            "preferred_channel": "email",
            "preferred_language": "English",
        },
        shown_fields=("full_name",),
    ),
    "partnership.schools.forms.RetentionPolicyForm": Case(
        _school("retention_settings"), "administrator", ("schools",)
    ),
    "partnership.schools.forms.SchoolSettingsForm": Case(
        _school("school_settings"), "sendco", ("schools",)
    ),
    "partnership.schools.forms.StaffInviteForm": Case(
        _school("invite_staff"),
        "sendco",
        ("schools", "accounts"),
        valid=lambda w: {"email": "new.staff@example.test", "full_name": "Jo Staff"},
    ),
}
