"""The thank-yous an adult received for their praise, for the staff home."""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from partnership.praise.selectors_adult import thanks_received
from tests.factories import AssignmentFactory, ChildFactory, FamilyLinkFactory
from tests.factories_praise import PraiseFactory, PraiseThanksFactory, PraiseValueFactory


def assign(user, child):
    AssignmentFactory(membership=user.memberships.get(school=child.school), child=child)


def thank(praise, minutes_ago, message="Thank you so much"):
    link = FamilyLinkFactory(child=praise.child)
    return PraiseThanksFactory(
        praise=praise,
        parent=link.parent,
        message=message,
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


def test_the_giver_sees_the_latest_thanks_with_who_and_for_what(school, child, teacher):
    assign(teacher, child)
    value = PraiseValueFactory(school=school, name="Resilience")
    praise = PraiseFactory(child=child, value=value, given_by=teacher)
    older = thank(praise, 30, "We told grandma")
    newer = thank(praise, 5, "She was beaming")
    newer.parent.full_name = "Sam Adams"
    newer.parent.save()
    assert thanks_received(teacher) == [newer, older]
    html = render_to_string("praise/fragment_thanks_received.html", {"thanks": [newer, older]})
    assert "Sam Adams thanked you for your Resilience praise for Ava" in html
    assert "She was beaming" in html and "We told grandma" in html


def test_only_thanks_for_the_adults_own_praise(school, child, teacher, sendco):
    assign(teacher, child)
    thank(PraiseFactory(child=child, given_by=sendco), 1)
    assert thanks_received(teacher) == []
    html = render_to_string("praise/fragment_thanks_received.html", {"thanks": []})
    assert "When a family says thank you for your praise" in html


def test_at_most_the_limit_newest_first(school, child, sendco):
    for minutes in range(8):
        thank(PraiseFactory(child=child, given_by=sendco), minutes, f"Thanks {minutes}")
    got = thanks_received(sendco, limit=5)
    assert [t.message for t in got] == [f"Thanks {m}" for m in range(5)]


def test_one_query_whatever_the_number_of_thanks(school, sendco, django_assert_num_queries):
    children = [ChildFactory(school=school) for _ in range(3)]
    thank(PraiseFactory(child=children[0], given_by=sendco), 1)
    with django_assert_num_queries(1):
        got = thanks_received(sendco)
        [(t.parent.full_name, t.praise.child.first_name, t.praise.value.name) for t in got]
    for n in range(30):
        thank(PraiseFactory(child=children[n % 3], given_by=sendco), n)
    with django_assert_num_queries(1):
        got = thanks_received(sendco)
        [(t.parent.full_name, t.praise.child.first_name, t.praise.value.name) for t in got]
    assert len(got) == 5
