"""The adult's recent praise on the give page: thanks from families, and "Again" so a
repeat is two taps."""

import datetime
import re
import uuid

import pytest
from django.utils import timezone

from partnership.praise.models import Praise
from tests.factories import AssignmentFactory, ChildFactory, FamilyLinkFactory
from tests.factories_plans import TargetFactory
from tests.factories_praise import PraiseFactory, PraiseThanksFactory, PraiseValueFactory

URL = "/schools/riverside/praise/give/"


@pytest.fixture
def signed_in(client, login_with_password):
    def sign_in(user):
        client.logout()
        login_with_password(client, user)
        return client

    return sign_in


@pytest.fixture
def kindness(school):
    return PraiseValueFactory(school=school, name="Kindness")


@pytest.fixture
def noah(school):
    return ChildFactory(school=school, first_name="Noah", last_name="Nash")


def assign(user, child):
    AssignmentFactory(membership=user.memberships.get(school=child.school), child=child)


def moment(by, children, value, note="Tidied the reading corner", ago=0, **extra):
    batch = uuid.uuid4()
    when = timezone.now() - datetime.timedelta(hours=ago)
    return [
        PraiseFactory(
            child=c, value=value, note=note, given_by=by, given_at=when, batch=batch, **extra
        )
        for c in children
    ]


def test_again_fills_in_the_same_children_value_and_note(signed_in, child, noah, teacher, kindness):
    assign(teacher, child)
    assign(teacher, noah)
    given = moment(teacher, [child, noah], kindness)
    client = signed_in(teacher)
    page = client.get(URL)
    assert f"?again={given[0].batch}" in page.content.decode()
    page = client.get(f"{URL}?again={given[0].batch}")
    form = page.context["form"]
    assert sorted(form["children"].value()) == sorted([str(child.pk), str(noah.pk)])
    assert form["value"].value() == str(kindness.pk)
    assert form["note"].value() == "Tidied the reading corner"
    html = page.content.decode()
    assert "Filled in from your earlier praise." in html
    for pk in (child.pk, noah.pk):
        assert re.search(rf'name="children" value="{pk}"[^>]*checked', html)
    assert re.search(rf'name="value" id="[^"]*" value="{kindness.pk}" checked', html)
    # One more tap: the prefilled form, posted as it stands, logs the praise again.
    client.post(
        URL,
        {"children": form["children"].value(), "value": kindness.pk, "note": form["note"].value()},
    )
    assert Praise.objects.count() == 4


def test_again_leaves_out_a_child_no_longer_assigned(signed_in, child, noah, teacher, kindness):
    assign(teacher, child)
    given = moment(teacher, [child, noah], kindness)
    form = signed_in(teacher).get(f"{URL}?again={given[0].batch}").context["form"]
    assert form["children"].value() == [str(child.pk)]


def test_again_with_someone_elses_batch_fills_in_nothing(
    signed_in, child, teacher, sendco, kindness
):
    assign(teacher, child)
    theirs = moment(sendco, [child], kindness, note="The SENDCo's own words")
    client = signed_in(teacher)
    page = client.get(f"{URL}?again={theirs[0].batch}")
    form = page.context["form"]
    assert not form["children"].value() and not form["value"].value()
    assert "The SENDCo&#x27;s own words" not in page.content.decode()
    assert "Filled in from your earlier praise." not in page.content.decode()
    assert client.get(f"{URL}?again=not-a-uuid").status_code == 200


def test_the_giver_sees_the_thanks_from_the_family(signed_in, child, parent, teacher, kindness):
    assign(teacher, child)
    parent.full_name = "Sam Adams"
    parent.save()
    given = moment(teacher, [child], kindness)
    PraiseThanksFactory(praise=given[0], parent=parent, message="That made her week!")
    html = signed_in(teacher).get(URL).content.decode()
    assert "Sam Adams said thank you" in html and "That made her week!" in html


def test_recent_lists_the_last_ten_moments_newest_first(signed_in, child, teacher, kindness):
    assign(teacher, child)
    for hours in range(12):
        moment(teacher, [child], kindness, note=f"Moment {hours:02d}", ago=hours)
    recent = signed_in(teacher).get(URL).context["recent"]
    assert [m.note for m in recent] == [f"Moment {h:02d}" for h in range(10)]


def test_recent_shows_only_the_adults_own_praise(signed_in, child, teacher, sendco, kindness):
    assign(teacher, child)
    moment(sendco, [child], kindness, note="Someone else's praise")
    html = signed_in(teacher).get(URL).content.decode()
    assert "Someone else" not in html
    assert "Praise you give will appear here" in html


def _history(by, children, value, target, times):
    for n in range(times):
        given = moment(by, children, value, note=f"Note {n}", ago=n, target=target)
        for item in given:
            link = FamilyLinkFactory(child=item.child)
            PraiseThanksFactory(praise=item, parent=link.parent)


def test_the_give_page_runs_a_fixed_number_of_queries(
    client, login_with_password, django_assert_num_queries, school, sendco, kindness
):
    children = [ChildFactory(school=school, class_name=f"{n % 3}A") for n in range(6)]
    target = TargetFactory(cycle__child=children[0])
    PraiseValueFactory(school=school, name="Curiosity")
    login_with_password(client, sendco)
    _history(sendco, children[:2], kindness, target, 1)
    # Session, the user with their standing, the TOTP check (3); school_for (2); children,
    # values, targets (3); whole-school role (1); recent moments: batches, praise, thanks
    # (3).
    with django_assert_num_queries(12):
        assert client.get(URL).status_code == 200
    _history(sendco, children, kindness, target, 10)
    for _ in range(5):
        ChildFactory(school=school)
    with django_assert_num_queries(12):
        assert client.get(URL).status_code == 200
