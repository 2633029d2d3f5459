"""200 parents try to book the same meeting slot at the same moment.

Each parent is signed in with a real session and opens the booking page first (as in a
browser, which also gives the CSRF token); then all the POSTs are released together
through gunicorn. The database must let exactly one through, and everyone else must be
told politely that the time has just been taken, not shown a server error.

The server for this part runs threaded workers: with two single-threaded workers at most
two attempts would be in flight at once, and the race would hardly be run.
"""

from __future__ import annotations

import datetime
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from partnership.accounts.models import User
from partnership.meetings.models import Booking, Mode, Slot
from partnership.meetings.services.slots import SlotRefused, slot_create
from partnership.notifications.models import OutboxMessage
from partnership.schools.models import Child, FamilyLink, Membership, Role, School

from .figures import Figure
from .pages import DOMAIN, SCHOOL, percentile
from .server import PROXY_HEADERS, Server, cookie_header, get, gunicorn
from .sessions import sign_in, sign_out

LOCATION = "Benchmark room"  # marks the slot, so a run that was killed is cleaned next time
TAKEN = "that time has just been taken"
TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_COOKIE = re.compile(rf"{re.escape(settings.CSRF_COOKIE_NAME)}=([^;]+)")
SERVER_THREADS = 16
PAGE_FETCHERS = 8


@dataclass(frozen=True)
class Attempt:
    parent: User
    child: Child
    session_key: str = ""
    csrf_cookie: str = ""
    csrf_token: str = ""


@dataclass(frozen=True)
class Answer:
    status: int
    location: str
    taken: bool
    seconds: float


def _clean_up(slots) -> None:
    """Remove the benchmark's slot, its booking and the booking's two emails (still
    waiting in the outbox: no worker runs during this part), so nobody is ever sent them
    and the next run starts from the same place."""
    for slot in slots:
        booking_ids = list(Booking.objects.filter(slot=slot).values_list("pk", flat=True))
        keys = [f"booking-confirmed:{pk}" for pk in booking_ids]
        keys += [f"booking-host-booked:{pk}" for pk in booking_ids]
        with transaction.atomic():
            OutboxMessage.objects.filter(key__in=keys).delete()
            Booking.objects.filter(slot=slot).delete()
            slot.delete()


def _free_slot(school: School, host: Membership) -> Slot:
    """A slot weeks ahead at a time the SENDCo has free, open to every family.

    Published through the portal's own service, then dated as if published a while ago:
    new slots are kept for families needing closer contact for a few days, and this race
    is for everyone."""
    zone = ZoneInfo(school.time_zone)
    day = timezone.localdate(timezone=zone) + datetime.timedelta(days=60)
    for step in range(200):
        starts = datetime.datetime.combine(day, datetime.time(7, 0), zone)
        starts += datetime.timedelta(minutes=30 * step)
        try:
            slot = slot_create(
                school=school,
                host=host,
                by=host.user,
                starts_at=starts,
                minutes=20,
                mode=Mode.IN_PERSON,
                location=LOCATION,
            )
        except SlotRefused:
            continue
        opened = timezone.now() - datetime.timedelta(minutes=1)
        Slot.objects.filter(pk=slot.pk).update(priority_until=opened)
        return slot
    raise RuntimeError(f"no free time found for {host.user.email}")


def _attempts(school: School, count: int) -> list[Attempt]:
    """`count` different parents of children on roll, each with one of their children."""
    links = (
        FamilyLink.objects.filter(
            child__school=school, child__left_on__isnull=True, parent__is_active=True
        )
        .select_related("parent", "child")
        .order_by("parent_id", "child_id")
    )
    chosen: dict[int, Attempt] = {}
    for link in links.iterator():
        if link.parent_id not in chosen:
            chosen[link.parent_id] = Attempt(link.parent, link.child)
            if len(chosen) == count:
                break
    if len(chosen) < count:
        raise RuntimeError(f"{school.slug} has only {len(chosen)} parents; {count} needed")
    return list(chosen.values())


def _open_page(server: Server, path: str, attempt: Attempt) -> Attempt:
    cookies = {settings.SESSION_COOKIE_NAME: attempt.session_key}
    status, headers, body = get(server, path, cookies=cookies)
    token = TOKEN_FIELD.search(body)
    cookie = CSRF_COOKIE.search(headers.get("set-cookie", ""))
    if status != 200 or token is None or cookie is None:
        raise RuntimeError(
            f"the booking page answered {status} {headers.get('location', '')} to "
            f"{attempt.parent.email}, without a form to book"
        )
    return Attempt(
        attempt.parent, attempt.child, attempt.session_key, cookie.group(1), token.group(1)
    )


def _race(server: Server, path: str, attempts: list[Attempt]) -> list[Answer]:
    barrier = threading.Barrier(len(attempts))

    def attempt_booking(attempt: Attempt) -> Answer:
        body = urlencode(
            {
                "csrfmiddlewaretoken": attempt.csrf_token,
                "child": attempt.child.pk,
                "note": "Benchmark",
            }
        )
        cookies = {
            settings.SESSION_COOKIE_NAME: attempt.session_key,
            settings.CSRF_COOKIE_NAME: attempt.csrf_cookie,
        }
        headers = {
            **PROXY_HEADERS,
            **cookie_header(cookies),
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": server.origin,
            "Referer": server.origin + path,
        }
        conn = server.connection(timeout=600)
        try:
            conn.connect()
            barrier.wait()
            started = time.perf_counter()
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
            seconds = time.perf_counter() - started
            location = response.getheader("Location", "")
            return Answer(response.status, location, TAKEN in text, seconds)
        finally:
            conn.close()

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(attempt_booking, attempts))


def _figures(slot: Slot, answers: list[Answer], note: str) -> list[Figure]:
    n = len(answers)
    booked_path = reverse("booking_detail", kwargs={"booking_id": 0}).rsplit("/0/", 1)[0]
    booked = Booking.objects.filter(slot=slot).exclude(status=Booking.Status.CANCELLED).count()
    errors = sum(1 for a in answers if a.status >= 500)
    winners = sum(1 for a in answers if a.status == 302 and booked_path in a.location)
    refused = sum(1 for a in answers if a.status == 200 and a.taken)
    unexpected = n - winners - refused - errors
    statuses = sorted({a.status for a in answers})
    p95 = percentile([a.seconds * 1000 for a in answers], 95)
    label = f"{n} concurrent bookings"
    return [
        Figure(f"{label}: bookings made", booked, "count", "= 1", booked == 1, note),
        Figure(f"{label}: server errors", errors, "count", "= 0", errors == 0),
        Figure(
            f"{label}: other answers",
            unexpected,
            "count",
            "= 0",
            unexpected == 0,
            f"{winners} booked, {refused} told the time was taken; statuses {statuses}",
        ),
        Figure(f"{label}: p95 response", round(p95, 1), "ms"),
    ]


def run(options: dict) -> list[Figure]:
    count = int(options.get("attempts") or 200)
    school = School.objects.get(slug=SCHOOL)
    host = Membership.objects.active().get(
        school=school, role=Role.SENDCO, user__email=f"sendco.{SCHOOL[-2:]}@{DOMAIN}"
    )
    _clean_up(Slot.objects.filter(school=school, location=LOCATION))
    chosen = _attempts(school, count)
    slot = _free_slot(school, host)
    path = reverse("meeting_book", kwargs={"slot_id": slot.pk})
    session_keys: list[str] = []
    try:
        attempts = []
        for attempt in chosen:
            session_keys.append(sign_in(attempt.parent))
            attempts.append(Attempt(attempt.parent, attempt.child, session_keys[-1]))
        with gunicorn(
            port=int(options.get("port") or 0),
            workers=2,
            threads=int(options.get("server_threads") or SERVER_THREADS),
            env=options.get("server_env"),
        ) as server:
            with ThreadPoolExecutor(max_workers=PAGE_FETCHERS) as pool:
                ready = list(pool.map(lambda a: _open_page(server, path, a), attempts))
            answers = _race(server, path, ready)
        return _figures(slot, answers, server.description)
    finally:
        _clean_up([slot])
        sign_out(session_keys)
