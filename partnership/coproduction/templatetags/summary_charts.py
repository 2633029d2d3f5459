"""Charts for the governors' summary, drawn on the server as inline SVG.

No script and no chart library: the page must print, pass a strict CSP (so every look comes
from classes in portal.css, never a style attribute) and read aloud. Each chart is one
`role="img"` with an aria-label that says everything the bars say; the table of the same
numbers follows it in the template. A suppressed cell is drawn as an empty dashed bar that
says "fewer than 5", never as a bar of length zero, which would read as none.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from partnership.coproduction.summary.shape import SUPPRESSED, Figure, Split, Trend

register = template.Library()

WIDTH = 420
VALUE_ROOM = 90  # room right of a bar for its value
ROW = 46  # label line above, bar below
BAR = 18
COLUMN_AREA = 180  # height the columns of a trend may use
LABEL_ROOM = 90  # room under the columns for slanted labels
LABEL_REACH = 80  # how far left of its column a slanted label reaches


def _scale(figures: list[Figure]) -> float:
    if any(figure.unit == "%" for figure in figures):
        return 100.0
    values = [figure.value for figure in figures if _drawn(figure)]
    return max([*values, 0.0]) or 1.0


def _drawn(figure: Figure) -> bool:
    return not figure.suppressed and figure.value is not None


def _spoken(label: str, figure: Figure) -> str:
    return f"{label}: {SUPPRESSED if figure.suppressed else figure.display}"


def _svg(*, label: str, title: str, height: int, width: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="summary-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'width="{}" height="{}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
        label,
        width,
        height,
        width,
        height,
        title,
        body,
    )


def _bar_row(index: int, group: str, figure: Figure, scale: float) -> SafeString:
    top = index * ROW
    track = WIDTH - VALUE_ROOM
    name = format_html('<text class="chart-label" x="0" y="{}">{}</text>', top + 15, group)
    bar_y = top + 22
    text_y = bar_y + 14
    if figure.suppressed:
        bar = format_html(
            '<rect class="chart-bar-suppressed" x="1" y="{}" width="{}" height="{}" rx="3"/>'
            '<text class="chart-value chart-value-suppressed" x="8" y="{}">{}</text>',
            bar_y,
            track - 2,
            BAR,
            text_y,
            SUPPRESSED,
        )
    elif figure.value is None:
        bar = format_html(
            '<text class="chart-value chart-value-empty" x="0" y="{}">{}</text>',
            text_y,
            figure.display,
        )
    else:
        length = round(track * max(figure.value, 0) / scale, 1)
        bar = format_html(
            '<rect class="chart-bar" x="0" y="{}" width="{}" height="{}" rx="3"/>'
            '<text class="chart-value" x="{}" y="{}">{}</text>',
            bar_y,
            length,
            BAR,
            length + 6,
            text_y,
            figure.display,
        )
    return format_html("<g>{}{}</g>", name, bar)


@register.filter
def in_a_sentence(label: str) -> str:
    """'Year group' reads 'year group' mid-sentence; 'SEN support or EHC plan' keeps its
    capitals, as any label starting with an acronym does."""
    label = str(label)
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


@register.filter
def nothing_to_draw(split: Split) -> bool:
    """True when every group is suppressed or empty: a column of identical empty bars
    would say nothing the sentence and the table do not."""
    return all(row.figure.suppressed or row.figure.value is None for row in split.rows)


@register.simple_tag
def split_chart(split: Split) -> SafeString:
    """Horizontal bars, one per group, each labelled with its group and its value."""
    if not split.rows:
        return mark_safe("")
    title = _("%(figure)s by %(dimension)s") % {
        "figure": split.figure_label,
        "dimension": in_a_sentence(split.dimension_label),
    }
    scale = _scale([row.figure for row in split.rows])
    body = format_html_join(
        "",
        "{}",
        ((_bar_row(i, row.group, row.figure, scale),) for i, row in enumerate(split.rows)),
    )
    spoken = "; ".join(_spoken(row.group, row.figure) for row in split.rows)
    return _svg(
        label=_("Bar chart, %(title)s. %(values)s.") % {"title": title, "values": spoken},
        title=title,
        height=len(split.rows) * ROW + 4,
        width=WIDTH,
        body=body,
    )


def _column(index: int, step: float, width: float, label: str, figure: Figure, scale: float):
    left = round(LABEL_REACH + index * step, 1)
    middle = round(left + width / 2, 1)
    base = COLUMN_AREA + 20
    under = format_html(
        '<text class="chart-label chart-label-slanted" x="{}" y="{}" '
        'transform="rotate(-45 {} {})" text-anchor="end">{}</text>',
        middle,
        base + 16,
        middle,
        base + 16,
        label,
    )
    if figure.suppressed:
        shape = format_html(
            '<rect class="chart-bar-suppressed" x="{}" y="20" width="{}" height="{}" rx="3"/>'
            '<text class="chart-value chart-value-suppressed" x="{}" y="{}" '
            'transform="rotate(-90 {} {})" text-anchor="middle">{}</text>',
            left,
            width,
            COLUMN_AREA,
            middle + 5,
            20 + COLUMN_AREA / 2,
            middle + 5,
            20 + COLUMN_AREA / 2,
            SUPPRESSED,
        )
    elif figure.value is None:
        shape = format_html(
            '<text class="chart-value chart-value-empty" x="{}" y="{}" '
            'text-anchor="middle">{}</text>',
            middle,
            base - 4,
            figure.display,
        )
    else:
        height = round(COLUMN_AREA * max(figure.value, 0) / scale, 1)
        shape = format_html(
            '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}" rx="3"/>'
            '<text class="chart-value{}" x="{}" y="{}" text-anchor="middle">{}</text>',
            left,
            round(base - height, 1),
            width,
            height,
            " chart-value-narrow" if step < 36 else "",
            middle,
            round(base - height - 5, 1),
            figure.display,
        )
    return format_html("<g>{}{}</g>", shape, under)


@register.simple_tag
def trend_chart(trend: Trend) -> SafeString:
    """Columns in time order, each with its value above and its period below."""
    if not trend.points:
        return mark_safe("")
    scale = _scale([point.figure for point in trend.points])
    count = len(trend.points)
    step = (WIDTH - LABEL_REACH - 10) / count
    width = round(min(56.0, step * 0.7), 1)
    body = format_html_join(
        "",
        "{}",
        (
            (_column(i, step, width, point.label, point.figure, scale),)
            for i, point in enumerate(trend.points)
        ),
    )
    axis = format_html(
        '<line class="chart-axis" x1="0" y1="{}" x2="{}" y2="{}"/>',
        COLUMN_AREA + 20,
        WIDTH,
        COLUMN_AREA + 20,
    )
    spoken = "; ".join(_spoken(point.label, point.figure) for point in trend.points)
    return _svg(
        label=_("Column chart, %(title)s. %(values)s.") % {"title": trend.title, "values": spoken},
        title=trend.title,
        height=COLUMN_AREA + 20 + LABEL_ROOM,
        width=WIDTH,
        body=format_html("{}{}", axis, body),
    )
