"""A hand-built governors' summary, so the pages, charts and CSV can be tested on known
figures without the figures module behind them."""

import datetime

from django.utils import timezone

from partnership.coproduction.summary.shape import (
    SUPPRESSED,
    Figure,
    Period,
    Section,
    Split,
    SplitRow,
    Summary,
    Trend,
    TrendPoint,
)


def figure(key: str, label: str, value: float | None, base: int, *, unit: str = "", **kw):
    if base < 5:
        return Figure(key, label, None, str(SUPPRESSED), base, suppressed=True, unit=unit, **kw)
    display = "—" if value is None else (f"{value:g}%" if unit == "%" else f"{value:g}")
    return Figure(key, label, value, display, base, unit=unit, **kw)


def sample_summary(scope: str, period: Period, *, schools: int = 1) -> Summary:
    on_track = "contact.on_track"
    contact = Section(
        key="contact",
        title="Contact with families",
        figures=[
            figure(
                "contact.median_per_half_term",
                "Median contacts per family per half-term",
                2.5,
                24,
                compare="three a year is 0.5 a half-term",
            ),
            figure(on_track, "Families on track with their contact plan", 75, 24, unit="%"),
            figure("contact.gap", "Families who heard less than school logged", None, 3),
        ],
        splits=[
            Split(
                dimension="year_group",
                dimension_label="Year group",
                figure_label="Families on track",
                rows=[
                    SplitRow("Year 4", figure(on_track, "Families on track", 80, 10, unit="%")),
                    SplitRow("Year 5", figure(on_track, "Families on track", None, 3, unit="%")),
                    SplitRow("Year 7", figure(on_track, "Families on track", None, 4, unit="%")),
                    SplitRow("Year 8", figure(on_track, "Families on track", 0, 7, unit="%")),
                ],
            )
        ],
    )
    voice = Section(
        key="voice",
        title="Parents' voice",
        figures=[figure("voice.response_rate", "Check-in response rate", 62, 24, unit="%")],
        trends=[
            Trend(
                title="Average check-in rating",
                points=[
                    TrendPoint("Autumn 1", figure("voice.rating", "Rating", 3.5, 20)),
                    TrendPoint("Autumn 2", figure("voice.rating", "Rating", None, 2)),
                    TrendPoint("Spring 1", figure("voice.rating", "Rating", 4.1, 22)),
                ],
            )
        ],
    )
    praise = Section(
        key="praise",
        title="Praise",
        figures=[figure("praise.per_child_week", "Praise per child per week", 1.2, 30)],
    )
    return Summary(
        scope=scope,
        period=period,
        families=figure("families", "Families covered", 24, 24),
        sections=[contact, voice, praise],
        generated_at=timezone.make_aware(datetime.datetime(2026, 11, 23, 9, 30)),
        schools=schools,
    )
