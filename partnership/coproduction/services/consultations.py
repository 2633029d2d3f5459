"""Consultations (P5): ask a group of parents before provision changes, let each answer
once (and change their mind until it closes), then tell everyone asked "you said, we did".

Access is the view's job; these functions keep the rules: who may answer, when, and that
each parent is emailed once per step.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.accounts.models import User
from partnership.notifications.services import message_enqueue_from_templates
from partnership.schools.models import School

from ..models import (
    Choice,
    Consultation,
    ConsultationAnswer,
    ConsultationInvite,
    ConsultationQuestion,
    ConsultationResponse,
)
from ..selectors_consultations import (
    ConsultationAudience,
    consultation_audience_label,
    consultation_audience_parents,
)
from . import Refused

MAX_QUESTIONS = 10


class ConsultationRefused(Refused):
    """A rule about consultations was broken."""


def _clean_questions(questions: list[str]) -> list[str]:
    cleaned = [" ".join(text.split()) for text in questions]
    cleaned = [text for text in cleaned if text]
    if not cleaned:
        raise ConsultationRefused(_("Write at least one statement for parents to answer."))
    if len(cleaned) > MAX_QUESTIONS:
        raise ConsultationRefused(
            _("Ask at most %(max)s statements: a short survey gets more answers.")
            % {"max": MAX_QUESTIONS}
        )
    if any(len(text) > 300 for text in cleaned):
        raise ConsultationRefused(_("Keep each statement under 300 characters."))
    return cleaned


def _clean_text(title: str, background: str) -> tuple[str, str]:
    title, background = " ".join(title.split()), background.strip()
    if not title or not background:
        raise ConsultationRefused(_("Write a title and say what is changing and why."))
    return title, background


def _locked(consultation: Consultation) -> Consultation:
    # Re-read under a lock: two tabs (or two staff) acting at once take turns, and each
    # sees the status the other left.
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


@transaction.atomic
def consultation_create(
    *,
    school: School,
    by: User,
    title: str,
    background: str,
    questions: list[str],
    closes_at: datetime.datetime,
) -> Consultation:
    """A draft: nothing is sent until it is opened to an audience."""
    title, background = _clean_text(title, background)
    statements = _clean_questions(questions)
    consultation = Consultation.objects.create(
        school=school, title=title, background=background, closes_at=closes_at, created_by=by
    )
    ConsultationQuestion.objects.bulk_create(
        [
            ConsultationQuestion(consultation=consultation, text=text, order=i)
            for i, text in enumerate(statements)
        ]
    )
    return consultation


@transaction.atomic
def consultation_update(
    *,
    consultation: Consultation,
    by: User,
    title: str,
    background: str,
    questions: list[str],
    closes_at: datetime.datetime,
) -> Consultation:
    """Change a draft. Once parents have been asked, the questions stay as they were."""
    consultation = _locked(consultation)
    if consultation.status != Consultation.Status.DRAFT:
        raise ConsultationRefused(
            _("This consultation has been sent to parents, so it can no longer be changed.")
        )
    title, background = _clean_text(title, background)
    statements = _clean_questions(questions)
    consultation.title, consultation.background = title, background
    consultation.closes_at = closes_at
    consultation.save(update_fields=["title", "background", "closes_at"])
    consultation.questions.all().delete()
    ConsultationQuestion.objects.bulk_create(
        [
            ConsultationQuestion(consultation=consultation, text=text, order=i)
            for i, text in enumerate(statements)
        ]
    )
    return consultation


def _answer_url(consultation: Consultation) -> str:
    return reverse("consultation_answer", kwargs={"pk": consultation.pk})


@transaction.atomic
def consultation_open(
    *, consultation: Consultation, by: User, audience: ConsultationAudience
) -> Consultation:
    """Ask the parents the audience reaches now, and email each of them once.

    The invites fix who was asked: a family joining later is not added, so the response
    rate keeps a true denominator.
    """
    consultation = _locked(consultation)
    if consultation.status != Consultation.Status.DRAFT:
        raise ConsultationRefused(_("This consultation has already been sent to parents."))
    now = timezone.now()
    if consultation.closes_at <= now:
        raise ConsultationRefused(
            _("The closing date has passed. Choose a later closing date, then send it.")
        )
    if not consultation.questions.exists():
        raise ConsultationRefused(_("Write at least one statement for parents to answer."))
    school = consultation.school
    parents = list(consultation_audience_parents(school, audience))
    if not parents:
        raise ConsultationRefused(
            _(
                "Nobody in this group can be asked yet (no family matches, or their parents "
                "have not accepted the invitation). Choose another group."
            )
        )
    ConsultationInvite.objects.bulk_create(
        [ConsultationInvite(consultation=consultation, parent=p, invited_at=now) for p in parents]
    )
    consultation.audience_label = consultation_audience_label(audience)
    consultation.status, consultation.opened_at = Consultation.Status.OPEN, now
    consultation.save(update_fields=["audience_label", "status", "opened_at"])
    _email_parents(consultation, parents, kind="consultation_invite", key="consultation-invite")
    return consultation


def consultations_close_due(
    *, school: School | None = None, now: datetime.datetime | None = None
) -> int:
    """Mark open consultations whose closing time has passed as closed (one UPDATE).

    There is no scheduled job: the closing time alone decides (`Consultation.is_open`),
    and the pages call this so lists and filters agree with it.
    """
    now = now or timezone.now()
    due = Consultation.objects.filter(status=Consultation.Status.OPEN, closes_at__lte=now)
    if school is not None:
        due = due.filter(school=school)
    # Closed when the clock said, not when a page happened to notice.
    return due.update(status=Consultation.Status.CLOSED, closed_at=F("closes_at"))


@transaction.atomic
def consultation_close(*, consultation: Consultation, by: User) -> Consultation:
    """Close before the closing date: no more answers or changes."""
    consultation = _locked(consultation)
    if consultation.status == Consultation.Status.OPEN:
        now = timezone.now()
        consultation.status = Consultation.Status.CLOSED
        consultation.closed_at = min(now, consultation.closes_at)
        consultation.save(update_fields=["status", "closed_at"])
        return consultation
    if consultation.status == Consultation.Status.DRAFT:
        raise ConsultationRefused(_("This consultation has not been sent to parents yet."))
    return consultation  # closed already: closing again changes nothing


@transaction.atomic
def consultation_answer(
    *,
    consultation: Consultation,
    parent: User,
    choices: dict[int, Choice | str],
    comment: str = "",
) -> ConsultationResponse:
    """Record the parent's answer, or replace the one they gave before."""
    # A shared lock on the consultation would serialise every parent; the closing rule
    # only needs a fresh read, and the one-response constraint settles a double submit.
    consultation = Consultation.objects.get(pk=consultation.pk)
    if not ConsultationInvite.objects.filter(consultation=consultation, parent=parent).exists():
        raise ConsultationRefused(_("This consultation was not sent to you."))
    if not consultation.is_open:
        raise ConsultationRefused(
            _("This consultation has closed, so answers can no longer be changed.")
        )
    question_ids = set(consultation.questions.values_list("pk", flat=True))
    given = {int(k): v for k, v in choices.items()}
    if set(given) != question_ids:
        raise ConsultationRefused(_("Please answer every statement."))
    if any(value not in Choice.values for value in given.values()):
        raise ConsultationRefused(_("Please choose agree, not sure or disagree."))
    now = timezone.now()
    comment = comment.strip()
    response = (
        ConsultationResponse.objects.select_for_update()
        .filter(consultation=consultation, parent=parent)
        .first()
    )
    created = False
    if response is None:
        try:
            with transaction.atomic():
                response = ConsultationResponse.objects.create(
                    consultation=consultation,
                    parent=parent,
                    comment=comment,
                    submitted_at=now,
                    updated_at=now,
                )
                created = True
        except IntegrityError:
            # The same form sent twice at once: the other submit wrote the row first.
            response = ConsultationResponse.objects.select_for_update().get(
                consultation=consultation, parent=parent
            )
    if not created:
        response.comment, response.updated_at = comment, now
        response.save(update_fields=["comment", "updated_at"])
        response.answers.all().delete()
    ConsultationAnswer.objects.bulk_create(
        [
            ConsultationAnswer(response=response, question_id=qid, choice=str(value))
            for qid, value in sorted(given.items())
        ]
    )
    return response


@transaction.atomic
def consultation_publish(
    *, consultation: Consultation, by: User, you_said: str, we_did: str, not_changed: str
) -> Consultation:
    """Publish "you said, we did" and email it once to every parent who was asked."""
    consultation = _locked(consultation)
    if consultation.status == Consultation.Status.OPEN and not consultation.is_open:
        consultation.status = Consultation.Status.CLOSED
        consultation.closed_at = consultation.closes_at
    if consultation.status == Consultation.Status.PUBLISHED:
        raise ConsultationRefused(_("“You said, we did” has already been published."))
    if consultation.status != Consultation.Status.CLOSED:
        raise ConsultationRefused(
            _("Close the consultation first: parents may still be answering.")
        )
    texts = [text.strip() for text in (you_said, we_did, not_changed)]
    if not all(texts):
        raise ConsultationRefused(
            _("Fill in all three: what parents said, what changed, and what did not and why.")
        )
    consultation.you_said, consultation.we_did, consultation.not_changed = texts
    consultation.status = Consultation.Status.PUBLISHED
    consultation.published_at, consultation.published_by = timezone.now(), by
    consultation.save(
        update_fields=[
            "you_said",
            "we_did",
            "not_changed",
            "status",
            "closed_at",
            "published_at",
            "published_by",
        ]
    )
    invites = consultation.invites.select_related("parent").order_by("parent__pk")
    parents = [invite.parent for invite in invites if invite.parent.is_active]
    _email_parents(consultation, parents, kind="consultation_outcome", key="consultation-outcome")
    return consultation


def _email_parents(consultation: Consultation, parents, *, kind: str, key: str) -> None:
    """One email per parent (the template is named after its kind), under a key that makes
    a repeat send nothing."""
    url = _answer_url(consultation)
    for parent in parents:
        message_enqueue_from_templates(
            key=f"{key}:{consultation.pk}:{parent.pk}",
            kind=kind,
            to_email=parent.email,
            template=kind,
            context={
                "name": parent.full_name,
                "consultation": consultation,
                "school": consultation.school,
                "url": url,
            },
            school=consultation.school,
            recipient=parent,
            to_parent=True,
        )
