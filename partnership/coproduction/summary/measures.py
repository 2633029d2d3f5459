"""Turning counts into figures, and child-based figures into splits.

A `Measure` is one child-based figure: how to work out its value and its base from a list
of families. The same rule gives the whole scope's figure and every cell of its splits, so
a cell can never be defined differently from its total.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from partnership.schools.models import AreaOfNeed, SendStatus, YearGroup

from .families import Family
from .shape import Figure, Split, SplitRow
from .suppression import checked, checked_split

NO_DATA = _("none yet")

PERCENT = "%"


def display_of(value: float | None, unit: str, decimals: int) -> str:
    if value is None:
        return str(NO_DATA)
    if unit == PERCENT:
        return f"{value:.0f}%"
    return f"{value:.{decimals}f}"


def figure(
    key: str,
    label: str,
    value: float | None,
    base: int,
    *,
    unit: str = "",
    compare: str = "",
    decimals: int = 1,
) -> Figure:
    """A figure, suppressed when its base is below the minimum."""
    return checked(
        Figure(
            key=key,
            label=str(label),
            value=value,
            display=display_of(value, unit, decimals),
            base=base,
            compare=str(compare),
            unit=unit,
        )
    )


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def ratio(part: float, whole: float, places: int = 2) -> float | None:
    return round(part / whole, places) if whole else None


def count_figure(key: str, label: str, value: int, *, compare: str = "") -> Figure:
    """A count of events (sessions, consultations) rather than of families: nothing to
    suppress, since it says nothing about any one family."""
    return Figure(
        key=key, label=str(label), value=value, display=str(value), base=value, compare=compare
    )


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    # (value, base) from a group of families; value None when there is nothing to count.
    compute: Callable[[Sequence[Family]], tuple[float | None, int]]
    unit: str = ""
    compare: str = ""
    decimals: int = 1

    def of(self, families: Sequence[Family]) -> Figure:
        value, base = self.compute(families)
        return figure(
            self.key,
            self.label,
            value,
            base,
            unit=self.unit,
            compare=self.compare,
            decimals=self.decimals,
        )


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    group_of: Callable[[Family], object]
    order: Sequence  # the groups in the order governors expect
    labels: dict


DIMENSIONS = (
    Dimension(
        "year_group",
        str(_("Year group")),
        lambda family: family.year_group,
        [choice.value for choice in YearGroup],
        {choice.value: str(choice.label) for choice in YearGroup},
    ),
    Dimension(
        "primary_need",
        str(_("Primary area of need")),
        lambda family: family.primary_need,
        [choice.value for choice in AreaOfNeed],
        {choice.value: str(choice.label) for choice in AreaOfNeed},
    ),
    Dimension(
        "send_status",
        str(_("SEN support or EHC plan")),
        lambda family: family.send_status,
        [choice.value for choice in SendStatus],
        {choice.value: str(choice.label) for choice in SendStatus},
    ),
)


def split(measure: Measure, families: Sequence[Family], dimension: Dimension) -> Split:
    """The measure for each group that has any family, small and complementary cells
    suppressed. Groups with no family are left out rather than shown as empty."""
    groups: dict = {}
    for family in families:
        groups.setdefault(dimension.group_of(family), []).append(family)
    known = [group for group in dimension.order if group in groups]
    unknown = sorted((group for group in groups if group not in dimension.labels), key=str)
    rows = [
        SplitRow(group=dimension.labels.get(group, str(group)), figure=measure.of(groups[group]))
        for group in known + unknown
    ]
    return checked_split(
        Split(
            dimension=dimension.key,
            dimension_label=dimension.label,
            figure_label=str(measure.label),
            rows=rows,
        )
    )


def splits(measures: Sequence[Measure], families: Sequence[Family]) -> list[Split]:
    return [split(measure, families, dimension) for measure in measures for dimension in DIMENSIONS]
