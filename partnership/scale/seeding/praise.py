"""Praise: the largest table. About four a week per child, skewed by child, and at least
one in the seven days before --today for every child, so a digest goes to every family."""

from __future__ import annotations

import datetime
import math
import random

from partnership.praise.models import SUGGESTED_VALUES, Praise, PraiseThanks, PraiseValue

from .contact import poisson, school_weeks
from .text import PRAISE_NOTES
from .world import ChildRow, SchoolRow, World, pick

WEEKLY_PRAISE = 4.4
MEAN_RATE = math.exp(0.45**2 / 2)


class PraiseTables:
    def __init__(self, world: World) -> None:
        sink = self.sink = world.sink
        self.values = sink.table(
            PraiseValue, ("id", "school_id", "name", "description", "order", "is_active")
        )
        self.praise = sink.table(
            Praise,
            (
                "id", "school_id", "child_id", "value_id", "note", "target_id",
                "given_by_id", "given_at", "batch",
            ),
        )  # fmt: skip
        self.thanks = sink.table(
            PraiseThanks, ("id", "praise_id", "parent_id", "message", "created_at")
        )


def seed_praise(world: World) -> None:
    tables = PraiseTables(world)
    sink = tables.sink
    for school in world.schools:
        for order, (name, description) in enumerate(SUGGESTED_VALUES):
            value_id = sink.new_id(tables.values)
            sink.add(tables.values, (value_id, school.id, name, description, order, True))
            school.values.append(value_id)
    weeks = school_weeks(world)
    recent_days = [world.today - datetime.timedelta(days=n) for n in range(1, 8)]
    recent_days = [day for day in recent_days if day.weekday() < 5] or recent_days
    for school in world.schools:
        rng = world.rng("praise", school.number)
        for index in school.children:
            child = world.children[index]
            bench = index in world.families[0].children
            _child_praise(world, tables, rng, school, child, weeks)
            # The seven days before --today always hold praise (the digest's week); the
            # bench family's also today, when the school day has begun.
            days = [world.today, rng.choice(recent_days)] if bench else [rng.choice(recent_days)]
            for day in days:
                _give(world, tables, rng, school, child, world.school_day_time(rng, day))


def _child_praise(
    world: World,
    tables: PraiseTables,
    rng: random.Random,
    school: SchoolRow,
    child: ChildRow,
    weeks: list[list[datetime.date]],
) -> None:
    rate = world.scaled(WEEKLY_PRAISE * child.praise_rate / MEAN_RATE)
    for days in weeks:
        share = rate * len(days) / 5
        for _ in range(poisson(rng, share)):
            _give(world, tables, rng, school, child, world.school_day_time(rng, pick(rng, days)))


def uuid4_text(rng: random.Random) -> str:
    """A seeded version-4 UUID as text, as uuid.UUID(int=..., version=4) makes it, without
    the object (three million of them)."""
    bits = rng.getrandbits(128)
    bits = (bits & ~(0xF000 << 64)) | (0x4000 << 64)  # version 4
    bits = (bits & ~(0xC000 << 48)) | (0x8000 << 48)  # RFC 4122 variant
    text = f"{bits:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _give(
    world: World,
    tables: PraiseTables,
    rng: random.Random,
    school: SchoolRow,
    child: ChildRow,
    at: datetime.datetime,
) -> None:
    sink = tables.sink
    draw = rng.random()
    adult = (
        child.teacher[1] if draw < 0.5 else child.assistant[1] if draw < 0.85 else school.sendco[1]
    )
    target = None
    if child.targets and rng.random() < 0.25:
        target_id, shared_at = pick(rng, child.targets)
        if shared_at <= at:
            target = target_id
    praise_id = sink.new_id(tables.praise)
    sink.add(
        tables.praise,
        (
            praise_id, school.id, child.id, pick(rng, school.values),
            pick(rng, PRAISE_NOTES), target, adult, at,
            uuid4_text(rng),
        ),
    )  # fmt: skip
    if rng.random() < 0.06:
        parent = rng.choice(world.families[child.family].parents)
        thanked = min(at + datetime.timedelta(hours=6), world.end - datetime.timedelta(minutes=1))
        row = (sink.new_id(tables.thanks), praise_id, parent, "Thank you!", thanked)
        sink.add(tables.thanks, row)
