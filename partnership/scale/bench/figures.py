"""One measured figure, with the target it is held to."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Figure:
    """A benchmark figure. `met` is None when the figure is informative only (no target)."""

    name: str  # e.g. "parent home, median"
    value: float
    unit: str  # "ms", "queries", "ratio", "s", "msg/s", "MB", "count"
    target: str = ""  # how the target reads in the table, e.g. "< 30 ms"
    met: bool | None = None
    note: str = ""  # e.g. "1x 13, 10x 13"

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)
