"""Throughput of the parent home through gunicorn, as a ratio to a bare Django view.

Requests per second depend on the machine; the ratio of the parent home to a view that
returns a fixed page, through the same server and middleware in the same run, mostly does
not, so the ratio is what is compared across machines. The load comes from `wrk` on
loopback (Debian's package); without it, from a small threaded generator here, which is
slower but loads both addresses the same way.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass

from django.conf import settings

from partnership.accounts.models import User

from .figures import Figure
from .pages import BENCH_PARENT, bench_parent_children
from .server import PROXY_HEADERS, Server, cookie_header, get, gunicorn
from .sessions import sign_in, sign_out

FIXED_PATH = "/bench/fixed/"
SIGNED_IN_PATH = "/bench/signed-in/"
HOME_PATH = "/parent/"
RATIO_TARGET = 0.35
CONNECTIONS = 4
WARM_UP_SECONDS = 3


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    requests: int
    bad_answers: int  # answers other than 2xx or 3xx, and socket errors
    tool: str


def _wrk(server: Server, path: str, seconds: int, headers: dict[str, str]) -> Load:
    command = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{server.port}{path}")
    out = subprocess.run(  # noqa: S603 (wrk with fixed arguments)
        command, capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    if rate is None or total is None:
        raise RuntimeError(f"could not read wrk's output: {out[-500:]}")
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if errors:
        bad += sum(int(n) for n in errors.groups())
    return Load(float(rate.group(1)), int(total.group(1)), bad, f"wrk, {CONNECTIONS} connections")


def _threaded(server: Server, path: str, seconds: int, headers: dict[str, str]) -> Load:
    """A plain generator: CONNECTIONS threads, each sending one request after another."""
    counts = {"done": 0, "bad": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < stop_at:
            conn = server.connection(timeout=30)
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                good = 200 <= response.status < 400
            except OSError:
                good = False
            finally:
                conn.close()
            with lock:
                counts["done" if good else "bad"] += 1

    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    rate = counts["done"] / elapsed
    return Load(rate, counts["done"], counts["bad"], f"threaded generator, {CONNECTIONS} threads")


def load(server: Server, path: str, seconds: int, headers: dict[str, str]) -> Load:
    if shutil.which("wrk"):
        return _wrk(server, path, seconds, headers)
    return _threaded(server, path, seconds, headers)


def check_home(server: Server, cookies: dict[str, str]) -> None:
    """The parent home must really be the parent home, not a redirect to sign in."""
    status, headers, body = get(server, HOME_PATH, cookies=cookies)
    if status != 200:
        raise RuntimeError(f"{HOME_PATH} answered {status} {headers.get('location', '')}")
    names = [child.first_name for child in bench_parent_children()]
    missing = [name for name in names if name not in body]
    if not names or missing:
        raise RuntimeError(f"{HOME_PATH} does not show the bench parent's children {missing}")
    for path, with_cookies in ((FIXED_PATH, {}), (SIGNED_IN_PATH, cookies)):
        status, _headers, body = get(server, path, cookies=with_cookies)
        if status != 200 or "A fixed page" not in body:
            raise RuntimeError(f"{path} answered {status}: is PORTAL_ROOT_URLCONF read?")


def run(options: dict) -> list[Figure]:
    seconds = int(options.get("duration") or 10)
    key = sign_in(User.objects.get(email=BENCH_PARENT))
    cookies = {settings.SESSION_COOKIE_NAME: key}
    try:
        with gunicorn(port=int(options.get("port") or 0), workers=2) as server:
            check_home(server, cookies)
            home_headers = {**PROXY_HEADERS, **cookie_header(cookies)}
            load(server, FIXED_PATH, WARM_UP_SECONDS, PROXY_HEADERS)
            load(server, HOME_PATH, WARM_UP_SECONDS, home_headers)
            bare = load(server, FIXED_PATH, seconds, PROXY_HEADERS)
            signed_in = load(server, SIGNED_IN_PATH, seconds, home_headers)
            home = load(server, HOME_PATH, seconds, home_headers)
    finally:
        sign_out([key])
    ratio = home.requests_per_second / bare.requests_per_second if bare.requests_per_second else 0
    ceiling = (
        signed_in.requests_per_second / bare.requests_per_second if bare.requests_per_second else 0
    )
    clean = bare.bad_answers == 0 and home.bad_answers == 0 and signed_in.bad_answers == 0
    note = f"{server.description}; {home.tool}; {seconds} s each"
    bad = (
        f"; bad answers: bare {bare.bad_answers}, signed-in {signed_in.bad_answers}, "
        f"home {home.bad_answers}"
        if not clean
        else ""
    )
    return [
        Figure("bare view, throughput", round(bare.requests_per_second, 1), "req/s", note=note),
        Figure(
            "signed-in fixed page, throughput",
            round(signed_in.requests_per_second, 1),
            "req/s",
            note=note,
        ),
        Figure(
            "signed-in fixed page / bare view",
            round(ceiling, 3),
            "ratio",
            note="what being signed in costs: the most any signed-in page could reach",
        ),
        Figure("parent home, throughput", round(home.requests_per_second, 1), "req/s", note=note),
        Figure(
            "parent home / bare view",
            round(ratio, 3),
            "ratio",
            f">= {RATIO_TARGET}",
            ratio >= RATIO_TARGET and clean,
            f"{home.requests} and {bare.requests} requests{bad}",
        ),
    ]
