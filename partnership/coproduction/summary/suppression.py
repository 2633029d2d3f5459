"""Small numbers never reach a governor (PRODUCT.md: "A governor sees anything that
identifies a child or family").

The rules, all pure functions over bases (how many children, families or responses a
figure is built on):
- a figure whose base is below MINIMUM_BASE is suppressed: no value, "fewer than 5", and
  its base is hidden too (a base of 3 would say as much as the value);
- in a split (or a trend), hiding one cell is not enough when the total is shown: the total
  minus the other cells gives it back. So the next-smallest cell is hidden as well, and
  more, until at least two cells are hidden and together they hold at least MINIMUM_BASE
  (otherwise "these two groups have 3 children between them" still leaks). This is applied
  to every split, shares and medians alike, because bases add up even where values don't;
- a scope with fewer than MINIMUM_BASE families shows nothing at all.
"""

from collections.abc import Iterable, Sequence
from dataclasses import replace

from .shape import MINIMUM_BASE, SUPPRESSED, Figure, Section, Split, Trend


def is_small(base: int) -> bool:
    return base < MINIMUM_BASE


def cells_to_hide(bases: Sequence[int]) -> set[int]:
    """Indices of the cells to suppress: the small ones, then complementary ones."""
    hidden = {index for index, base in enumerate(bases) if is_small(base)}
    if not hidden:
        return hidden
    while True:
        if len(hidden) >= 2 and sum(bases[index] for index in hidden) >= MINIMUM_BASE:
            return hidden
        visible = [index for index in range(len(bases)) if index not in hidden]
        if not visible:
            return hidden
        hidden.add(min(visible, key=lambda index: (bases[index], index)))


def suppressed(figure: Figure) -> Figure:
    """The figure as a governor may see it when its base is too small."""
    return replace(figure, value=None, display=str(SUPPRESSED), base=0, suppressed=True)


def checked(figure: Figure) -> Figure:
    """The figure, suppressed if its own base is small."""
    return suppressed(figure) if is_small(figure.base) and not figure.suppressed else figure


def hide_cells(figures: Sequence[Figure]) -> list[Figure]:
    """The cells of one split or trend with small and complementary cells suppressed."""
    hidden = cells_to_hide([figure.base for figure in figures])
    return [
        suppressed(figure) if index in hidden else figure for index, figure in enumerate(figures)
    ]


def checked_split(split: Split) -> Split:
    figures = hide_cells([row.figure for row in split.rows])
    rows = [replace(row, figure=figure) for row, figure in zip(split.rows, figures, strict=True)]
    return replace(split, rows=rows)


def checked_trend(trend: Trend) -> Trend:
    figures = hide_cells([point.figure for point in trend.points])
    points = [
        replace(point, figure=figure) for point, figure in zip(trend.points, figures, strict=True)
    ]
    return replace(trend, points=points)


def everything_suppressed(sections: Iterable[Section]) -> list[Section]:
    """Every figure, split cell and trend point hidden: for a scope under five families."""
    result = []
    for section in sections:
        result.append(
            replace(
                section,
                figures=[suppressed(figure) for figure in section.figures],
                # The groups themselves ("Hearing impairment") could point at a child
                # when there are so few families: no rows at all.
                splits=[replace(split, rows=[]) for split in section.splits],
                trends=[
                    replace(
                        trend,
                        points=[
                            replace(point, figure=suppressed(point.figure))
                            for point in trend.points
                        ],
                    )
                    for trend in section.trends
                ],
            )
        )
    return result
