"""The SEND parent group: joining and leaving, one representative per school, inviting
members to a session (each emailed once), and who may manage it."""

import pytest
from django.urls import reverse

from partnership.coproduction.models import ParentGroupMember
from partnership.coproduction.selectors_group import (
    group_parents,
    is_parent_representative,
    represented_schools,
)
from partnership.coproduction.services.group import (
    GroupRefused,
    group_join,
    group_leave,
    group_representative_set,
    group_session_invite,
)
from partnership.notifications.models import OutboxMessage

from ..conftest import staff_member
from ..factories import ChildFactory, FamilyLinkFactory
from ..factories_coproduction import ParentGroupMemberFactory
from ..factories_meetings import GroupSessionFactory
from ..meetings.session_helpers import make_started


def _member(school, **parent):
    link = FamilyLinkFactory(
        child=ChildFactory(school=school), **{f"parent__{k}": v for k, v in parent.items()}
    )
    return ParentGroupMemberFactory(school=school, parent=link.parent)


def test_join_and_leave(school, parent):
    member = group_join(school=school, parent=parent)
    assert group_join(school=school, parent=parent).pk == member.pk
    assert list(group_parents(school)) == [parent]
    assert group_leave(school=school, parent=parent) is True
    assert not ParentGroupMember.objects.exists()
    assert group_leave(school=school, parent=parent) is False


def test_join_only_at_their_childs_school(other_school, parent):
    with pytest.raises(GroupRefused):
        group_join(school=other_school, parent=parent)


def test_one_representative_per_school(school, other_school, sendco):
    first, second = _member(school), _member(school)
    elsewhere = _member(other_school)
    ParentGroupMember.objects.filter(pk=elsewhere.pk).update(is_representative=True)
    group_representative_set(school=school, member=first, by=sendco)
    group_representative_set(school=school, member=second, by=sendco)
    reps = ParentGroupMember.objects.filter(school=school, is_representative=True)
    assert list(reps) == [second]
    assert is_parent_representative(second.parent, school)
    assert not is_parent_representative(first.parent, school)
    assert list(represented_schools(second.parent)) == [school]
    assert list(represented_schools(first.parent)) == []
    # Another school's representative is untouched.
    assert ParentGroupMember.objects.get(pk=elsewhere.pk).is_representative
    group_representative_set(school=school, member=None, by=sendco)
    assert not ParentGroupMember.objects.filter(school=school, is_representative=True).exists()


def test_representative_must_be_a_member_here(school, other_school, sendco, teacher):
    elsewhere = _member(other_school)
    with pytest.raises(GroupRefused):
        group_representative_set(school=school, member=elsewhere, by=sendco)
    with pytest.raises(GroupRefused):
        group_representative_set(school=school, member=_member(school), by=teacher)


def test_leaving_ends_being_representative(school, sendco):
    member = _member(school)
    group_representative_set(school=school, member=member, by=sendco)
    group_leave(school=school, parent=member.parent)
    assert not is_parent_representative(member.parent, school)


def test_invite_emails_every_member_once(school, other_school, sendco):
    members = [_member(school) for _ in range(3)]
    _member(other_school)
    session = GroupSessionFactory(school=school, title="Coffee and chat")
    assert group_session_invite(school=school, session=session, by=sendco) == 3
    assert group_session_invite(school=school, session=session, by=sendco) == 0
    mails = OutboxMessage.objects.filter(kind="group_session_invite")
    assert sorted(mails.values_list("to_email", flat=True)) == sorted(
        m.parent.email for m in members
    )
    first = mails.get(to_email=members[0].parent.email)
    assert first.key == f"group-session-invite:{session.pk}:{members[0].parent.pk}"
    assert reverse("session_detail", args=[session.pk]) in first.body_text
    # A member who joins later is invited on the next press; the others are not again.
    _member(school)
    assert group_session_invite(school=school, session=session, by=sendco) == 1
    assert mails.count() == 4


def test_invite_refusals(school, other_school, sendco, teacher):
    _member(school)
    session = GroupSessionFactory(school=school)
    with pytest.raises(GroupRefused):
        group_session_invite(school=school, session=session, by=teacher)
    with pytest.raises(GroupRefused):
        group_session_invite(
            school=school, session=GroupSessionFactory(school=other_school), by=sendco
        )
    make_started(session)
    with pytest.raises(GroupRefused):
        group_session_invite(school=school, session=session, by=sendco)


# Parent pages.


def test_parent_page_join_and_leave_with_confirmation(client, school, parent, sendco):
    rep = _member(school, full_name="Rosa Diaz")
    group_representative_set(school=school, member=rep, by=sendco)
    client.force_login(parent)
    page = client.get(reverse("parent_group")).content.decode()
    assert "The SEND parent group" in page and "Parent representative: Rosa Diaz" in page
    assert "Join the group" in page
    client.post(reverse("parent_group_join", args=[school.slug]))
    assert ParentGroupMember.objects.filter(school=school, parent=parent).exists()
    assert "You are a member." in client.get(reverse("parent_group")).content.decode()
    leave = reverse("parent_group_leave", args=[school.slug])
    assert "Yes, leave the group" in client.get(leave).content.decode()
    assert ParentGroupMember.objects.filter(parent=parent).exists()
    client.post(leave)
    assert not ParentGroupMember.objects.filter(parent=parent).exists()


def test_parent_cannot_join_another_school(client, other_school, parent):
    client.force_login(parent)
    assert client.post(reverse("parent_group_join", args=[other_school.slug])).status_code == 404
    assert client.get(reverse("parent_group_leave", args=[other_school.slug])).status_code == 404


# Staff pages.


def test_manage_page_lists_members_with_children(client, school, sendco, login_with_password):
    member = _member(school, full_name="Rosa Diaz")
    FamilyLinkFactory(parent=member.parent, child=ChildFactory(school=school, first_name="Zoe"))
    login_with_password(client, sendco)
    page = client.get(reverse("parent_group_manage", args=[school.slug])).content.decode()
    assert "Rosa Diaz" in page and "Zoe" in page and "1 member" in page


def test_manage_representative_remove_and_invite(client, school, sendco, login_with_password):
    member, other = _member(school), _member(school)
    session = GroupSessionFactory(school=school)
    login_with_password(client, sendco)
    client.post(reverse("parent_group_representative", args=[school.slug]), {"member": member.pk})
    assert is_parent_representative(member.parent, school)
    remove = reverse("parent_group_remove", args=[school.slug, other.pk])
    assert "Yes, remove" in client.get(remove).content.decode()
    assert ParentGroupMember.objects.filter(pk=other.pk).exists()
    client.post(remove)
    assert not ParentGroupMember.objects.filter(pk=other.pk).exists()
    response = client.post(
        reverse("parent_group_invite", args=[school.slug]), {"session": session.pk}, follow=True
    )
    assert "Invitation emailed to 1 member." in response.content.decode()
    client.post(reverse("parent_group_invite", args=[school.slug]), {"session": session.pk})
    assert OutboxMessage.objects.filter(kind="group_session_invite").count() == 1


def test_staff_cannot_reach_another_schools_member(
    client, school, other_school, sendco, login_with_password
):
    elsewhere = _member(other_school)
    login_with_password(client, sendco)
    url = reverse("parent_group_remove", args=[school.slug, elsewhere.pk])
    assert client.post(url).status_code == 404
    assert ParentGroupMember.objects.filter(pk=elsewhere.pk).exists()
    client.post(
        reverse("parent_group_representative", args=[school.slug]), {"member": elsewhere.pk}
    )
    assert not ParentGroupMember.objects.get(pk=elsewhere.pk).is_representative


@pytest.mark.parametrize("role", ["teacher", "governor"])
def test_manage_pages_are_404_for_other_roles(client, school, role, login_with_password):
    member = _member(school)
    login_with_password(client, staff_member(school, role, f"{role}@example.test"))
    for url in (
        reverse("parent_group_manage", args=[school.slug]),
        reverse("parent_group_remove", args=[school.slug, member.pk]),
    ):
        assert client.get(url).status_code == 404
    for name in ("parent_group_representative", "parent_group_invite"):
        assert client.post(reverse(name, args=[school.slug])).status_code == 404


def test_manage_pages_are_404_at_another_school(client, school, other_school, login_with_password):
    login_with_password(client, staff_member(other_school, "sendco", "elsewhere@example.test"))
    assert client.get(reverse("parent_group_manage", args=[school.slug])).status_code == 404


@pytest.mark.parametrize("scale", [1, 10])
def test_manage_page_query_count_is_flat(
    client, school, sendco, login_with_password, scale, django_assert_num_queries
):
    for _ in range(3 * scale):
        member = _member(school)
        FamilyLinkFactory(parent=member.parent, child=ChildFactory(school=school))
    group_representative_set(school=school, member=member, by=sendco)
    for _ in range(scale):
        GroupSessionFactory(school=school)
    login_with_password(client, sendco)
    # Session, the user with their standing, the TOTP check (3), school_for (2), the
    # members' count and page, the representative, their children, the representative
    # choices, whether a session is coming up and the session choices (2: crispy reads
    # them twice).
    with django_assert_num_queries(13):
        response = client.get(reverse("parent_group_manage", args=[school.slug]))
    assert response.status_code == 200


@pytest.mark.parametrize("scale", [1, 10])
def test_parent_page_query_count_is_flat(client, school, parent, scale, django_assert_num_queries):
    for _ in range(scale):
        FamilyLinkFactory(parent=parent, child=ChildFactory(school=school))
        _member(school)
    group_join(school=school, parent=parent)
    client.force_login(parent)
    # Session and the user with their standing (2), the schools, the parent's
    # memberships, the representatives, the schools they represent (for the summary link).
    with django_assert_num_queries(6):
        response = client.get(reverse("parent_group"))
    assert response.status_code == 200
