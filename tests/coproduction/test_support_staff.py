"""Support requests from the SENDCo's side: demand by topic, who asked (staff only), and
offering a session to the families who asked, each emailed once."""

import pytest
from django.urls import reverse

from partnership.coproduction.models import SupportRequest
from partnership.coproduction.selectors_support import demand_by_topic
from partnership.coproduction.services.support import SupportRefused, support_offer
from partnership.notifications.models import OutboxMessage

from ..conftest import staff_member
from ..factories import ChildFactory, FamilyLinkFactory
from ..factories_coproduction import SupportRequestFactory
from ..factories_meetings import GroupSessionFactory
from ..meetings.session_helpers import make_started

Status = SupportRequest.Status


def _family(school, first_name=None, year_group=4, **parent):
    names = {"first_name": first_name} if first_name else {}
    child = ChildFactory(school=school, year_group=year_group, **names)
    return FamilyLinkFactory(child=child, **{f"parent__{k}": v for k, v in parent.items()}).parent


def _asks(school, topic="behaviour", count=1, **how):
    return [
        SupportRequestFactory(school=school, parent=_family(school), topic=topic, **how)
        for _ in range(count)
    ]


def test_demand_counts_by_topic(school, other_school):
    _asks(school, "behaviour", 3, in_person=True)
    _asks(school, "behaviour", 1, online=True, in_person=False, resources=True)
    SupportRequestFactory(school=school, parent=_family(school), status=Status.OFFERED)
    SupportRequestFactory(school=school, parent=_family(school), status=Status.WITHDRAWN)
    _asks(school, "stress", 2, online=True, in_person=False)
    _asks(other_school, "behaviour", 4)
    rows = demand_by_topic(school)
    assert [row.topic for row in rows] == ["behaviour", "stress"]
    behaviour, stress = rows
    assert (behaviour.families, behaviour.waiting, behaviour.offered) == (5, 4, 1)
    assert (behaviour.online, behaviour.in_person, behaviour.resources) == (1, 4, 1)
    assert (stress.families, stress.online, stress.in_person) == (2, 2, 0)


def test_no_demand_is_empty(school):
    assert demand_by_topic(school) == []


def test_offer_marks_requests_and_emails_each_parent_once(school, sendco):
    waiting = _asks(school, "behaviour", 3)
    already = SupportRequestFactory(school=school, parent=_family(school), status=Status.OFFERED)
    other_topic = _asks(school, "stress")[0]
    session = GroupSessionFactory(school=school, topic="behaviour", title="Calm evenings")
    assert support_offer(school=school, topic="behaviour", session=session, by=sendco) == 3
    for request in waiting:
        request.refresh_from_db()
        assert request.status == Status.OFFERED and request.session == session
    mails = OutboxMessage.objects.filter(kind="support_offer")
    emails = sorted(r.parent.email for r in waiting)
    assert sorted(mails.values_list("to_email", flat=True)) == emails
    message = mails.first()
    assert "Calm evenings" in message.subject
    assert reverse("session_detail", args=[session.pk]) in message.body_text
    assert message.key.startswith("support-offer:")
    # A second click: nobody is still waiting, nothing more is sent.
    assert support_offer(school=school, topic="behaviour", session=session, by=sendco) == 0
    assert mails.count() == 3
    already.refresh_from_db()
    other_topic.refresh_from_db()
    assert already.session is None and other_topic.status == Status.OPEN


def test_offer_refusals(school, other_school, sendco, teacher):
    _asks(school, "behaviour")
    session = GroupSessionFactory(school=school, topic="behaviour")
    with pytest.raises(SupportRefused):
        support_offer(school=school, topic="behaviour", session=session, by=teacher)
    with pytest.raises(SupportRefused):
        support_offer(school=school, topic="stress", session=session, by=sendco)
    elsewhere = GroupSessionFactory(school=other_school, topic="behaviour")
    with pytest.raises(SupportRefused):
        support_offer(school=school, topic="behaviour", session=elsewhere, by=sendco)
    make_started(session)
    with pytest.raises(SupportRefused):
        support_offer(school=school, topic="behaviour", session=session, by=sendco)
    assert not OutboxMessage.objects.filter(kind="support_offer").exists()


# The page.


def test_demand_page_shows_counts_and_who_asked(client, school, sendco, login_with_password):
    parent = _family(school, first_name="Ava", year_group=3, full_name="Priya Shah")
    SupportRequestFactory(school=school, parent=parent, topic="behaviour", note="Evenings")
    GroupSessionFactory(school=school, topic="behaviour", title="Calm evenings")
    login_with_password(client, sendco)
    page = client.get(reverse("support_demand", args=[school.slug])).content.decode()
    assert "Managing behaviour" in page
    assert "Priya Shah" in page and "Ava, Year 3" in page and "Evenings" in page
    assert f"{reverse('session_new', args=[school.slug])}?topic=behaviour" in page
    assert "Offer this session to the families who asked" in page and "Calm evenings" in page


def test_demand_page_empty_state(client, school, administrator, login_with_password):
    login_with_password(client, administrator)
    page = client.get(reverse("support_demand", args=[school.slug])).content.decode()
    assert "No family has asked for support yet." in page


def test_offer_from_the_page(client, school, sendco, login_with_password):
    request = _asks(school, "behaviour")[0]
    session = GroupSessionFactory(school=school, topic="behaviour")
    login_with_password(client, sendco)
    url = reverse("support_offer", args=[school.slug])
    assert client.get(url).status_code == 405
    response = client.post(url, {"topic": "behaviour", "session": session.pk}, follow=True)
    assert "Offered to 1 family" in response.content.decode()
    request.refresh_from_db()
    assert request.session == session
    client.post(url, {"topic": "behaviour", "session": session.pk})
    assert OutboxMessage.objects.filter(kind="support_offer").count() == 1


def test_offer_of_another_schools_session_is_refused(
    client, school, other_school, sendco, login_with_password
):
    request = _asks(school, "behaviour")[0]
    elsewhere = GroupSessionFactory(school=other_school, topic="behaviour")
    login_with_password(client, sendco)
    client.post(
        reverse("support_offer", args=[school.slug]),
        {"topic": "behaviour", "session": elsewhere.pk},
    )
    request.refresh_from_db()
    assert request.status == Status.OPEN


@pytest.mark.parametrize("role", ["teacher", "teaching_assistant", "governor"])
def test_staff_pages_are_404_for_other_roles(client, school, role, login_with_password):
    _asks(school, "behaviour")
    user = staff_member(school, role, f"{role}@example.test")
    login_with_password(client, user)
    assert client.get(reverse("support_demand", args=[school.slug])).status_code == 404
    assert client.post(reverse("support_offer", args=[school.slug])).status_code == 404


def test_staff_pages_are_404_at_another_school(client, school, other_school, login_with_password):
    sendco_elsewhere = staff_member(other_school, "sendco", "elsewhere@example.test")
    login_with_password(client, sendco_elsewhere)
    assert client.get(reverse("support_demand", args=[school.slug])).status_code == 404


def test_parent_cannot_see_who_asked(client, school, parent):
    client.force_login(parent)
    assert client.get(reverse("support_demand", args=[school.slug])).status_code == 404


@pytest.mark.parametrize("scale", [1, 10])
def test_demand_page_query_count_is_flat(
    client, school, sendco, login_with_password, scale, django_assert_num_queries
):
    for topic in ("behaviour", "stress", "wellbeing"):
        _asks(school, topic, 2 * scale)
        GroupSessionFactory(school=school, topic=topic)
    offered = SupportRequestFactory(school=school, parent=_family(school), status=Status.OFFERED)
    offered.session = GroupSessionFactory(school=school, topic="behaviour")
    offered.save()
    login_with_password(client, sendco)
    # Session, the user with their standing, the TOTP check (3), school_for (2), the
    # counts, the requests, the families' children, the upcoming sessions.
    with django_assert_num_queries(9):
        response = client.get(reverse("support_demand", args=[school.slug]))
    assert response.status_code == 200
