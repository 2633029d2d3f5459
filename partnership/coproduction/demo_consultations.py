"""Consultations for the demo school: one with its "you said, we did" published (most
families answered), one open that the demo parent was asked and has not answered yet, and
one draft.

Fictional, the same on every run (a seeded random generator), and safe to run again:
consultations are found by title and their rows rewritten. Rows are written directly,
never through the services, so the demo sends no email. Dates follow today.
"""

import datetime
import random

from django.db.models import Min
from django.utils import timezone

from partnership.accounts.models import User
from partnership.schools.models import Child, FamilyLink, Membership, School

from .models import (
    Choice,
    Consultation,
    ConsultationAnswer,
    ConsultationInvite,
    ConsultationQuestion,
    ConsultationResponse,
)

DAY = datetime.timedelta(days=1)
DEMO_PARENT = "parent@example.org"

PUBLISHED = {
    "title": "Moving the Lego therapy group to mornings",
    "background": (
        "Lego therapy runs on Tuesday and Thursday afternoons. Some children find the end "
        "of the day hard, and we think the group might work better at 9:15, before "
        "lessons get busy. It would mean missing the first part of assembly."
    ),
    "questions": [
        "My child would get more from the group in the morning.",
        "Missing part of assembly twice a week is fine for my child.",
        "I would like a short note home after each session.",
    ],
    # Answers lean one way per statement, as real ones do.
    "weights": [(7, 2, 1), (5, 3, 2), (8, 2, 0)],
    "comments": [
        "He is much calmer first thing. Afternoons are when things go wrong.",
        "Please keep the same adult running it, that matters more than the time.",
        "Assembly is important to her because her friends are there. Could it be one day only?",
        "A note home would really help us talk about it at tea time.",
        "",
    ],
    "you_said": (
        "{answered} of {asked} families answered. Most of you (about seven in ten) said "
        "mornings would suit your child better, and almost everyone wanted a note home "
        "after each session. Several of you worried about missing assembly with friends."
    ),
    "we_did": (
        "From after half-term, Lego therapy runs at 9:15 on Tuesdays and Thursdays with the "
        "same teaching assistant. After every session, each child brings home a short "
        "“what we built and practised” card."
    ),
    "not_changed": (
        "We kept both sessions in the morning rather than one, because the group needs two "
        "sessions a week to work. Children now miss assembly only on Tuesdays: on Thursdays "
        "the group starts after assembly, at 9:40."
    ),
    "closed_days_ago": 40,
    "open_days": 14,
}

OPEN = {
    "title": "A quiet room at lunchtime",
    "background": (
        "We would like to turn the library into a quiet room at lunchtime, with an adult "
        "there. It is for children who find the hall and playground too loud. We would like to "
        "know what you think before we decide how it would work."
    ),
    "questions": [
        "My child would use a quiet room at lunchtime.",
        "Children should be able to choose to go, without needing an adult to send them.",
        "A quiet room every day matters more than having it in the library.",
    ],
    "weights": [(6, 3, 1), (5, 3, 2), (4, 4, 2)],
    "comments": [
        "Yes please. Lunchtime is the hardest part of her day.",
        "He would worry about being seen as different, so letting them choose matters.",
        "",
    ],
    "opened_days_ago": 5,
    "closes_in_days": 9,
}

DRAFT = {
    "title": "Homework for children on SEN support",
    "background": (
        "We are reviewing homework for children on SEN support. We are thinking about a "
        "shorter weekly task with a choice of how to present it."
    ),
    "questions": [
        "Homework causes stress at home for my child.",
        "A shorter weekly task with a choice of how to do it would help.",
    ],
}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _consultation(school: School, spec: dict, sendco: User, **fields) -> Consultation:
    consultation, _ = Consultation.objects.update_or_create(
        school=school,
        title=spec["title"],
        defaults={"background": spec["background"], "created_by": sendco, **fields},
    )
    # Statements are rewritten only if they changed, so answers stay attached to them.
    texts = list(consultation.questions.values_list("text", flat=True))
    if texts != spec["questions"]:
        consultation.questions.all().delete()
        ConsultationQuestion.objects.bulk_create(
            [
                ConsultationQuestion(consultation=consultation, text=text, order=i)
                for i, text in enumerate(spec["questions"])
            ]
        )
    return consultation


def _answers(
    rng: random.Random,
    consultation: Consultation,
    spec: dict,
    parents: list[User],
    answering: list[User],
    at: datetime.datetime,
) -> None:
    """Invite every parent, and write a response for each one in `answering`."""
    consultation.responses.all().delete()
    consultation.invites.all().delete()
    ConsultationInvite.objects.bulk_create(
        [ConsultationInvite(consultation=consultation, parent=p, invited_at=at) for p in parents]
    )
    questions = list(consultation.questions.all())
    choices = [Choice.AGREE, Choice.NOT_SURE, Choice.DISAGREE]
    answers = []
    for i, parent in enumerate(answering):
        when = at + rng.randint(2, 96) * DAY / 24
        response = ConsultationResponse.objects.create(
            consultation=consultation,
            parent=parent,
            comment=spec["comments"][i] if i < len(spec["comments"]) else "",
            submitted_at=when,
            updated_at=when,
        )
        for question, weights in zip(questions, spec["weights"], strict=True):
            choice = rng.choices(choices, weights=weights)[0]
            answers.append(ConsultationAnswer(response=response, question=question, choice=choice))
    ConsultationAnswer.objects.bulk_create(answers)


def seed_consultations(
    *, school: School, children: list[Child], staff: dict[str, Membership]
) -> None:
    rng = random.Random(7)  # the same demo every time
    sendco = staff["sendco@example.org"].user
    today = timezone.localdate()
    # Each parent once, in the order of their first child in the demo school.
    firsts = (
        FamilyLink.objects.filter(child__in=children, parent__is_active=True)
        .values("parent")
        .annotate(first=Min("child__mis_id"))
        .order_by("first", "parent")
    )
    by_id = User.objects.in_bulk([row["parent"] for row in firsts])
    parents = [by_id[row["parent"]] for row in firsts]

    spec = PUBLISHED
    closed = _at(today - spec["closed_days_ago"] * DAY, 17)
    opened = closed - spec["open_days"] * DAY
    published = _consultation(
        school,
        spec,
        sendco,
        audience_label="All SEND families",
        status=Consultation.Status.PUBLISHED,
        opened_at=opened,
        closes_at=closed,
        closed_at=closed,
        you_said="",
        we_did=spec["we_did"],
        not_changed=spec["not_changed"],
        published_at=closed + 6 * DAY,
        published_by=sendco,
        created_at=opened - 2 * DAY,
    )
    # Most families answered: everyone but every sixth.
    answering = [p for i, p in enumerate(parents) if i % 6 != 5]
    _answers(rng, published, spec, parents, answering, opened)
    published.you_said = spec["you_said"].format(answered=len(answering), asked=len(parents))
    published.save(update_fields=["you_said"])

    spec = OPEN
    opened = _at(today - spec["opened_days_ago"] * DAY, 9)
    current = _consultation(
        school,
        spec,
        sendco,
        audience_label="All SEND families",
        status=Consultation.Status.OPEN,
        opened_at=opened,
        closes_at=_at(today + spec["closes_in_days"] * DAY, 17),
        closed_at=None,
        you_said="",
        we_did="",
        not_changed="",
        published_at=None,
        published_by=None,
        created_at=opened - DAY,
    )
    # About half have answered so far; never the demo parent, whose journey starts here.
    answering = [p for i, p in enumerate(parents) if i % 2 == 1 and p.email != DEMO_PARENT]
    _answers(rng, current, spec, parents, answering, opened)

    spec = DRAFT
    draft = _consultation(
        school,
        spec,
        sendco,
        audience_label="",
        status=Consultation.Status.DRAFT,
        opened_at=None,
        closes_at=_at(today + 21 * DAY, 17),
        created_at=_at(today - DAY, 15),
    )
    # A browser journey may have sent the draft; a fresh run puts it back as it was.
    draft.responses.all().delete()
    draft.invites.all().delete()
