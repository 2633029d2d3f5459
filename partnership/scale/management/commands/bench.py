"""`manage.py bench`: measure the portal on the trust-scale data set and report.

Run it through `bench/run`, which builds the data set and sets production settings (DEBUG
off). Each part returns figures with their targets; a part that fails prints its error and
adds a figure that fails, so a broken measurement can never read as a met target.
"""

from __future__ import annotations

import importlib
import time
import traceback

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partnership.scale.bench.figures import Figure
from partnership.scale.bench.report import error_figure, print_report, write_json

# Part name -> module under partnership.scale.bench exposing run(options) -> list[Figure].
PARTS = {
    "pages": "pages",
    "queries": "queries",
    "throughput": "throughput",
    "bookings": "bookings",
    "sends": "sends",
}
# Run by the "queries" part in a process of its own on the small data sets.
INTERNAL_PARTS = {"page-queries"}
DEFAULT_PARTS = ",".join(PARTS)


def page_query_figures(options: dict) -> list[Figure]:
    from partnership.scale.bench.pages import query_counts

    return [Figure(f"{page}, queries", count, "queries") for page, count in query_counts().items()]


class Command(BaseCommand):
    help = "Measure pages, query counts, throughput, concurrent bookings and weekly sends."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--parts",
            default=DEFAULT_PARTS,
            help=f"comma-separated, in order (default: {DEFAULT_PARTS})",
        )
        parser.add_argument(
            "--requests", type=int, default=50, help="timed warm requests per page (>= 50)"
        )
        parser.add_argument(
            "--page-budget",
            type=float,
            default=180,
            help="seconds of timed requests per page at most (a slow page stops early)",
        )
        parser.add_argument("--json", default="bench/results.json", help="where to write JSON")
        parser.add_argument("--duration", type=int, default=10, help="seconds of load, each")
        parser.add_argument("--port", type=int, default=0, help="gunicorn's port (0: any free)")
        parser.add_argument("--attempts", type=int, default=200, help="concurrent bookings")
        parser.add_argument(
            "--small-database",
            default="send_portal_bench_small",
            help="where the queries part builds its 1x and 10x data sets (replaced each run)",
        )
        parser.add_argument("--quiet", action="store_true", help="write JSON, print nothing")

    def handle(self, *args, **options) -> None:
        parts = [part.strip() for part in options["parts"].split(",") if part.strip()]
        unknown = [p for p in parts if p not in PARTS and p not in INTERNAL_PARTS]
        if unknown:
            raise CommandError(f"unknown part(s) {', '.join(unknown)}; choose from {DEFAULT_PARTS}")
        quiet = options["quiet"]
        if settings.DEBUG and not quiet:
            self.stderr.write("DEBUG is on: figures are not production-like (see bench/run).")
        figures: list[Figure] = []
        for part in parts:
            started = time.monotonic()
            if not quiet:
                self.stdout.write(f"-- {part} ...")
                self.stdout.flush()
            figures.extend(self._run_part(part, options, quiet))
            if not quiet:
                self.stdout.write(f"-- {part} took {time.monotonic() - started:.0f} s")
        path = write_json(options["json"], figures)
        if not quiet:
            self.stdout.write("")
            print_report(figures, self.stdout)
            self.stdout.write(f"\nWritten to {path}")

    def _run_part(self, part: str, options: dict, quiet: bool) -> list[Figure]:
        try:
            if part == "page-queries":
                return page_query_figures(options)
            # Imported when run: a part still being written must not stop the others.
            module = importlib.import_module(f"partnership.scale.bench.{PARTS[part]}")
            return list(module.run(options))
        except Exception as exc:  # the error is printed and becomes a failing figure
            if quiet:
                raise
            self.stderr.write(f"The {part} part failed:\n{traceback.format_exc()}")
            return [error_figure(part, exc)]
