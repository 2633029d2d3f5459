"""The consultation pages: the SENDCo writes, asks, reads results and publishes; parents
answer and read the outcome. Anyone else gets 404."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from partnership.contact.audiences import Audience, AudienceKind
from partnership.coproduction.models import (
    Choice,
    Consultation,
    ConsultationInvite,
    ConsultationResponse,
)
from partnership.coproduction.services.consultations import (
    consultation_answer,
    consultation_create,
    consultation_open,
)
from tests.conftest import staff_member
from tests.factories import ChildFactory, FamilyLinkFactory, UserFactory
from tests.factories_coproduction import ParentGroupMemberFactory

BASE = "/schools/riverside/consultations/"


def in_days(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def make(school, sendco, *, open_to=None, statements=("Mornings suit my child.", "Fridays.")):
    consultation = consultation_create(
        school=school,
        by=sendco,
        title="Moving the reading group",
        background="We would like to run it in the morning.",
        questions=list(statements),
        closes_at=in_days(7),
    )
    if open_to is not None:
        consultation = consultation_open(consultation=consultation, by=sendco, audience=open_to)
    return consultation


EVERYONE = Audience(kind=AudienceKind.ALL)


def answer(consultation, parent, choice=Choice.AGREE, comment=""):
    return consultation_answer(
        consultation=consultation,
        parent=parent,
        choices={q.pk: choice for q in consultation.questions.all()},
        comment=comment,
    )


def answer_form(consultation, choice="agree", comment=""):
    data = {f"q{q.pk}": choice for q in consultation.questions.all()}
    data["comment"] = comment
    return data


@pytest.fixture
def as_sendco(client, sendco, login_with_password):
    login_with_password(client, sendco)
    return client


@pytest.fixture
def as_parent(client, parent, login_with_password):
    login_with_password(client, parent)
    return client


def test_the_sendco_writes_a_draft_previews_the_group_and_sends_it(
    as_sendco, school, parent, django_capture_on_commit_callbacks
):
    closes = timezone.localdate() + datetime.timedelta(days=10)
    response = as_sendco.post(
        f"{BASE}new/",
        {
            "title": "After-school club",
            "background": "We could run a club on Wednesdays.",
            "statements": "My child would come.\n\nWednesday suits us.\n",
            "closes_on": closes.isoformat(),
            "closes_time": "17:00",
        },
    )
    consultation = Consultation.objects.get()
    assert response["Location"] == f"{BASE}{consultation.pk}/"
    assert [q.text for q in consultation.questions.all()] == [
        "My child would come.",
        "Wednesday suits us.",
    ]
    preview = as_sendco.post(f"{BASE}{consultation.pk}/", {"kind": "all", "preview": ""})
    assert "It goes to 1 parent or carer: All SEND families." in preview.content.decode()
    assert not ConsultationInvite.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        sent = as_sendco.post(f"{BASE}{consultation.pk}/", {"kind": "all", "open": ""}, follow=True)
    assert "Sent to 1 parent or carer." in sent.content.decode()
    assert [m.to[0] for m in mail.outbox] == [parent.email]
    consultation.refresh_from_db()
    assert consultation.status == "open"


def test_a_closing_date_in_the_past_is_refused_on_the_form(as_sendco):
    response = as_sendco.post(
        f"{BASE}new/",
        {
            "title": "Club",
            "background": "Why",
            "statements": "Yes",
            "closes_on": "2020-01-01",
            "closes_time": "17:00",
        },
    )
    assert "Choose a closing date and time in the future." in response.content.decode()
    assert not Consultation.objects.exists()


def test_the_send_parent_group_is_offered_and_can_be_asked(as_sendco, school, sendco, parent):
    ParentGroupMemberFactory(school=school, parent=parent)
    FamilyLinkFactory(child=ChildFactory(school=school))  # a family not in the group
    consultation = make(school, sendco)
    page = as_sendco.get(f"{BASE}{consultation.pk}/").content.decode()
    assert "The SEND parent group" in page
    as_sendco.post(f"{BASE}{consultation.pk}/", {"kind": "parent_group", "open": ""})
    assert list(consultation.invites.values_list("parent", flat=True)) == [parent.pk]


def test_drafts_can_be_edited_and_sent_ones_cannot(as_sendco, school, sendco, parent):
    consultation = make(school, sendco)
    edit = as_sendco.get(f"{BASE}{consultation.pk}/edit/")
    assert "Mornings suit my child.\nFridays." in edit.content.decode()
    consultation_open(consultation=consultation, by=sendco, audience=EVERYONE)
    assert as_sendco.get(f"{BASE}{consultation.pk}/edit/")["Location"].endswith(
        f"/{consultation.pk}/"
    )


def test_the_list_shows_each_stage_with_response_rates(as_sendco, school, sendco, parent):
    make(school, sendco)
    opened = make(school, sendco, open_to=EVERYONE)
    FamilyLinkFactory(child=ChildFactory(school=school))
    answer(opened, parent)
    html = as_sendco.get(BASE).content.decode()
    assert "1 of 1 answered" in html
    assert "Drafts" in html and "No consultation is open." not in html


def test_results_comments_and_publishing(
    as_sendco, school, sendco, parent, django_capture_on_commit_callbacks
):
    other = FamilyLinkFactory(child=ChildFactory(school=school)).parent
    consultation = make(school, sendco, open_to=EVERYONE)
    answer(consultation, parent, Choice.AGREE, comment="Mornings are calmer for us.")
    answer(consultation, other, Choice.DISAGREE)
    html = as_sendco.get(f"{BASE}{consultation.pk}/").content.decode()
    assert "2 of 2 answered" in html
    assert "50%" in html and "Mornings are calmer for us." in html
    assert parent.full_name not in html  # comments are shown without names
    assert 'value="50"' in html and "style=" not in html

    confirm = as_sendco.get(f"{BASE}{consultation.pk}/close/")
    assert "Close it now" in confirm.content.decode()
    as_sendco.post(f"{BASE}{consultation.pk}/close/")
    consultation.refresh_from_db()
    assert consultation.status == "closed"
    closed = as_sendco.get(f"{BASE}{consultation.pk}/").content.decode()
    assert "Publish and tell parents" in closed and "Close it early" not in closed
    outcome = {"you_said": "Mornings.", "we_did": "Moved it.", "not_changed": "Fridays stay."}
    with django_capture_on_commit_callbacks(execute=True):
        done = as_sendco.post(f"{BASE}{consultation.pk}/", outcome, follow=True)
    assert "Published." in done.content.decode()
    assert (
        sorted(m.subject for m in mail.outbox if "You said" in m.subject)
        == ["You said, we did: Moving the reading group (Riverside)"] * 2
    )


@pytest.mark.parametrize("role", ["teacher", "governor", "teaching_assistant"])
def test_staff_pages_are_404_for_other_roles(client, school, sendco, role, login_with_password):
    consultation = make(school, sendco)
    login_with_password(client, staff_member(school, role))
    for url in ("", "new/", f"{consultation.pk}/", f"{consultation.pk}/edit/"):
        assert client.get(f"{BASE}{url}").status_code == 404
    assert client.post(f"{BASE}{consultation.pk}/close/").status_code == 404


def test_another_schools_consultation_is_404(client, school, other_school, login_with_password):
    theirs = make(other_school, staff_member(other_school, "sendco"))
    login_with_password(client, staff_member(school, "sendco"))
    assert client.get(f"{BASE}{theirs.pk}/").status_code == 404
    assert client.get(f"/schools/hillside/consultations/{theirs.pk}/").status_code == 404


def test_a_parent_answers_changes_their_answer_and_sees_it_kept(as_parent, school, sendco, parent):
    consultation = make(school, sendco, open_to=EVERYONE)
    url = f"/consultations/{consultation.pk}/"
    assert "Send my answer" in as_parent.get(url).content.decode()
    as_parent.post(url, answer_form(consultation, "agree", "Good idea"))
    again = as_parent.post(url, answer_form(consultation, "disagree", ""), follow=True)
    assert "Your answer is saved" in again.content.decode()
    response = ConsultationResponse.objects.get()
    assert response.comment == ""
    assert set(response.answers.values_list("choice", flat=True)) == {"disagree"}
    page = as_parent.get(url)
    assert page.context["form"].initial[f"q{consultation.questions.first().pk}"] == "disagree"


def test_a_missing_answer_is_shown_as_an_error(as_parent, school, sendco):
    consultation = make(school, sendco, open_to=EVERYONE)
    data = answer_form(consultation)
    data.pop(f"q{consultation.questions.first().pk}")
    page = as_parent.post(f"/consultations/{consultation.pk}/", data)
    assert "Please choose an answer to this statement." in page.content.decode()
    assert not ConsultationResponse.objects.exists()


def test_after_closing_the_answer_is_read_only_with_the_outcome(as_parent, school, sendco, parent):
    consultation = make(school, sendco, open_to=EVERYONE)
    answer(consultation, parent, Choice.NOT_SURE)
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=in_days(-1))
    url = f"/consultations/{consultation.pk}/"
    as_parent.post(url, answer_form(consultation, "agree"))
    assert set(ConsultationResponse.objects.get().answers.values_list("choice", flat=True)) == {
        "not_sure"
    }
    html = as_parent.get(url).content.decode()
    assert "Not sure" in html and "has closed" in html and "<form" not in html.split("<main")[-1]
    Consultation.objects.filter(pk=consultation.pk).update(
        status="published",
        published_at=timezone.now(),
        you_said="Parents were unsure.",
        we_did="We will try it for a term.",
        not_changed="Nothing else.",
    )
    assert "We will try it for a term." in as_parent.get(url).content.decode()


def test_a_parent_not_invited_gets_404(client, school, sendco, parent, login_with_password):
    consultation = make(school, sendco, open_to=EVERYONE)
    draft = make(school, sendco)
    late = FamilyLinkFactory(child=ChildFactory(school=school)).parent  # joined after opening
    login_with_password(client, late)
    assert client.get(f"/consultations/{consultation.pk}/").status_code == 404
    assert (
        client.post(f"/consultations/{consultation.pk}/", answer_form(consultation)).status_code
        == 404
    )
    assert client.get(f"/consultations/{draft.pk}/").status_code == 404
    assert not ConsultationResponse.objects.exists()


def test_the_inbox_lists_open_ones_first_with_answered_or_not(as_parent, school, sendco, parent):
    published = make(school, sendco, open_to=EVERYONE)
    Consultation.objects.filter(pk=published.pk).update(
        status="published", published_at=timezone.now(), title="Published one"
    )
    waiting = make(school, sendco, open_to=EVERYONE)
    Consultation.objects.filter(pk=waiting.pk).update(title="Waiting one")
    answered = make(school, sendco, open_to=EVERYONE)
    Consultation.objects.filter(pk=answered.pk).update(title="Answered one")
    answer(answered, parent)
    html = as_parent.get("/consultations/").content.decode()
    assert html.index("Waiting one") < html.index("Published one")
    assert html.index("Answered one") < html.index("Published one")
    assert "Waiting for your answer" in html and "Answered" in html


def test_the_inbox_has_a_friendly_empty_state(client, db, login_with_password):
    login_with_password(client, UserFactory())
    assert "School has not asked you anything yet" in client.get("/consultations/").content.decode()


def _grow(consultation, school, n):
    for i in range(n):
        parent = FamilyLinkFactory(child=ChildFactory(school=school)).parent
        ConsultationInvite.objects.create(consultation=consultation, parent=parent)
        answer(consultation, parent, Choice.AGREE, comment=f"Comment {i}")


def test_the_sendco_detail_page_runs_the_same_queries_for_2_or_20_responses(
    as_sendco, school, sendco, django_assert_num_queries
):
    consultation = make(school, sendco)
    consultation.status = "open"
    consultation.save()
    url = f"{BASE}{consultation.pk}/"
    _grow(consultation, school, 2)
    as_sendco.get(url)
    # session, the user with their standing, two-factor gate (has TOTP?), school,
    # membership, the close-due update, the consultation with its counts, statements,
    # answer counts, comments count and page.
    with django_assert_num_queries(11):
        as_sendco.get(url)
    _grow(consultation, school, 18)
    with django_assert_num_queries(11):
        page = as_sendco.get(url)
    assert "20 of 20 answered" in page.content.decode()


def test_the_parent_inbox_runs_the_same_queries_for_2_or_20_consultations(
    as_parent, school, sendco, parent, django_assert_num_queries
):
    def grow(n):
        for _ in range(n):
            consultation = make(school, sendco, open_to=EVERYONE)
            answer(consultation, parent)

    grow(2)
    as_parent.get("/consultations/")
    # session, the user with their standing, the close-due update, count, the page of
    # invites with consultation and school.
    with django_assert_num_queries(5):
        as_parent.get("/consultations/")
    grow(18)
    with django_assert_num_queries(5):
        page = as_parent.get("/consultations/")
    assert len(page.context["page"].object_list) == 20
