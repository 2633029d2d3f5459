"""The service behind the praise form: one moment for several children, and the rules it
keeps whoever calls it."""

import pytest

from partnership.plans.models import PlanCycle
from partnership.praise.models import Praise
from partnership.praise.services.give import PraiseRefused, praise_give
from tests.conftest import staff_member
from tests.factories import AssignmentFactory, ChildFactory
from tests.factories_plans import TargetFactory
from tests.factories_praise import PraiseValueFactory


@pytest.fixture
def kindness(school):
    return PraiseValueFactory(school=school, name="Kindness")


@pytest.fixture
def noah(school):
    return ChildFactory(school=school, first_name="Noah", last_name="Nash")


def assign(user, child):
    AssignmentFactory(membership=user.memberships.get(school=child.school), child=child)


def test_several_children_share_one_batch(school, child, noah, teacher, kindness):
    assign(teacher, child)
    assign(teacher, noah)
    saved = praise_give(
        school=school, by=teacher, children=[child, noah], value=kindness, note="  Shared well "
    )
    assert len(saved) == 2
    rows = list(Praise.objects.order_by("child__first_name"))
    assert [row.child for row in rows] == [child, noah]
    assert len({row.batch for row in rows}) == 1
    assert {row.note for row in rows} == {"Shared well"}
    assert all(row.given_by == teacher and row.value == kindness for row in rows)


def test_a_child_the_adult_does_not_work_with_is_refused_and_nothing_saved(
    school, child, noah, teacher, kindness
):
    assign(teacher, child)
    with pytest.raises(PraiseRefused, match="only the children you work with"):
        praise_give(school=school, by=teacher, children=[child, noah], value=kindness, note="Hi")
    assert not Praise.objects.exists()


def test_staff_of_another_school_cannot_praise_its_children(child, other_school, kindness):
    stranger = staff_member(other_school, "sendco")
    with pytest.raises(PraiseRefused):
        praise_give(
            school=child.school, by=stranger, children=[child], value=kindness, note="Well done"
        )
    assert not Praise.objects.exists()


def test_a_retired_or_other_schools_value_is_refused(school, other_school, child, sendco):
    retired = PraiseValueFactory(school=school, name="Teamwork", is_active=False)
    theirs = PraiseValueFactory(school=other_school, name="Kindness")
    for value in (retired, theirs):
        with pytest.raises(PraiseRefused, match="no longer offered"):
            praise_give(school=school, by=sendco, children=[child], value=value, note="Great")
    assert not Praise.objects.exists()


def test_the_target_goes_only_on_its_own_childs_praise(school, child, noah, sendco, kindness):
    target = TargetFactory(cycle__child=child)
    praise_give(
        school=school,
        by=sendco,
        children=[child, noah],
        value=kindness,
        note="Waited",
        target=target,
    )
    assert Praise.objects.get(child=child).target == target
    assert Praise.objects.get(child=noah).target is None


def test_a_target_of_a_child_not_chosen_is_refused(school, child, noah, sendco, kindness):
    target = TargetFactory(cycle__child=noah)
    with pytest.raises(PraiseRefused, match="child you have not chosen"):
        praise_give(
            school=school, by=sendco, children=[child], value=kindness, note="Hi", target=target
        )
    assert not Praise.objects.exists()


def test_a_target_from_a_reviewed_plan_is_refused(school, child, sendco, kindness):
    target = TargetFactory(cycle__child=child, cycle__status=PlanCycle.Status.CLOSED)
    with pytest.raises(PraiseRefused, match="reviewed"):
        praise_give(
            school=school, by=sendco, children=[child], value=kindness, note="Hi", target=target
        )


def test_an_empty_note_or_no_children_is_refused(school, child, sendco, kindness):
    with pytest.raises(PraiseRefused, match="what they did"):
        praise_give(school=school, by=sendco, children=[child], value=kindness, note="   ")
    with pytest.raises(PraiseRefused, match="at least one child"):
        praise_give(school=school, by=sendco, children=[], value=kindness, note="Great")
    assert not Praise.objects.exists()
