"""The SENDCo's view of the school's praise: by adult, by child, and who has been missed."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from partnership.schools.models import Role
from tests.conftest import staff_member
from tests.factories import AssignmentFactory, ChildFactory, MembershipFactory
from tests.factories_praise import PraiseFactory, PraiseValueFactory

LONDON = ZoneInfo("Europe/London")
WEEK = "2026-W40"  # Monday 28 September to Sunday 4 October 2026
MONDAY = datetime.date(2026, 9, 28)


def url(school, **query):
    base = f"/schools/{school.slug}/praise/"
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def at(day: datetime.date, hour: int = 11) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


@pytest.fixture
def signed_in(client, sendco, login_with_password):
    login_with_password(client, sendco)
    return client


@pytest.fixture
def classroom(school):
    """A teacher and a teaching assistant who work with two children, and one child
    nobody praised."""
    teacher = MembershipFactory(school=school, role=Role.TEACHER, user__full_name="Priya Shah")
    ta = MembershipFactory(
        school=school, role=Role.TEACHING_ASSISTANT, user__full_name="Jordan Lee"
    )
    ava = ChildFactory(school=school, first_name="Ava", last_name="Adams")
    ben = ChildFactory(school=school, first_name="Ben", last_name="Brown")
    cal = ChildFactory(school=school, first_name="Cal", last_name="Carter")
    for child in (ava, ben):
        AssignmentFactory(membership=teacher, child=child)
    value = PraiseValueFactory(school=school, name="Kindness")
    for day in (0, 2, 4):
        PraiseFactory(child=ava, value=value, given_by=teacher.user, given_at=at(MONDAY, 9 + day))
    PraiseFactory(
        child=ben,
        value=value,
        given_by=teacher.user,
        given_at=at(MONDAY + datetime.timedelta(days=6), 20),
    )
    # Either side of the week: not counted in it.
    PraiseFactory(
        child=ben,
        value=value,
        given_by=teacher.user,
        given_at=at(MONDAY, 0) - datetime.timedelta(minutes=1),
    )
    PraiseFactory(
        child=ben,
        value=value,
        given_by=teacher.user,
        given_at=at(MONDAY + datetime.timedelta(days=7), 0),
    )
    return {"teacher": teacher.user, "ta": ta.user, "ava": ava, "ben": ben, "cal": cal}


def test_by_adult_counts_the_weeks_praise_and_lists_those_who_gave_none(
    signed_in, school, classroom, sendco
):
    response = signed_in.get(url(school, week=WEEK))
    assert response.status_code == 200
    adults = {adult.pk: adult for adult in response.context["adults"]}
    assert adults[classroom["teacher"].pk].given == 4
    assert adults[classroom["teacher"].pk].children_praised == 2
    assert adults[classroom["ta"].pk].given == 0
    assert adults[sendco.pk].given == 0
    assert response.context["adults"][0] == classroom["teacher"]  # most first
    assert "None this week" in response.text
    assert "Jordan Lee" in response.text


def test_by_child_shows_every_child_with_zero_praise_first(signed_in, school, classroom):
    response = signed_in.get(url(school, week=WEEK))
    rows = list(response.context["page"].object_list)
    assert [row.first_name for row in rows] == ["Cal", "Ava", "Ben"]
    counts = {row.first_name: row.week_count for row in rows}
    assert counts == {"Cal": 0, "Ava": 3, "Ben": 1}
    # The last praise is the latest ever, here the one the Monday after the week.
    ben = next(row for row in rows if row.first_name == "Ben")
    assert ben.last_praised_at == at(MONDAY + datetime.timedelta(days=7), 0)
    assert "No praise this week" in response.text  # in words, not only a colour
    assert response.context["totals"] == {"praise": 4, "children_praised": 2, "children_missed": 1}


def test_another_schools_praise_is_not_shown(signed_in, school, other_school, classroom):
    stranger = ChildFactory(school=other_school, first_name="Zed")
    outsider = staff_member(other_school, Role.TEACHER, "outsider@example.test")
    PraiseFactory(child=stranger, given_by=outsider, given_at=at(MONDAY))
    response = signed_in.get(url(school, week=WEEK))
    assert stranger not in list(response.context["page"].object_list)
    assert outsider not in response.context["adults"]
    assert "Zed" not in response.text
    assert response.context["totals"]["praise"] == 4


def test_weeks_move_back_and_forward_but_not_past_this_week(signed_in, school, classroom):
    response = signed_in.get(url(school, week=WEEK))
    assert response.context["previous_week"] == "2026-W39"
    assert response.context["next_week"] == "2026-W41"
    assert 'href="?week=2026-W39"' in response.text
    current = signed_in.get(url(school))
    assert current.context["is_this_week"]
    assert current.context["next_week"] == ""
    future = signed_in.get(url(school, week="2099-W01"))
    assert future.context["monday"] == current.context["monday"]


def test_a_week_we_cannot_read_falls_back_to_this_week_and_says_so(signed_in, school):
    response = signed_in.get(url(school, week="last-tuesday"), follow=True)
    assert response.status_code == 200
    assert response.context["is_this_week"]
    assert "could not read that week" in response.text


def test_children_with_no_praise_in_two_weeks_counts_from_the_start_of_the_day(signed_in, school):
    today = datetime.datetime.now(LONDON).date()
    recent = ChildFactory(school=school, first_name="Recent")
    edge = ChildFactory(school=school, first_name="Edge")
    old = ChildFactory(school=school, first_name="Old")
    never = ChildFactory(school=school, first_name="Never")
    PraiseFactory(child=recent, given_at=at(today - datetime.timedelta(days=13)))
    # 00:30 on the day two weeks ago still counts: the window starts at that day's midnight.
    PraiseFactory(
        child=edge,
        given_at=at(today - datetime.timedelta(days=14), 0) + datetime.timedelta(minutes=30),
    )
    PraiseFactory(child=old, given_at=at(today - datetime.timedelta(days=15)))
    response = signed_in.get(url(school))
    unpraised = response.context["unpraised"]
    assert {child.pk for child in unpraised} == {old.pk, never.pk}
    assert f'href="/children/{old.pk}/"' in response.text
    assert "never praised" in response.text


def test_the_two_week_list_is_complete_while_the_child_table_pages(signed_in, school):
    ChildFactory.create_batch(60, school=school)
    response = signed_in.get(url(school))
    assert len(response.context["unpraised"]) == 60
    assert len(response.context["page"].object_list) == 50
    second = signed_in.get(url(school, page=2))
    assert len(second.context["page"].object_list) == 10


@pytest.mark.parametrize("who", ["teacher", "governor", "parent", "outsider"])
def test_only_the_sendco_and_administrators_may_look(
    client, school, other_school, login_with_password, who, request
):
    if who == "outsider":
        user = staff_member(other_school, Role.SENDCO, "sendco@hillside.test")
    else:
        user = request.getfixturevalue(who)
    login_with_password(client, user)
    assert client.get(url(school)).status_code == 404
    assert client.get(f"/schools/{school.slug}/praise/values/").status_code == 404


def test_an_administrator_may_look(client, school, administrator, login_with_password):
    login_with_password(client, administrator)
    assert client.get(url(school)).status_code == 200


def busy_week(school, adults, children_count, per_child):
    value = PraiseValueFactory(school=school, name="Kindness")
    children = ChildFactory.create_batch(children_count, school=school)
    for n, child in enumerate(children):
        for k in range(per_child):
            PraiseFactory(
                child=child,
                value=value,
                given_by=adults[(n + k) % len(adults)],
                given_at=at(MONDAY + datetime.timedelta(days=k % 7)),
            )


def test_the_page_runs_the_same_queries_for_a_little_or_ten_times_the_praise(
    signed_in, school, django_assert_num_queries
):
    adults = [staff_member(school, Role.TEACHER, totp=False) for _n in range(3)]
    busy_week(school, adults, 3, 2)
    signed_in.get(url(school, week=WEEK))
    # session, the user with their standing, two-factor gate (authenticator), the school,
    # "may act here?", by child, by adult, the two-week list.
    with django_assert_num_queries(8):
        response = signed_in.get(url(school, week=WEEK))
    assert response.context["totals"]["praise"] == 6
    more = [staff_member(school, Role.TEACHING_ASSISTANT, totp=False) for _n in range(27)]
    busy_week(school, adults + more, 30, 20)
    with django_assert_num_queries(8):
        response = signed_in.get(url(school, week=WEEK))
    assert response.context["totals"]["praise"] == 606
    assert len(response.context["adults"]) == 31
