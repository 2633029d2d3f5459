"""Contact between school and families: each family's plan, the log (the largest source
of skew: some families daily, some once a half-term) and the weekly check-ins."""

from __future__ import annotations

import datetime
import math
import random
from collections import defaultdict

from partnership.contact.models import (
    AgreedAction,
    CheckIn,
    CheckInPreference,
    Confirmation,
    ContactEntry,
    ContactPlan,
)

from .text import CHECKIN_MESSAGES, CONTACT_SUMMARIES
from .world import Family, SchoolRow, World, pick

# Contacts a school week, on average, for a family of each contact frequency (divided by
# the mean of the families' activity, so the total stays near a million for the full set).
WEEKLY_CONTACTS = {"daily": 7.0, "weekly": 2.1, "fortnightly": 1.0, "half_termly": 0.25}
MEAN_ACTIVITY = math.exp(0.5**2 / 2)
CHANNELS = {
    "daily": (("in_person", 5), ("text", 3), ("phone", 2), ("email", 2)),
    "other": (("email", 4), ("phone", 4), ("in_person", 2), ("meeting", 1), ("video", 1)),
}
MEETING_CHANNELS = {"meeting", "video", "home_visit"}
HEARD = ("0", "1-2", "3-5", "6-9", "10+")


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the small means here, and seeded like everything else."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def school_weeks(world: World) -> list[list[datetime.date]]:
    """The school days of the history, grouped by week (Monday first)."""
    weeks: dict[datetime.date, list[datetime.date]] = defaultdict(list)
    for day in world.school_days:
        weeks[day - datetime.timedelta(days=day.weekday())].append(day)
    return [weeks[monday] for monday in sorted(weeks)]


class Contact:
    def __init__(self, world: World) -> None:
        self.world = world
        sink = self.sink = world.sink
        self.plans = sink.table(
            ContactPlan,
            (
                "id", "child_id", "frequency", "sendco_meetings_target", "notes",
                "updated_by_id", "updated_at",
            ),
        )  # fmt: skip
        self.preferences = sink.table(
            CheckInPreference, ("id", "parent_id", "school_id", "frequency")
        )
        self.entries = sink.table(
            ContactEntry,
            (
                "id", "school_id", "happened_at", "channel", "started_by", "summary",
                "shared_with_family", "author_id", "is_sendco_meeting", "created_at",
            ),
        )  # fmt: skip
        self.entry_children = sink.table(
            ContactEntry.children.through, ("id", "contactentry_id", "child_id")
        )
        self.entry_parents = sink.table(
            ContactEntry.parents.through, ("id", "contactentry_id", "user_id")
        )
        self.actions = sink.table(
            AgreedAction,
            ("id", "entry_id", "description", "owner_id", "owner_label", "due_on", "done_at"),
        )
        self.confirmations = sink.table(
            Confirmation, ("id", "entry_id", "parent_id", "answer", "note", "answered_at")
        )
        self.checkins = sink.table(
            CheckIn,
            (
                "id", "parent_id", "school_id", "week_of", "created_at", "answered_at",
                "rating", "message", "wants_call", "call_done_at", "heard_from_school",
            ),
        )  # fmt: skip


def seed_contact(world: World) -> None:
    contact = Contact(world)
    weeks = school_weeks(world)
    for school in world.schools:
        rng = world.rng("contact", school.number)
        families = sorted({world.children[index].family for index in school.children})
        for family_index in families:
            family = world.families[family_index]
            _plan_and_preferences(contact, school, family)
            _entries(contact, rng, school, family, weeks)
    contact.sink.flush()
    for school in world.schools:
        rng = world.rng("checkins", school.number)
        families = sorted({world.children[index].family for index in school.children})
        for family_index in families:
            _checkins(contact, rng, school, world.families[family_index], weeks)


def _plan_and_preferences(contact: Contact, school: SchoolRow, family: Family) -> None:
    world, sink = contact.world, contact.sink
    for index in family.children:
        child = world.children[index]
        sink.add(
            contact.plans,
            (
                sink.new_id(contact.plans), child.id, family.frequency, 6,
                "Agreed at the start of the year with the family.", school.sendco[1],
                world.midnight(world.start),
            ),
        )  # fmt: skip
    if family.checkin != "weekly":
        # Weekly is what a parent gets without a row; separated parents choose apart.
        for number, parent in enumerate(family.parents):
            choice = "weekly" if family.separated and number == 1 else family.checkin
            row = (sink.new_id(contact.preferences), parent, school.id, choice)
            sink.add(contact.preferences, row)


def _entries(
    contact: Contact,
    rng: random.Random,
    school: SchoolRow,
    family: Family,
    weeks: list[list[datetime.date]],
) -> None:
    world, sink = contact.world, contact.sink
    children = [world.children[index] for index in family.children]
    rate = world.scaled(WEEKLY_CONTACTS[family.frequency] * family.activity / MEAN_ACTIVITY)
    # Each channel as many times as its weight: a plain pick is the cheapest draw.
    channels = [
        channel
        for channel, weight in CHANNELS["daily" if family.frequency == "daily" else "other"]
        for _ in range(weight)
    ]
    for days in weeks:
        for _ in range(poisson(rng, rate * len(days) / 5)):
            day = pick(rng, days)
            at = world.school_day_time(rng, day)
            channel = pick(rng, channels)
            child = pick(rng, children)
            draw = rng.random()
            author = (
                school.sendco[1]
                if draw < 0.2
                else child.assistant[1]
                if draw < 0.4
                else child.teacher[1]
            )
            is_sendco_meeting = author == school.sendco[1] and channel in MEETING_CHANNELS
            shared = rng.random() < 0.92
            entry_id = sink.new_id(contact.entries)
            sink.add(
                contact.entries,
                (
                    entry_id, school.id, at, channel,
                    "parent" if rng.random() < 0.3 else "school",
                    pick(rng, CONTACT_SUMMARIES), shared, author, is_sendco_meeting, at,
                ),
            )  # fmt: skip
            for each in children:
                row = (sink.new_id(contact.entry_children), entry_id, each.id)
                sink.add(contact.entry_children, row)
            # In a separated family a call is usually with one parent only.
            parents = [pick(rng, family.parents)] if family.separated else family.parents
            for parent in parents:
                row = (sink.new_id(contact.entry_parents), entry_id, parent)
                sink.add(contact.entry_parents, row)
            if rng.random() < 0.05:
                due = day + datetime.timedelta(days=7)
                done = world.at(due, 12 * 60) if due < world.today else None
                sink.add(
                    contact.actions,
                    (
                        sink.new_id(contact.actions), entry_id,
                        "Send home the visual timetable", author, "", due, done,
                    ),
                )  # fmt: skip
            if shared and rng.random() < 0.1:
                answer = "disputed" if rng.random() < 0.05 else "confirmed"
                answered = min(
                    at + datetime.timedelta(hours=5), world.end - datetime.timedelta(minutes=1)
                )
                sink.add(
                    contact.confirmations,
                    (
                        sink.new_id(contact.confirmations), entry_id, parents[0], answer, "",
                        answered,
                    ),
                )  # fmt: skip


def _checkins(
    contact: Contact,
    rng: random.Random,
    school: SchoolRow,
    family: Family,
    weeks: list[list[datetime.date]],
) -> None:
    """Past weeks only: the current week's check-in is the scheduled tick's to write."""
    world, sink = contact.world, contact.sink
    answers = min(0.95, 0.55 * family.activity)
    for number, parent in enumerate(family.parents):
        choice = "weekly" if family.separated and number == 1 else family.checkin
        if choice == "none":
            continue
        for days in weeks:
            monday = days[0] - datetime.timedelta(days=days[0].weekday())
            if monday >= world.week_of:
                break
            if choice == "fortnightly" and monday.isocalendar().week % 2:
                continue
            sent = world.at(monday + datetime.timedelta(days=4), 14 * 60)
            if rng.random() < answers:
                answered = min(
                    sent + datetime.timedelta(hours=rng.uniform(1, 60)),
                    world.end - datetime.timedelta(minutes=1),
                )
                wants_call = rng.random() < 0.05
                row = (
                    sink.new_id(contact.checkins), parent, school.id, monday, sent, answered,
                    pick(rng, (2, 3, 3, 4, 4, 4, 5, 5)), pick(rng, CHECKIN_MESSAGES),
                    wants_call, answered + datetime.timedelta(days=1) if wants_call else None,
                    rng.choice(HEARD) if rng.random() < 0.3 else "",
                )  # fmt: skip
            else:
                row = (
                    sink.new_id(contact.checkins), parent, school.id, monday, sent, None,
                    None, "", False, None, "",
                )  # fmt: skip
            sink.add(contact.checkins, row)
