"""The summary's SVG charts: readable without colour, safe under CSP, and never drawing
a suppressed cell as a bar of zero."""

import re

from django.template import Context, Template

from partnership.coproduction.summary.shape import Split, SplitRow, Trend, TrendPoint
from partnership.coproduction.templatetags.summary_charts import split_chart, trend_chart

from .summary_samples import figure


def _split(*rows):
    return Split(
        dimension="send_status",
        dimension_label="SEN support or EHC plan",
        figure_label="Families on track",
        rows=[SplitRow(group, fig) for group, fig in rows],
    )


def _rects(svg: str) -> list[str]:
    return re.findall(r"<rect [^>]*>", svg)


def test_split_chart_is_an_image_with_a_label_saying_every_value():
    svg = split_chart(
        _split(
            ("SEN support", figure("k", "On track", 60, 20, unit="%")),
            ("EHC plan", figure("k", "On track", None, 4, unit="%")),
        )
    )
    assert svg.startswith('<svg class="summary-chart" role="img" aria-label="Bar chart, ')
    label = re.search(r'aria-label="([^"]*)"', svg).group(1)
    assert "SEN support: 60%" in label
    assert "EHC plan: fewer than 5" in label
    assert "<title>Families on track by SEN support or EHC plan</title>" in svg
    assert "style=" not in svg


def test_suppressed_cell_is_an_empty_dashed_bar_labelled_fewer_than_5():
    svg = split_chart(
        _split(
            ("SEN support", figure("k", "On track", 60, 20, unit="%")),
            ("EHC plan", figure("k", "On track", None, 4, unit="%")),
        )
    )
    suppressed = [rect for rect in _rects(svg) if "chart-bar-suppressed" in rect]
    assert len(suppressed) == 1
    width = float(re.search(r'width="([\d.]+)"', suppressed[0]).group(1))
    assert width > 300  # the whole track, so it never reads as a bar of 0
    assert ">fewer than 5</text>" in svg


def test_bars_are_scaled_and_labelled_with_their_values():
    svg = split_chart(
        _split(
            ("SEN support", figure("k", "On track", 50, 20, unit="%")),
            ("EHC plan", figure("k", "On track", 100, 9, unit="%")),
        )
    )
    widths = [float(re.search(r'width="([\d.]+)"', r).group(1)) for r in _rects(svg)]
    assert widths == [165.0, 330.0]  # shares are drawn against 100%
    assert ">50%</text>" in svg and ">100%</text>" in svg
    assert ">SEN support</text>" in svg and ">EHC plan</text>" in svg


def test_counts_scale_to_the_largest_value_and_a_real_zero_says_0():
    svg = split_chart(
        _split(
            ("A", figure("k", "x", 4, 9)),
            ("B", figure("k", "x", 2, 9)),
            ("C", figure("k", "x", 0, 9)),
        )
    )
    widths = [float(re.search(r'width="([\d.]+)"', r).group(1)) for r in _rects(svg)]
    assert widths == [330.0, 165.0, 0.0]
    assert ">0</text>" in svg


def test_labels_are_escaped():
    svg = split_chart(_split(("<b>Year 4</b>", figure("k", "x", 10, 9))))
    assert "<b>" not in svg
    assert "&lt;b&gt;Year 4&lt;/b&gt;" in svg


def test_trend_chart_columns_and_suppressed_point():
    trend = Trend(
        title="Average check-in rating",
        points=[
            TrendPoint("Autumn 1", figure("r", "Rating", 3.5, 20)),
            TrendPoint("Autumn 2", figure("r", "Rating", None, 2)),
            TrendPoint("Spring 1", figure("r", "Rating", 4.1, 22)),
        ],
    )
    svg = trend_chart(trend)
    assert 'role="img"' in svg and "<title>Average check-in rating</title>" in svg
    label = re.search(r'aria-label="([^"]*)"', svg).group(1)
    assert "Autumn 1: 3.5; Autumn 2: fewer than 5; Spring 1: 4.1" in label
    drawn = [r for r in _rects(svg) if 'class="chart-bar"' in r]
    suppressed = [r for r in _rects(svg) if "chart-bar-suppressed" in r]
    assert len(drawn) == 2 and len(suppressed) == 1
    assert ">fewer than 5</text>" in svg
    assert ">Autumn 2</text>" in svg
    assert "style=" not in svg


def test_empty_charts_draw_nothing_and_tags_load_in_templates():
    assert split_chart(_split()) == ""
    assert trend_chart(Trend(title="t", points=[])) == ""
    rendered = Template("{% load summary_charts %}{% split_chart split %}").render(
        Context({"split": _split(("A", figure("k", "x", 10, 9)))})
    )
    assert rendered.startswith("<svg")


def test_dimension_labels_read_in_a_sentence_keeping_acronyms():
    from partnership.coproduction.templatetags.summary_charts import in_a_sentence

    assert in_a_sentence("Year group") == "year group"
    assert in_a_sentence("SEN support or EHC plan") == "SEN support or EHC plan"


def test_a_split_with_every_cell_suppressed_has_a_sentence_not_a_chart():
    from partnership.coproduction.templatetags.summary_charts import nothing_to_draw

    hidden = _split(("A", figure("k", "x", None, 3)), ("B", figure("k", "x", None, 2)))
    mixed = _split(("A", figure("k", "x", None, 3)), ("B", figure("k", "x", 7, 9)))
    assert nothing_to_draw(hidden) and not nothing_to_draw(mixed)
