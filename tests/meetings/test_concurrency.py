"""No double booking under load: 50 parents press "Book" on the same slot at the same
moment, each on their own database connection. The slot row lock serialises them and the
partial unique index backs it up: exactly one booking, 49 clear "just taken" answers."""

import threading

import pytest
from django.db import connection

from partnership.meetings.models import Booking
from partnership.meetings.services.bookings import SlotTaken, booking_make, booking_move
from tests.services import require_postgres

from .booking_helpers import family, sendco_host, slot_at

PARENTS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_parents_booking_one_slot_at_once_get_one_booking(school):
    require_postgres()
    slot = slot_at(school, sendco_host(school))
    families = [family(school) for _ in range(PARENTS)]
    start = threading.Barrier(PARENTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(parent, child) -> None:
        try:
            start.wait(timeout=30)
            booking_make(slot=slot, child=child, parent=parent, by=parent)
            result = "booked"
        except SlotTaken as refusal:
            assert refusal.message == (
                "Sorry, that time has just been taken. Please choose another."
            )
            result = "taken"
        except Exception as error:  # noqa: BLE001 - any other error is the failure counted
            result = f"error: {error!r}"
        finally:
            # Each thread has its own connection; leave none open for the next test.
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=pair) for pair in families]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert outcomes.count("booked") == 1, outcomes
    assert outcomes.count("taken") == PARENTS - 1, outcomes
    assert len(outcomes) == PARENTS
    assert Booking.objects.filter(slot=slot).count() == 1


MOVERS = 20


@pytest.mark.django_db(transaction=True)
def test_parents_moving_to_one_free_slot_at_once_neither_deadlock_nor_lose_bookings(school):
    require_postgres()
    host = sendco_host(school)
    target = slot_at(school, host, hours_ahead=24 * 30)
    bookings = []
    for i in range(MOVERS):
        parent, child = family(school)
        own = slot_at(school, host, hours_ahead=24 * 7 + i)
        bookings.append(booking_make(slot=own, child=child, parent=parent, by=parent))
    start = threading.Barrier(MOVERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def move(booking) -> None:
        try:
            start.wait(timeout=30)
            booking_move(booking=booking, to_slot=target, by=booking.parent)
            result = "moved"
        except SlotTaken:
            result = "taken"
        except Exception as error:  # noqa: BLE001 - any other error is the failure counted
            result = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=move, args=(b,)) for b in bookings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(outcomes) == ["moved"] + ["taken"] * (MOVERS - 1), outcomes
    # The ones who lost keep the time they had.
    assert Booking.objects.filter(status="booked").count() == MOVERS
    assert Booking.objects.filter(slot=target).exclude(status="cancelled").count() == 1
