"""The benchmark's one table, and the same figures as JSON with the machine they came from.

Absolute times only compare runs on the same machine, so the JSON records the CPU, the
memory and the versions next to the figures.
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import TextIO

from django.db import connection
from django.utils import timezone

from .figures import Figure

HEADINGS = ("figure", "value", "target", "met")
MET_WORDS = {True: "yes", False: "NO", None: "-"}


def error_figure(part: str, exc: BaseException) -> Figure:
    """What a part that failed contributes: never silence, always a figure that fails."""
    return Figure(f"{part}: did not run", 0, "", "runs", False, f"{type(exc).__name__}: {exc}")


def _value(figure: Figure) -> str:
    value = float(figure.value)
    if value.is_integer():
        shown = f"{value:,.0f}"
    else:
        shown = f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"
    return f"{shown} {figure.unit}".strip()


def table(figures: list[Figure]) -> str:
    rows = [HEADINGS] + [
        (f.name, _value(f), f.target, MET_WORDS[f.met] + (f"  ({f.note})" if f.note else ""))
        for f in figures
    ]
    widths = [max(len(row[col]) for row in rows) for col in range(3)]
    lines = []
    for number, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].rjust(widths[1]), row[2].ljust(widths[2]), row[3]]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in [*widths, 3]))
    return "\n".join(lines)


def summary_line(figures: list[Figure]) -> str:
    judged = [f for f in figures if f.met is not None]
    failed = [f.name for f in judged if not f.met]
    line = f"{len(judged) - len(failed)} of {len(judged)} targets met"
    return line + (f"; not met: {', '.join(failed)}" if failed else "")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_mb() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def _database_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT 1")
        row = cursor.fetchone()
    return str(row[0]) if connection.vendor == "postgresql" else connection.vendor


def machine() -> dict:
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_mb": _memory_mb(),
        "postgresql": _database_version(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def results(figures: list[Figure]) -> dict:
    return {
        "taken_at": timezone.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "figures": [figure.as_dict() for figure in figures],
    }


def write_json(path: str | Path, figures: list[Figure]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results(figures), indent=2) + "\n")
    return path


def read_figures(path: str | Path) -> list[Figure]:
    data = json.loads(Path(path).read_text())
    return [Figure(**item) for item in data["figures"]]


def print_report(figures: list[Figure], out: TextIO) -> None:
    out.write(table(figures) + "\n\n" + summary_line(figures) + "\n")
