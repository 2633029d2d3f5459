"""The contact log pages: staff log a contact and read the history; the family reads
what was shared with them and answers."""

import datetime

import pytest
from django.utils import timezone

from partnership.contact.models import AgreedAction, CheckIn, Confirmation, ContactEntry
from tests.factories import AssignmentFactory, ChildFactory, FamilyLinkFactory
from tests.factories_contact import AgreedActionFactory, CheckInFactory, ContactEntryFactory


@pytest.fixture
def signed_in(client, login_with_password):
    def sign_in(user):
        client.logout()
        login_with_password(client, user)
        return client

    return sign_in


def form_data(child, parents=(), **overrides):
    data = {
        "children": [child.pk],
        "parents": [str(p.pk) for p in parents],
        "happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": "phone",
        "started_by": "school",
        "summary": "Rang about the swimming lesson",
        "shared_with_family": "on",
        "action-TOTAL_FORMS": "3",
        "action-INITIAL_FORMS": "0",
        "action-MIN_NUM_FORMS": "0",
        "action-MAX_NUM_FORMS": "3",
    }
    data.update(overrides)
    return data


def test_the_form_starts_with_the_child_the_family_and_now(signed_in, child, parent, sendco):
    sibling = ChildFactory(school=child.school, first_name="Noah")
    FamilyLinkFactory(parent=parent, child=sibling)
    page = signed_in(sendco).get(f"/children/{child.pk}/contact/new/")
    assert page.status_code == 200
    form = page.context["form"]
    assert form["children"].initial == [child.pk]
    assert form["parents"].initial == [str(parent.pk)]
    assert {c.pk for c in form.fields["children"].queryset} == {child.pk, sibling.pk}
    html = page.content.decode()
    assert "Noah" in html and str(parent) in html
    assert 'type="datetime-local"' in html


def test_staff_log_a_contact_with_an_agreed_action(signed_in, child, parent, sendco):
    data = form_data(
        child,
        [parent],
        **{
            "action-0-description": "Send home the swimming kit list",
            "action-0-owner": str(sendco.pk),
            "action-0-due_on": "2030-01-10",
        },
    )
    response = signed_in(sendco).post(f"/children/{child.pk}/contact/new/", data, follow=True)
    assert response.redirect_chain[-1][0] == f"/children/{child.pk}/contact/"
    entry = ContactEntry.objects.get()
    assert list(entry.children.all()) == [child] and list(entry.parents.all()) == [parent]
    assert entry.summary == "Rang about the swimming lesson" and entry.shared_with_family
    action = entry.actions.get()
    assert action.owner == sendco and action.due_on == datetime.date(2030, 1, 10)
    html = response.content.decode()
    assert "Contact logged." in html and "Send home the swimming kit list" in html


def test_an_action_row_without_an_owner_is_sent_back(signed_in, child, sendco):
    data = form_data(child, **{"action-1-description": "Call the GP"})
    response = signed_in(sendco).post(f"/children/{child.pk}/contact/new/", data)
    assert response.status_code == 200
    assert "Say who will do it." in response.content.decode()
    assert not ContactEntry.objects.exists()


def test_logging_a_call_answers_the_call_back_request(signed_in, child, parent, sendco):
    CheckInFactory(
        parent=parent,
        school=child.school,
        wants_call=True,
        answered_at=timezone.now() - datetime.timedelta(hours=3),
    )
    response = signed_in(sendco).post(
        f"/children/{child.pk}/contact/new/", form_data(child, [parent]), follow=True
    )
    assert "request for a call is marked as answered" in response.content.decode()
    assert CheckIn.objects.get().call_done_at is not None


def test_a_teacher_who_does_not_teach_the_child_gets_404_everywhere(
    signed_in, school, child, parent, teacher
):
    entry = ContactEntryFactory(school=school, children=[child], parents=[parent])
    action = AgreedActionFactory(entry=entry)
    client = signed_in(teacher)
    assert client.get(f"/children/{child.pk}/contact/").status_code == 404
    assert client.get(f"/children/{child.pk}/contact/new/").status_code == 404
    assert client.post(f"/children/{child.pk}/contact/new/", form_data(child)).status_code == 404
    assert client.post(f"/actions/{action.pk}/done/").status_code == 404
    assert client.get(f"/actions/{action.pk}/done/").status_code == 404
    assert client.post(f"/contact/{entry.pk}/confirm/", {"answer": "confirmed"}).status_code == 404
    assert ContactEntry.objects.count() == 1
    action.refresh_from_db()
    assert action.done_at is None and not Confirmation.objects.exists()


def test_a_teacher_who_teaches_the_child_logs_and_reads(signed_in, school, child, teacher):
    AssignmentFactory(membership=teacher.memberships.get(), child=child)
    client = signed_in(teacher)
    assert client.get(f"/children/{child.pk}/contact/").status_code == 200
    response = client.post(f"/children/{child.pk}/contact/new/", form_data(child))
    assert response.status_code == 302
    assert ContactEntry.objects.get().author == teacher


def test_a_sibling_the_teacher_does_not_teach_cannot_be_ticked(signed_in, school, child, teacher):
    AssignmentFactory(membership=teacher.memberships.get(), child=child)
    sibling = ChildFactory(school=school)
    parent = FamilyLinkFactory(child=child).parent
    FamilyLinkFactory(parent=parent, child=sibling)
    data = form_data(child, [parent], children=[child.pk, sibling.pk])
    response = signed_in(teacher).post(f"/children/{child.pk}/contact/new/", data)
    assert response.status_code == 200  # the form says the choice is not valid
    assert not ContactEntry.objects.exists()


def test_a_governor_gets_404(signed_in, school, child, governor):
    entry = ContactEntryFactory(school=school, children=[child])
    client = signed_in(governor)
    assert client.get(f"/children/{child.pk}/contact/").status_code == 404
    assert client.get(f"/children/{child.pk}/contact/new/").status_code == 404
    assert client.post(f"/contact/{entry.pk}/confirm/", {"answer": "confirmed"}).status_code == 404


def test_staff_see_every_entry_with_actions_and_the_familys_answers(
    signed_in, school, child, parent, sendco
):
    shared = ContactEntryFactory(school=school, children=[child], parents=[parent])
    ContactEntryFactory(
        school=school,
        children=[child],
        summary="Staff note: safeguarding",
        shared_with_family=False,
    )
    AgreedActionFactory(entry=shared, description="Practise the bus route", owner=parent)
    Confirmation.objects.create(entry=shared, parent=parent, answer="disputed", note="Not Monday")
    html = signed_in(sendco).get(f"/children/{child.pk}/contact/").content.decode()
    assert "Staff note: safeguarding" in html and "Staff only" in html
    assert "Practise the bus route" in html
    assert "Remembered differently" in html and "Not Monday" in html


def test_a_parent_sees_only_shared_entries_and_answers_them(signed_in, school, child, parent):
    shared = ContactEntryFactory(school=school, children=[child], summary="We spoke on Monday")
    ContactEntryFactory(
        school=school,
        children=[child],
        summary="Staff note: safeguarding",
        shared_with_family=False,
    )
    AgreedActionFactory(entry=shared, description="Send home the kit list", owner_label="Office")
    client = signed_in(parent)
    html = client.get(f"/children/{child.pk}/contact/").content.decode()
    assert "We spoke on Monday" in html and "Send home the kit list" in html and "Office" in html
    assert "safeguarding" not in html and "Staff only" not in html
    assert "Yes, that is right" in html and "Mark done" not in html

    response = client.post(
        f"/contact/{shared.pk}/confirm/", {"answer": "disputed", "note": "It was Tuesday"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/children/{child.pk}/contact/#contact-{shared.pk}"
    client.post(f"/contact/{shared.pk}/confirm/", {"answer": "confirmed"})
    answer = Confirmation.objects.get(entry=shared, parent=parent)
    assert answer.answer == "confirmed"
    assert (
        "You said this is right." in client.get(f"/children/{child.pk}/contact/").content.decode()
    )


def test_a_parent_cannot_answer_an_unshared_entry_or_mark_an_action_done(
    signed_in, school, child, parent
):
    unshared = ContactEntryFactory(school=school, children=[child], shared_with_family=False)
    action = AgreedActionFactory(entry=ContactEntryFactory(school=school, children=[child]))
    client = signed_in(parent)
    assert client.post(f"/contact/{unshared.pk}/confirm/", {"answer": "confirmed"}).status_code == (
        404
    )
    assert client.post(f"/actions/{action.pk}/done/").status_code == 404
    assert client.get(f"/children/{child.pk}/contact/new/").status_code == 404
    assert not Confirmation.objects.exists()
    action.refresh_from_db()
    assert action.done_at is None


def test_a_parent_of_another_child_gets_404(signed_in, school, child):
    entry = ContactEntryFactory(school=school, children=[child])
    stranger = FamilyLinkFactory(child=ChildFactory(school=school)).parent
    client = signed_in(stranger)
    assert client.get(f"/children/{child.pk}/contact/").status_code == 404
    assert client.post(f"/contact/{entry.pk}/confirm/", {"answer": "confirmed"}).status_code == 404
    assert not Confirmation.objects.exists()


def test_staff_mark_an_action_done(signed_in, school, child, sendco):
    action = AgreedActionFactory(entry=ContactEntryFactory(school=school, children=[child]))
    client = signed_in(sendco)
    assert client.get(f"/actions/{action.pk}/done/").status_code == 405
    response = client.post(f"/actions/{action.pk}/done/")
    assert response["Location"] == f"/children/{child.pk}/contact/#contact-{action.entry_id}"
    action.refresh_from_db()
    assert action.done_at is not None


def test_the_child_page_links_to_the_contact_history(signed_in, child, parent, sendco):
    assert "Contact with school" in signed_in(parent).get(f"/children/{child.pk}/").content.decode()
    html = signed_in(sendco).get(f"/children/{child.pk}/").content.decode()
    assert f"/children/{child.pk}/contact/" in html


def grow(school, child, parent, sendco, count):
    for n in range(count):
        entry = ContactEntryFactory(
            school=school, children=[child], parents=[parent], author=sendco, summary=f"Call {n}"
        )
        AgreedActionFactory(entry=entry, owner=sendco)
        Confirmation.objects.create(entry=entry, parent=parent, answer="confirmed")


@pytest.mark.parametrize(
    "who, queries",
    [
        # session, the user with their standing; the child with its school; the count for
        # the pages; one page of entries with their authors; their children, parents,
        # actions with owners, and confirmations. The standing says a parent is no staff,
        # so "staff for this child?" is not asked and the read is not recorded.
        ("parent", 9),
        # as above, plus the gate's check for the staff member's TOTP, "staff for this
        # child?", and the audit trail's look-up of the child and INSERT of the read.
        ("sendco", 13),
    ],
)
def test_the_history_runs_the_same_queries_with_ten_times_the_entries(
    signed_in, school, child, parent, sendco, who, queries, django_assert_num_queries
):
    client = signed_in({"parent": parent, "sendco": sendco}[who])
    grow(school, child, parent, sendco, 5)
    client.get(f"/children/{child.pk}/contact/")  # the first visit settles the session
    with django_assert_num_queries(queries):
        assert client.get(f"/children/{child.pk}/contact/").status_code == 200
    grow(school, child, parent, sendco, 45)
    with django_assert_num_queries(queries):
        html = client.get(f"/children/{child.pk}/contact/").content.decode()
    assert html.count('class="card mb-3 contact-entry"') == 25
    assert AgreedAction.objects.count() == 50
