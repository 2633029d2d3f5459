"""A person's standing (parent, staff, governor) comes with them when they are signed in:
the two-factor gate, the navigation and the audit trail ask it of every page."""

import pytest

from partnership.accounts.backends import PortalAuthenticationBackend
from partnership.accounts.roles import GOVERNOR, PARENT, STAFF, hats_of, needs_two_factor
from partnership.accounts.standing import standing_of
from tests.factories import FamilyLinkFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_parent_who_teaches_and_governs_wears_all_three_hats(school, other_school):
    person = FamilyLinkFactory(child__school=school).parent
    MembershipFactory(user=person, school=school, role="teacher")
    MembershipFactory(user=person, school=other_school, role="governor")
    signed_in = PortalAuthenticationBackend().get_user(person.pk)
    assert hats_of(signed_in) == [PARENT, STAFF, GOVERNOR]
    assert needs_two_factor(signed_in)


def test_the_signed_in_person_brings_their_standing_with_them(parent, django_assert_num_queries):
    with django_assert_num_queries(1):  # the person, with their standing
        signed_in = PortalAuthenticationBackend().get_user(parent.pk)
    with django_assert_num_queries(0):
        assert hats_of(signed_in) == [PARENT]
        assert not needs_two_factor(signed_in)


def test_a_person_read_another_way_is_asked_once(parent, django_assert_num_queries):
    with django_assert_num_queries(1):
        standing = standing_of(parent)
    assert standing.is_parent and not standing.has_membership


def test_a_membership_switched_off_is_no_standing(school):
    member = MembershipFactory(school=school, role="sendco", is_active=False).user
    assert not standing_of(member).has_membership
    assert hats_of(PortalAuthenticationBackend().get_user(member.pk)) == []


def test_a_switched_off_account_is_not_loaded():
    gone = UserFactory(is_active=False)
    assert PortalAuthenticationBackend().get_user(gone.pk) is None
