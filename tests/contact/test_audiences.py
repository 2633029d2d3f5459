"""Who a broadcast reaches: each kind of group, each parent once, one school only."""

import pytest

from partnership.contact.audiences import (
    Audience,
    AudienceKind,
    audience_label,
    audience_parents,
)
from tests.factories import ChildFactory, FamilyLinkFactory, UserFactory


def family(school, **child):
    """A child with one parent; returns the parent."""
    return FamilyLinkFactory(child=ChildFactory(school=school, **child)).parent


@pytest.fixture
def families(school):
    return {
        "year4_4a_slcn": family(school, year_group=4, class_name="4A", primary_need="SLCN"),
        "year4_4b_asd": family(school, year_group=4, class_name="4B", primary_need="ASD"),
        "year6_remote": family(
            school, year_group=6, class_name="6A", primary_need="SEMH", attendance="remote"
        ),
    }


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        (Audience(kind=AudienceKind.ALL), {"year4_4a_slcn", "year4_4b_asd", "year6_remote"}),
        (Audience(kind=AudienceKind.YEAR_GROUP, year_group=4), {"year4_4a_slcn", "year4_4b_asd"}),
        (Audience(kind=AudienceKind.CLASS, class_name="4B"), {"year4_4b_asd"}),
        (Audience(kind=AudienceKind.NEED, need="SLCN"), {"year4_4a_slcn"}),
        (Audience(kind=AudienceKind.REMOTE), {"year6_remote"}),
    ],
)
def test_each_kind_of_group_reaches_its_families_and_no_others(
    school, other_school, families, audience, expected
):
    # A family at another school matches every rule but belongs elsewhere.
    family(other_school, year_group=4, class_name="4B", primary_need="SLCN", attendance="remote")
    reached = set(audience_parents(school, audience))
    assert reached == {families[name] for name in expected}


def test_a_hand_picked_list_reaches_the_chosen_families(school, families):
    chosen = ChildFactory(school=school)
    picked = FamilyLinkFactory(child=chosen).parent
    audience = Audience(kind=AudienceKind.CHOSEN, child_ids=(chosen.pk,))
    assert list(audience_parents(school, audience)) == [picked]


def test_a_child_of_another_school_in_a_hand_picked_list_is_left_out(school, other_school):
    ours = ChildFactory(school=school)
    theirs = ChildFactory(school=other_school)
    our_parent = FamilyLinkFactory(child=ours).parent
    FamilyLinkFactory(child=theirs)
    audience = Audience(kind=AudienceKind.CHOSEN, child_ids=(ours.pk, theirs.pk))
    assert list(audience_parents(school, audience)) == [our_parent]


def test_a_parent_of_two_matching_children_is_one_recipient(school):
    parent = UserFactory()
    for _ in range(2):
        FamilyLinkFactory(parent=parent, child=ChildFactory(school=school, year_group=3))
    audience = Audience(kind=AudienceKind.YEAR_GROUP, year_group=3)
    assert list(audience_parents(school, audience)) == [parent]


def test_both_parents_of_a_child_are_reached_but_not_one_who_has_not_joined_yet(school):
    child = ChildFactory(school=school)
    mother = FamilyLinkFactory(child=child, parent__full_name="A Mother").parent
    father = FamilyLinkFactory(child=child, parent__full_name="B Father").parent
    FamilyLinkFactory(child=child, parent__is_active=False)  # invitation not accepted
    assert list(audience_parents(school, Audience(kind=AudienceKind.ALL))) == [mother, father]


def test_a_group_without_its_detail_is_a_programming_error():
    with pytest.raises(ValueError):
        Audience(kind=AudienceKind.YEAR_GROUP)
    with pytest.raises(ValueError):
        Audience(kind=AudienceKind.CHOSEN, child_ids=())


@pytest.mark.parametrize(
    ("audience", "words"),
    [
        (Audience(kind=AudienceKind.ALL), "All SEND families"),
        (Audience(kind=AudienceKind.YEAR_GROUP, year_group=4), "Year 4 families"),
        (Audience(kind=AudienceKind.YEAR_GROUP, year_group=0), "Reception families"),
        (Audience(kind=AudienceKind.CLASS, class_name="Oak"), "Families in class Oak"),
        (
            Audience(kind=AudienceKind.NEED, need="ASD"),
            "Families of children whose main need is: Autistic spectrum disorder",
        ),
        (Audience(kind=AudienceKind.REMOTE), "Families of children learning remotely"),
        (Audience(kind=AudienceKind.CHOSEN, child_ids=(1, 2, 3)), "Families of 3 chosen children"),
        (Audience(kind=AudienceKind.CHOSEN, child_ids=(7,)), "Families of 1 chosen child"),
    ],
)
def test_the_group_is_described_in_words(audience, words):
    assert audience_label(audience) == words
