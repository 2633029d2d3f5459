"""Reads for consultations: who an audience reaches, the SENDCo's lists and results, and
a parent's own consultations.

Every read here aggregates in SQL, so the pages' queries stay the same however many
parents answer.
"""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from partnership.accounts.models import User
from partnership.contact.audiences import Audience, audience_label, audience_parents
from partnership.schools.models import FamilyLink, School

from .models import (
    Choice,
    Consultation,
    ConsultationAnswer,
    ConsultationInvite,
    ConsultationQuestion,
    ConsultationResponse,
    ParentGroupMember,
)

PARENT_GROUP_KIND = "parent_group"
PARENT_GROUP_LABEL = gettext_lazy("The SEND parent group")


@dataclass(frozen=True)
class ParentGroupAudience:
    """The school's SEND parent group, as it is at the moment the consultation opens."""


ConsultationAudience = Audience | ParentGroupAudience


def consultation_audience_parents(school: School, audience: ConsultationAudience) -> QuerySet[User]:
    """Active parents the audience reaches, each once, in a fixed order."""
    if isinstance(audience, ParentGroupAudience):
        # A member whose children have all left the school is no longer asked.
        members = ParentGroupMember.objects.filter(school=school).values("parent")
        linked = FamilyLink.objects.filter(child__school=school).values("parent")
        return (
            User.objects.filter(is_active=True, pk__in=members)
            .filter(pk__in=linked)
            .order_by("full_name", "email", "pk")
        )
    return audience_parents(school, audience)


def consultation_audience_label(audience: ConsultationAudience) -> str:
    if isinstance(audience, ParentGroupAudience):
        return str(PARENT_GROUP_LABEL)
    return audience_label(audience)


def _with_rates(consultations: QuerySet[Consultation]) -> QuerySet[Consultation]:
    # Subqueries, not two joined Counts, which would multiply each other.
    invites = (
        ConsultationInvite.objects.filter(consultation=OuterRef("pk"))
        .order_by()
        .values("consultation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    responses = (
        ConsultationResponse.objects.filter(consultation=OuterRef("pk"))
        .order_by()
        .values("consultation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return consultations.annotate(
        invite_count=Coalesce(Subquery(invites, output_field=IntegerField()), 0),
        response_count=Coalesce(Subquery(responses, output_field=IntegerField()), 0),
    )


def school_consultations(school: School) -> QuerySet[Consultation]:
    """The school's consultations with their invite and response counts."""
    return _with_rates(Consultation.objects.filter(school=school))


def school_consultation(school: School, pk: int) -> QuerySet[Consultation]:
    return school_consultations(school).filter(pk=pk).select_related("published_by")


@dataclass(frozen=True)
class ChoiceCount:
    choice: str
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class QuestionResult:
    question: ConsultationQuestion
    choices: list[ChoiceCount]
    answered: int


def consultation_results(consultation: Consultation) -> list[QuestionResult]:
    """Per statement, how many responses chose each answer, and the share of responses.

    Two queries whatever the number of responses: the statements, and the counts.
    """
    questions = list(consultation.questions.all())
    counts: dict[tuple[int, str], int] = {}
    rows = (
        ConsultationAnswer.objects.filter(question__consultation=consultation)
        .order_by()
        .values("question", "choice")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[(row["question"], row["choice"])] = row["n"]
    results = []
    for question in questions:
        answered = sum(counts.get((question.pk, c), 0) for c in Choice.values)
        results.append(
            QuestionResult(
                question=question,
                answered=answered,
                choices=[
                    ChoiceCount(
                        choice=value,
                        label=str(label),
                        count=counts.get((question.pk, value), 0),
                        percent=(
                            round(100 * counts.get((question.pk, value), 0) / answered)
                            if answered
                            else 0
                        ),
                    )
                    for value, label in Choice.choices
                ],
            )
        )
    return results


def consultation_comments(consultation: Consultation) -> QuerySet[ConsultationResponse]:
    """The comments parents wrote, newest first; for staff only, and shown without names."""
    return (
        consultation.responses.exclude(comment="")
        .only("pk", "comment", "updated_at", "consultation_id")
        .order_by("-updated_at", "-pk")
    )


def parent_consultation_invites(parent: User) -> QuerySet[ConsultationInvite]:
    """The consultations a parent was asked, open ones first (soonest to close), then
    closed, then those with their outcome, newest first; with "answered" marked."""
    now = timezone.now()
    answered = ConsultationResponse.objects.filter(
        consultation=OuterRef("consultation"), parent=parent
    )
    is_open = Q(consultation__status=Consultation.Status.OPEN, consultation__closes_at__gt=now)
    return (
        ConsultationInvite.objects.filter(parent=parent)
        .exclude(consultation__status=Consultation.Status.DRAFT)
        .select_related("consultation__school")
        .annotate(
            answered=Exists(answered),
            rank=Case(
                When(is_open, then=Value(0)),
                When(consultation__status=Consultation.Status.PUBLISHED, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("rank", "consultation__closes_at", "-consultation__pk")
    )


def parent_answers(consultation: Consultation, parent: User) -> dict[int, str]:
    """The parent's current answer to each statement, by question id (empty if none)."""
    return dict(
        ConsultationAnswer.objects.filter(
            response__consultation=consultation, response__parent=parent
        ).values_list("question", "choice")
    )
