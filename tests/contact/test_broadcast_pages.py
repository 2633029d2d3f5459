"""The SENDCo's and administrator's pages: write, preview, send, see who has read it;
and the key documents shown to families. Everyone else gets 404."""

from html import unescape
from html.parser import HTMLParser

import pytest
from django.core import mail

from partnership.contact.models import Broadcast, KeyDocument
from partnership.notifications.models import OutboxMessage
from tests.conftest import staff_member
from tests.factories import ChildFactory, FamilyLinkFactory, UserFactory
from tests.factories_contact import KeyDocumentFactory

NEW = "/schools/riverside/broadcasts/new/"


@pytest.fixture
def year4(school, parent):
    """The fixture parent's child is in Year 4 (4A); a second Year 4 family, and a Year 6."""
    FamilyLinkFactory(
        child=ChildFactory(school=school, year_group=4, class_name="4B", first_name="Ben"),
        parent__full_name="Bea Brown",
    )
    FamilyLinkFactory(child=ChildFactory(school=school, year_group=6, class_name="6A"))


def message(once, **extra):
    return {
        "kind": "year_group",
        "year_group": "4",
        "subject": "Year 4 trip",
        "body": "We are going to the museum on Tuesday.",
        "once": once,
        **extra,
    }


def new_form(client):
    response = client.get(NEW)
    return str(response.context["form"]["once"].value())


@pytest.mark.parametrize("role", ["sendco", "administrator"])
def test_a_message_is_previewed_then_sent_to_the_group(
    client, school, year4, role, login_with_password, django_capture_on_commit_callbacks
):
    login_with_password(client, staff_member(school, role))
    once = new_form(client)
    preview = client.post(NEW, message(once, preview=""))
    html = preview.content.decode()
    assert "It goes to 2 families: Year 4 families." in html
    assert "Send to 2 families" in html
    assert not Broadcast.objects.exists()  # the preview sends nothing

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(NEW, message(once, send=""), follow=True)
    assert "Sent to 2 families." in sent.content.decode()
    assert len(mail.outbox) == 2
    broadcast = Broadcast.objects.get()
    assert (broadcast.audience, broadcast.subject) == ("Year 4 families", "Year 4 trip")


def test_sending_the_same_form_again_sends_nothing_more(
    client, sendco, year4, login_with_password, django_capture_on_commit_callbacks
):
    login_with_password(client, sendco)
    once = new_form(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, message(once, send=""))
        again = client.post(NEW, message(once, send=""), follow=True)
    assert "already been sent" in again.content.decode()
    assert again.redirect_chain[-1][0].endswith(f"/broadcasts/{Broadcast.objects.get().pk}/")
    assert len(mail.outbox) == 2
    assert OutboxMessage.objects.filter(kind="broadcast").count() == 2


def test_each_new_form_has_its_own_one_time_value(client, sendco, login_with_password):
    login_with_password(client, sendco)
    assert new_form(client) != new_form(client)


def test_change_the_message_goes_back_to_the_filled_in_form(
    client, sendco, year4, login_with_password
):
    login_with_password(client, sendco)
    response = client.post(NEW, message(new_form(client), edit=""))
    assert response.templates[0].name == "contact/broadcast_form.html"
    assert "We are going to the museum on Tuesday." in response.content.decode()
    assert not Broadcast.objects.exists()


def test_a_group_with_nobody_in_it_says_so_before_anything_is_sent(
    client, school, sendco, parent, login_with_password
):
    ChildFactory(school=school, year_group=6)  # a Year 6 child whose family is not on yet
    login_with_password(client, sendco)
    response = client.post(NEW, message(new_form(client), year_group="6", preview=""))
    assert "No families in this group can receive messages yet" in response.content.decode()
    assert not Broadcast.objects.exists()


def test_the_detail_of_the_chosen_group_is_required(client, sendco, parent, login_with_password):
    login_with_password(client, sendco)
    response = client.post(NEW, message(new_form(client), kind="class", preview=""))
    assert "Choose the class." in response.content.decode()


def test_only_this_schools_children_can_be_chosen(
    client, sendco, parent, other_school, login_with_password
):
    theirs = FamilyLinkFactory(child=ChildFactory(school=other_school)).child
    login_with_password(client, sendco)
    response = client.post(
        NEW, message(new_form(client), kind="chosen", children=[theirs.pk], send="")
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Broadcast.objects.exists()


def test_the_list_and_the_message_show_who_has_opened_it(
    client, school, sendco, year4, parent, login_with_password
):
    login_with_password(client, sendco)
    client.post(NEW, message(new_form(client), send=""))
    broadcast = Broadcast.objects.get()
    broadcast.recipients.filter(parent=parent).update(opened_at="2026-11-20T10:15:00Z")

    listing = client.get("/schools/riverside/broadcasts/")
    row = listing.context["page"].object_list[0]
    assert (row.recipient_count, row.opened_count) == (2, 1)
    assert "Year 4 trip" in listing.content.decode()

    detail = client.get(f"/schools/riverside/broadcasts/{broadcast.pk}/").content.decode()
    assert "1 of 2 families have opened it." in detail
    assert "20 Nov 2026" in detail
    assert "Bea Brown" in detail
    assert "not yet" in detail


def test_the_list_is_paged_by_twenty_five(client, school, sendco, login_with_password):
    for n in range(26):
        Broadcast.objects.create(school=school, subject=f"News {n}", body="-", audience="All")
    login_with_password(client, sendco)
    assert len(client.get("/schools/riverside/broadcasts/").context["page"].object_list) == 25
    second = client.get("/schools/riverside/broadcasts/?page=2")
    assert len(second.context["page"].object_list) == 1


def test_the_list_runs_the_same_queries_for_3_or_30_messages(
    client, school, sendco, login_with_password, django_assert_num_queries
):
    parents = [UserFactory() for _ in range(3)]

    def grow(n):
        for i in range(n):
            broadcast = Broadcast.objects.create(school=school, subject=f"N{i}", body="-")
            for p in parents:
                broadcast.recipients.create(parent=p)

    grow(3)
    login_with_password(client, sendco)
    client.get("/schools/riverside/broadcasts/")
    # session, the user with their standing, two-factor gate (authenticator), the school,
    # "leads SEND here?", count, the page of broadcasts with author and counts.
    with django_assert_num_queries(7):
        client.get("/schools/riverside/broadcasts/")
    grow(27)
    with django_assert_num_queries(7):
        page = client.get("/schools/riverside/broadcasts/")
    assert page.context["page"].paginator.count == 30


@pytest.mark.parametrize("who", ["teacher", "parent", "governor", "sendco_elsewhere"])
def test_the_staff_pages_are_404_for_everyone_else(
    client, school, other_school, parent, teacher, governor, who, login_with_password
):
    broadcast = Broadcast.objects.create(school=school, subject="S", body="B", audience="All")
    document = KeyDocumentFactory(school=school)
    people = {
        "teacher": teacher,
        "parent": parent,
        "governor": governor,
        "sendco_elsewhere": staff_member(other_school, "sendco"),
    }
    login_with_password(client, people[who])
    base = "/schools/riverside"
    for url in (
        f"{base}/broadcasts/",
        NEW,
        f"{base}/broadcasts/{broadcast.pk}/",
        f"{base}/documents/",
        f"{base}/documents/new/",
        f"{base}/documents/{document.pk}/edit/",
        f"{base}/documents/{document.pk}/retire/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(NEW, message("a" * 32, kind="all", send="")).status_code == 404
    assert client.post(f"{base}/documents/{document.pk}/retire/").status_code == 404
    assert not Broadcast.objects.exclude(pk=broadcast.pk).exists()
    assert KeyDocument.objects.get().is_current


def test_a_message_of_another_school_is_404_by_id(
    client, sendco, other_school, login_with_password
):
    theirs = Broadcast.objects.create(school=other_school, subject="S", body="B")
    login_with_password(client, sendco)
    assert client.get(f"/schools/riverside/broadcasts/{theirs.pk}/").status_code == 404


def test_key_documents_are_added_edited_and_retired_after_confirmation(
    client, school, sendco, login_with_password
):
    login_with_password(client, sendco)
    added = client.post(
        "/schools/riverside/documents/new/",
        {
            "title": "SEND policy",
            "summary": "How we support children",
            "link": "riverside.sch.uk/send",
        },
        follow=True,
    )
    assert "“SEND policy” is on the parents' notices page." in unescape(added.content.decode())
    document = KeyDocument.objects.get()
    assert document.link == "https://riverside.sch.uk/send"

    client.post(
        f"/schools/riverside/documents/{document.pk}/edit/",
        {"title": "SEND policy 2026", "summary": "Updated", "link": ""},
    )
    document.refresh_from_db()
    assert (document.title, document.summary) == ("SEND policy 2026", "Updated")

    confirm = client.get(f"/schools/riverside/documents/{document.pk}/retire/")
    assert "Stop showing this document to parents?" in confirm.content.decode()
    document.refresh_from_db()
    assert document.is_current  # asking is not doing
    client.post(f"/schools/riverside/documents/{document.pk}/retire/")
    document.refresh_from_db()
    assert not document.is_current
    listing = client.get("/schools/riverside/documents/").content.decode()
    assert "not shown to parents" in listing


def test_a_second_current_document_with_the_same_title_is_refused(
    client, school, sendco, login_with_password
):
    KeyDocumentFactory(school=school, title="SEND policy")
    login_with_password(client, sendco)
    response = client.post(
        "/schools/riverside/documents/new/", {"title": "SEND policy", "summary": "x"}
    )
    assert "already shows parents a document called “SEND policy”" in response.content.decode()
    assert KeyDocument.objects.count() == 1


def test_a_retired_title_can_be_used_again(client, school, sendco, login_with_password):
    KeyDocumentFactory(school=school, title="SEND policy", is_current=False)
    login_with_password(client, sendco)
    client.post("/schools/riverside/documents/new/", {"title": "SEND policy", "summary": "New"})
    assert KeyDocument.objects.filter(title="SEND policy", is_current=True).count() == 1


class HiddenInputs(HTMLParser):
    """The hidden fields of a page, as the browser would post them."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden":
            self.data.setdefault(attrs["name"], []).append(attrs.get("value", ""))


def test_the_preview_carries_the_whole_message_to_the_send_button(
    client, school, sendco, year4, parent, login_with_password, django_capture_on_commit_callbacks
):
    chosen = [parent.family_links.get().child, ChildFactory(school=school, first_name="Cy")]
    FamilyLinkFactory(child=chosen[1])
    login_with_password(client, sendco)
    body = "Line one.\nLine two with “quotes” & <angles>."
    preview = client.post(
        NEW,
        message(
            new_form(client),
            kind="chosen",
            children=[c.pk for c in chosen],
            body=body,
            preview="",
        ),
    )
    assert "Families of 2 chosen children" in unescape(preview.content.decode())
    inputs = HiddenInputs()
    inputs.feed(preview.content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, {**inputs.data, "send": ""})
    broadcast = Broadcast.objects.get()
    assert broadcast.body == body
    assert broadcast.recipients.count() == 2
    assert len(mail.outbox) == 2
