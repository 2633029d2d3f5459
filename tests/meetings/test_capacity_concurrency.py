"""A group session never goes over capacity, however many parents sign up at once.

Real threads with their own PostgreSQL connections meet at a barrier and sign up at the
same moment; the row lock on the session queues them, so exactly `capacity` get a place
and the rest join the waiting list in the order they were let through.
"""

import threading

import pytest
from django.db import connection

from partnership.meetings.models import GroupSession, SessionPlace
from partnership.meetings.services.sessions import place_take

from ..factories import SchoolFactory
from ..services import require_postgres
from .session_helpers import a_session, family

PARENTS = 50
CAPACITY = 10


@pytest.mark.django_db(transaction=True)
def test_fifty_parents_signing_up_at_once_fill_ten_places_exactly():
    require_postgres()
    school = SchoolFactory()
    session = a_session(school, capacity=CAPACITY)
    families = [family(school) for _ in range(PARENTS)]
    barrier = threading.Barrier(PARENTS)
    errors: list[BaseException] = []
    results: list[str] = []
    lock = threading.Lock()

    def sign_up(parent, child):
        try:
            barrier.wait(timeout=30)
            place = place_take(
                session=GroupSession.objects.get(pk=session.pk),
                parent=parent,
                child=child,
                by=parent,
            )
            with lock:
                results.append(place.status)
        except BaseException as exc:  # every failure is the test's business
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=pair) for pair in families]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(results) == ["confirmed"] * CAPACITY + ["waiting"] * (PARENTS - CAPACITY)
    session.refresh_from_db()
    assert session.confirmed_count == CAPACITY
    places = list(SessionPlace.objects.filter(session=session).order_by("joined_at", "pk"))
    assert len(places) == PARENTS
    # Strict order: everyone with a place was let through before everyone waiting, and
    # no two people share a moment, so the waiting list has one clear order.
    assert [p.status for p in places] == ["confirmed"] * CAPACITY + ["waiting"] * (
        PARENTS - CAPACITY
    )
    assert len({p.joined_at for p in places}) == PARENTS
    assert [p.pk for p in places] == sorted(p.pk for p in places)
