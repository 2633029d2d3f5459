"""The middleware writes one audit row per audited request: staff reads, changes by
anyone, exports and refusals; with ids and codes only."""

import pytest
from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.audit.models import AuditEvent
from tests.conftest import staff_member
from tests.factories import AssignmentFactory, ChildFactory
from tests.factories_plans import TargetFactory

SECRET = "Purple elephant 4471 secret"


@pytest.fixture
def signed_in(client, login_with_password):
    def sign_in(user):
        client.logout()
        login_with_password(client, user)
        return client

    return sign_in


def only_row() -> AuditEvent:
    rows = list(AuditEvent.objects.all())
    assert len(rows) == 1, rows
    return rows[0]


def test_a_staff_read_of_the_child_page_writes_one_read_row(signed_in, school, child, sendco):
    client = signed_in(sendco)
    assert client.get(f"/children/{child.pk}/").status_code == 200
    row = only_row()
    assert (row.action, row.what, row.outcome) == ("read", "child_detail", "ok")
    assert (row.user, row.child, row.school, row.object_id) == (sendco, child, school, child.pk)
    assert (row.method, row.status_code) == ("GET", 200)


def test_a_teacher_reading_a_target_is_recorded_against_the_child(
    signed_in, school, child, teacher
):
    AssignmentFactory(membership=teacher.memberships.get(), child=child)
    target = TargetFactory(cycle__child=child)
    assert signed_in(teacher).get(f"/targets/{target.pk}/").status_code == 200
    row = only_row()
    assert (row.action, row.what, row.child, row.object_id) == (
        "read",
        "target_detail",
        child,
        target.pk,
    )


def test_a_parent_reading_their_own_childs_page_writes_nothing(signed_in, child, parent):
    assert signed_in(parent).get(f"/children/{child.pk}/").status_code == 200
    assert not AuditEvent.objects.exists()


def test_a_staff_page_about_no_child_writes_nothing(signed_in, sendco):
    assert signed_in(sendco).get("/staff/").status_code == 200
    assert not AuditEvent.objects.exists()


def test_a_change_by_a_parent_is_recorded_with_the_child(
    signed_in, settings, tmp_path, child, parent
):
    settings.MEDIA_ROOT = tmp_path
    response = signed_in(parent).post(
        f"/children/{child.pk}/observations/new/", {"text": f"At home: {SECRET}"}
    )
    assert response.status_code == 302
    row = only_row()
    assert (row.action, row.what, row.user, row.child) == (
        "change",
        "observation_create",
        parent,
        child,
    )
    assert (row.method, row.status_code, row.outcome) == ("POST", 302, "ok")


def test_a_change_by_staff_is_recorded_with_the_child(signed_in, school, child, sendco):
    target = TargetFactory(cycle__child=child)
    client = signed_in(sendco)
    response = client.post(f"/targets/{target.pk}/share/")
    assert response.status_code in (200, 302)
    row = AuditEvent.objects.get(action="change")
    assert (row.what, row.user, row.child, row.school) == ("target_share", sendco, child, school)


def test_no_row_holds_what_people_typed(
    signed_in, settings, tmp_path, school, child, parent, sendco
):
    settings.MEDIA_ROOT = tmp_path
    signed_in(parent).post(f"/children/{child.pk}/observations/new/", {"text": SECRET})
    signed_in(sendco).get(f"/children/{child.pk}/?note={SECRET.replace(' ', '+')}")
    assert AuditEvent.objects.count() == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent")
        dumped = repr(cursor.fetchall())
    assert "elephant" not in dumped.lower()
    assert "4471" not in dumped
    assert "note" not in dumped


def test_a_404_on_another_schools_child_writes_a_denied_row(
    signed_in, school, other_school, sendco
):
    theirs = ChildFactory(school=other_school)
    assert signed_in(sendco).get(f"/children/{theirs.pk}/").status_code == 404
    row = only_row()
    assert (row.action, row.outcome, row.status_code) == ("denied", "denied", 404)
    # The attempt is filed against the child it was aimed at, so that school sees it.
    assert (row.user, row.child, row.school, row.object_id) == (
        sendco,
        theirs,
        other_school,
        theirs.pk,
    )


def test_a_refused_change_is_denied_not_a_change(signed_in, school, other_school, child):
    stranger = staff_member(other_school, "sendco")
    target = TargetFactory(cycle__child=child)
    assert signed_in(stranger).post(f"/targets/{target.pk}/share/").status_code == 404
    row = only_row()
    assert (row.action, row.method, row.child) == ("denied", "POST", child)


def test_a_missing_record_is_still_denied_with_its_number(signed_in, sendco):
    assert signed_in(sendco).get("/targets/999999/").status_code == 404
    row = only_row()
    assert (row.action, row.what, row.object_id, row.child) == (
        "denied",
        "target_detail",
        999999,
        None,
    )


def test_an_export_url_writes_an_export_row(signed_in, school, governor):
    url = reverse("governor_summary_csv", kwargs={"slug": school.slug})
    response = signed_in(governor).get(url)
    assert response.status_code == 200
    row = only_row()
    assert (row.action, row.what, row.user, row.school, row.child) == (
        "export",
        "governor_summary_csv",
        governor,
        school,
        None,
    )


def test_signing_in_is_not_in_the_trail(client, login_with_password, sendco):
    login_with_password(client, sendco)
    client.post("/accounts/logout/")
    assert not AuditEvent.objects.exists()


def test_a_failed_audit_write_is_logged_and_the_page_still_answers(
    signed_in, monkeypatch, caplog, child, sendco
):
    client = signed_in(sendco)

    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(AuditEvent, "save", broken)
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 200
    assert f"child={child.pk}" in caplog.text
    assert child.first_name not in caplog.text


def count_queries(client, url: str) -> int:
    # A fresh client with the same session: the test client builds its middleware once.
    fresh = Client()
    fresh.cookies = client.cookies
    with CaptureQueriesContext(connection) as captured:
        assert fresh.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("who", "extra"),
    # A parent's read is not recorded, and the person's standing, loaded with them, says
    # they are not staff: the trail costs a parent's page nothing.
    [("sendco", 2), ("parent", 0)],
    ids=["staff read: lookup and insert", "parent read: nothing"],
)
def test_the_trail_costs_at_most_two_queries(
    signed_in, settings, request, child, parent, sendco, who, extra
):
    client = signed_in(request.getfixturevalue(who))
    url = f"/children/{child.pk}/"
    client.get(url)  # settle the session
    with_audit = count_queries(client, url)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "audit" not in m]
    assert with_audit - count_queries(client, url) == extra
