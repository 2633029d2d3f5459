"""Passport pages: every adult who works with the child reads it; the family suggests;
staff write and decide."""

import pytest

from partnership.plans.models import PassportProposal, PassportVersion
from partnership.plans.services.passports import passport_propose, passport_write
from tests.conftest import staff_member
from tests.factories import AssignmentFactory, ChildFactory, FamilyLinkFactory


def sections(tag=""):
    return {
        "admire": f"Great at Lego {tag}",
        "important": f"His dog Biscuit {tag}",
        "support": f"One instruction at a time {tag}",
    }


@pytest.fixture
def signed_in(client, login_with_password):
    def sign_in(user):
        client.logout()
        login_with_password(client, user)
        return client

    return sign_in


@pytest.fixture
def passport(child, sendco):
    passport_write(child=child, by=sendco, **sections("old"))
    return passport_write(child=child, by=sendco, **sections("current"))


def class_teacher(school, child):
    teacher = staff_member(school, "teacher")
    AssignmentFactory(membership=teacher.memberships.get(), child=child)
    return teacher


@pytest.mark.parametrize("who", ["parent", "sendco", "administrator", "teacher", "assistant"])
def test_everyone_who_works_with_the_child_and_the_family_reads_the_passport(
    signed_in, passport, child, school, who, parent, sendco, administrator
):
    reader = {
        "parent": lambda: parent,
        "sendco": lambda: sendco,
        "administrator": lambda: administrator,
        "teacher": lambda: class_teacher(school, child),
        "assistant": lambda: (
            AssignmentFactory(
                membership=staff_member(school, "teaching_assistant").memberships.get(), child=child
            ).membership.user
        ),
    }[who]()
    page = signed_in(reader).get(f"/children/{child.pk}/passport/").content.decode()
    assert "What people like and admire about me" in page
    assert "His dog Biscuit current" in page
    assert "His dog Biscuit old" not in page  # the earlier version is a link, not the text
    assert f"/children/{child.pk}/passport/versions/1/" in page


def test_earlier_version_stays_readable(signed_in, passport, child, parent):
    page = signed_in(parent).get(f"/children/{child.pk}/passport/versions/1/")
    assert page.status_code == 200
    assert b"Great at Lego old" in page.content and b"earlier version" in page.content
    assert signed_in(parent).get(f"/children/{child.pk}/passport/versions/9/").status_code == 404


def test_parent_suggests_changes_starting_from_the_current_text(
    signed_in, passport, child, parent, django_capture_on_commit_callbacks
):
    client = signed_in(parent)
    form = client.get(f"/children/{child.pk}/passport/propose/").content.decode()
    assert "His dog Biscuit current" in form  # prefilled
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/children/{child.pk}/passport/propose/", {**sections("family"), "note": "New pet"}
        )
    assert response.status_code == 302
    proposal = PassportProposal.objects.get()
    assert (proposal.based_on, proposal.proposed_by, proposal.note) == (passport, parent, "New pet")
    page = client.get(f"/children/{child.pk}/passport/").content.decode()
    assert "Waiting for school" in page


def test_staff_edit_makes_a_new_version(signed_in, passport, child, school):
    client = signed_in(class_teacher(school, child))
    form = client.get(f"/children/{child.pk}/passport/edit/").content.decode()
    assert "Great at Lego current" in form
    client.post(f"/children/{child.pk}/passport/edit/", sections("new"))
    assert list(child.passport_versions.values_list("number", flat=True)) == [3, 2, 1]


def test_staff_accept_a_proposal_beside_the_current_version(
    signed_in, passport, child, parent, sendco
):
    proposal = passport_propose(child=child, by=parent, **sections("family"))
    client = signed_in(sendco)
    overview = client.get(f"/children/{child.pk}/passport/").content.decode()
    assert f"/passport/proposals/{proposal.pk}/decide/" in overview
    page = client.get(f"/passport/proposals/{proposal.pk}/decide/").content.decode()
    assert "Great at Lego family" in page and "Great at Lego current" in page
    response = client.post(f"/passport/proposals/{proposal.pk}/decide/", {"decision": "accept"})
    assert response.status_code == 302
    current = child.passport_versions.first()
    assert (current.number, current.from_proposal) == (3, proposal)
    again = client.post(
        f"/passport/proposals/{proposal.pk}/decide/", {"decision": "accept"}, follow=True
    )
    assert b"already been decided" in again.content
    assert PassportVersion.objects.filter(child=child).count() == 3


def test_decline_asks_for_a_note_and_the_family_sees_it(signed_in, passport, child, parent, sendco):
    proposal = passport_propose(child=child, by=parent, **sections("family"))
    client = signed_in(sendco)
    empty = client.post(f"/passport/proposals/{proposal.pk}/decide/", {"decision": "decline"})
    assert empty.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == PassportProposal.Status.PENDING
    client.post(
        f"/passport/proposals/{proposal.pk}/decide/",
        {"decision": "decline", "note": "Let's talk about it on Tuesday"},
    )
    proposal.refresh_from_db()
    assert proposal.status == PassportProposal.Status.DECLINED
    page = signed_in(parent).get(f"/children/{child.pk}/passport/").content.decode()
    assert "Not taken up" in page and "Let&#x27;s talk about it on Tuesday" in page


def test_no_passport_yet_offers_the_next_step(signed_in, child, parent):
    page = signed_in(parent).get(f"/children/{child.pk}/passport/").content.decode()
    assert "No passport yet" in page
    assert f"/children/{child.pk}/passport/propose/" in page


@pytest.mark.parametrize("who", ["other_parent", "governor", "teacher", "sendco_elsewhere"])
def test_outsiders_get_404_everywhere_and_nothing_is_written(
    signed_in, passport, child, parent, school, other_school, who, teacher, governor
):
    proposal = passport_propose(child=child, by=parent, **sections("family"))
    outsider = {
        "other_parent": lambda: FamilyLinkFactory(child=ChildFactory(school=school)).parent,
        "governor": lambda: governor,
        "teacher": lambda: teacher,  # teaches no one
        "sendco_elsewhere": lambda: staff_member(other_school, "sendco"),
    }[who]()
    client = signed_in(outsider)
    base = f"/children/{child.pk}/passport/"
    for url in (base, f"{base}versions/1/", f"{base}propose/", f"{base}edit/"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/passport/proposals/{proposal.pk}/decide/").status_code == 404
    assert client.post(f"{base}propose/", sections("x")).status_code == 404
    assert client.post(f"{base}edit/", sections("x")).status_code == 404
    decide = f"/passport/proposals/{proposal.pk}/decide/"
    assert client.post(decide, {"decision": "accept"}).status_code == 404
    assert PassportVersion.objects.filter(child=child).count() == 2
    assert PassportProposal.objects.count() == 1
    proposal.refresh_from_db()
    assert proposal.status == PassportProposal.Status.PENDING


def test_a_parent_cannot_edit_or_decide_and_staff_cannot_propose(
    signed_in, passport, child, parent, sendco
):
    proposal = passport_propose(child=child, by=parent, **sections("family"))
    client = signed_in(parent)
    assert client.post(f"/children/{child.pk}/passport/edit/", sections()).status_code == 404
    decide = f"/passport/proposals/{proposal.pk}/decide/"
    assert client.post(decide, {"decision": "accept"}).status_code == 404
    client = signed_in(sendco)
    assert client.post(f"/children/{child.pk}/passport/propose/", sections()).status_code == 404
    assert PassportVersion.objects.filter(child=child).count() == 2


def test_signed_out_visitor_is_sent_to_sign_in(client, child):
    response = client.get(f"/children/{child.pk}/passport/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("viewer", ["parent", "sendco"])
def test_passport_page_runs_the_same_queries_for_2_or_20_versions(
    signed_in, child, parent, sendco, viewer, django_assert_num_queries
):
    client = signed_in({"parent": parent, "sendco": sendco}[viewer])
    url = f"/children/{child.pk}/passport/"

    def grow(n):
        for i in range(n):
            passport_write(child=child, by=sendco, **sections(str(i)))
            passport_propose(child=child, by=parent, **sections(f"p{i}"))

    grow(2)
    client.get(url)
    # session, the user with their standing (+ the TOTP check for staff), the child, is a
    # parent?, (for staff) is staff?, the versions with their writers and proposals, the
    # proposals; for staff, the audit trail's look-up of the child and its INSERT.
    expected = 6 if viewer == "parent" else 10
    with django_assert_num_queries(expected):
        few = client.get(url)
    grow(18)
    with django_assert_num_queries(expected):
        many = client.get(url)
    assert few.content.count(b"/passport/versions/") == 1
    assert many.content.count(b"/passport/versions/") == 19


def test_passport_fragment_for_the_child_page_shows_the_three_parts(passport, child):
    from django.template.loader import render_to_string

    html = render_to_string("plans/fragment_passport.html", {"passport": passport, "child": child})
    assert "How best to support me" in html and "One instruction at a time current" in html
    assert f"/children/{child.pk}/passport/" in html
