"""The SENDCo's contact dashboard: counts, families needing closer contact, every family
against its plan, and the perception gap."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from partnership.contact.radar import school_today
from tests.conftest import staff_member
from tests.factories import AssignmentFactory, ChildFactory, FamilyLinkFactory, UserFactory
from tests.factories_contact import CheckInFactory, ContactEntryFactory, ContactPlanFactory
from tests.factories_plans import PlanCycleFactory

URL = "/schools/riverside/contact/"


def days_ago(school, n: int) -> datetime.datetime:
    # Noon on the school's own date, so the figures do not depend on the time of day.
    day = school_today(school) - datetime.timedelta(days=n)
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=ZoneInfo(school.time_zone))


def monday(school, weeks_back: int = 0) -> datetime.date:
    today = school_today(school)
    return today - datetime.timedelta(days=today.weekday(), weeks=weeks_back)


def a_family(school, name: str, *, contacted: int | None, frequency="weekly", **checkin):
    child = ChildFactory(school=school, first_name=name, last_name="Lee")
    parent = FamilyLinkFactory(child=child, parent__full_name=f"Parent of {name}").parent
    ContactPlanFactory(child=child, frequency=frequency)
    if contacted is not None:
        ContactEntryFactory(
            school=school, children=[child], happened_at=days_ago(school, contacted)
        )
    if checkin:
        CheckInFactory(parent=parent, school=school, week_of=monday(school), **checkin)
    return child


@pytest.fixture
def signed_in(client, login_with_password):
    def sign_in(user):
        login_with_password(client, user)
        return client

    return sign_in


def test_the_sendco_sees_who_needs_closer_contact_and_why(school, sendco, signed_in):
    a_family(school, "Fine", contacted=1)
    caller = a_family(
        school,
        "Caller",
        contacted=2,
        answered_at=days_ago(school, 0),
        rating=1,
        wants_call=True,
        heard_from_school="0",
    )
    a_family(school, "Quiet", contacted=None)
    response = signed_in(sendco).get(URL)
    assert response.status_code == 200
    closer = response.context["radar"].closer_contact
    assert [row.child.first_name for row in closer] == ["Caller", "Quiet"]
    page = response.content.decode()
    section = page[page.index("Families needing closer contact") : page.index("All families")]
    assert "Parent of Caller" in section and "Parent of Fine" not in section
    assert ">Asked for a call<" in section
    assert ">Low check-in rating (2 or less out of 5)<" in section
    assert ">Contact overdue<" in section
    assert reverse("contact_log", args=[caller.pk]) in section
    assert reverse("child_detail", args=[caller.pk]) in section
    assert "2 days ago" in section and "Never" in section


def test_every_family_shows_its_plan_status_and_sendco_meetings(school, sendco, signed_in):
    ava = a_family(school, "Ava", contacted=8, frequency="weekly")
    ben = a_family(school, "Ben", contacted=None, frequency="fortnightly")
    ContactEntryFactory(
        school=school,
        children=[ben],
        happened_at=days_ago(school, 0),
        channel="meeting",
        is_sendco_meeting=True,
    )
    page = signed_in(sendco).get(URL).content.decode()
    families = page[page.index('id="families-heading"') : page.index('id="gap-heading"')]
    ava_row = families[families.index(">Lee, Ava<") : families.index(">Lee, Ben<")]
    ben_row = families[families.index(">Lee, Ben<") :]
    assert "Every week" in ava_row and ">Due<" in ava_row  # in words, not colour alone
    assert "0 of 6" in ava_row
    assert "Every two weeks" in ben_row and ">On track<" in ben_row and "1 of 6" in ben_row
    assert reverse("contact_plan_edit", args=[ava.pk]) in ava_row
    assert '<th scope="col">' in families and "<caption" in families


def test_the_families_table_filters_by_status(school, sendco, signed_in):
    a_family(school, "OnTrack", contacted=1)
    a_family(school, "Due", contacted=8)
    a_family(school, "Overdue", contacted=30)
    client = signed_in(sendco)
    response = client.get(URL + "?status=overdue")
    assert [r.child.first_name for r in response.context["page"].object_list] == ["Overdue"]
    assert response.context["radar"].counts == {"on_track": 1, "due": 1, "overdue": 1}
    response = client.get(URL + "?status=on_track")
    assert [r.child.first_name for r in response.context["page"].object_list] == ["OnTrack"]
    response = client.get(URL + "?status=nonsense")
    assert len(response.context["page"].object_list) == 3


def test_the_perception_gap_is_shown_in_words(school, sendco, signed_in):
    for name, logged, says in (("Ann", 4, "1-2"), ("Bob", 1, "1-2")):
        child = a_family(
            school, name, contacted=None, answered_at=days_ago(school, 0), heard_from_school=says
        )
        for n in range(logged):
            ContactEntryFactory(school=school, children=[child], happened_at=days_ago(school, n))
    page = signed_in(sendco).get(URL).content.decode()
    gap = page[page.index('id="gap-heading"') :]
    assert "Of 2 families who answered, 50% say they heard from school less often" in gap
    assert "school logged 2.5 contacts" in gap and "once or twice" in gap
    assert "Parent says fewer" in gap and "About the same" in gap


def test_empty_sections_say_what_happens_next(school, sendco, signed_in):
    page = signed_in(sendco).get(URL).content.decode()
    assert "No family needs closer contact right now" in page
    assert "Import them from your MIS" in page
    assert "No parent has answered this question" in page


def test_long_lists_are_paged(school, sendco, signed_in):
    for n in range(51):
        ChildFactory(school=school, first_name=f"Child{n:02d}")  # never contacted
    client = signed_in(sendco)
    first = client.get(URL)
    assert len(first.context["page"].object_list) == 50
    assert len(first.context["closer"].object_list) == 25
    assert "Page 1 of 3 (51 families)" in first.content.decode()
    assert len(client.get(URL + "?closer=3").context["closer"].object_list) == 1
    second = client.get(URL + "?status=overdue&page=2")
    assert len(second.context["page"].object_list) == 1
    assert "status=overdue&amp;page=1" in second.content.decode()


def test_the_administrator_also_sees_the_dashboard(school, administrator, child, signed_in):
    response = signed_in(administrator).get(URL)
    assert response.status_code == 200
    assert "Ava" in response.content.decode()


@pytest.mark.parametrize("who", ["teacher", "parent", "governor", "sendco_elsewhere"])
def test_only_the_schools_sendco_and_administrator_see_the_dashboard(
    school, other_school, child, parent, teacher, governor, who, signed_in
):
    AssignmentFactory(membership=teacher.memberships.get(), child=child)
    people = {
        "teacher": teacher,  # even one who teaches a child on it
        "parent": parent,
        "governor": governor,
        "sendco_elsewhere": staff_member(other_school, "sendco"),
    }
    response = signed_in(people[who]).get(URL)
    assert response.status_code == 404
    assert b"Ava" not in response.content


def test_staff_home_links_to_the_dashboard_for_the_sendco(school, sendco, signed_in):
    page = signed_in(sendco).get("/staff/").content.decode()
    assert f'href="{URL}"' in page and "Contact dashboard" in page


def busy_families(school, start: int, count: int) -> None:
    """Families with two parents, a plan, contact (a SENDCo meeting among it), check-ins
    answered and not, and an overdue review: every figure on the page has data."""
    for n in range(start, start + count):
        child = ChildFactory(school=school, first_name=f"Child{n:02d}")
        parents = [FamilyLinkFactory(child=child).parent, UserFactory()]
        FamilyLinkFactory(child=child, parent=parents[1], relationship="father")
        ContactPlanFactory(child=child, frequency=["daily", "weekly", "fortnightly"][n % 3])
        for days in (0, 30):
            ContactEntryFactory(
                school=school,
                children=[child],
                parents=parents,
                happened_at=days_ago(school, days),
                is_sendco_meeting=days == 0,
            )
        CheckInFactory(parent=parents[0], school=school, week_of=monday(school))
        CheckInFactory(
            parent=parents[0],
            school=school,
            week_of=monday(school, 1),
            answered_at=days_ago(school, 6),
            rating=1 + n % 5,
            wants_call=n % 4 == 0,
            heard_from_school="1-2",
        )
        PlanCycleFactory(
            child=child,
            starts_on=school_today(school) - datetime.timedelta(days=100),
            review_on=school_today(school) - datetime.timedelta(days=n % 3),
        )


def test_the_dashboard_runs_the_same_queries_for_5_or_50_families(
    client, school, sendco, login_with_password, django_assert_num_queries
):
    busy_families(school, 0, 5)
    login_with_password(client, sendco)
    client.get(URL)
    # session, the user with their standing, two-factor gate (authenticator), the school,
    # "leads SEND here?", the children, their parents, the school's recent contact counted
    # for each child, earlier contact of families not in touch lately, the half-term's
    # check-ins with any call still waiting, overdue reviews, the children with no praise
    # lately.
    with django_assert_num_queries(12):
        response = client.get(URL)
    assert len(response.context["radar"].rows) == 5
    busy_families(school, 5, 45)
    with django_assert_num_queries(12):
        response = client.get(URL)
    radar = response.context["radar"]
    assert len(radar.rows) == 50
    assert all(len(row.parents) == 2 for row in radar.rows)
    assert all(row.sendco_meetings == 1 for row in radar.rows)
    assert len(radar.perception_gap.rows) == 50
