"""The outbox page: what a school sent, to whom, and what failed, for its SENDCo and office."""

import pytest

from partnership.notifications.models import OutboxMessage

from .helpers import OutboxMessageFactory

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status
URL = "/schools/riverside/outbox/"


@pytest.mark.parametrize("role", ["sendco", "administrator"])
def test_whole_school_staff_see_their_schools_messages_with_status_and_error(
    client, request, role, school, other_school
):
    OutboxMessageFactory(school=school, subject="Review on Tuesday", status=Status.SENT)
    OutboxMessageFactory(
        school=school,
        subject="Your sign-in code",
        to_email="nobody@example.test",
        status=Status.FAILED,
        attempts=6,
        last_error="SMTPRecipientsRefused: 550 no such mailbox",
    )
    OutboxMessageFactory(
        school=school,
        subject="Weekly check-in",
        attempts=2,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    OutboxMessageFactory(school=other_school, subject="Hillside newsletter")
    client.force_login(request.getfixturevalue(role))

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Review on Tuesday" in page and "Sent" in page
    assert "nobody@example.test" in page and "550 no such mailbox" in page
    assert "Tried 2 times: SMTPServerDisconnected" in page
    assert "Hillside newsletter" not in page


@pytest.mark.parametrize("role", ["teacher", "parent", "governor"])
def test_other_roles_get_404(client, request, role, school):
    OutboxMessageFactory(school=school)
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 404


def test_staff_of_another_school_get_404(client, sendco, other_school):
    OutboxMessageFactory(school=other_school)
    client.force_login(sendco)
    assert client.get("/schools/hillside/outbox/").status_code == 404
    assert client.get("/schools/no-such-school/outbox/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, school):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_fifty_messages_a_page_newest_first(client, school, sendco):
    for n in range(51):
        OutboxMessageFactory(school=school, subject=f"Note {n:02d}")
    client.force_login(sendco)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert "Page 1 of 2" in first.content.decode()
    assert [m.subject for m in second.context["page"].object_list] == ["Note 00"]
    assert first.context["page"].object_list[0].subject == "Note 50"


def test_the_status_filter_shows_only_that_status_and_keeps_it_across_pages(client, school, sendco):
    OutboxMessageFactory.create_batch(3, school=school, status=Status.SENT)
    OutboxMessageFactory.create_batch(52, school=school, status=Status.FAILED)
    client.force_login(sendco)

    sent = client.get(URL, {"status": "sent"})
    failed = client.get(URL, {"status": "failed"})

    assert {m.status for m in sent.context["page"].object_list} == {Status.SENT}
    assert len(sent.context["page"].object_list) == 3
    assert failed.context["page"].paginator.count == 52
    assert 'href="?status=failed&amp;page=2"' in failed.content.decode()
    assert '<option value="failed" selected>' in failed.content.decode()


def test_an_unknown_status_shows_everything_and_is_not_echoed(client, school, sendco):
    OutboxMessageFactory.create_batch(51, school=school)
    client.force_login(sendco)

    response = client.get(URL, {"status": "x&page=9"})

    assert response.context["page"].paginator.count == 51
    assert 'href="?page=2"' in response.content.decode()


def test_the_page_costs_the_same_queries_for_5_or_60_messages(
    client, school, sendco, django_assert_num_queries
):
    OutboxMessageFactory.create_batch(5, school=school)
    client.force_login(sendco)
    # session, the user with their standing, two-factor gate (a TOTP authenticator?), the
    # school by slug, "SENDCo or administrator here?", the count for the pages, and one
    # page of messages.
    with django_assert_num_queries(7):
        few = client.get(URL)
    OutboxMessageFactory.create_batch(55, school=school)
    with django_assert_num_queries(7):
        many = client.get(URL)

    assert len(few.context["page"].object_list) == 5
    assert len(many.context["page"].object_list) == 50
