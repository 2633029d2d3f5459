"""Build the trust-scale data set: thousands of SEND families with years of history.

    manage.py seed_scale --schools 30 --children-per-school 300 --years 2

On PostgreSQL rows go in with COPY; elsewhere with bulk_create, for small sets. The same
--seed gives the same data.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partnership.scale.seeding.build import build, recorded_options
from partnership.scale.seeding.world import Options


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today takes a date like 2026-11-23, not {value!r}") from error


class Command(BaseCommand):
    help = "Build the trust-scale data set (schools scale-NN), replacing any earlier one."

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=30)
        parser.add_argument("--children-per-school", type=int, default=300)
        parser.add_argument("--years", type=int, default=2)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--history-scale",
            type=float,
            default=1.0,
            help="Multiply each family's history (contact, praise, reviews, meetings).",
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing if a set built with the same options is already there.",
        )
        parser.add_argument("--today", type=_date, help="The last day of the history.")

    def handle(self, *args, **options):
        if not 1 <= options["schools"] <= 99:
            raise CommandError("--schools takes 1 to 99 (the slugs have two digits).")
        if options["children_per_school"] < 2 or options["years"] < 1:
            raise CommandError("--children-per-school takes 2 or more, --years 1 or more.")
        if options["history_scale"] <= 0:
            raise CommandError("--history-scale must be above 0.")
        wanted = Options(
            schools=options["schools"],
            children_per_school=options["children_per_school"],
            years=options["years"],
            seed=options["seed"],
            history_scale=options["history_scale"],
            today=options["today"] or timezone.localdate(),
        )
        if options["if_missing"]:
            present = recorded_options()
            if present is not None and _same(present, wanted, with_today=bool(options["today"])):
                self.stdout.write("The scale data set is already built with these options.")
                return
        counts, seconds = build(wanted, log=self.stdout.write)
        self.stdout.write("")
        self.stdout.write(f"{'table':<40} {'rows':>12} {'writing (s)':>12}")
        for table, (rows, writing) in sorted(counts.items(), key=lambda item: -item[1][0]):
            self.stdout.write(f"{table:<40} {rows:>12,} {writing:>12.1f}")
        total = sum(rows for rows, _writing in counts.values())
        self.stdout.write(f"{'total':<40} {total:>12,}")
        self.stdout.write(self.style.SUCCESS(f"Scale data set built in {seconds:.1f} s."))


def _same(present: dict, wanted: Options, *, with_today: bool) -> bool:
    """The same set, when the options match; --today counts only when it was given, so
    a set built yesterday without --today is not rebuilt today."""
    record = wanted.as_record()
    if not present:
        return True  # no recorded options (SQLite): a scale set is there, keep it
    keys = [key for key in record if with_today or key != "today"]
    return all(present.get(key) == record[key] for key in keys)
