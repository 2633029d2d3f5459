"""A local SMTP server that accepts everything and counts it, for the sending benchmark.

Each message is counted by the outbox key in its X-Portal-Message header (kind, recipient
and period, never a child's details), so a message delivered twice shows as a duplicate.
"""

import logging
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO; at thousands of messages a second that
# logging would cost more than the counting.
logging.getLogger("mail.log").setLevel(logging.WARNING)

_KEY_HEADER = re.compile(rb"^X-Portal-Message:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class SinkCounts:
    messages: int
    recipients: int
    duplicates: int  # deliveries of a key beyond its first
    last_at: float | None  # time.monotonic() of the latest message


class CountingSink:
    """An aiosmtpd handler keeping counts only; bodies are dropped as they arrive."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: Counter[str] = Counter()
        self._messages = 0
        self._recipients = 0
        self._last_at: float | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        # Only the header block is searched: parsing whole MIME messages would make the
        # sink, which shares the machine, the slowest part of what it measures.
        head = envelope.content.split(b"\r\n\r\n", 1)[0]
        found = _KEY_HEADER.search(head)
        key = found.group(1).decode() if found else ""
        with self._lock:
            self._messages += 1
            self._recipients += len(envelope.rcpt_tos)
            self._keys[key] += 1
            self._last_at = time.monotonic()
        return "250 Message accepted for delivery"

    def counts(self) -> SinkCounts:
        with self._lock:
            return SinkCounts(
                messages=self._messages,
                recipients=self._recipients,
                duplicates=sum(count - 1 for count in self._keys.values()),
                last_at=self._last_at,
            )

    def keys(self) -> Counter[str]:
        with self._lock:
            return Counter(self._keys)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_sink() -> Iterator[tuple[CountingSink, int]]:
    """A running sink on a free loopback port: (handler, port)."""
    sink = CountingSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield sink, controller.port
    finally:
        controller.stop()
