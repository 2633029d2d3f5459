"""Meetings: past one-to-one slots and their bookings (never two live slots of one host
at once: the exclusion constraint stays on), a few open slots ahead, and group sessions
with places, their confirmed counts kept as the services keep them."""

from __future__ import annotations

import datetime
import math
import random

from partnership.meetings.models import Booking, GroupSession, SessionPlace, Slot

from .text import SESSION_TITLES
from .world import ChildRow, SchoolRow, World

BOOKINGS_A_YEAR = 5.5
MEAN_ACTIVITY = math.exp(0.5**2 / 2)
# A host's day offers meetings at these local times (minutes after midnight), 20 minutes
# each: before school, and after school.
STARTS = (8 * 60, 8 * 60 + 20, 15 * 60 + 30, 15 * 60 + 50, 16 * 60 + 10, 16 * 60 + 30)
LENGTH = datetime.timedelta(minutes=20)
STATUSES = (("held", 80), ("missed", 7), ("cancelled", 8), ("booked", 5))


class Meetings:
    def __init__(self, world: World) -> None:
        self.world = world
        sink = self.sink = world.sink
        self.slots = sink.table(
            Slot,
            (
                "id", "school_id", "host_id", "starts_at", "ends_at", "mode", "location",
                "video_link", "pattern_id", "priority_until", "withdrawn_at",
                "withdrawn_by_id", "created_by_id", "created_at",
            ),
        )  # fmt: skip
        self.bookings = sink.table(
            Booking,
            (
                "id", "slot_id", "child_id", "parent_id", "booked_by_id", "note", "status",
                "created_at", "cancelled_at", "cancelled_by_id", "cancel_reason",
                "moved_to_id", "outcome_at", "outcome_by_id", "contact_entry_id",
            ),
        )  # fmt: skip
        self.sessions = sink.table(
            GroupSession,
            (
                "id", "school_id", "kind", "topic", "title", "description", "starts_at",
                "ends_at", "mode", "location", "video_link", "capacity", "confirmed_count",
                "host_id", "created_by_id", "created_at", "cancelled_at", "cancel_reason",
            ),
        )  # fmt: skip
        self.places = sink.table(
            SessionPlace,
            (
                "id", "session_id", "parent_id", "child_id", "status", "joined_at",
                "confirmed_at", "cancelled_at", "attended", "contact_entry_id",
            ),
        )  # fmt: skip
        # Each host's taken (school day index, start index): one live slot per time.
        self.taken: dict[int, set[tuple[int, int]]] = {}

    def slot(self, school: SchoolRow, host: tuple[int, int], starts_at: datetime.datetime) -> int:
        slot_id = self.sink.new_id(self.slots)
        created = starts_at - datetime.timedelta(days=14)
        self.sink.add(
            self.slots,
            (
                slot_id, school.id, host[0], starts_at, starts_at + LENGTH, "in_person",
                "SEND office", "", None, None, None, None, host[1], created,
            ),
        )  # fmt: skip
        return slot_id


def seed_meetings(world: World) -> None:
    meetings = Meetings(world)
    for school in world.schools:
        rng = world.rng("meetings", school.number)
        for index in school.children:
            _bookings(meetings, rng, school, world.children[index])
        _open_slots(meetings, school)
        _sessions(meetings, rng, school)


def _free_time(
    meetings: Meetings, rng: random.Random, host: tuple[int, int]
) -> datetime.datetime | None:
    world = meetings.world
    taken = meetings.taken.setdefault(host[0], set())
    for _ in range(20):
        day_index = rng.randrange(len(world.school_days))
        start_index = rng.randrange(len(STARTS))
        if (day_index, start_index) not in taken:
            starts_at = world.at(world.school_days[day_index], STARTS[start_index])
            if starts_at + LENGTH >= world.end:
                continue
            taken.add((day_index, start_index))
            return starts_at
    return None  # a full diary: this meeting did not happen


def _bookings(meetings: Meetings, rng: random.Random, school: SchoolRow, child: ChildRow) -> None:
    world, sink = meetings.world, meetings.sink
    family = world.families[child.family]
    mean = world.scaled(BOOKINGS_A_YEAR * world.options.years * family.activity / MEAN_ACTIVITY)
    statuses, weights = zip(*STATUSES, strict=True)
    for _ in range(int(rng.expovariate(1 / mean)) if mean else 0):
        host = school.sendco if rng.random() < 0.35 else child.teacher
        starts_at = _free_time(meetings, rng, host)
        if starts_at is None:
            continue
        slot_id = meetings.slot(school, host, starts_at)
        status = rng.choices(statuses, weights)[0]
        parent = rng.choice(family.parents)
        booked = starts_at - datetime.timedelta(days=rng.randrange(1, 10))
        cancelled = status == "cancelled"
        outcome = status in ("held", "missed")
        sink.add(
            meetings.bookings,
            (
                sink.new_id(meetings.bookings), slot_id, child.id, parent, parent,
                "How the new targets are going.", status, booked,
                booked + datetime.timedelta(hours=20) if cancelled else None,
                parent if cancelled else None, "Clash with work" if cancelled else "", None,
                starts_at + LENGTH if outcome else None, host[1] if outcome else None, None,
            ),
        )  # fmt: skip


def _open_slots(meetings: Meetings, school: SchoolRow) -> None:
    """Three weeks of bookable SENDCo time ahead, so the booking pages have a diary."""
    world = meetings.world
    for offset in range(1, 22):
        day = world.today + datetime.timedelta(days=offset)
        if day.weekday() in (1, 3):
            for minutes in STARTS[2:]:
                meetings.slot(
                    school, school.sendco, world.midnight(day) + datetime.timedelta(minutes=minutes)
                )


def _sessions(meetings: Meetings, rng: random.Random, school: SchoolRow) -> None:
    world, sink = meetings.world, meetings.sink
    parents = sorted(
        {
            (parent, world.children[index].id)
            for index in school.children
            for parent in world.families[world.children[index].family].parents
        }
    )
    count = world.options.years * 8
    for number in range(count):
        day = world.school_days[(number + 1) * len(world.school_days) // (count + 1)]
        kind, topic, title = SESSION_TITLES[number % len(SESSION_TITLES)]
        starts_at = world.at(day, 9 * 60)
        capacity = rng.choice((12, 15, 20))
        session_id = sink.new_id(meetings.sessions)
        chosen = rng.sample(parents, min(len(parents), rng.randrange(5, capacity + 6)))
        seen: set[int] = set()
        places = []
        for parent, child_id in chosen:
            if parent in seen:
                continue  # one live place per parent
            seen.add(parent)
            places.append((parent, child_id))
        confirmed = min(capacity, len(places))
        sink.add(
            meetings.sessions,
            (
                session_id, school.id, kind, topic, title, "Tea, coffee and time to talk.",
                starts_at, starts_at + datetime.timedelta(hours=1, minutes=30), "in_person",
                "School hall", "", capacity, confirmed, school.sendco[0], school.sendco[1],
                starts_at - datetime.timedelta(days=21), None, "",
            ),
        )  # fmt: skip
        for position, (parent, child_id) in enumerate(places):
            joined = starts_at - datetime.timedelta(days=20, minutes=-position * 7)
            is_confirmed = position < confirmed
            sink.add(
                meetings.places,
                (
                    sink.new_id(meetings.places), session_id, parent, child_id,
                    "confirmed" if is_confirmed else "waiting", joined,
                    joined if is_confirmed else None, None,
                    (rng.random() < 0.85) if is_confirmed else None, None,
                ),
            )  # fmt: skip
