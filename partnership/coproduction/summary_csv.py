"""The governors' summary as CSV for the meeting papers: the same figures as the page.

One row per figure, per split cell and per trend point, each with the value exactly as the
page prints it. A base is written only where the figure is shown, so a suppressed cell
gives away nothing about its size.
"""

import csv
import io

from .summary.shape import Figure, Summary

HEADER = ["section", "figure", "split", "group", "value", "base"]
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: object) -> str:
    text = str(text)
    if text.startswith(FORMULA_STARTS):
        try:
            float(text.replace(",", ""))
        except ValueError:
            return "'" + text
    return text


def _row(section: str, label: str, split: str, group: str, figure: Figure) -> list[str]:
    base = "" if figure.suppressed or figure.value is None else figure.base
    return [_cell(part) for part in (section, label, split, group, figure.display, base)]


def summary_rows(summary: Summary) -> list[list[str]]:
    rows = [_row("", summary.families.label, "", "", summary.families)]
    for section in summary.sections:
        for figure in section.figures:
            rows.append(_row(section.title, figure.label, "", "", figure))
        for split in section.splits:
            for cell in split.rows:
                rows.append(
                    _row(
                        section.title,
                        split.figure_label,
                        split.dimension_label,
                        cell.group,
                        cell.figure,
                    )
                )
        for trend in section.trends:
            for point in trend.points:
                rows.append(_row(section.title, trend.title, "", point.label, point.figure))
    return rows


def summary_csv(summary: Summary) -> str:
    out = io.StringIO()
    # The byte-order mark makes Excel, which most clerks open it in, read it as UTF-8.
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(summary_rows(summary))
    return out.getvalue()


def summary_filename(slug: str, summary: Summary) -> str:
    return f"{slug}-summary-{summary.period.key}.csv"
