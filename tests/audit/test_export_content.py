"""What a child's and a parent's subject access export hold, and what they never hold."""

import datetime
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.audit.export import subject_export_child, subject_export_parent
from tests.factories_contact import CheckInFactory, ContactEntryFactory
from tests.factories_plans import HomeObservationFactory, ProgressReviewFactory, TargetFactory
from tests.factories_praise import PraiseFactory

from .export_family import (
    FEED_TOKEN,
    INVITATION_TOKEN,
    PHOTO_BYTES,
    SESSION_KEY,
    build_family,
    open_export,
    texts,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def family(school, sendco):
    return build_family(school, sendco=sendco)


def _never_secret(raw: str, family) -> None:
    assert family.mum.password not in raw  # the hash itself
    assert "md5$" not in raw and "pbkdf2" not in raw
    assert INVITATION_TOKEN not in raw and FEED_TOKEN not in raw
    from partnership.accounts.models import hash_token

    assert hash_token(INVITATION_TOKEN) not in raw
    assert hash_token(FEED_TOKEN) not in raw
    assert SESSION_KEY not in raw
    assert "SECRET-LINK-TOKEN" not in raw
    assert "JBSWY3DPEHPK3PXPJBSWY3DP" not in raw  # the TOTP secret


def test_child_export_holds_the_whole_record_from_every_app(family):
    data, html, zipped = open_export(subject_export_child(child=family.child))
    found = texts(data)
    for marker in (
        "SHARED-TARGET",
        "STAFF-DRAFT-TARGET",  # staff-only drafts are part of the child's record too
        "STAFF-REVIEW",
        "MUM-OBS",
        "DAD-OBS",
        "STAFF-REPLY-DAD",
        "PASSPORT-ADMIRE",
        "DAD-PROPOSAL",
        "CONTACT-PLAN",
        "SHARED-CONTACT",
        "STAFF-ONLY-CONTACT",
        "AGREED-ACTION",
        "DAD-CONFIRM",
        "MUM-CHECKIN",  # check-ins reach the child's record through the child's parents
        "DAD-CHECKIN",
        "PRAISE-NOTE",
        "MUM-THANKS",
        "MUM-BOOKING",
    ):
        assert marker in found, marker
    assert data["meetings.SessionPlace"] and data["audit.AuditEvent"]
    assert data["schools.Assignment"][0]["staff_name"] == "Tia Teacher"
    # Another family's words and the parents' own opinions stay out of the child's file.
    assert "OTHER-CHECKIN" not in found
    assert "MUM-CONSULT" not in found and "coproduction.ConsultationResponse" not in data
    assert "accounts.User" not in data
    # The other child on a shared entry is not named in this child's export.
    (entry,) = [e for e in data["contact.ContactEntry"] if e["summary"] == "SHARED-CONTACT"]
    assert entry["children"] == [family.child.pk]
    assert entry["parents"] == [family.mum.pk]
    assert "Olly" not in found and "Olly" not in html
    # The photo travels in the zip, named by row, not by its uploaded file name.
    (mum_obs,) = [o for o in data["plans.HomeObservation"] if o["text"] == "MUM-OBS"]
    assert re.fullmatch(r"photos/homeobservation-\d+\.jpg", mum_obs["photo"])
    assert zipped.read(mum_obs["photo"]) == PHOTO_BYTES
    assert f'href="{mum_obs["photo"]}"' in html
    _never_secret(zipped.read("data.json").decode() + html, family)


def test_parent_export_holds_their_own_rows_and_what_they_may_see(family, school):
    data, html, zipped = open_export(subject_export_parent(parent=family.mum, school=school))
    found = texts(data)
    for marker in (
        "SHARED-TARGET",
        "MUM-OBS",
        "STAFF-REPLY-MUM",
        "PASSPORT-ADMIRE",
        "SHARED-CONTACT",
        "AGREED-ACTION",
        "MUM-CHECKIN",
        "PRAISE-NOTE",
        "MUM-THANKS",
        "MUM-BOOKING",
        "MUM-CONSULT",
        "QUESTION-TEXT",
        "MUM-SUPPORT",
        "BROADCAST-SUBJECT",
        "MUM-EMAIL-SUBJECT",
    ):
        assert marker in found, marker
    assert data["accounts.User"][0]["email"] == family.mum.email
    assert data["mfa.Authenticator"] and data["usersessions.UserSession"]
    assert data["accounts.Invitation"] and data["meetings.CalendarFeed"]
    assert zipped.read(data["plans.HomeObservation"][0]["photo"]) == PHOTO_BYTES
    _never_secret(zipped.read("data.json").decode() + html, family)


def test_parent_export_leaves_out_the_other_parents_private_rows(family, school):
    data, html, _ = open_export(subject_export_parent(parent=family.mum, school=school))
    found = texts(data) + html
    for private in ("DAD-OBS", "STAFF-REPLY-DAD", "DAD-PROPOSAL", "DAD-CONFIRM", "DAD-CHECKIN"):
        assert private not in found, private
    assert "DAD-CONSULT" not in found
    # Nor what only staff may read.
    assert "STAFF-ONLY-CONTACT" not in found and "STAFF-DRAFT-TARGET" not in found
    assert "STAFF-REVIEW" in found  # a review of a shared target is shown to the family
    # Staff's own working records about the child are the child's export's, not hers.
    assert "CONTACT-PLAN" not in found and "schools.Assignment" not in data
    # Nor the other parent's family link (their relationship and contact preferences).
    assert [link["parent"] for link in data["schools.FamilyLink"]] == [family.mum.pk]
    assert "OTHER-CHECKIN" not in found and "Olly" not in found


def test_parent_export_for_one_school_leaves_out_another_schools_records(family, other_school):
    data, _, _ = open_export(subject_export_parent(parent=family.mum, school=other_school))
    assert data["schools.Child"] == [] and data["plans.HomeObservation"] == []
    assert data["contact.CheckIn"] == [] and data["coproduction.ConsultationResponse"] == []
    # The account itself is the person's, whichever school asks.
    assert data["accounts.User"][0]["id"] == family.mum.pk


def test_data_json_is_machine_readable_with_iso_datetimes(family):
    data, _, zipped = open_export(subject_export_child(child=family.child))
    assert sorted(zipped.namelist())[:2] == ["data.json", "index.html"]
    assert data["_export"]["kind"] == "child" and data["_export"]["child_id"] == family.child.pk
    checkin = data["contact.CheckIn"][0]
    assert set(checkin) >= {"id", "parent", "school", "week_of", "message", "created_at"}
    datetime.datetime.fromisoformat(checkin["created_at"])
    datetime.date.fromisoformat(checkin["week_of"])
    assert data["_export"]["people"][str(family.mum.pk)] == "Maya Adams"


def test_index_html_is_self_contained_with_plain_headings(family):
    _, html, _ = open_export(subject_export_child(child=family.child))
    assert not re.search(r"(https?:)?//[a-z0-9]", html, re.IGNORECASE)
    assert "<script" not in html and "<link" not in html and " src=" not in html
    for heading in ("Targets", "Contact with school", "Praise", "Meetings", "Pupil passport"):
        assert f">{heading}</h2>" in html
    # Values in words: choices, yes/no and people by name.
    assert "Speech, language and communication needs" in html
    assert "Maya Adams" in html


def test_free_text_is_escaped_in_the_document(school, sendco, settings, tmp_path):
    family = build_family(school, sendco=sendco)
    HomeObservationFactory(child=family.child, author=family.mum, text="<script>x()</script>")
    _, html, _ = open_export(subject_export_child(child=family.child))
    assert "<script>x()</script>" not in html
    assert "&lt;script&gt;" in html


def _queries_for_child_export(child) -> int:
    with CaptureQueriesContext(connection) as captured:
        subject_export_child(child=child).close()
    return len(captured)


def _add_a_term(family, sendco, n: int) -> None:
    for i in range(n):
        target = TargetFactory(cycle=family.child.plan_cycles.first(), outcome=f"T{i}")
        ProgressReviewFactory(target=target, author=sendco)
        PraiseFactory(child=family.child, given_by=sendco)
        HomeObservationFactory(child=family.child, author=family.dad)
        ContactEntryFactory(
            school=family.school, author=sendco, children=[family.child], parents=[family.dad]
        )


def test_child_export_queries_do_not_grow_with_rows(family, sendco):
    # 27: one for the child's parents, one per model exported for a child (22), one per
    # many-to-many field with rows (a placement's targets, a contact's children and
    # parents: 3) and one for the names of the people the rows mention. Photos are read
    # from storage, not the database.
    before = _queries_for_child_export(family.child)
    _add_a_term(family, sendco, 5)
    after = _queries_for_child_export(family.child)
    assert before == after == 27


def test_parent_export_queries_do_not_grow_with_rows(family, school, sendco):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            subject_export_parent(parent=family.mum, school=school).close()
        return len(captured)

    before = count()
    for i in range(5):
        CheckInFactory(
            parent=family.mum,
            school=school,
            week_of=datetime.date(2025, 1, 6) + datetime.timedelta(weeks=i),
        )
        HomeObservationFactory(child=family.child, author=family.mum)
    assert count() == before


def test_a_year_of_a_childs_records_exports_in_a_few_seconds(family, sendco, school):
    for week in range(52):
        monday = datetime.date(2025, 1, 6) + datetime.timedelta(weeks=week)
        CheckInFactory(parent=family.mum, school=school, week_of=monday, message="fine")
        CheckInFactory(parent=family.dad, school=school, week_of=monday, message="ok")
    _add_a_term(family, sendco, 40)
    for _ in range(150):
        PraiseFactory(child=family.child, given_by=sendco)
    started = time.perf_counter()
    data, _, _ = open_export(subject_export_child(child=family.child))
    assert time.perf_counter() - started < 3
    assert len(data["contact.CheckIn"]) == 106 and len(data["praise.Praise"]) == 191
