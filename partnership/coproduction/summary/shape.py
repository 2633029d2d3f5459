"""The shape of the governors' summary: periods (terms and school years), and figures
grouped into sections, each with its splits and trend, ready for the page, the charts, the
printed report and the CSV alike.

A figure built on fewer than MINIMUM_BASE children or families is suppressed: its value
is None and it reads "fewer than 5". Nothing here carries a name, a date of birth, free
text or an id; only counts, shares and medians.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

MINIMUM_BASE = 5
SUPPRESSED = _("fewer than 5")

# Terms of the English school year, by (month, day) of their first day. The autumn term
# starts the school year on 1 September.
TERMS = (
    ("autumn", _("Autumn term"), (9, 1)),
    ("spring", _("Spring term"), (1, 1)),
    ("summer", _("Summer term"), (4, 1)),
)


@dataclass(frozen=True)
class Period:
    """A term or a whole school year: [starts, ends) as dates in the school's time zone."""

    key: str  # "2026-27" for a school year, "2026-27-autumn" for a term
    label: str  # "School year 2026 to 2027", "Autumn term 2026"
    starts: datetime.date
    ends: datetime.date  # the first day after the period

    @property
    def days(self) -> int:
        return (self.ends - self.starts).days

    @property
    def weeks(self) -> float:
        return self.days / 7

    def clipped_to(self, today: datetime.date) -> "Period":
        """The part of the period up to and including today (for "per week" rates)."""
        ends = min(self.ends, today + datetime.timedelta(days=1))
        return Period(self.key, self.label, self.starts, max(ends, self.starts))


def school_year_of(day: datetime.date) -> int:
    """The calendar year the school year holding `day` started in."""
    return day.year if (day.month, day.day) >= (9, 1) else day.year - 1


def school_year(start_year: int) -> Period:
    return Period(
        key=f"{start_year}-{(start_year + 1) % 100:02d}",
        label=str(
            _("School year %(start)s to %(end)s") % {"start": start_year, "end": start_year + 1}
        ),
        starts=datetime.date(start_year, 9, 1),
        ends=datetime.date(start_year + 1, 9, 1),
    )


def terms_of(start_year: int) -> list[Period]:
    year = school_year(start_year)
    autumn = datetime.date(start_year, 9, 1)
    spring = datetime.date(start_year + 1, 1, 1)
    summer = datetime.date(start_year + 1, 4, 1)
    bounds = [autumn, spring, summer, year.ends]
    periods = []
    for (key, label, _first), starts, ends in zip(TERMS, bounds, bounds[1:], strict=False):
        periods.append(
            Period(
                key=f"{year.key}-{key}",
                label=f"{label} {starts.year}",
                starts=starts,
                ends=ends,
            )
        )
    return periods


def periods_for(today: datetime.date, *, years: int = 2) -> list[Period]:
    """The periods a governor can choose, newest first: for this school year and the one
    before, each term so far and the whole year."""
    current = school_year_of(today)
    periods: list[Period] = []
    for start_year in range(current, current - years, -1):
        periods.extend(reversed([term for term in terms_of(start_year) if term.starts <= today]))
        periods.append(school_year(start_year))
    return periods


def period_by_key(key: str, today: datetime.date) -> Period | None:
    return next((period for period in periods_for(today) if period.key == key), None)


@dataclass
class Figure:
    """One number for governors. `value` is None when suppressed or when there is nothing
    to count yet; `display` is what the page prints."""

    key: str  # stable, for the CSV: "contact.median_per_half_term"
    label: str
    value: float | None
    display: str
    base: int  # how many children or families it is built on
    suppressed: bool = False
    # What to read it against, in words: "three a year is 0.5 a half-term".
    compare: str = ""
    # The unit shown in charts: "%" for shares, "" for counts and rates.
    unit: str = ""


@dataclass
class SplitRow:
    group: str  # "Year 4", "Autism (ASD)", "EHC plan"
    figure: Figure


@dataclass
class Split:
    """One figure broken down by a dimension; suppression never leaves a hidden cell
    recoverable from the total and the other cells."""

    dimension: str  # "year_group", "primary_need", "send_status"
    dimension_label: str
    figure_label: str
    rows: list[SplitRow]


@dataclass
class TrendPoint:
    label: str  # "Week of 3 Nov", "Autumn 1"
    figure: Figure


@dataclass
class Trend:
    title: str
    points: list[TrendPoint]


@dataclass
class Section:
    key: str  # "contact", "meetings", "voice", "praise", "coproduction"
    title: str
    figures: list[Figure]
    splits: list[Split] = field(default_factory=list)
    trends: list[Trend] = field(default_factory=list)


@dataclass
class Summary:
    scope: str  # the school's or the trust's name
    period: Period
    families: Figure  # how many families the summary covers (itself suppressed if < 5)
    sections: list[Section]
    generated_at: datetime.datetime
    schools: int = 1
