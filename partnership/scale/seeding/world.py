"""What every part of the build shares: the options, the seeded randomness, the school
calendar and the people made so far (ids only, never model instances)."""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from .copy import Sink

LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC


@dataclasses.dataclass(frozen=True)
class Options:
    schools: int
    children_per_school: int
    years: int
    seed: int
    history_scale: float
    today: datetime.date

    def as_record(self) -> dict:
        record = dataclasses.asdict(self)
        record["today"] = self.today.isoformat()
        return record


def _in_holiday(day: datetime.date) -> bool:
    """English school holidays, near enough for history: summer, Christmas, Easter and the
    three half-terms."""
    month_day = (day.month, day.day)
    return (
        month_day >= (12, 20)
        or month_day <= (1, 3)
        or (7, 22) <= month_day <= (9, 3)
        or (10, 24) <= month_day <= (11, 1)
        or (2, 14) <= month_day <= (2, 21)
        or (4, 1) <= month_day <= (4, 14)
        or (5, 26) <= month_day <= (5, 31)
    )


def is_school_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and not _in_holiday(day)


def terms_between(
    start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """The terms (first day, last day) that overlap start..end, in order."""
    found = []
    for year in range(start.year - 1, end.year + 1):
        for first, last in (
            (datetime.date(year, 9, 4), datetime.date(year, 12, 19)),
            (datetime.date(year + 1, 1, 4), datetime.date(year + 1, 3, 31)),
            (datetime.date(year + 1, 4, 15), datetime.date(year + 1, 7, 21)),
        ):
            if last >= start and first <= end:
                found.append((first, last))
    return found


@dataclasses.dataclass
class Family:
    parents: list[int]
    children: list[int]  # indexes into World.children
    # How often school and family are in touch (a ContactPlan frequency) and how active
    # this family is beyond that: the skew of the whole data set hangs on these two.
    frequency: str
    activity: float
    separated: bool = False
    checkin: str = "weekly"


@dataclasses.dataclass
class ChildRow:
    id: int
    school: int  # index into World.schools
    first_name: str
    year_group: int
    family: int = -1  # index into World.families
    teacher: tuple[int, int] = (0, 0)  # (membership id, user id)
    assistant: tuple[int, int] = (0, 0)
    praise_rate: float = 1.0
    targets: list[int] = dataclasses.field(default_factory=list)  # shared target ids


@dataclasses.dataclass
class SchoolRow:
    id: int
    number: int
    slug: str
    sendco: tuple[int, int] = (0, 0)
    admin: tuple[int, int] = (0, 0)
    governor: tuple[int, int] = (0, 0)
    teachers: list[tuple[int, int]] = dataclasses.field(default_factory=list)
    assistants: list[tuple[int, int]] = dataclasses.field(default_factory=list)
    values: list[int] = dataclasses.field(default_factory=list)
    interventions: list[int] = dataclasses.field(default_factory=list)
    children: list[int] = dataclasses.field(default_factory=list)  # indexes


def pick(rng: random.Random, items: Sequence):
    """rng.choice, at a third of the cost: it is called tens of millions of times."""
    return items[int(rng.random() * len(items))]


class World:
    def __init__(self, options: Options, sink: Sink, now: datetime.datetime) -> None:
        self.options = options
        self.sink = sink
        # History ends at the end of --today, or now if that comes first, so nothing is
        # dated in the future.
        end_of_today = datetime.datetime.combine(
            options.today + datetime.timedelta(days=1), datetime.time(0), tzinfo=LONDON
        ).astimezone(UTC)
        self.end = min(now, end_of_today)
        self.latest = self.end - datetime.timedelta(minutes=1)
        self.today = options.today
        self.week_of = self.today - datetime.timedelta(days=self.today.weekday())
        self.start = self.today - datetime.timedelta(days=365 * options.years)
        self.school_days = [
            day
            for day in (
                self.start + datetime.timedelta(days=n)
                for n in range((self.today - self.start).days)
            )
            if is_school_day(day)
        ]
        self.terms = terms_between(self.start, self.today)
        self.schools: list[SchoolRow] = []
        self.children: list[ChildRow] = []
        self.families: list[Family] = []
        self.trustee = 0
        self._midnight: dict[datetime.date, datetime.datetime] = {}

    def rng(self, *parts: object) -> random.Random:
        """A generator of its own for each part of the build, seeded by name, so changing
        one part leaves every other part's data as it was."""
        return random.Random(":".join(str(part) for part in (self.options.seed, *parts)))

    def midnight(self, day: datetime.date) -> datetime.datetime:
        """Local midnight of `day`, in UTC (the clocks change twice a year)."""
        found = self._midnight.get(day)
        if found is None:
            found = self._midnight[day] = datetime.datetime.combine(
                day, datetime.time(0), tzinfo=LONDON
            ).astimezone(UTC)
        return found

    def at(self, day: datetime.date, minutes: float) -> datetime.datetime:
        """`minutes` after local midnight of `day`, as an aware UTC datetime, never later
        than the end of the history."""
        moment = self.midnight(day) + datetime.timedelta(minutes=minutes)
        return moment if moment < self.latest else self.latest

    def school_day_time(self, rng: random.Random, day: datetime.date) -> datetime.datetime:
        return self.at(day, 510 + 420 * rng.random())  # 8:30 to 15:30

    def scaled(self, value: float) -> float:
        return value * self.options.history_scale
