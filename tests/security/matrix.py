"""The role matrix: every named URL, what fills its parameters, and what each role gets.

Answers: "200"; "login" (302 to the sign-in page); "302" (a redirect elsewhere: done, or
sent to the right page); "403", "404", "405". An empty POST is sent (with a valid CSRF
token), so "200" on a POST is usually the form shown again with its errors.

The rules these rows encode (ARCHITECTURE.md, "Access is decided in one place"):
- a row the person may not see answers 404, never 403, so ids leak nothing;
- parents reach their own child's records; staff reach the children they work with
  (SENDCo and administrator: the whole school); governors only the aggregate summary;
- a school's tools (settings, imports, broadcasts, catalogues) are for its SENDCo and
  administrator; staff of another school get 404 for everything of school A.
"""

from dataclasses import dataclass

from .world import (
    ADMINISTRATOR,
    ANONYMOUS,
    GOVERNOR,
    OTHER_PARENT,
    OTHER_SCHOOL,
    OTHER_TEACHER,
    PARENT,
    ROLES,
    SENDCO,
    TA,
    TEACHER,
)

PARENT_ONLY = (PARENT,)
PARENTS = (PARENT, OTHER_PARENT)
STAFF_OF_CHILD = (TEACHER, TA, SENDCO, ADMINISTRATOR)
WHOLE_SCHOOL = (SENDCO, ADMINISTRATOR)
SCHOOL_STAFF = (TEACHER, OTHER_TEACHER, TA, SENDCO, ADMINISTRATOR)
ALL_STAFF = (*SCHOOL_STAFF, OTHER_SCHOOL)
SUMMARY_READERS = (SENDCO, ADMINISTRATOR, GOVERNOR)
SIGNED_IN = tuple(role for role in ROLES if role != ANONYMOUS)


def answers(default: str = "404", anonymous: str = "login", **by_role: str) -> dict[str, str]:
    """One answer per role: `default` for everyone signed in unless named."""
    table = {role: default for role in ROLES}
    table[ANONYMOUS] = anonymous
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    table.update(by_role)
    return table


def only(who: tuple[str, ...], code: str = "200", **by_role: str) -> dict[str, str]:
    """`code` for the roles in `who`, 404 for everyone else signed in, login for anonymous."""
    return answers(**({role: code for role in who} | by_role))


def everyone(code: str) -> dict[str, str]:
    """The same answer for all ten roles, anonymous included (method checks, bearer links)."""
    return answers(code, anonymous=code)


LOGIN = answers("login")
SIGNED_IN_200 = answers("200")
REDIRECTS_SIGNED_IN = answers("302", anonymous="200")  # sign-in pages: you are in already


@dataclass(frozen=True)
class Row:
    # What fills each URL parameter, in order: "child" (Ava), "slug" (school A), "trust",
    # "parent_user" (Ava's parent), "passport.number", "token:<name>", "literal:<text>", or a key of
    # World.objects (that object's id).
    args: tuple[str, ...]
    get: dict[str, str]
    post: dict[str, str]
    # An id-bearing URL of one of Ava's records: another family and another school must
    # learn nothing from it.
    avas: bool = False


def row(*args: str, get: dict[str, str], post: dict[str, str] | None = None, avas=False) -> Row:
    return Row(args=args, get=get, post=post if post is not None else get, avas=avas)


def avas(*args: str, get: dict[str, str], post: dict[str, str] | None = None) -> Row:
    return row(*args, get=get, post=post, avas=True)


# A view behind login_required that only answers POST: anonymous is sent to sign in,
# everyone else gets 405 on GET before any row is fetched (so 405 says nothing about ids).
POST_ONLY_GET = answers("405")
EVERYONE_405 = everyone("405")
# Staff of another school, a teacher of another class, and a governor all get 404.
STAFF_OF_CHILD_200 = only(STAFF_OF_CHILD)
STAFF_OF_CHILD_WITH_PARENT = only((PARENT, *STAFF_OF_CHILD))
WHOLE_SCHOOL_200 = only(WHOLE_SCHOOL)
# The parent-side lists answer each person with their own rows (none for staff).
OWN_ROWS = SIGNED_IN_200

MATRIX: dict[str, Row] = {
    # --- allauth: signing in, out, passwords, two-factor, sessions ---
    "account_login": row(get=REDIRECTS_SIGNED_IN),
    "account_logout": row(get=answers("200"), post=LOGIN),
    "account_inactive": row(get=everyone("200"), post=EVERYONE_405),
    # Sign-up is closed (families and staff are invited): the page says so.
    "account_signup": row(get=REDIRECTS_SIGNED_IN),
    "account_reauthenticate": row(get=SIGNED_IN_200),
    "account_email": row(get=SIGNED_IN_200, post=answers("302")),
    "account_email_verification_sent": row(get=everyone("200"), post=EVERYONE_405),
    "account_change_password": row(get=SIGNED_IN_200),
    "account_set_password": row(get=answers("302")),  # everyone here has a password
    "account_reset_password": row(get=everyone("200")),
    "account_confirm_login_code": row(get=answers("302")),  # no code pending
    "account_request_login_code": row(get=REDIRECTS_SIGNED_IN),
    # Links from allauth's emails with a made-up key: the page says the link is not valid.
    "account_confirm_email": row(
        "literal:not-a-real-key", get=everyone("200"), post=everyone("404")
    ),
    "account_reset_password_from_key": row(
        "literal:1", "literal:not-a-real-key", get=everyone("200")
    ),
    "account_reset_password_done": row(get=everyone("200"), post=EVERYONE_405),
    "account_reset_password_from_key_done": row(get=everyone("200"), post=EVERYONE_405),
    "mfa_index": row(get=SIGNED_IN_200, post=answers("405")),
    "mfa_authenticate": row(get=answers("302")),  # no sign-in waiting for a code
    # Parents have no authenticator to re-authenticate with; staff do.
    "mfa_reauthenticate": row(get=answers("200", parent="302", other_parent="302")),
    "mfa_activate_totp": row(get=answers("302")),  # parents need none; staff have one
    "mfa_deactivate_totp": row(get=answers("302", parent="404", other_parent="404")),
    "mfa_view_recovery_codes": row(get=answers("404"), post=answers("405")),
    "mfa_generate_recovery_codes": row(get=answers("302")),
    "mfa_download_recovery_codes": row(get=answers("404")),
    "usersessions_list": row(get=SIGNED_IN_200, post=answers("302")),
    # --- accounts and homes ---
    "home": row(get=answers("302")),
    "switch_hat": row(get=POST_ONLY_GET, post=answers("302")),
    # A bearer link: whoever holds it sees the form (the empty POST shows its errors).
    "invitation_accept": row("token:invitation", get=everyone("200")),
    "parent_home": row(get=only(PARENTS)),
    "staff_home": row(get=only(ALL_STAFF)),
    "governor_home": row(get=only((GOVERNOR,))),
    # --- schools ---
    "child_detail": avas("child", get=STAFF_OF_CHILD_WITH_PARENT),
    "invite_parent": row("slug", get=WHOLE_SCHOOL_200),
    "invite_staff": row("slug", get=WHOLE_SCHOOL_200),
    "import_children": row("slug", get=WHOLE_SCHOOL_200),
    "school_settings": row("slug", get=WHOLE_SCHOOL_200),
    "child_leaving": avas("child", get=WHOLE_SCHOOL_200),
    "retention_settings": row("slug", get=WHOLE_SCHOOL_200),
    "outbox": row("slug", get=WHOLE_SCHOOL_200),
    "audit_search": row("slug", get=WHOLE_SCHOOL_200),
    # --- plans: targets, reviews, observations, passport, interventions ---
    "cycle_new": avas("child", get=STAFF_OF_CHILD_200),
    "target_create": avas("child", get=STAFF_OF_CHILD_200),
    "target_detail": avas("target", get=STAFF_OF_CHILD_WITH_PARENT),
    "target_edit": avas("target", get=STAFF_OF_CHILD_200),
    "target_share": avas(
        "target", get=only(STAFF_OF_CHILD, "405"), post=only(STAFF_OF_CHILD, "302")
    ),
    # The parent agrees a target from the target's page; this answers staff's htmx form.
    "target_agreement": avas("target", get=only(STAFF_OF_CHILD, "405"), post=STAFF_OF_CHILD_200),
    "review_create": avas("target", get=STAFF_OF_CHILD_200),
    "cycle_close": avas("cycle", get=WHOLE_SCHOOL_200),
    "reviews_due": row("slug", get=WHOLE_SCHOOL_200),
    "observation_list": avas("child", get=STAFF_OF_CHILD_WITH_PARENT),
    "observation_create": avas("child", get=only(PARENT_ONLY)),
    # Only the author edits or withdraws; once school has replied, editing is closed.
    "observation_edit": avas("observation", get=only(PARENT_ONLY, "302")),
    "observation_withdraw": avas("observation", get=only(PARENT_ONLY, "302")),
    "observation_reply": avas("observation", get=POST_ONLY_GET, post=only(STAFF_OF_CHILD, "302")),
    "observation_photo": avas("observation", get=STAFF_OF_CHILD_WITH_PARENT),
    "passport": avas("child", get=STAFF_OF_CHILD_WITH_PARENT),
    "passport_version": avas("child", "passport.number", get=STAFF_OF_CHILD_WITH_PARENT),
    "passport_propose": avas("child", get=only(PARENT_ONLY)),
    "passport_edit": avas("child", get=STAFF_OF_CHILD_200),
    "proposal_decide": avas("proposal", get=STAFF_OF_CHILD_200),
    "intervention_list": row("slug", get=WHOLE_SCHOOL_200),
    "intervention_create": row("slug", get=WHOLE_SCHOOL_200),
    "intervention_edit": row("slug", "intervention", get=WHOLE_SCHOOL_200),
    "placement_create": avas("child", get=STAFF_OF_CHILD_200),
    "placement_edit": avas("placement", get=STAFF_OF_CHILD_200),
    "placement_share": avas("placement", get=POST_ONLY_GET, post=only(STAFF_OF_CHILD, "302")),
    # --- contact: the log, agreed actions, check-ins, broadcasts, key documents ---
    "contact_history": avas("child", get=STAFF_OF_CHILD_WITH_PARENT),
    "contact_log": avas("child", get=STAFF_OF_CHILD_200),
    "contact_confirm": avas(
        "contact_entry", get=only(PARENT_ONLY, "405"), post=only(PARENT_ONLY, "302")
    ),
    "action_done": avas(
        "action", get=only(STAFF_OF_CHILD, "405"), post=only(STAFF_OF_CHILD, "302")
    ),
    "contact_dashboard": row("slug", get=WHOLE_SCHOOL_200),
    "contact_plan_edit": avas("child", get=STAFF_OF_CHILD_200),
    # The one-tap link in the check-in email is a bearer link (it names the check-in only).
    "checkin_respond": row("token:checkin", get=everyone("200")),
    "checkin_thanks": row(get=everyone("200")),
    "checkin_list": row(get=OWN_ROWS),
    "checkin_preferences": row(get=only(PARENTS)),
    "checkin_answer": avas("checkin", get=only(PARENT_ONLY)),
    "checkin_call_done": avas("checkin", get=POST_ONLY_GET, post=only(STAFF_OF_CHILD, "302")),
    "broadcast_list": row("slug", get=WHOLE_SCHOOL_200),
    "broadcast_new": row("slug", get=WHOLE_SCHOOL_200),
    "broadcast_detail": avas("slug", "broadcast", get=WHOLE_SCHOOL_200),
    "document_list": row("slug", get=WHOLE_SCHOOL_200),
    "document_new": row("slug", get=WHOLE_SCHOOL_200),
    "document_edit": row("slug", "document", get=WHOLE_SCHOOL_200),
    "document_retire": row(
        "slug", "document", get=WHOLE_SCHOOL_200, post=only(WHOLE_SCHOOL, "302")
    ),
    "notices": row(get=only(PARENTS)),
    # Only a recipient reads a broadcast (and opening it marks it read).
    "notice_detail": avas("broadcast", get=only(PARENT_ONLY)),
    # --- praise ---
    # One school: straight to its page; governors give no praise.
    "praise_give_start": row(get=only(ALL_STAFF, "302")),
    "praise_give": row("slug", get=only(SCHOOL_STAFF)),
    "praise_feed": row(get=only(PARENTS)),
    "praise_child": avas("child", get=STAFF_OF_CHILD_WITH_PARENT),
    "praise_thank": avas("praise", get=POST_ONLY_GET, post=only(PARENT_ONLY, "302")),
    "praise_school": row("slug", get=WHOLE_SCHOOL_200),
    "praise_values": row("slug", get=WHOLE_SCHOOL_200),
    "praise_values_suggested": row("slug", get=POST_ONLY_GET, post=only(WHOLE_SCHOOL, "302")),
    "praise_value_edit": row("slug", "value", get=WHOLE_SCHOOL_200),
    "praise_value_retire": row("slug", "value", get=POST_ONLY_GET, post=only(WHOLE_SCHOOL, "302")),
    "praise_value_restore": row("slug", "value", get=POST_ONLY_GET, post=only(WHOLE_SCHOOL, "302")),
    "praise_value_delete": row(
        "slug", "value", get=WHOLE_SCHOOL_200, post=only(WHOLE_SCHOOL, "302")
    ),
    # Each member of staff (here or elsewhere) sets their own end-of-day nudge.
    "praise_reminders": row(get=only(ALL_STAFF), post=only(ALL_STAFF, "302")),
    # --- meetings: slots, bookings, group sessions, calendar ---
    # Any member of staff may host meetings (their own diary); patterns and withdrawals
    # of other hosts' slots are for the SENDCo and administrator.
    "meetings_diary": row("slug", get=only(SCHOOL_STAFF)),
    "slot_pattern_new": row("slug", get=only(SCHOOL_STAFF)),
    "slot_pattern_stop": row("slug", "pattern", get=WHOLE_SCHOOL_200),
    "slot_new": row("slug", get=only(SCHOOL_STAFF)),
    "slot_withdraw": row("slug", "free_slot", get=WHOLE_SCHOOL_200, post=only(WHOLE_SCHOOL, "302")),
    "meeting_book_start": row(get=OWN_ROWS),
    # A free slot of school A's SENDCo: either family of the school may book it.
    "meeting_book": row("free_slot", get=only(PARENTS)),
    "booking_detail": avas("booking", get=STAFF_OF_CHILD_WITH_PARENT),
    "booking_ics": avas("booking", get=STAFF_OF_CHILD_WITH_PARENT),
    "booking_cancel": avas("booking", get=STAFF_OF_CHILD_WITH_PARENT),
    "booking_move": avas("booking", get=STAFF_OF_CHILD_WITH_PARENT),
    "booking_for_family": row("slug", "free_slot", get=WHOLE_SCHOOL_200),
    "booking_outcome": avas("slug", "booking", get=STAFF_OF_CHILD_200),
    "session_list": row(get=OWN_ROWS),
    # Group sessions are open to every family of the school.
    "session_detail": row("session", get=only(PARENTS)),
    "session_join": row("session", get=only(PARENTS, "405"), post=only(PARENTS, "302")),
    "session_leave": row("session", get=only(PARENTS, "405"), post=only(PARENTS, "302")),
    "session_manage": row("slug", get=WHOLE_SCHOOL_200),
    "session_new": row("slug", get=WHOLE_SCHOOL_200),
    "session_staff_detail": row(
        "slug", "session", get=WHOLE_SCHOOL_200, post=only(WHOLE_SCHOOL, "405")
    ),
    "session_edit": row("slug", "session", get=WHOLE_SCHOOL_200),
    "session_cancel": row("slug", "session", get=WHOLE_SCHOOL_200),
    # Anyone with meetings (parents, staff) may have a private feed; governors have none.
    "calendar_settings": row(get=only((*PARENTS, *ALL_STAFF))),
    "calendar_stop": row(
        get=only((*PARENTS, *ALL_STAFF), "302", parent="200"),
        post=only((*PARENTS, *ALL_STAFF), "302"),
    ),
    "calendar_feed": row("token:calendar", get=everyone("200"), post=EVERYONE_405),
    # --- coproduction: consultations, support, parent group, summaries ---
    "consultation_list": row("slug", get=WHOLE_SCHOOL_200),
    "consultation_new": row("slug", get=WHOLE_SCHOOL_200),
    "consultation_detail": avas("slug", "consultation", get=WHOLE_SCHOOL_200),
    # An open consultation can no longer be edited: back to its page.
    "consultation_edit": row("slug", "consultation", get=only(WHOLE_SCHOOL, "302")),
    "consultation_close": row(
        "slug", "consultation", get=WHOLE_SCHOOL_200, post=only(WHOLE_SCHOOL, "302")
    ),
    "consultation_inbox": row(get=OWN_ROWS),
    # Only a parent who was asked may answer.
    "consultation_answer": avas("consultation", get=only(PARENT_ONLY)),
    "support_requests": row(get=OWN_ROWS),
    "support_withdraw": avas(
        "support_request", get=only(PARENT_ONLY, "405"), post=only(PARENT_ONLY, "302")
    ),
    "support_demand": row("slug", get=WHOLE_SCHOOL_200),
    "support_offer": row("slug", get=only(WHOLE_SCHOOL, "405"), post=only(WHOLE_SCHOOL, "302")),
    "parent_group": row(get=OWN_ROWS),
    "parent_group_join": row("slug", get=only(PARENTS, "405"), post=only(PARENTS, "302")),
    # Ava's parent is a member (a page to confirm leaving); Ben's is not (sent back).
    "parent_group_leave": row(
        "slug", get=only(PARENTS, "302", parent="200"), post=only(PARENTS, "302")
    ),
    "parent_group_manage": row("slug", get=WHOLE_SCHOOL_200),
    "parent_group_representative": row(
        "slug", get=only(WHOLE_SCHOOL, "405"), post=only(WHOLE_SCHOOL, "302")
    ),
    "parent_group_remove": avas(
        "slug", "group_member", get=WHOLE_SCHOOL_200, post=only(WHOLE_SCHOOL, "302")
    ),
    "parent_group_invite": row(
        "slug", get=only(WHOLE_SCHOOL, "405"), post=only(WHOLE_SCHOOL, "302")
    ),
    # GET only (require_safe runs before the sign-in check, hence 405 for all on POST).
    "governor_summary": row("slug", get=only(SUMMARY_READERS), post=EVERYONE_405),
    "governor_summary_print": row("slug", get=only(SUMMARY_READERS), post=EVERYONE_405),
    "governor_summary_csv": row("slug", get=only(SUMMARY_READERS), post=EVERYONE_405),
    # Only the trust's trustees (none among the ten roles).
    "trust_summary": row("trust", get=answers("404"), post=EVERYONE_405),
    "trust_summary_print": row("trust", get=answers("404"), post=EVERYONE_405),
    "trust_summary_csv": row("trust", get=answers("404"), post=EVERYONE_405),
    # --- subject access exports (GET only) ---
    "subject_export": row("slug", get=WHOLE_SCHOOL_200, post=answers("405")),
    "subject_export_child_confirm": avas(
        "slug", "child", get=WHOLE_SCHOOL_200, post=answers("405")
    ),
    "subject_export_child": avas("slug", "child", get=WHOLE_SCHOOL_200, post=answers("405")),
    "subject_export_parent_confirm": avas(
        "slug", "parent_user", get=WHOLE_SCHOOL_200, post=answers("405")
    ),
    "subject_export_parent": avas("slug", "parent_user", get=WHOLE_SCHOOL_200, post=answers("405")),
}
