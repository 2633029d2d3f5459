"""Server time and query count of the five pages the trust-scale targets name.

Each page is requested in-process through Django's full stack (every middleware, the
session, the two-factor gate, the audit trail) as the person who would read it, signed in
with a real session. A few warm-up requests first, so what is timed is a warm server, not
the first import of a template.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.accounts.models import User
from partnership.schools.selectors import children_for_parent

from .figures import Figure
from .sessions import sign_out, signed_in_client

DOMAIN = "scale.example.org"
BENCH_PARENT = f"parent.01.0001@{DOMAIN}"
SCHOOL = "scale-01"
TRUST = "scale-trust"
WARM_UP = 5
# Timed requests stop after this long (at least one is always timed).
PAGE_BUDGET_SECONDS = 180


class PageError(Exception):
    """A page did not answer as the person reading it would expect."""


def bench_parent_children(email: str = BENCH_PARENT) -> list:
    return list(children_for_parent(User.objects.get(email=email)))


def _first_child_url() -> str:
    children = bench_parent_children()
    if not children:
        raise PageError(f"{BENCH_PARENT} has no children: is the scale data set loaded?")
    return reverse("child_detail", kwargs={"child_id": children[0].pk})


def _bench_children_names() -> list[str]:
    return [child.first_name for child in bench_parent_children()]


@dataclass(frozen=True)
class Page:
    label: str
    email: str
    url: Callable[[], str]
    median_target_ms: float | None = None
    p95_target_ms: float | None = None
    # Words the page must show (read once, before any request is timed or counted).
    expects: Callable[[], list[str]] | None = None


PAGES = [
    Page(
        "parent home",
        BENCH_PARENT,
        lambda: reverse("parent_home"),
        median_target_ms=30,
        p95_target_ms=60,
        expects=_bench_children_names,
    ),
    Page("child page", BENCH_PARENT, _first_child_url, median_target_ms=30, p95_target_ms=60),
    Page(
        "SENDCo dashboard (300 families)",
        f"sendco.01@{DOMAIN}",
        lambda: reverse("contact_dashboard", kwargs={"slug": SCHOOL}),
        median_target_ms=100,
    ),
    Page(
        "governors' school summary",
        f"governor.01@{DOMAIN}",
        lambda: reverse("governor_summary", kwargs={"slug": SCHOOL}),
        median_target_ms=150,
    ),
    Page(
        "governors' trust summary",
        f"trustee@{DOMAIN}",
        lambda: reverse("trust_summary", kwargs={"slug": TRUST}),
        median_target_ms=1000,
    ),
]


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: a value that was actually observed."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _host() -> str:
    # With DEBUG off only the configured host names are answered.
    concrete = [h for h in settings.ALLOWED_HOSTS if h not in ("*",) and not h.startswith(".")]
    return concrete[0] if concrete else "testserver"


class SignedIn:
    """A signed-in client for one page's reader; the session ends on exit."""

    def __init__(self, email: str) -> None:
        self.email = email

    def __enter__(self) -> Client:
        # Secure, as behind the TLS proxy production runs: with DEBUG off a plain request
        # would only get the redirect to https.
        self.client, self.key = signed_in_client(self.email, SERVER_NAME=_host())
        return self.client

    def __exit__(self, *exc) -> None:
        sign_out([self.key])


def fetch(client: Client, url: str, page: Page, wanted: Sequence[str] = ()) -> None:
    response = client.get(url, secure=True)
    if response.status_code != 200:
        where = response.get("Location", "")
        raise PageError(
            f"{page.label} as {page.email} answered {response.status_code} {where}".strip()
        )
    body = response.content.decode()
    missing = [word for word in wanted if word not in body]
    if missing:
        raise PageError(f"{page.label} does not show {', '.join(missing)}")


def count_queries(client: Client, url: str, page: Page) -> int:
    with CaptureQueriesContext(connection) as queries:
        fetch(client, url, page)
    return len(queries)


def query_counts() -> dict[str, int]:
    """Each page's query count on a warm server (the first request of a process also
    fills per-process caches, which is not what the data's size changes)."""
    counts = {}
    for page in PAGES:
        with SignedIn(page.email) as client:
            url = page.url()
            for _ in range(2):
                fetch(client, url, page)
            counts[page.label] = count_queries(client, url, page)
    return counts


def _time_page(page: Page, requests: int, budget: float) -> tuple[list[float], int]:
    """Times of `requests` warm requests, or of as many as fit in `budget` seconds: a page
    that takes seconds fails its target long before the fiftieth sample."""
    with SignedIn(page.email) as client:
        url = page.url()
        wanted = page.expects() if page.expects else []
        for _ in range(WARM_UP):
            fetch(client, url, page, wanted)
        queries = count_queries(client, url, page)
        times: list[float] = []
        stop_at = time.monotonic() + budget
        while len(times) < requests and (not times or time.monotonic() < stop_at):
            started = time.perf_counter()
            fetch(client, url, page, wanted)
            times.append((time.perf_counter() - started) * 1000)
    return times, queries


def _below(value: float, target: float | None) -> tuple[str, bool | None]:
    if target is None:
        return "", None
    shown = f"< {target / 1000:g} s" if target >= 1000 else f"< {target:g} ms"
    return shown, value < target


def page_figures(page: Page, times: list[float], queries: int, requests: int) -> list[Figure]:
    median, p95 = statistics.median(times), percentile(times, 95)
    median_target, median_met = _below(median, page.median_target_ms)
    p95_target, p95_met = _below(p95, page.p95_target_ms)
    note = f"{len(times)} warm requests"
    if len(times) < requests:
        # Too few samples to claim a target, however the few compare.
        note = f"{len(times)} of {requests} warm requests: stopped after the page's time budget"
        median_met = False if median_met is not None else None
        p95_met = False if p95_met is not None else None
    return [
        Figure(f"{page.label}, median", round(median, 1), "ms", median_target, median_met, note),
        Figure(f"{page.label}, p95", round(p95, 1), "ms", p95_target, p95_met, note),
        Figure(f"{page.label}, queries", queries, "queries", note="one warm request"),
    ]


def run(options: dict) -> list[Figure]:
    requests = max(int(options.get("requests") or 50), 1)
    budget = float(options.get("page_budget") or PAGE_BUDGET_SECONDS)
    figures = []
    for page in PAGES:
        try:
            times, queries = _time_page(page, requests, budget)
        except Exception as exc:  # one broken page must not hide the others' figures
            figures.append(Figure(f"{page.label}, median", 0, "ms", "answers 200", False, str(exc)))
            continue
        figures.extend(page_figures(page, times, queries, requests))
    return figures
