"""Plain names for the records the trail mentions, for the audit page. A URL name not
listed shows as itself, tidied: the trail never hides a row for want of a label."""

from django.utils.translation import gettext_lazy as _

WHAT_LABELS = {
    "child_detail": _("Child's page"),
    "passport": _("Pupil passport"),
    "passport_version": _("Earlier pupil passport"),
    "passport_edit": _("Pupil passport (edit)"),
    "passport_propose": _("Pupil passport (suggestion)"),
    "proposal_decide": _("Pupil passport (suggestion decided)"),
    "target_detail": _("Target"),
    "target_create": _("Target (new)"),
    "target_edit": _("Target (edit)"),
    "target_share": _("Target (shared with family)"),
    "target_agreement": _("Target (family agreement)"),
    "review_create": _("Progress review"),
    "cycle_new": _("Plan (new)"),
    "cycle_close": _("Plan (review and close)"),
    "observation_list": _("Home observations"),
    "observation_create": _("Home observation (new)"),
    "observation_edit": _("Home observation (edit)"),
    "observation_photo": _("Home observation photo"),
    "placement_create": _("Intervention place (new)"),
    "placement_edit": _("Intervention place (edit)"),
    "contact_history": _("Contact history"),
    "contact_log": _("Contact (logged)"),
    "contact_plan_edit": _("Contact plan"),
    "praise_child": _("Praise"),
    "booking_detail": _("Meeting booking"),
    "audit_search": _("This audit trail"),
}


def what_label(what: str) -> str:
    return str(WHAT_LABELS.get(what) or what.replace("admin:", "admin ").replace("_", " "))
