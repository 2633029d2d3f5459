"""Support requests from the parent's side: one open request per topic (asking again
updates it), "how" required, withdrawing, and only their own requests."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from partnership.coproduction.models import SupportRequest
from partnership.coproduction.services.support import SupportRefused, support_ask, support_withdraw

from ..factories import ChildFactory, FamilyLinkFactory
from ..factories_coproduction import SupportRequestFactory
from ..factories_meetings import GroupSessionFactory

Status = SupportRequest.Status


def _ask(parent, school, topics=("behaviour",), **how):
    how = {"online": False, "in_person": True, "resources": False, **how}
    return support_ask(parent=parent, school=school, topics=list(topics), **how)


def test_asking_creates_one_request_per_topic(school, parent):
    made = _ask(parent, school, topics=["behaviour", "stress"], online=True, note=" Evenings ")
    assert {r.topic for r in made} == {"behaviour", "stress"}
    assert all(r.status == Status.OPEN and r.online and r.in_person for r in made)
    assert made[0].note == "Evenings"


def test_asking_again_updates_the_open_request(school, parent):
    first = _ask(parent, school)[0]
    again = _ask(parent, school, in_person=False, resources=True, note="Videos please")[0]
    assert again.pk == first.pk
    assert SupportRequest.objects.filter(parent=parent, topic="behaviour").count() == 1
    first.refresh_from_db()
    assert (first.in_person, first.resources, first.note) == (False, True, "Videos please")


def test_the_database_refuses_a_second_open_request_on_a_topic(school, parent):
    SupportRequestFactory(school=school, parent=parent, topic="behaviour")
    with pytest.raises(IntegrityError):
        SupportRequestFactory(school=school, parent=parent, topic="behaviour")


def test_asking_after_an_offer_opens_a_new_request(school, parent):
    offered = SupportRequestFactory(school=school, parent=parent, status=Status.OFFERED)
    new = _ask(parent, school)[0]
    assert new.pk != offered.pk and new.status == Status.OPEN


def test_how_is_required(school, parent):
    with pytest.raises(SupportRefused):
        _ask(parent, school, in_person=False)
    assert not SupportRequest.objects.exists()


def test_a_topic_is_required_and_must_be_known(school, parent):
    with pytest.raises(SupportRefused):
        _ask(parent, school, topics=[])
    with pytest.raises(SupportRefused):
        _ask(parent, school, topics=["astrology"])


def test_only_at_the_school_of_their_child(school, other_school, parent):
    with pytest.raises(SupportRefused):
        _ask(parent, other_school)


def test_withdraw(school, parent):
    request = _ask(parent, school)[0]
    support_withdraw(request=request, by=parent)
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
    # Withdrawn no longer blocks asking again.
    assert _ask(parent, school)[0].pk != request.pk


def test_withdraw_refuses_someone_else(school, parent):
    other = FamilyLinkFactory(child__school=school).parent
    request = _ask(parent, school)[0]
    with pytest.raises(SupportRefused):
        support_withdraw(request=request, by=other)


# The page.


def test_page_asks_and_lists(client, school, parent):
    client.force_login(parent)
    page = client.get(reverse("support_requests")).content.decode()
    assert "What support would help you?" in page
    assert "You have not asked for anything yet." in page
    # One school: no question about which.
    assert 'type="hidden" name="school"' in page
    response = client.post(
        reverse("support_requests"),
        {"school": school.pk, "topics": ["behaviour", "wellbeing"], "online": "on", "note": "Hi"},
        follow=True,
    )
    page = response.content.decode()
    assert "Thank you for telling us" in page
    assert "Managing behaviour" in page and "Wellbeing" in page
    assert SupportRequest.objects.filter(parent=parent, status=Status.OPEN).count() == 2


def test_page_says_how_is_needed(client, school, parent):
    client.force_login(parent)
    response = client.post(reverse("support_requests"), {"school": school.pk, "topics": ["stress"]})
    assert response.status_code == 200
    assert "Tell us how you would like the support" in response.content.decode()
    assert not SupportRequest.objects.exists()


def test_parent_with_children_at_two_schools_chooses(client, school, other_school, parent):
    FamilyLinkFactory(parent=parent, child=ChildFactory(school=other_school))
    client.force_login(parent)
    page = client.get(reverse("support_requests")).content.decode()
    assert "Which school?" in page and "Hillside" in page
    client.post(
        reverse("support_requests"),
        {"school": other_school.pk, "topics": ["autism"], "resources": "on"},
    )
    assert SupportRequest.objects.get(parent=parent).school == other_school


def test_a_school_not_theirs_is_not_offered(client, school, other_school, parent):
    client.force_login(parent)
    client.post(
        reverse("support_requests"),
        {"school": other_school.pk, "topics": ["autism"], "resources": "on"},
    )
    assert not SupportRequest.objects.exists()


def test_offered_request_links_to_the_session(client, school, parent):
    session = GroupSessionFactory(school=school, topic="behaviour", title="Calm evenings")
    SupportRequestFactory(school=school, parent=parent, status=Status.OFFERED, session=session)
    client.force_login(parent)
    page = client.get(reverse("support_requests")).content.decode()
    assert "Session offered:" in page and "Calm evenings" in page
    assert reverse("session_detail", args=[session.pk]) in page


def test_withdraw_on_the_page(client, school, parent):
    request = SupportRequestFactory(school=school, parent=parent)
    client.force_login(parent)
    assert client.get(reverse("support_withdraw", args=[request.pk])).status_code == 405
    client.post(reverse("support_withdraw", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
    page = client.get(reverse("support_requests")).content.decode()
    assert "You have not asked for anything yet." in page


def test_another_familys_request_cannot_be_withdrawn(client, school, parent):
    someone = FamilyLinkFactory(child__school=school).parent
    theirs = SupportRequestFactory(school=school, parent=someone)
    client.force_login(parent)
    assert client.post(reverse("support_withdraw", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("support_withdraw", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.OPEN


def test_someone_with_no_children_sees_a_kind_empty_state(client, school, teacher):
    client.force_login(teacher)
    page = client.get(reverse("support_requests")).content.decode()
    assert "Once your child's school has linked you" in page


@pytest.mark.parametrize("scale", [1, 10])
def test_parent_page_query_count_is_flat(client, school, parent, scale, django_assert_num_queries):
    topics = ["behaviour", "stress", "wellbeing", "autism", "need", "curriculum", "other"]
    for i in range(scale):
        session = GroupSessionFactory(school=school, topic="behaviour")
        SupportRequestFactory(school=school, parent=parent, status=Status.OFFERED, session=session)
        if i < len(topics):  # one open request per topic
            SupportRequestFactory(school=school, parent=parent, topic=topics[i])
    client.force_login(parent)
    # Session and the user with their standing (2), the schools, the count and page of
    # requests (with their sessions).
    with django_assert_num_queries(5):
        response = client.get(reverse("support_requests"))
    assert response.content.decode().count("Session offered:") == scale
