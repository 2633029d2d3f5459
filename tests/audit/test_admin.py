"""Audit rows cannot be added, changed or deleted through the portal's admin."""

import pytest

from partnership.audit.models import AuditEvent
from partnership.audit.services import audit_event_record
from tests.factories import UserFactory, with_totp


@pytest.fixture
def superuser(db):
    # The admin, like every staff page, needs two-factor sign-in.
    return with_totp(UserFactory(is_staff=True, is_superuser=True))


@pytest.fixture
def row(child, sendco):
    return audit_event_record(
        user_id=sendco.pk,
        school_id=child.school_id,
        child_id=child.pk,
        action="read",
        what="child_detail",
        object_id=child.pk,
        method="GET",
        status_code=200,
    )


def test_a_superuser_can_read_but_not_change_a_row(client, superuser, row):
    client.force_login(superuser)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    page = client.get(f"/admin/audit/auditevent/{row.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    refused = client.post(
        f"/admin/audit/auditevent/{row.pk}/change/", {"what": "nothing", "action": "read"}
    )
    assert refused.status_code == 403
    row.refresh_from_db()
    assert row.what == "child_detail"


def test_a_superuser_can_neither_add_nor_delete(client, superuser, row):
    client.force_login(superuser)
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    deleting = client.post(f"/admin/audit/auditevent/{row.pk}/delete/", {"post": "yes"})
    assert deleting.status_code == 403
    bulk = client.post(
        "/admin/audit/auditevent/",
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)
    assert AuditEvent.objects.filter(pk=row.pk).exists()


def test_admin_reads_of_a_childs_row_are_in_the_trail(client, superuser, child):
    client.force_login(superuser)
    assert client.get(f"/admin/schools/child/{child.pk}/change/").status_code == 200
    row = AuditEvent.objects.get(what="admin:schools_child_change")
    assert (row.action, row.child, row.user) == ("read", child, superuser)
