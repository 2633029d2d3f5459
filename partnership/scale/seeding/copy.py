"""Writing millions of rows fast: COPY on PostgreSQL, bulk_create elsewhere.

Generators hand over plain Python tuples in a fixed column order. Rows wait in one spool
per table (lines in COPY's text format on PostgreSQL, tuples elsewhere) that is written
out when it grows past a limit, so memory stays bounded however large the set. Where
foreign keys are checked as rows arrive, every spool is written then, in the order the
tables were first used (parents before children).

Ids are allocated here, not by the database, so a child row can name its parent without
a round trip: each table's block starts at the sequence's next value and the sequence is
moved past the block at the end (`Sink.close`). The build is the only writer meanwhile.

A large build on PostgreSQL (outside a transaction) hands each full spool to two more
connections that COPY it while this one goes on generating, so Python and PostgreSQL
work at the same time. They run with `session_replication_role = replica`,
as pg_restore --disable-triggers does: the per-row foreign-key triggers, which cost more
than the rest of the load together, are skipped because every reference is made here
from ids this build allocated (the tests check every foreign key of a built set). All
indexes, unique, check and exclusion constraints stay in force. Inside a transaction
(the tests) the rows go through the ordinary connection with every check on.
"""

# SQL here names tables and columns from the models' own metadata, never from input.
# ruff: noqa: S608

from __future__ import annotations

import datetime
import io
import json
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable, Sequence

from django.db import connection, connections
from django.db.models import NOT_PROVIDED, Model

# Flush a spool once it holds this many rows: some ten megabytes of COPY text on
# PostgreSQL, a few bulk_create batches elsewhere.
SPOOL_LINES = 100_000
SPOOL_ROWS = 5_000
BATCH_SIZE = 1_000

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str) -> str:
    # Scanning is cheaper than translating, and almost no value needs escaping.
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def _json(value: object) -> str:
    return _text(json.dumps(value))


# One formatter per Python type: a dictionary lookup is the cheapest dispatch per value.
_FORMAT: dict[type, Callable] = {
    int: str,
    str: _text,
    bool: lambda value: "t" if value else "f",
    type(None): lambda value: "\\N",
    datetime.datetime: datetime.datetime.isoformat,
    datetime.date: datetime.date.isoformat,
    datetime.time: datetime.time.isoformat,
    uuid.UUID: str,
    dict: _json,
    list: _json,
}


def _format_any(value: object) -> str:
    """The slow path, for subclasses such as a choices enum (a str or an int)."""
    for kind in (bool, int, str, datetime.datetime, datetime.date):
        if isinstance(value, kind):
            return _FORMAT[kind](kind(value) if kind in (int, str) else value)
    return _FORMAT[type(value)](value)


def copy_into(cursor, table: Table, lines: list[str]) -> None:
    columns = ", ".join(f'"{column}"' for column in table.columns)
    text = io.StringIO("".join(lines))
    cursor.copy_expert(f'COPY "{table.name}" ({columns}) FROM STDIN', text, size=1 << 20)


def backend_cpu_seconds(pid: int | None) -> float | None:
    """CPU time of a PostgreSQL backend on this machine (from /proc), else None: a figure
    that, unlike the wall clock, does not depend on who else is using the CPU."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, TypeError):
        return None


def _may_skip_triggers() -> bool:
    """session_replication_role needs a superuser; anyone else writes on this connection
    with every check on (slower, not wrong)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        found = cursor.fetchone()
    return bool(found and found[0])


class CopyPool:
    """Connections of their own that COPY spools handed over through a short queue (so
    memory stays bounded when PostgreSQL is the slower side). Two, so that on two cores
    one can write a table's rows while the other updates another table's indexes."""

    def __init__(self, log: Callable[[str], None], started: float, size: int = 2) -> None:
        self.jobs: queue.Queue = queue.Queue(maxsize=2 * size)
        self.error: BaseException | None = None
        self.backend_cpu = 0.0
        self.lock = threading.Lock()
        self.log = log
        self.started = started
        self.workers = [
            threading.Thread(target=self._run, name=f"seed-scale-copy-{n}", daemon=True)
            for n in range(size)
        ]
        for worker in self.workers:
            worker.start()

    def _run(self) -> None:
        own = connections["default"]  # each thread has a connection of its own
        pid = None
        try:
            with own.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
                while (job := self.jobs.get()) is not None:
                    if self.error is None:
                        self._copy(cursor.cursor, *job)
        except BaseException as error:  # handed to the generating thread to raise
            self.error = error
            while self.jobs.get() is not None:
                pass  # drain, so the generating side never blocks on a full queue
        finally:
            with self.lock:
                self.backend_cpu += backend_cpu_seconds(pid) or 0.0
            own.close()

    def _copy(self, cursor, table: Table, lines: list[str], count: int) -> None:
        began = time.monotonic()
        copy_into(cursor, table, lines)
        with self.lock:
            table.rows += count
            table.seconds += time.monotonic() - began
            self.log(
                f"  {table.name:<40} {table.rows:>10,} rows  "
                f"{time.monotonic() - self.started:7.1f} s"
            )

    def put(self, job: tuple) -> None:
        if self.error is not None:
            raise self.error
        self.jobs.put(job)

    def finish(self) -> None:
        for _worker in self.workers:
            self.jobs.put(None)
        for worker in self.workers:
            worker.join()
        if self.error is not None:
            raise self.error


class Table:
    """One table's spool, its columns and its id counter."""

    def __init__(self, model: type[Model], columns: Sequence[str]) -> None:
        self.model = model
        self.name = model._meta.db_table
        self.columns = tuple(columns)
        self._check_columns()
        self.rows = 0
        self.pending: list = []
        self.lines: list[str] = []
        self.seconds = 0.0
        self.next_id: int | None = None

    def _check_columns(self) -> None:
        # Without Django's save() nothing fills in defaults: a NOT NULL column left out
        # would fail deep inside COPY, so say which one here.
        known = {field.column for field in self.model._meta.concrete_fields}
        unknown = set(self.columns) - known
        if unknown:
            raise ValueError(f"{self.name} has no column {sorted(unknown)}")
        for field in self.model._meta.concrete_fields:
            required = not field.null and field.db_default is NOT_PROVIDED
            if required and field.column not in self.columns:
                raise ValueError(f"{self.name}.{field.column} needs a value")


class Sink:
    """Where every generator writes. One per build, on the default connection."""

    def __init__(self, *, log: Callable[[str], None]) -> None:
        self.is_postgres = connection.vendor == "postgresql"
        self.tables: dict[str, Table] = {}
        self.log = log
        self.started = time.monotonic()
        self.pool: CopyPool | None = None
        self.copy_backend_cpu: float | None = None
        if self.is_postgres and not connection.in_atomic_block and _may_skip_triggers():
            self.pool = CopyPool(log, self.started)

    # ids ---------------------------------------------------------------------------

    def table(self, model: type[Model], columns: Sequence[str]) -> Table:
        name = model._meta.db_table
        table = self.tables.get(name)
        if table is None:
            table = self.tables[name] = Table(model, columns)
        elif table.columns != tuple(columns):
            raise ValueError(f"{name} written with two column lists")
        return table

    def new_id(self, table: Table) -> int:
        if table.next_id is None:
            table.next_id = self._first_free_id(table)
        value = table.next_id
        table.next_id += 1
        return value

    def _first_free_id(self, table: Table) -> int:
        with connection.cursor() as cursor:
            if self.is_postgres:
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table.name])
            else:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table.name}"')
            return cursor.fetchone()[0]

    # rows --------------------------------------------------------------------------

    def add(self, table: Table, row: tuple) -> None:
        if self.is_postgres:
            try:
                line = "\t".join([_FORMAT[type(value)](value) for value in row]) + "\n"
            except KeyError:
                line = "\t".join([_format_any(value) for value in row]) + "\n"
            lines = table.lines
            lines.append(line)
            if len(lines) >= SPOOL_LINES:
                # With foreign-key triggers off, a table need not wait for its parents.
                self._flush_table(table) if self.pool else self.flush()
        else:
            table.pending.append(row)
            if len(table.pending) >= SPOOL_ROWS:
                self.flush()

    def flush(self) -> None:
        for table in self.tables.values():
            if table.lines or table.pending:
                self._flush_table(table)

    def _flush_table(self, table: Table) -> None:
        started = time.monotonic()
        if self.is_postgres:
            count = len(table.lines)
            if self.pool is not None:
                self.pool.put((table, table.lines, count))
            else:
                with connection.cursor() as cursor:
                    copy_into(cursor.cursor, table, table.lines)
            table.lines = []
        else:
            count = len(table.pending)
            objects = [
                table.model(**dict(zip(table.columns, row, strict=True))) for row in table.pending
            ]
            table.model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
            table.pending = []
        if self.pool is not None:
            return  # counted and logged when written
        table.rows += count
        table.seconds += time.monotonic() - started
        self.log(
            f"  {table.name:<40} {table.rows:>10,} rows  {time.monotonic() - self.started:7.1f} s"
        )

    def close(self) -> None:
        """Write what is left and move each sequence past the ids handed out."""
        self.flush()
        self.stop()
        if not self.is_postgres:
            return
        with connection.cursor() as cursor:
            for table in self.tables.values():
                if table.next_id is not None:
                    cursor.execute(
                        "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
                        [table.name, table.next_id],
                    )

    def stop(self) -> None:
        """Let the COPY connections finish what they hold; raise what went wrong there."""
        if self.pool is None:
            return
        pool, self.pool = self.pool, None
        try:
            pool.finish()
        finally:
            self.copy_backend_cpu = pool.backend_cpu

    def counts(self) -> dict[str, tuple[int, float]]:
        """Rows written and seconds spent writing them, per table."""
        return {name: (table.rows, table.seconds) for name, table in self.tables.items()}
