"""The query count of each page at 1x and 10x data: they must be equal.

A page whose query count grows with the data (one query per family, per praise, per
target) is slow at a trust's scale however fast it looks on a small school. Two small data
sets are built in a database of their own, the second with ten times the families and ten
times each family's history, and each page is counted on both.

Building and counting run as separate processes on that database, so the benchmark's own
connection keeps pointing at the full data set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
from django.conf import settings
from django.db import connection

from .figures import Figure
from .server import database_url

SMALL_DATABASE = "send_portal_bench_small"
# (families at the one school, history scale)
SCALES = {"1x": (12, 1), "10x": (120, 10)}


def seed_arguments(children: int, history_scale: int) -> list[str]:
    return [
        "--schools",
        "1",
        "--children-per-school",
        str(children),
        "--years",
        "1",
        "--history-scale",
        str(history_scale),
    ]


def _ensure_database(name: str) -> None:
    db = connection.settings_dict
    admin = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                # The name is our constant, never user input.
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()


def _manage(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603 (our interpreter, manage.py, fixed arguments)
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed: {done.stderr[-1500:]}")
    return done.stdout


def _counts_in(env: dict[str, str]) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "counts.json"
        _manage(["bench", "--parts", "page-queries", "--json", str(out), "--quiet"], env)
        data = json.loads(out.read_text())
    return {
        figure["name"].removesuffix(", queries"): int(figure["value"])
        for figure in data["figures"]
        if figure["name"].endswith(", queries")
    }


def run(options: dict) -> list[Figure]:
    name = options.get("small_database") or SMALL_DATABASE
    _ensure_database(name)
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url().rsplit("/", 1)[0] + f"/{name}"
    _manage(["migrate", "--noinput"], env)
    counts: dict[str, dict[str, int]] = {}
    took: dict[str, float] = {}
    for scale, (children, history) in SCALES.items():
        started = time.monotonic()
        _manage(["seed_scale", *seed_arguments(children, history)], env)
        took[scale] = time.monotonic() - started
        counts[scale] = _counts_in(env)
    seeded = ", ".join(f"{scale} built in {seconds:.0f} s" for scale, seconds in took.items())
    figures = []
    for page, small in counts["1x"].items():
        large = counts["10x"].get(page, -1)
        note = f"1x {small}, 10x {large}" + (f" ({seeded})" if not figures else "")
        figures.append(
            Figure(f"{page}, queries 1x vs 10x", large, "queries", "equal", small == large, note)
        )
    return figures
