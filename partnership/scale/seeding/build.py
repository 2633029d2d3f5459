"""The whole build: remove an old scale set, write every part, record what was built."""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from partnership.schools.models import School

from .contact import seed_contact
from .coproduction import seed_coproduction
from .copy import Sink
from .meetings import seed_meetings
from .people import seed_people
from .plans import seed_plans
from .praise import seed_praise
from .removal import remove_scale_set
from .world import Options, World

SECTIONS: tuple[tuple[str, Callable[[World], None]], ...] = (
    ("people", seed_people),
    ("plans", seed_plans),
    ("contact", seed_contact),
    ("praise", seed_praise),
    ("meetings", seed_meetings),
    ("coproduction", seed_coproduction),
)
COMMENT_PREFIX = "seed_scale "


def recorded_options() -> dict | None:
    """The options the present scale set was built with, or None if there is none."""
    if not School.objects.filter(slug__startswith="scale-").exists():
        return None
    if connection.vendor != "postgresql":
        # No table comments elsewhere: a scale set exists, its parameters are unknown.
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description(%s::regclass, 'pg_class')", [School._meta.db_table])
        comment = cursor.fetchone()[0] or ""
    if not comment.startswith(COMMENT_PREFIX):
        return None  # a set that never finished: as good as none
    return json.loads(comment[len(COMMENT_PREFIX) :])


def _record(options: Options | None) -> None:
    if connection.vendor != "postgresql":
        return
    text = COMMENT_PREFIX + json.dumps(options.as_record(), sort_keys=True) if options else ""
    with connection.cursor() as cursor:
        # COMMENT takes a literal, not a parameter: quote it the way PostgreSQL does.
        literal = "'" + text.replace("'", "''") + "'" if text else "NULL"
        cursor.execute(f'COMMENT ON TABLE "{School._meta.db_table}" IS {literal}')


def _write(options: Options, log: Callable[[str], None]) -> Sink:
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    sink = Sink(log=log)
    world = World(options, sink, timezone.now())
    try:
        for name, section in SECTIONS:
            section_started = time.monotonic()
            log(f"{name} ...")
            section(world)
            log(f"{name} generated in {time.monotonic() - section_started:.1f} s")
        sink.close()
    finally:
        sink.stop()
    used = resource.getrusage(resource.RUSAGE_SELF)
    python = used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime
    copying = sink.copy_backend_cpu
    log(
        f"CPU time: Python {python:.1f} s"
        + (f", PostgreSQL COPY backends {copying:.1f} s" if copying is not None else "")
    )
    return sink


def build(
    options: Options, *, log: Callable[[str], None]
) -> tuple[dict[str, tuple[int, float]], float]:
    """Build the scale set; returns (rows, seconds writing them) per table and the total
    seconds taken."""
    started = time.monotonic()
    _record(None)  # a build that stops half-way must not pass for a finished one
    removed = remove_scale_set()
    log(f"removed the previous scale set ({removed}) in {time.monotonic() - started:.1f} s")
    if connection.vendor == "postgresql":
        counts = _write(options, log).counts()
    else:
        with transaction.atomic():  # one commit: SQLite is slow at many
            counts = _write(options, log).counts()
    if connection.vendor == "postgresql":
        analyze_started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        log(f"ANALYZE in {time.monotonic() - analyze_started:.1f} s")
    _record(options)
    return counts, time.monotonic() - started
