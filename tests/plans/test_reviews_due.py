"""The SENDCo's list of plan reviews overdue or due in the next four weeks."""

import datetime

import pytest
from django.utils import timezone

from partnership.plans.models import PlanCycle
from tests.conftest import staff_member
from tests.factories import AssignmentFactory, ChildFactory
from tests.factories_plans import PlanCycleFactory, TargetFactory

URL = "/schools/riverside/reviews-due/"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def plan(school, review_in: int, first_name: str, targets: int = 0, **cycle):
    child = ChildFactory(school=school, first_name=first_name, year_group=5)
    cycle = PlanCycleFactory(child=child, starts_on=days(-100), review_on=days(review_in), **cycle)
    for _ in range(targets):
        TargetFactory(cycle=cycle)
    return cycle


def test_lists_overdue_and_soon_due_reviews_soonest_first(
    client, school, other_school, sendco, login_with_password
):
    plan(school, 10, "Soon", targets=3)
    plan(school, -5, "Late", targets=1)
    plan(school, 0, "Today")
    plan(school, 28, "FourWeeks")
    plan(school, 29, "Later")
    plan(school, -40, "Reviewed", status=PlanCycle.Status.CLOSED)
    plan(other_school, 3, "Elsewhere")
    login_with_password(client, sendco)
    response = client.get(URL)
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [c.child.first_name for c in rows] == ["Late", "Today", "Soon", "FourWeeks"]
    assert [c.target_count for c in rows] == [1, 0, 3, 0]
    page = response.content.decode()
    assert "Overdue by 5 days" in page and "In 10 days" in page and "Year 5" in page
    assert "Later" not in page and "Elsewhere" not in page and "Reviewed" not in page
    assert f"/cycles/{rows[0].pk}/close/" in page


def test_an_empty_list_says_when_plans_will_appear(client, school, sendco, login_with_password):
    login_with_password(client, sendco)
    assert "four weeks before their review date" in client.get(URL).content.decode()


def test_the_administrator_also_sees_the_list(client, school, administrator, login_with_password):
    plan(school, 3, "Soon")
    login_with_password(client, administrator)
    assert "Soon" in client.get(URL).content.decode()


@pytest.mark.parametrize("who", ["teacher", "parent", "governor", "sendco_elsewhere"])
def test_only_the_schools_sendco_and_administrator_see_the_list(
    client, school, other_school, child, parent, teacher, governor, who, login_with_password
):
    AssignmentFactory(membership=teacher.memberships.get(), child=child)
    PlanCycleFactory(child=child, review_on=days(3))
    people = {
        "teacher": teacher,  # even one who teaches a child on the list
        "parent": parent,
        "governor": governor,
        "sendco_elsewhere": staff_member(other_school, "sendco"),
    }
    login_with_password(client, people[who])
    response = client.get(URL)
    assert response.status_code == 404
    assert b"Ava" not in response.content


def test_the_list_runs_the_same_queries_for_3_or_30_children(
    client, school, sendco, login_with_password, django_assert_num_queries
):
    for n in range(3):
        plan(school, n, f"Child{n}", targets=2)
    login_with_password(client, sendco)
    client.get(URL)
    # session, the user with their standing, two-factor gate (authenticator), the school,
    # "leads SEND here?", count, the page of plans with child and number of targets.
    with django_assert_num_queries(7):
        client.get(URL)
    for n in range(3, 30):
        plan(school, n - 10, f"Child{n}", targets=2)
    with django_assert_num_queries(7):
        page = client.get(URL)
    assert page.context["page"].paginator.count == 30
    assert all(cycle.target_count == 2 for cycle in page.context["page"].object_list)


def test_long_lists_are_paged_by_fifty(client, school, sendco, login_with_password):
    for n in range(51):
        plan(school, n % 20, f"Child{n}")
    login_with_password(client, sendco)
    first = client.get(URL)
    assert len(first.context["page"].object_list) == 50
    assert len(client.get(URL + "?page=2").context["page"].object_list) == 1
