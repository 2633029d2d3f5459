"""Sends one request as one role and reduces the answer to the matrix's vocabulary."""

import copy
import re

from django.conf import settings
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.crypto import get_random_string

from .world import ANONYMOUS, World

LOGIN_PATH = "/accounts/login/"
# Tables a refused request may still write: the audit trail records denials by design,
# and the session machinery keeps its own rows.
WRITABLE_WHEN_REFUSED = ("audit_", "django_session", "usersessions_")
WRITE_SQL = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


def client_for(world: World, role: str) -> Client:
    """A client signed in as the role, sending a valid CSRF token with every POST.

    force_login is enough for staff: the two-factor gate asks only that a TOTP
    authenticator exists, and the world gives every member of staff one.
    """
    client = Client(enforce_csrf_checks=True)
    if role != ANONYMOUS:
        client.force_login(world.user(role))
    token = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    client.defaults["HTTP_X_CSRFTOKEN"] = token
    return client


def outcome(response) -> str:
    """'200', 'login' (302 to the sign-in page), '302' (elsewhere) or the status code."""
    if response.status_code in (301, 302, 303):
        return "login" if response["Location"].startswith(LOGIN_PATH) else "302"
    return str(response.status_code)


def writes(queries) -> list[str]:
    """The tables a request wrote to, leaving out those a refusal may write."""
    tables = []
    for query in queries:
        match = WRITE_SQL.match(query["sql"])
        if match and not match.group(2).startswith(WRITABLE_WHEN_REFUSED):
            tables.append(match.group(2))
    return tables


def send(client: Client, method: str, url: str, *, after=None):
    """The request inside a savepoint rolled back afterwards, so an allowed POST (which may
    cancel a booking or end the session) leaves the world as it was for the next row.

    The cookies are put back too: a POST to sign out clears the session cookie, and the
    rolled-back session row is only of use if the client still names it.

    `after`, if given, is called inside the savepoint once the response is in (to count
    rows before they are rolled back); its result is returned third.

    Returns (response, tables written, result of after)."""
    cookies = copy.deepcopy(client.cookies)
    # The query log is a bounded deque: once full, a capture would see nothing.
    reset_queries()
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url) if method == "GET" else client.post(url, {})
        counted = after() if after is not None else None
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, writes(queries.captured_queries), counted
