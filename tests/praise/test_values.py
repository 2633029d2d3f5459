"""The school's values: chosen by the SENDCo or an administrator, used by every adult."""

import pytest

from partnership.praise.models import SUGGESTED_VALUES, PraiseValue
from partnership.praise.services.values import (
    PraiseValueRefused,
    praise_value_add,
    praise_value_delete,
    praise_value_update,
    praise_values_use_suggested,
)
from tests.factories_praise import PraiseFactory, PraiseValueFactory


@pytest.fixture
def signed_in(client, sendco, login_with_password):
    login_with_password(client, sendco)
    return client


def values_url(school, *rest):
    return f"/schools/{school.slug}/praise/values/" + "".join(f"{part}/" for part in rest)


def test_a_school_with_no_values_can_start_from_the_suggested_ones(signed_in, school):
    page = signed_in.get(values_url(school))
    assert "Use the suggested values" in page.text
    assert "Or write your own below." in page.text
    response = signed_in.post(values_url(school, "suggested"), follow=True)
    names = list(PraiseValue.objects.filter(school=school).values_list("name", flat=True))
    assert names == [name for name, _description in SUGGESTED_VALUES]
    assert "Use the suggested values" not in response.text
    # A second click (an old tab) does not double them.
    again = signed_in.post(values_url(school, "suggested"), follow=True)
    assert PraiseValue.objects.filter(school=school).count() == len(SUGGESTED_VALUES)
    assert "already has its values" in again.text


def test_adding_a_value_puts_it_last_and_offers_it(signed_in, school):
    PraiseValueFactory(school=school, name="Kindness", order=3)
    response = signed_in.post(
        values_url(school),
        {"add-name": "  Keep   going ", "add-description": "Trying again after a wobble"},
        follow=True,
    )
    value = PraiseValue.objects.get(school=school, name="Keep going")
    assert value.order == 4 and value.is_active
    assert "“Keep going” added." in response.text


def test_a_duplicate_name_is_refused_whatever_its_case(signed_in, school, other_school):
    PraiseValueFactory(school=school, name="Kindness")
    response = signed_in.post(values_url(school), {"add-name": "kindness"})
    assert response.status_code == 200
    assert "already has a value called “kindness”" in response.text
    assert PraiseValue.objects.filter(school=school).count() == 1
    # Another school's values are theirs alone.
    assert praise_value_add(school=other_school, name="Kindness").name == "Kindness"


def test_editing_a_value_changes_its_name_description_and_order(signed_in, school):
    value = PraiseValueFactory(school=school, name="Kindness")
    PraiseValueFactory(school=school, name="Teamwork")
    response = signed_in.post(
        values_url(school, value.pk),
        {"name": "Be kind", "description": "Looking after someone", "order": 7},
        follow=True,
    )
    value.refresh_from_db()
    assert (value.name, value.description, value.order) == ("Be kind", "Looking after someone", 7)
    assert "“Be kind” saved." in response.text
    clash = signed_in.post(
        values_url(school, value.pk), {"name": "teamwork", "description": "", "order": 1}
    )
    assert "already has a value called" in clash.text
    with pytest.raises(PraiseValueRefused):
        praise_value_update(value=value, name="   ", description="", order=1)


def test_retiring_keeps_old_praise_and_restoring_offers_it_again(signed_in, school, child):
    value = PraiseValueFactory(school=school, name="Kindness")
    praise = PraiseFactory(child=child, value=value)
    page = signed_in.post(values_url(school, value.pk, "retire"), follow=True)
    value.refresh_from_db()
    assert not value.is_active
    praise.refresh_from_db()
    assert praise.value == value
    assert "Retired" in page.text and "used 1 time" in page.text
    signed_in.post(values_url(school, value.pk, "restore"))
    value.refresh_from_db()
    assert value.is_active


def test_a_value_never_used_can_be_deleted_after_confirming(signed_in, school):
    value = PraiseValueFactory(school=school, name="Curiosity")
    confirm = signed_in.get(values_url(school, value.pk, "delete"))
    assert "Yes, delete it" in confirm.text
    assert PraiseValue.objects.filter(pk=value.pk).exists()  # looking is not deleting
    signed_in.post(values_url(school, value.pk, "delete"))
    assert not PraiseValue.objects.filter(pk=value.pk).exists()


def test_a_used_value_cannot_be_deleted_only_retired(signed_in, school, child):
    value = PraiseValueFactory(school=school, name="Kindness")
    PraiseFactory(child=child, value=value)
    listing = signed_in.get(values_url(school))
    assert values_url(school, value.pk, "delete") not in listing.text
    confirm = signed_in.get(values_url(school, value.pk, "delete"))
    assert "cannot be deleted" in confirm.text and "Yes, delete it" not in confirm.text
    response = signed_in.post(values_url(school, value.pk, "delete"), follow=True)
    assert "can be retired but not deleted" in response.text
    assert PraiseValue.objects.filter(pk=value.pk).exists()
    with pytest.raises(PraiseValueRefused):
        praise_value_delete(value=value)


def test_the_list_says_how_often_each_value_was_used(signed_in, school, child):
    kind = PraiseValueFactory(school=school, name="Kindness")
    PraiseValueFactory(school=school, name="Teamwork")
    PraiseFactory.create_batch(3, child=child, value=kind)
    response = signed_in.get(values_url(school))
    used = {value.name: value.used for value in response.context["active"]}
    assert used == {"Kindness": 3, "Teamwork": 0}


def test_another_schools_value_is_not_found(signed_in, school, other_school):
    theirs = PraiseValueFactory(school=other_school, name="Kindness")
    assert signed_in.get(values_url(school, theirs.pk)).status_code == 404
    assert signed_in.post(values_url(school, theirs.pk, "retire")).status_code == 404
    assert signed_in.post(values_url(school, theirs.pk, "delete")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


def test_retire_and_restore_need_a_post(signed_in, school):
    value = PraiseValueFactory(school=school, name="Kindness")
    assert signed_in.get(values_url(school, value.pk, "retire")).status_code == 405


def test_suggested_values_are_refused_once_a_school_has_its_own(school):
    PraiseValueFactory(school=school, name="Be kind")
    with pytest.raises(PraiseValueRefused):
        praise_values_use_suggested(school=school)


def test_the_values_page_runs_the_same_queries_for_few_or_many_values(
    signed_in, school, child, django_assert_num_queries
):
    values = [PraiseValueFactory(school=school, name=f"Value {n}") for n in range(2)]
    for value in values:
        PraiseFactory(child=child, value=value)
    signed_in.get(values_url(school))
    with django_assert_num_queries(6):
        signed_in.get(values_url(school))
    for n in range(2, 20):
        PraiseFactory.create_batch(
            2, child=child, value=PraiseValueFactory(school=school, name=f"Value {n}")
        )
    with django_assert_num_queries(6):
        response = signed_in.get(values_url(school))
    assert len(response.context["active"]) == 20
