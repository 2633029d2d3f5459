"""Handing a claimed batch to the mail server over a few connections at once.

Talking SMTP is mostly waiting for the server's answer (four round trips an email), so a
batch is dealt out to a few connections, each in its own thread, which only talk SMTP:
the database stays with the caller, who takes each message's result as it comes.
"""

import contextlib
import queue
import threading
import time
import uuid
from collections.abc import Iterator
from email._policybase import Compat32
from typing import Literal

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from .models import OutboxMessage

# Connections per batch: enough to keep a busy mail server's answers overlapping, few
# enough for any relay's limit on connections from one client (two workers use eight).
CONNECTIONS = 4
# A message handed back untried, because the batch ran out of time.
UNTRIED: Literal["untried"] = "untried"
Result = Exception | Literal["untried"] | None  # None: the mail server accepted it


class _QuickFold(Compat32):
    """The email package's default policy, which runs every header through its folding
    algorithm; a short printable ASCII header folds to itself, so that case skips it.
    (Checked against the default on 200,000 random headers: the bytes are the same.)"""

    def fold_binary(self, name: str, value) -> bytes:
        if (
            isinstance(value, str)
            and value.isascii()
            and value.isprintable()
            and len(name) + len(value) + 2 <= 78
        ):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


_QUICK_FOLD = _QuickFold()


class _OutboxEmail(EmailMultiAlternatives):
    def message(self, *args, **kwargs):
        built = super().message(*args, **kwargs)
        built.policy = _QUICK_FOLD
        if built.is_multipart():
            # A random boundary chosen here, as the email package would choose one; left to
            # it, it compiles a new regular expression for every message to check its own.
            built.set_boundary(f"==============={uuid.uuid4().hex}==")
        return built


def email(message: OutboxMessage, connection: BaseEmailBackend) -> EmailMultiAlternatives:
    built = _OutboxEmail(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        # The key names the row, never the family or child: it is how a duplicate shows.
        headers={"X-Portal-Message": message.key},
        connection=connection,
    )
    if message.body_html:
        built.attach_alternative(message.body_html, "text/html")
    if message.calendar:
        method = "CANCEL" if "METHOD:CANCEL" in message.calendar else "PUBLISH"
        built.attach("invite.ics", message.calendar, f"text/calendar; method={method}")
    return built


def _open(connection: BaseEmailBackend) -> None:
    # Backends that keep no connection (tests' in-memory outbox) have nothing to open.
    opener = getattr(connection, "open", None)
    if opener is not None:
        opener()


def _close_quietly(connection: BaseEmailBackend) -> None:
    # After a failure the connection may be half dead; the next message opens a new one.
    closer = getattr(connection, "close", None)
    if closer is None:
        return
    # A connection that will not close politely is dropped all the same.
    with contextlib.suppress(Exception):
        closer()


def _lane(
    messages: list[OutboxMessage], budget_ends: float
) -> Iterator[tuple[OutboxMessage, Result]]:
    """One connection's share, in order. A failure is the message's own: the connection
    is dropped and the next message opens a new one; a server that cannot be reached
    fails the rest of the share, which would only wait for the same timeout each."""
    connection = get_connection(fail_silently=False)
    need_open = True
    try:
        for index, message in enumerate(messages):
            if time.monotonic() > budget_ends:
                yield from ((unsent, UNTRIED) for unsent in messages[index:])
                return
            if need_open:
                try:
                    _open(connection)
                except Exception as exc:  # recorded on each row
                    yield from ((unsent, exc) for unsent in messages[index:])
                    return
                need_open = False
            try:
                connection.send_messages([email(message, connection)])
            except Exception as exc:  # this message's failure only
                _close_quietly(connection)
                need_open = True
                yield message, exc
                continue
            yield message, None
    finally:
        _close_quietly(connection)


def send(
    messages: list[OutboxMessage], budget_ends: float
) -> Iterator[tuple[OutboxMessage, Result]]:
    """Each message with its result, as results come in.

    A message whose lane died without a word is not yielded: its row stays claimed and the
    tick rings for it once the claim is stale.
    """
    lanes = min(CONNECTIONS, len(messages))
    if lanes <= 1:
        yield from _lane(messages, budget_ends)
        return
    results: queue.Queue = queue.Queue()
    done = object()

    def run(share: list[OutboxMessage]) -> None:
        try:
            for result in _lane(share, budget_ends):
                results.put(result)
        finally:
            results.put(done)

    threads = [
        threading.Thread(target=run, args=(messages[lane::lanes],), daemon=True)
        for lane in range(lanes)
    ]
    for thread in threads:
        thread.start()
    running = lanes
    while running:
        result = results.get()
        if result is done:
            running -= 1
            continue
        yield result
    for thread in threads:
        thread.join()
