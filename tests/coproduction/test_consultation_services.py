"""Consultation rules: who is asked, one answer per parent that can change until the
consultation closes, and "you said, we did" sent once to everyone asked."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from partnership.contact.audiences import Audience, AudienceKind
from partnership.coproduction.models import (
    Choice,
    Consultation,
    ConsultationAnswer,
    ConsultationInvite,
    ConsultationResponse,
)
from partnership.coproduction.selectors_consultations import (
    ParentGroupAudience,
    consultation_results,
)
from partnership.coproduction.services.consultations import (
    ConsultationRefused,
    consultation_answer,
    consultation_close,
    consultation_create,
    consultation_open,
    consultation_publish,
    consultation_update,
    consultations_close_due,
)
from partnership.notifications.models import OutboxMessage
from tests.factories import ChildFactory, FamilyLinkFactory, UserFactory
from tests.factories_coproduction import ParentGroupMemberFactory

EVERYONE = Audience(kind=AudienceKind.ALL)
A, N, D = Choice.AGREE, Choice.NOT_SURE, Choice.DISAGREE


def in_days(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def draft(
    school, sendco, questions=("Mornings suit my child.", "Friday is a good day."), closes_at=None
):
    return consultation_create(
        school=school,
        by=sendco,
        title="Moving the reading group",
        background="We would like to run it in the morning.",
        questions=list(questions),
        closes_at=closes_at or in_days(14),
    )


@pytest.fixture
def families(school, parent):
    others = [FamilyLinkFactory(child=ChildFactory(school=school)).parent for _ in range(2)]
    return [parent, *others]


@pytest.fixture
def opened(school, sendco, families, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return consultation_open(consultation=draft(school, sendco), by=sendco, audience=EVERYONE)


def all_of(consultation, choice=A):
    return {q.pk: choice for q in consultation.questions.all()}


def test_a_draft_has_its_statements_in_order_and_asks_nobody(school, sendco, families):
    consultation = draft(school, sendco, ["  First  one ", "", "Second"])
    assert consultation.status == Consultation.Status.DRAFT
    assert [q.text for q in consultation.questions.all()] == ["First one", "Second"]
    assert not ConsultationInvite.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize("questions", [[], [""], [f"Statement {i}" for i in range(11)]])
def test_a_draft_needs_one_to_ten_statements(school, sendco, questions):
    with pytest.raises(ConsultationRefused):
        draft(school, sendco, questions)


def test_only_a_draft_can_be_changed(school, sendco, opened):
    with pytest.raises(ConsultationRefused):
        consultation_update(
            consultation=opened,
            by=sendco,
            title="New",
            background="New",
            questions=["New"],
            closes_at=in_days(3),
        )
    assert opened.questions.count() == 2


def test_opening_invites_the_parents_of_that_moment_and_emails_each_once(
    school, sendco, families, opened, django_capture_on_commit_callbacks
):
    assert opened.status == Consultation.Status.OPEN
    assert opened.audience_label == "All SEND families"
    assert set(opened.invites.values_list("parent", flat=True)) == {p.pk for p in families}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in families)
    email = mail.outbox[0]
    assert "Moving the reading group" in email.subject
    assert f"/consultations/{opened.pk}/" in email.body
    # Nothing about any other family.
    assert all(p.full_name not in email.body for p in families if p.email != email.to[0])
    # A family joining later is not asked: the invites are fixed.
    FamilyLinkFactory(child=ChildFactory(school=school))
    assert opened.invites.count() == 3
    with pytest.raises(ConsultationRefused):
        consultation_open(consultation=opened, by=sendco, audience=EVERYONE)
    keys = OutboxMessage.objects.filter(kind="consultation_invite").values_list("key", flat=True)
    assert sorted(keys) == sorted(f"consultation-invite:{opened.pk}:{p.pk}" for p in families)


def test_opening_is_refused_with_a_closing_time_past_or_an_audience_of_nobody(
    school, sendco, families
):
    consultation = draft(school, sendco)
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=in_days(-1))
    consultation.refresh_from_db()
    with pytest.raises(ConsultationRefused, match="closing date has passed"):
        consultation_open(consultation=consultation, by=sendco, audience=EVERYONE)
    consultation = draft(school, sendco)
    with pytest.raises(ConsultationRefused, match="Nobody"):
        consultation_open(
            consultation=consultation,
            by=sendco,
            audience=Audience(kind=AudienceKind.YEAR_GROUP, year_group=11),
        )
    assert not ConsultationInvite.objects.exists()
    assert not mail.outbox


def test_the_send_parent_group_can_be_asked(school, other_school, sendco, families):
    member = families[1]
    ParentGroupMemberFactory(school=school, parent=member)
    # A member of another school's group, and a member whose children have left.
    ParentGroupMemberFactory(school=other_school, parent=families[2])
    ParentGroupMemberFactory(school=school, parent=UserFactory())
    consultation = consultation_open(
        consultation=draft(school, sendco), by=sendco, audience=ParentGroupAudience()
    )
    assert list(consultation.invites.values_list("parent", flat=True)) == [member.pk]
    assert consultation.audience_label == "The SEND parent group"


def test_one_answer_per_parent_and_a_second_submit_replaces_it(opened, parent):
    first = consultation_answer(
        consultation=opened, parent=parent, choices=all_of(opened, A), comment="Yes please"
    )
    second = consultation_answer(
        consultation=opened, parent=parent, choices=all_of(opened, D), comment=""
    )
    assert ConsultationResponse.objects.count() == 1
    assert first.pk == second.pk
    assert second.updated_at > first.submitted_at
    second.refresh_from_db()
    assert second.comment == ""
    assert second.submitted_at == first.submitted_at
    assert sorted(ConsultationAnswer.objects.values_list("choice", flat=True)) == [D, D]


def test_every_statement_must_be_answered(opened, parent):
    questions = list(opened.questions.all())
    with pytest.raises(ConsultationRefused):
        consultation_answer(consultation=opened, parent=parent, choices={questions[0].pk: A})
    with pytest.raises(ConsultationRefused):
        consultation_answer(
            consultation=opened, parent=parent, choices={q.pk: "maybe" for q in questions}
        )
    assert not ConsultationResponse.objects.exists()


def test_only_invited_parents_may_answer(school, opened):
    stranger = FamilyLinkFactory(child=ChildFactory(school=school)).parent
    with pytest.raises(ConsultationRefused, match="not sent to you"):
        consultation_answer(consultation=opened, parent=stranger, choices=all_of(opened))
    assert not ConsultationResponse.objects.exists()


def test_answers_change_until_the_closing_time_and_not_after(opened, parent):
    consultation_answer(consultation=opened, parent=parent, choices=all_of(opened, A))
    Consultation.objects.filter(pk=opened.pk).update(closes_at=in_days(-0.01))
    # Closed by the clock alone, before any page has written the status.
    with pytest.raises(ConsultationRefused, match="closed"):
        consultation_answer(consultation=opened, parent=parent, choices=all_of(opened, D))
    assert consultations_close_due() == 1
    opened.refresh_from_db()
    assert opened.status == Consultation.Status.CLOSED
    assert opened.closed_at == opened.closes_at  # when the clock closed it
    assert set(ConsultationAnswer.objects.values_list("choice", flat=True)) == {A}


def test_closing_early_stops_answers(opened, parent, sendco):
    consultation_close(consultation=opened, by=sendco)
    opened.refresh_from_db()
    assert opened.status == Consultation.Status.CLOSED and opened.closed_at
    with pytest.raises(ConsultationRefused):
        consultation_answer(consultation=opened, parent=parent, choices=all_of(opened))


def test_results_count_each_answer_and_its_share_of_responses(opened, families):
    first, second = opened.questions.all()
    for parent, choices in zip(families, [(A, A), (A, D), (N, D)], strict=True):
        consultation_answer(
            consultation=opened,
            parent=parent,
            choices={first.pk: choices[0], second.pk: choices[1]},
        )
    results = consultation_results(opened)
    counts = [[(c.choice, c.count, c.percent) for c in r.choices] for r in results]
    assert counts == [
        [("agree", 2, 67), ("not_sure", 1, 33), ("disagree", 0, 0)],
        [("agree", 1, 33), ("not_sure", 0, 0), ("disagree", 2, 67)],
    ]
    assert [r.answered for r in results] == [3, 3]


OUTCOME = {
    "you_said": "Most of you liked mornings.",
    "we_did": "The group moves to 9:15 from January.",
    "not_changed": "Friday stays, because the room is booked on Thursdays.",
}


def test_publishing_needs_a_closed_consultation_and_all_three_parts(opened, sendco):
    with pytest.raises(ConsultationRefused, match="Close"):
        consultation_publish(consultation=opened, by=sendco, **OUTCOME)
    consultation_close(consultation=opened, by=sendco)
    with pytest.raises(ConsultationRefused, match="all three"):
        consultation_publish(consultation=opened, by=sendco, **{**OUTCOME, "not_changed": " "})
    opened.refresh_from_db()
    assert opened.status == Consultation.Status.CLOSED


def test_publishing_emails_everyone_asked_once(
    opened, sendco, families, django_capture_on_commit_callbacks
):
    consultation_answer(consultation=opened, parent=families[0], choices=all_of(opened))
    consultation_close(consultation=opened, by=sendco)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        published = consultation_publish(consultation=opened, by=sendco, **OUTCOME)
    assert published.status == Consultation.Status.PUBLISHED and published.published_at
    # Everyone asked, whether or not they answered.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in families)
    assert "The group moves to 9:15 from January." in mail.outbox[0].body
    with pytest.raises(ConsultationRefused, match="already"):
        consultation_publish(consultation=opened, by=sendco, **OUTCOME)
    assert len(mail.outbox) == 3
    assert OutboxMessage.objects.filter(kind="consultation_outcome").count() == 3


def test_a_consultation_past_its_closing_time_can_be_published(opened, sendco):
    Consultation.objects.filter(pk=opened.pk).update(closes_at=in_days(-1))
    published = consultation_publish(consultation=opened, by=sendco, **OUTCOME)
    assert published.status == Consultation.Status.PUBLISHED


def test_the_invitation_gives_the_closing_time_in_the_school_time_zone(
    school, sendco, families, django_capture_on_commit_callbacks
):
    # 16:00 UTC in July is 17:00 in London (British Summer Time).
    closes = datetime.datetime(timezone.now().year + 1, 7, 1, 16, 0, tzinfo=datetime.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        consultation_open(
            consultation=draft(school, sendco, closes_at=closes), by=sendco, audience=EVERYONE
        )
    assert closes.astimezone(ZoneInfo("Europe/London")).hour == 17
    assert "1 July" in mail.outbox[0].body and "17:00" in mail.outbox[0].body
    assert "16:00" not in mail.outbox[0].body
