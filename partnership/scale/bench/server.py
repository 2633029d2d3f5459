"""The portal under gunicorn on loopback, for the parts that measure through a real server.

The server gets this process's environment (production settings when `bench/run` started
us), the database this process uses (so a test database works too), and the benchmark's
urls, which add the fixed page. Requests say they came through the TLS proxy, as they do
in production: with DEBUG off a plain request would only get the redirect to https.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.db import connection

HOST = "127.0.0.1"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
START_SECONDS = 60


class ServerError(Exception):
    """gunicorn did not start, or stopped."""


@dataclass(frozen=True)
class Server:
    port: int
    description: str

    @property
    def origin(self) -> str:
        # What a browser on the proxied site sends as Origin (checked for CSRF).
        return f"https://{HOST}:{self.port}"

    def connection(self, timeout: float = 120) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(HOST, self.port, timeout=timeout)


def database_url() -> str:
    """The database this process is using, as a URL another process can use."""
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        raise ServerError("the server parts need PostgreSQL (set DATABASE_URL=postgres://...)")
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or HOST}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url()
    env["PORTAL_ROOT_URLCONF"] = "send_portal.bench_urls"
    # The session cookies this process signs must be valid there.
    env.setdefault("DJANGO_SECRET_KEY", settings.SECRET_KEY)
    env.update(extra or {})
    return env


def _wait_until_listening(proc: subprocess.Popen, port: int, log_path: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            with open(log_path) as log:
                raise ServerError(f"gunicorn exited with {proc.returncode}: {log.read()[-2000:]}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return
        time.sleep(0.2)
    raise ServerError(f"gunicorn did not listen on {HOST}:{port} within {START_SECONDS} s")


@contextlib.contextmanager
def gunicorn(
    *,
    port: int = 0,
    workers: int = 2,
    threads: int = 1,
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Run gunicorn until the block ends. threads > 1 uses the threaded worker."""
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "send_portal.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
    ]
    kind = "sync"
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
        kind = f"gthread x{threads}"
    with tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log") as log:
        proc = subprocess.Popen(  # noqa: S603 (our interpreter and gunicorn, fixed arguments)
            command,
            cwd=settings.BASE_DIR,
            env=server_env(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_listening(proc, port, log.name)
            yield Server(port, f"gunicorn, {workers} {kind} workers, port {port}")
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def get(
    server: Server, path: str, *, cookies: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    """One GET without following redirects: a redirect to sign-in must show as one."""
    conn = server.connection(timeout=60)
    try:
        headers = {**PROXY_HEADERS, **cookie_header(cookies)}
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read().decode(errors="replace")
        return response.status, dict_of_headers(response), body
    finally:
        conn.close()


def cookie_header(cookies: dict[str, str] | None) -> dict[str, str]:
    if not cookies:
        return {}
    return {"Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items())}


def dict_of_headers(response: http.client.HTTPResponse) -> dict[str, str]:
    """Headers by lower-case name; Set-Cookie values joined with newlines."""
    headers: dict[str, str] = {}
    for name, value in response.getheaders():
        key = name.lower()
        headers[key] = f"{headers[key]}\n{value}" if key in headers else value
    return headers
