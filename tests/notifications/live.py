"""A real SMTP server and a real Celery worker, for the delivery tests."""

import email
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from partnership.scale.bench.celery_worker import worker_environment


class SmtpSink:
    """An aiosmtpd handler that keeps what it accepts and can refuse a recipient once.

    The refusal is a 451 at RCPT, the "try again later" a busy mail server gives: the
    transient failure the outbox must retry without sending twice.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._received: list[tuple[str, str]] = []
        self._refuse_once: set[str] = set()

    def reset(self) -> None:
        with self._lock:
            self._received.clear()
            self._refuse_once.clear()

    def refuse_first_delivery_to(self, address: str) -> None:
        with self._lock:
            self._refuse_once.add(address)

    def recipients(self) -> Counter[str]:
        with self._lock:
            return Counter(rcpt for rcpt, _ in self._received)

    def keys(self) -> Counter[str]:
        with self._lock:
            return Counter(key for _, key in self._received)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self._lock:
            if address in self._refuse_once:
                self._refuse_once.discard(address)
                return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        key = email.message_from_bytes(envelope.content)["X-Portal-Message"]
        with self._lock:
            self._received.extend((rcpt, key) for rcpt in envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_smtp_sink(sink: SmtpSink) -> Controller:
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


def dedicated_broker(url: str, db: int) -> str:
    """The same Redis on its own database number, so flushing it touches nobody else."""
    return urlunparse(urlparse(url)._replace(path=f"/{db}"))


def start_worker(*, broker: str, smtp_port: int, log_path: Path) -> subprocess.Popen:
    env = {
        **worker_environment(broker=broker, smtp_port=smtp_port),
        "DJANGO_DEBUG": "true",
        "PORTAL_OUTBOX_RETRY_BASE_SECONDS": "1",
    }
    command = [
        *(sys.executable, "-m", "celery", "-A", "send_portal", "worker"),
        *("--pool", "solo", "--concurrency", "1", "-l", "INFO"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
    ]
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )


def wait_until(
    condition: Callable[[], bool], *, what: str, worker: subprocess.Popen, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if worker.poll() is not None:
            pytest.fail(f"the worker exited ({worker.returncode}) while waiting for {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)
