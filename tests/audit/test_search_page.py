"""The audit page: for the SENDCo and administrators only; filters by child, person,
action and dates; newest first, fifty to a page; and looking is itself recorded."""

import datetime
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from partnership.audit.models import AuditEvent
from partnership.audit.services import audit_event_record
from tests.conftest import staff_member
from tests.factories import ChildFactory, FamilyLinkFactory

URL = "/schools/riverside/audit/"


@pytest.fixture
def signed_in(client, login_with_password):
    def sign_in(user):
        client.logout()
        login_with_password(client, user)
        return client

    return sign_in


def event(*, user, child=None, school=None, action="read", what="child_detail", at=None):
    row = audit_event_record(
        user_id=user.pk,
        school_id=(school or child.school).pk,
        child_id=child.pk if child else None,
        action=action,
        what=what,
        object_id=child.pk if child else None,
        method="GET",
        status_code=404 if action == "denied" else 200,
    )
    if at is not None:
        AuditEvent.objects.filter(pk=row.pk).update(at=at)
    return row


def listed(response) -> list[AuditEvent]:
    return list(response.context["page"].object_list)


@pytest.mark.parametrize("role", ["sendco", "administrator"])
def test_send_leads_see_the_trail_newest_first(signed_in, request, school, child, teacher, role):
    viewer = request.getfixturevalue(role)
    old = event(user=teacher, child=child, at=timezone.now() - datetime.timedelta(days=3))
    new = event(user=teacher, child=child)
    response = signed_in(viewer).get(URL)
    assert response.status_code == 200
    assert listed(response) == [new, old]
    assert b"Ava Adams" in response.content


def test_the_page_shows_only_this_schools_rows(signed_in, school, other_school, child, sendco):
    theirs = ChildFactory(school=other_school)
    event(user=sendco, child=theirs)
    mine = event(user=sendco, child=child)
    assert listed(signed_in(sendco).get(URL)) == [mine]


@pytest.mark.parametrize("role", ["teacher", "governor", "parent"])
def test_everyone_else_gets_404(signed_in, request, school, child, role):
    response = signed_in(request.getfixturevalue(role)).get(URL)
    assert response.status_code == 404


def test_staff_of_another_school_get_404(signed_in, school, other_school):
    stranger = staff_member(other_school, "sendco")
    assert signed_in(stranger).get(URL).status_code == 404


def test_filter_by_child_answers_who_looked_at_this_childs_file(
    signed_in, school, child, sendco, teacher
):
    sibling = ChildFactory(school=school, first_name="Ben")
    looked = event(user=teacher, child=child)
    event(user=teacher, child=sibling)
    response = signed_in(sendco).get(URL, {"child": child.pk})
    assert listed(response) == [looked]


def test_filter_by_person_action_and_dates(signed_in, school, child, sendco, teacher):
    now = timezone.now()
    event(user=sendco, child=child)
    event(user=teacher, child=child, action="change", what="target_edit")
    refused = event(user=teacher, child=child, action="denied", what="target_detail")
    event(user=teacher, child=child, action="denied", at=now - datetime.timedelta(days=10))
    client = signed_in(sendco)
    AuditEvent.objects.filter(user=sendco, what="audit_search").delete()
    today = timezone.localdate()
    response = client.get(
        URL,
        {"person": teacher.pk, "action": "denied", "start": today - datetime.timedelta(days=1)},
    )
    assert listed(response) == [refused]
    too_early = client.get(URL, {"end": today - datetime.timedelta(days=20)})
    assert listed(too_early) == []
    assert b"Nothing in the trail matches" in too_early.content


def test_a_start_after_the_end_is_explained(signed_in, school, sendco):
    response = signed_in(sendco).get(URL, {"start": "2026-05-02", "end": "2026-05-01"})
    assert response.status_code == 200
    assert response.context["page"] is None
    assert b"The start date is after the end date." in response.content


@pytest.mark.parametrize("bad", [{"child": "abc"}, {"start": "0001-01-01"}, {"end": "9999-12-31"}])
def test_hostile_filters_are_refused_calmly(signed_in, school, sendco, bad):
    response = signed_in(sendco).get(URL, bad)
    assert response.status_code == 200
    assert response.context["page"] is None


def test_a_child_of_another_school_is_not_a_choice(signed_in, school, other_school, sendco):
    theirs = ChildFactory(school=other_school)
    response = signed_in(sendco).get(URL, {"child": theirs.pk})
    assert response.context["page"] is None
    assert not response.context["form"].is_valid()


def test_the_trail_pages_by_fifty_and_keeps_the_filter(signed_in, school, child, sendco, teacher):
    for _ in range(120):
        event(user=teacher, child=child)
    client = signed_in(sendco)
    first = client.get(URL, {"child": child.pk})
    assert len(listed(first)) == 50
    assert first.context["page"].paginator.count == 120
    assert f"?child={child.pk}&amp;page=2".encode() in first.content
    last = client.get(URL, {"child": child.pk, "page": 3})
    # 120 rows plus the record of the first look at this child's trail.
    assert len(listed(last)) == 21


def test_the_person_choices_are_this_schools_people(signed_in, school, other_school, child, sendco):
    parent = FamilyLinkFactory(child=child).parent
    stranger = staff_member(other_school, "teacher")
    choices = signed_in(sendco).get(URL).context["form"].fields["person"].queryset
    assert parent in choices
    assert sendco in choices
    assert stranger not in choices


def test_looking_at_the_trail_is_recorded_with_the_child_searched(signed_in, school, child, sendco):
    signed_in(sendco).get(URL, {"child": child.pk})
    row = AuditEvent.objects.get()
    assert (row.action, row.what, row.user, row.school, row.child) == (
        "read",
        "audit_search",
        sendco,
        school,
        child,
    )


def test_a_refused_look_at_the_trail_is_recorded(signed_in, school, teacher):
    signed_in(teacher).get(URL)
    row = AuditEvent.objects.get()
    assert (row.action, row.what, row.school, row.status_code) == (
        "denied",
        "audit_search",
        school,
        404,
    )


def test_the_page_runs_the_same_queries_with_more_rows(
    signed_in, school, child, sendco, teacher, django_assert_num_queries
):
    event(user=teacher, child=child)
    client = signed_in(sendco)
    client.get(URL)
    # session, the user with their standing, two-factor gate (authenticator), school, "is
    # SEND lead?", count, the page of rows with their people and children, the child and
    # person choices; then the audit INSERT.
    with django_assert_num_queries(10):
        client.get(URL)
    for _ in range(30):
        event(user=sendco, child=ChildFactory(school=school))
    with django_assert_num_queries(10):
        client.get(URL)


@pytest.mark.parametrize("leads_send", [True, False])
def test_the_child_page_link_is_for_send_leads_only(child, leads_send):
    html = render_to_string(
        "audit/fragment_child_link.html",
        {"child": child, "page": SimpleNamespace(leads_send=leads_send)},
    )
    link = f'href="/schools/riverside/audit/?child={child.pk}"'
    assert (link in html) is leads_send
