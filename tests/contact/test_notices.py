"""The parents' notices page: the messages they received and the plans and policies of
their children's schools, and nothing of anyone else's."""

from urllib.parse import urlsplit

import pytest
from django.core import mail

from partnership.contact.audiences import Audience, AudienceKind
from partnership.contact.models import Broadcast, BroadcastRecipient
from partnership.contact.services.broadcasts import broadcast_send
from tests.factories import ChildFactory, FamilyLinkFactory
from tests.factories_contact import KeyDocumentFactory


def received(parent, school, subject="News", opened_at=None):
    broadcast = Broadcast.objects.create(school=school, subject=subject, body="Hello families")
    BroadcastRecipient.objects.create(broadcast=broadcast, parent=parent, opened_at=opened_at)
    return broadcast


@pytest.fixture
def signed_in(client, parent, login_with_password):
    login_with_password(client, parent)
    return client


def test_a_parent_sees_the_messages_they_received_newest_first(signed_in, school, parent):
    received(parent, school, "Sports day")
    received(parent, school, "Coffee morning")
    others = FamilyLinkFactory(child=ChildFactory(school=school)).parent
    received(others, school, "Year 6 residential trip")  # sent to another family only
    html = signed_in.get("/notices/").content.decode()
    assert html.index("Coffee morning") < html.index("Sports day")
    assert "Year 6 residential trip" not in html


def test_unread_messages_are_marked_new(signed_in, school, parent):
    received(parent, school, "Read already", opened_at="2026-11-20T10:00:00Z")
    received(parent, school, "Not read yet")
    page = signed_in.get("/notices/")
    rows = {r.broadcast.subject: r for r in page.context["page"].object_list}
    assert rows["Not read yet"].opened_at is None
    assert page.content.decode().count(">New</span>") == 1


def test_only_the_current_documents_of_their_childrens_schools_are_shown(
    signed_in, school, other_school
):
    KeyDocumentFactory(school=school, title="SEND information report", summary="Who to ask")
    KeyDocumentFactory(school=school, title="Old SEND policy", is_current=False)
    KeyDocumentFactory(school=other_school, title="Hillside accessibility plan")
    html = signed_in.get("/notices/").content.decode()
    assert "SEND information report" in html
    assert "Who to ask" in html
    assert "Old SEND policy" not in html
    assert "Hillside accessibility plan" not in html


def test_a_parent_with_children_at_two_schools_sees_both(signed_in, school, other_school, parent):
    FamilyLinkFactory(parent=parent, child=ChildFactory(school=other_school))
    received(parent, other_school, "Hillside open evening")
    KeyDocumentFactory(school=other_school, title="Hillside SEND policy")
    html = signed_in.get("/notices/").content.decode()
    assert "Hillside open evening" in html
    assert "Hillside SEND policy" in html


def test_opening_a_message_records_the_first_time_only(signed_in, school, parent):
    broadcast = received(parent, school, "Coffee morning")
    page = signed_in.get(f"/notices/{broadcast.pk}/")
    assert "Hello families" in page.content.decode()
    copy = BroadcastRecipient.objects.get(broadcast=broadcast, parent=parent)
    first = copy.opened_at
    assert first is not None
    signed_in.get(f"/notices/{broadcast.pk}/")
    copy.refresh_from_db()
    assert copy.opened_at == first


def test_another_familys_message_is_404_and_stays_unopened(signed_in, school):
    others = FamilyLinkFactory(child=ChildFactory(school=school)).parent
    theirs = received(others, school, "About your son's EHC plan review")
    response = signed_in.get(f"/notices/{theirs.pk}/")
    assert response.status_code == 404
    assert BroadcastRecipient.objects.get(broadcast=theirs).opened_at is None


def test_someone_with_no_children_has_no_notices_page(client, school, sendco, login_with_password):
    login_with_password(client, sendco)
    assert client.get("/notices/").status_code == 404


def test_the_link_in_the_email_opens_the_message_and_staff_see_it_opened(
    client, school, sendco, parent, login_with_password, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        broadcast = broadcast_send(
            school=school,
            audience=Audience(kind=AudienceKind.ALL),
            subject="Parents' evening",
            body="Book a slot.",
            by=sendco,
        )
    link = next(line for line in mail.outbox[0].body.splitlines() if "/notices/" in line)
    login_with_password(client, parent)
    page = client.get(urlsplit(link.strip()).path)
    assert "Book a slot." in page.content.decode()
    client.logout()
    login_with_password(client, sendco)
    detail = client.get(f"/schools/riverside/broadcasts/{broadcast.pk}/").content.decode()
    assert "1 of 1 family has opened it." in detail


def test_the_page_runs_the_same_queries_for_3_or_30_messages(
    signed_in, school, parent, django_assert_num_queries
):
    def grow(n):
        for i in range(n):
            received(
                parent, school, f"Message {i}", opened_at=None if i % 2 else "2026-11-20T10:00:00Z"
            )
            KeyDocumentFactory(school=school)

    grow(3)
    signed_in.get("/notices/")
    # session, the user with their standing, the parent's schools, count, the page of
    # messages with their schools, the current documents with their schools.
    with django_assert_num_queries(6):
        signed_in.get("/notices/")
    grow(27)
    with django_assert_num_queries(6):
        page = signed_in.get("/notices/")
    assert page.context["page"].paginator.count == 30
    assert len(page.context["page"].object_list) == 20


def test_a_parent_never_sees_a_message_from_a_school_their_child_has_left(
    signed_in, other_school, parent
):
    theirs = received(parent, other_school, "Hillside news")
    assert "Hillside news" not in signed_in.get("/notices/").content.decode()
    assert signed_in.get(f"/notices/{theirs.pk}/").status_code == 404


def test_a_new_parent_is_told_what_will_appear_here(signed_in):
    html = signed_in.get("/notices/").content.decode()
    assert "No messages yet" in html
    assert "has not put any plans or policies here yet" in html
