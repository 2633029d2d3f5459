"""Co-production: consultations with their invites and answers, support parents asked
for, and each school's SEND parent group."""

from __future__ import annotations

import datetime

from partnership.coproduction.models import (
    Consultation,
    ConsultationAnswer,
    ConsultationInvite,
    ConsultationQuestion,
    ConsultationResponse,
    ParentGroupMember,
    SupportRequest,
)

from .text import CONSULTATIONS, QUESTIONS
from .world import SchoolRow, World

TOPICS = ("curriculum", "need", "autism", "wellbeing", "behaviour", "stress")


class Coproduction:
    def __init__(self, world: World) -> None:
        self.world = world
        sink = self.sink = world.sink
        self.consultations = sink.table(
            Consultation,
            (
                "id", "school_id", "title", "background", "audience_label", "closes_at",
                "status", "opened_at", "closed_at", "you_said", "we_did", "not_changed",
                "published_at", "published_by_id", "created_by_id", "created_at",
            ),
        )  # fmt: skip
        self.questions = sink.table(
            ConsultationQuestion, ("id", "consultation_id", "text", "order")
        )
        self.invites = sink.table(
            ConsultationInvite, ("id", "consultation_id", "parent_id", "invited_at")
        )
        self.responses = sink.table(
            ConsultationResponse,
            ("id", "consultation_id", "parent_id", "comment", "submitted_at", "updated_at"),
        )
        self.answers = sink.table(
            ConsultationAnswer, ("id", "response_id", "question_id", "choice")
        )
        self.requests = sink.table(
            SupportRequest,
            (
                "id", "school_id", "parent_id", "topic", "online", "in_person", "resources",
                "note", "status", "session_id", "created_at", "updated_at",
            ),
        )  # fmt: skip
        self.group = sink.table(
            ParentGroupMember, ("id", "school_id", "parent_id", "joined_at", "is_representative")
        )


def seed_coproduction(world: World) -> None:
    tables = Coproduction(world)
    for school in world.schools:
        parents = sorted(
            {
                parent
                for index in school.children
                for parent in world.families[world.children[index].family].parents
            }
        )
        _consultations(tables, school, parents)
        _support_and_group(tables, school, parents)


def _consultations(tables: Coproduction, school: SchoolRow, parents: list[int]) -> None:
    world, sink = tables.world, tables.sink
    rng = world.rng("consultations", school.number)
    for number, title in enumerate(CONSULTATIONS):
        opened = world.at(world.school_days[(number + 1) * len(world.school_days) // 4], 10 * 60)
        closes = opened + datetime.timedelta(days=14)
        published = closes + datetime.timedelta(days=10)
        is_published = published < world.end
        consultation_id = sink.new_id(tables.consultations)
        sink.add(
            tables.consultations,
            (
                consultation_id, school.id, title, "We would like to hear from families first.",
                "All SEND families", closes, "published" if is_published else "closed",
                opened, closes, "Most of you liked the idea." if is_published else "",
                "We are trying it this term." if is_published else "", "",
                published if is_published else None,
                school.sendco[1] if is_published else None, school.sendco[1], opened,
            ),
        )  # fmt: skip
        questions = []
        for order, text in enumerate(QUESTIONS):
            question_id = sink.new_id(tables.questions)
            sink.add(tables.questions, (question_id, consultation_id, text, order))
            questions.append(question_id)
        for parent in parents:
            sink.add(tables.invites, (sink.new_id(tables.invites), consultation_id, parent, opened))
            if rng.random() < 0.3:
                answered = opened + datetime.timedelta(days=rng.uniform(0, 13))
                response_id = sink.new_id(tables.responses)
                sink.add(
                    tables.responses,
                    (response_id, consultation_id, parent, "", answered, answered),
                )
                for question_id in questions:
                    choice = rng.choice(("agree", "agree", "not_sure", "disagree"))
                    row = (sink.new_id(tables.answers), response_id, question_id, choice)
                    sink.add(tables.answers, row)


def _support_and_group(tables: Coproduction, school: SchoolRow, parents: list[int]) -> None:
    world, sink = tables.world, tables.sink
    rng = world.rng("support", school.number)
    for parent in parents:
        if rng.random() < 0.05:
            asked = world.at(world.today - datetime.timedelta(days=rng.randrange(1, 120)), 19 * 60)
            sink.add(
                tables.requests,
                (
                    sink.new_id(tables.requests), school.id, parent, rng.choice(TOPICS),
                    True, rng.random() < 0.5, False, "", "open", None, asked, asked,
                ),
            )  # fmt: skip
    members = rng.sample(parents, min(15, len(parents)))
    for number, parent in enumerate(members):
        joined = world.midnight(world.start) + datetime.timedelta(days=number * 9)
        row = (sink.new_id(tables.group), school.id, parent, joined, number == 0)
        sink.add(tables.group, row)
