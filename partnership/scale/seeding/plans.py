"""Each child's graduated approach: a plan cycle a term, targets shared with home ideas,
progress reviews every few weeks, interventions, passports and home observations."""

from __future__ import annotations

import datetime
import random

from partnership.plans.models import (
    HomeObservation,
    Intervention,
    ObservationReply,
    PassportProposal,
    PassportVersion,
    Placement,
    PlanCycle,
    ProgressReview,
    Target,
)

from .text import (
    HOME_IDEAS,
    INTERVENTIONS,
    OBSERVATIONS,
    PASSPORT,
    REVIEW_COMMENTS,
    TARGETS,
)
from .world import ChildRow, SchoolRow, World

DAY = datetime.timedelta(days=1)
OUTCOMES = ("achieved", "partly", "not_yet", "carried_forward")


class Plans:
    def __init__(self, world: World) -> None:
        self.world = world
        sink = self.sink = world.sink
        self.interventions = sink.table(
            Intervention,
            ("id", "school_id", "name", "description", "home_support_ideas", "is_active"),
        )
        self.cycles = sink.table(
            PlanCycle,
            (
                "id", "child_id", "starts_on", "review_on", "status", "created_by_id",
                "closed_at", "closed_by_id", "review_summary",
            ),
        )  # fmt: skip
        self.targets = sink.table(
            Target,
            (
                "id", "cycle_id", "child_id", "outcome", "area_of_need", "baseline",
                "success_criteria", "how_to_help_at_home", "parent_agreed_on",
                "parent_agreed_by_id", "shared_at", "family_notified_at", "outcome_at_review",
                "carried_from_id", "baseline_observation_id", "created_by_id", "created_at",
                "updated_at",
            ),
        )  # fmt: skip
        self.reviews = sink.table(
            ProgressReview,
            (
                "id", "target_id", "reviewed_on", "rating", "comment", "author_id",
                "created_at", "family_notified_at",
            ),
        )  # fmt: skip
        self.placements = sink.table(
            Placement,
            (
                "id", "intervention_id", "child_id", "staff_id", "frequency", "starts_on",
                "ends_on", "entry_measure", "exit_measure", "home_support", "shared_at",
            ),
        )  # fmt: skip
        self.placement_targets = sink.table(
            Placement.targets.through, ("id", "placement_id", "target_id")
        )
        self.passports = sink.table(
            PassportVersion,
            (
                "id", "child_id", "number", "admire", "important", "support",
                "created_by_id", "created_at", "from_proposal_id",
            ),
        )  # fmt: skip
        self.proposals = sink.table(
            PassportProposal,
            (
                "id", "child_id", "based_on_id", "proposed_by_id", "admire", "important",
                "support", "note", "status", "created_at", "decided_by_id", "decided_at",
                "decision_note",
            ),
        )  # fmt: skip
        self.observations = sink.table(
            HomeObservation,
            (
                "id", "child_id", "target_id", "author_id", "text", "photo", "created_at",
                "edited_at", "withdrawn_at",
            ),
        )  # fmt: skip
        self.replies = sink.table(
            ObservationReply, ("id", "observation_id", "author_id", "text", "created_at")
        )


def seed_plans(world: World) -> None:
    plans = Plans(world)
    for school in world.schools:
        _catalogue(plans, school)
    for school in world.schools:
        rng = world.rng("plans", school.number)
        for index in school.children:
            child = world.children[index]
            bench = index in world.families[0].children
            _child_plans(plans, rng, school, child, bench=bench)


def _catalogue(plans: Plans, school: SchoolRow) -> None:
    sink = plans.sink
    for name, description, ideas in INTERVENTIONS:
        intervention_id = sink.new_id(plans.interventions)
        sink.add(plans.interventions, (intervention_id, school.id, name, description, ideas, True))
        school.interventions.append(intervention_id)


def _noon(world: World, day: datetime.date, rng: random.Random) -> datetime.datetime:
    return world.at(day, rng.uniform(9 * 60, 16 * 60))


def _child_plans(
    plans: Plans, rng: random.Random, school: SchoolRow, child: ChildRow, *, bench: bool
) -> None:
    world, sink = plans.world, plans.sink
    terms = world.terms
    sendco_user = school.sendco[1]
    family = world.families[child.family]
    # Most children joined the SEND register some terms ago, a few this term.
    first_term = 0 if bench else int(rng.random() ** 1.5 * len(terms))
    previous: list[tuple[int, str]] = []
    for term_index in range(first_term, len(terms)):
        starts_on, review_on = terms[term_index]
        if term_index == first_term:
            starts_on = max(starts_on, world.start)
        is_open = term_index == len(terms) - 1
        if not is_open and review_on >= world.today:
            review_on = world.today - DAY
        cycle_id = sink.new_id(plans.cycles)
        closed_at = None if is_open else _noon(world, review_on, rng)
        sink.add(
            plans.cycles,
            (
                cycle_id, child.id, starts_on, max(review_on, starts_on),
                "open" if is_open else "closed", sendco_user, closed_at,
                None if is_open else sendco_user,
                "" if is_open else "Reviewed with the family; see each target.",
            ),
        )  # fmt: skip
        count = 3 if bench and is_open else max(1, round(world.scaled(rng.uniform(1, 2.3))))
        current: list[tuple[int, str]] = []
        for number in range(count):
            created_at = _noon(world, min(starts_on + 3 * DAY, world.today - DAY), rng)
            if created_at >= world.end:
                created_at = world.end - datetime.timedelta(hours=1)
            need, outcome = TARGETS[rng.randrange(len(TARGETS))]
            shared = bench or rng.random() < 0.85
            shared_at = created_at + datetime.timedelta(hours=2) if shared else None
            if shared_at is not None and shared_at >= world.end:
                shared_at = created_at
            carried = previous[number] if number < len(previous) else None
            carried_from = carried[0] if carried and carried[1] == "carried_forward" else None
            result = "" if is_open else rng.choice(OUTCOMES)
            if bench and not is_open and number == 0:
                # The bench children always show a target carried into the current plan,
                # so their pages have the same shape at every size of the data set.
                result = "carried_forward"
            agreed = shared and rng.random() < 0.6
            target_id = sink.new_id(plans.targets)
            sink.add(
                plans.targets,
                (
                    target_id, cycle_id, child.id, outcome, need,
                    "Does this with adult help some of the time.",
                    "Does it on their own on four days out of five.",
                    rng.choice(HOME_IDEAS) if shared else "",
                    shared_at.date() if agreed else None,
                    family.parents[0] if agreed else None,
                    shared_at, shared_at, result, carried_from, None, sendco_user,
                    created_at, shared_at or created_at,
                ),
            )  # fmt: skip
            current.append((target_id, result))
            if shared:
                child.targets.append((target_id, shared_at))
            _reviews(plans, rng, school, child, target_id, created_at, review_on)
        previous = current
    _placements(plans, rng, school, child, bench=bench)
    _passport(plans, rng, school, child)
    _observations(plans, rng, child)


def _reviews(
    plans: Plans,
    rng: random.Random,
    school: SchoolRow,
    child: ChildRow,
    target_id: int,
    created_at: datetime.datetime,
    review_on: datetime.date,
) -> None:
    world, sink = plans.world, plans.sink
    last = min(review_on, world.today - DAY)
    day = created_at.date() + datetime.timedelta(days=rng.randrange(7, 21))
    rating = rng.choice((1, 1, 2))
    step = 13  # (more targets, not more reviews of each, at a larger --history-scale)
    while day <= last:
        at = _noon(world, day, rng)
        author = rng.choice((school.sendco[1], child.teacher[1], child.assistant[1]))
        sink.add(
            plans.reviews,
            (
                sink.new_id(plans.reviews), target_id, day, rating, rng.choice(REVIEW_COMMENTS),
                author, at, at,
            ),
        )  # fmt: skip
        rating = min(5, rating + (rng.random() < 0.45))
        day += datetime.timedelta(days=rng.randrange(step, step * 2))


def _placements(
    plans: Plans, rng: random.Random, school: SchoolRow, child: ChildRow, *, bench: bool
) -> None:
    world, sink = plans.world, plans.sink
    count = 2 if bench else (rng.random() < 0.45) + (rng.random() < 0.15)
    chosen = rng.sample(school.interventions, count)
    for number, intervention_id in enumerate(chosen):
        current = bench or number == 0 and rng.random() < 0.6
        starts_on = world.today - datetime.timedelta(days=rng.randrange(20, 300))
        ends_on = None if current else starts_on + datetime.timedelta(days=rng.randrange(30, 90))
        if ends_on is not None and ends_on >= world.today:
            ends_on = world.today - DAY
        placement_id = sink.new_id(plans.placements)
        shared_at = _noon(world, starts_on, rng) if bench or rng.random() < 0.7 else None
        sink.add(
            plans.placements,
            (
                placement_id, intervention_id, child.id, child.assistant[0],
                "Three times a week, 20 minutes", starts_on, ends_on, "Baseline check",
                "" if ends_on is None else "End check", "", shared_at,
            ),
        )  # fmt: skip
        if child.targets:
            target_id = child.targets[-1][0]
            sink.add(
                plans.placement_targets,
                (sink.new_id(plans.placement_targets), placement_id, target_id),
            )  # noqa: E501


def _passport(plans: Plans, rng: random.Random, school: SchoolRow, child: ChildRow) -> None:
    world, sink = plans.world, plans.sink
    version_id = None
    versions = 1 + (rng.random() < 0.5) + (rng.random() < 0.2)
    for number in range(1, versions + 1):
        version_id = sink.new_id(plans.passports)
        day = world.start + datetime.timedelta(days=number * rng.randrange(60, 200))
        at = _noon(world, min(day, world.today - DAY), rng)
        sink.add(
            plans.passports,
            (version_id, child.id, number, *PASSPORT, school.sendco[1], at, None),
        )
    if rng.random() < 0.03:
        parent = world.families[child.family].parents[0]
        at = _noon(world, world.today - datetime.timedelta(days=rng.randrange(1, 20)), rng)
        sink.add(
            plans.proposals,
            (
                sink.new_id(plans.proposals), child.id, version_id, parent, *PASSPORT,
                "Loves swimming now too.", "pending", at, None, None, "",
            ),
        )  # fmt: skip


def _observations(plans: Plans, rng: random.Random, child: ChildRow) -> None:
    world, sink = plans.world, plans.sink
    family = world.families[child.family]
    mean = world.scaled(2.5 * world.options.years * family.activity)
    count = int(rng.expovariate(1 / mean)) if mean else 0
    span = (world.today - world.start).days
    for _ in range(count):
        day = world.start + datetime.timedelta(days=rng.randrange(span))
        at = world.at(day, rng.uniform(17 * 60, 20 * 60))
        target = None
        earlier = [target_id for target_id, shared_at in child.targets if shared_at <= at]
        if earlier and rng.random() < 0.7:
            target = rng.choice(earlier)
        observation_id = sink.new_id(plans.observations)
        sink.add(
            plans.observations,
            (
                observation_id, child.id, target, rng.choice(family.parents),
                rng.choice(OBSERVATIONS), "", at, None, None,
            ),
        )  # fmt: skip
        if rng.random() < 0.4:
            reply_at = min(
                at + datetime.timedelta(hours=15), world.end - datetime.timedelta(minutes=1)
            )
            sink.add(
                plans.replies,
                (sink.new_id(plans.replies), observation_id, child.teacher[1],
                 "Thank you, lovely to hear. We will look for it in class too.", reply_at),
            )  # fmt: skip
