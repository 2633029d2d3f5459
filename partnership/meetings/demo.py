"""Meetings for the demo school: the SENDCo's weekly open door (five 20-minute slots on
Tuesday and Thursday mornings, six weeks ahead), families booked into some of them, a few
past meetings held or missed, a video drop-in, and two group sessions (a full coffee
morning on autism with a waiting list, and an evening workshop on managing behaviour).

Safe to run again: the demo school's meetings are removed and written afresh. Rows are
written directly (the pattern through its service, which sends nothing), so the demo sends
no email. Dates follow today.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from partnership.schools.models import Child, FamilyLink, Membership, School

from .models import Booking, GroupSession, Mode, SessionPlace, Slot, SlotPattern
from .services.slots import slot_pattern_create

SENDCO = "sendco@example.org"
ROOM = "SENDCo's room, next to the school office"
VIDEO_LINK = "https://meet.example.org/riverside-sendco"
# Several families, at fixed positions among the open slots ahead (by child position).
BOOKED_FAMILIES = {2: 1, 3: 4, 5: 7, 8: 9, 10: 12, 12: 15, 16: 18, 19: 22}
NOTES = {
    0: "Ava has been finding lunchtimes hard. Could we talk about a quiet space for her?",
    2: "How the new visual timetable is going at home.",
    3: "Getting ready for the move to secondary school.",
    5: "Sleep has been difficult and mornings are a struggle.",
    10: "The speech and language report we had last week.",
    16: "",
    19: "Homework: what help is right at home?",
}
# Past meetings: (weeks ago, child position, held?).
PAST = [(1, 4, True), (1, 6, False), (2, 9, True), (2, 13, True), (3, 7, True), (3, 14, False)]


def _local(school: School, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=ZoneInfo(school.time_zone)
    )


def _parents(children: list[Child]) -> dict[int, object]:
    """Each child's first linked parent."""
    parents = {}
    links = FamilyLink.objects.filter(child__in=children).select_related("parent").order_by("pk")
    for link in links:
        parents.setdefault(link.child_id, link.parent)
    return parents


def _clear(school: School) -> None:
    Booking.objects.filter(slot__school=school).delete()
    SessionPlace.objects.filter(session__school=school).delete()
    GroupSession.objects.filter(school=school).delete()
    Slot.objects.filter(school=school).delete()
    SlotPattern.objects.filter(school=school).delete()


@transaction.atomic
def seed_meetings(*, school: School, children: list[Child], staff: dict[str, Membership]) -> None:
    sendco = staff[SENDCO]
    now = timezone.now()
    today = timezone.localtime(now, ZoneInfo(school.time_zone)).date()
    monday = today - datetime.timedelta(days=today.weekday())
    parents = _parents(children)
    _clear(school)
    published = slot_pattern_create(
        school=school,
        host=sendco,
        by=sendco.user,
        weekdays=[1, 3],
        first_starts_at=datetime.time(9, 0),
        slot_minutes=20,
        slot_count=5,
        buffer_minutes=0,
        mode=Mode.IN_PERSON,
        location=ROOM,
        starts_on=monday,
        weeks_ahead=6,
        now=now,
    )
    # As if the pattern had run for a while: the next fortnight is open to every family, and
    # only the weeks just added are still kept for families needing closer contact.
    Slot.objects.filter(
        pattern=published.pattern, starts_at__lt=now + datetime.timedelta(days=14)
    ).update(priority_until=now - datetime.timedelta(days=1))
    _upcoming(school, children, parents, published.pattern, now)
    _past(school, children, parents, published.pattern, monday, sendco)
    _video_drop_in(school, sendco, monday, now)
    _sessions(school, children, parents, sendco, monday, now)


def _upcoming(school, children, parents, pattern, now) -> None:
    # Beyond the booking cut-off, so every demo booking is one a parent could have made.
    cutoff = now + datetime.timedelta(hours=school.booking_cutoff_hours)
    open_slots = list(pattern.slots.filter(starts_at__gt=cutoff).order_by("starts_at"))
    bookings = []
    wanted = {0: 0, **BOOKED_FAMILIES}
    for position, slot_index in wanted.items():
        if position >= len(children) or slot_index >= len(open_slots):
            continue
        child = children[position]
        parent = parents.get(child.pk)
        if parent is None:
            continue
        bookings.append(
            Booking(
                slot=open_slots[slot_index],
                child=child,
                parent=parent,
                booked_by=parent,
                note=NOTES.get(position, ""),
                created_at=now - datetime.timedelta(days=2 + position % 5),
            )
        )
    Booking.objects.bulk_create(bookings)


def _past(school, children, parents, pattern, monday, sendco) -> None:
    slots, bookings = [], []
    for weeks_ago, position, held in PAST:
        if position >= len(children) or children[position].pk not in parents:
            continue
        tuesday = monday - datetime.timedelta(weeks=weeks_ago) + datetime.timedelta(days=1)
        starts = _local(school, tuesday, 9) + datetime.timedelta(minutes=20 * (position % 5))
        slots.append(
            Slot(
                school=school,
                host=sendco,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(minutes=20),
                mode=Mode.IN_PERSON,
                location=ROOM,
                pattern=pattern,
                created_by=sendco.user,
                created_at=starts - datetime.timedelta(weeks=6),
            )
        )
        child = children[position]
        bookings.append(
            Booking(
                child=child,
                parent=parents[child.pk],
                booked_by=parents[child.pk],
                note=NOTES.get(position, "A catch-up on how things are going."),
                status=Booking.Status.HELD if held else Booking.Status.MISSED,
                created_at=starts - datetime.timedelta(days=5),
                outcome_at=starts + datetime.timedelta(minutes=30),
                outcome_by=sendco.user,
            )
        )
    Slot.objects.bulk_create(slots)
    for slot, booking in zip(slots, bookings, strict=True):
        booking.slot = slot
    Booking.objects.bulk_create(bookings)


def _video_drop_in(school, sendco, monday, now) -> None:
    # Next week's Wednesday after school: a time for parents who cannot come in.
    starts = _local(school, monday + datetime.timedelta(days=9), 15, 45)
    Slot.objects.create(
        school=school,
        host=sendco,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=20),
        mode=Mode.VIDEO,
        video_link=VIDEO_LINK,
        created_by=sendco.user,
        created_at=now,
    )


def _sessions(school, children, parents, sendco, monday, now) -> None:
    coffee_at = _local(school, monday + datetime.timedelta(days=11), 9, 0)
    coffee = GroupSession.objects.create(
        school=school,
        kind=GroupSession.Kind.COFFEE_MORNING,
        topic="autism",
        title="Coffee morning: understanding autism",
        description=(
            "An informal hour with the SENDCo and other parents. We will share what helps at "
            "home and at school, and there is time for your questions. Tea, coffee and "
            "biscuits provided; younger brothers and sisters are welcome."
        ),
        starts_at=coffee_at,
        ends_at=coffee_at + datetime.timedelta(hours=1),
        mode=Mode.IN_PERSON,
        location="The community room",
        capacity=10,
        host=sendco,
        created_by=sendco.user,
        created_at=now - datetime.timedelta(days=10),
    )
    workshop_at = _local(school, monday + datetime.timedelta(days=16), 18, 0)
    workshop = GroupSession.objects.create(
        school=school,
        kind=GroupSession.Kind.WORKSHOP,
        topic="behaviour",
        title="Workshop: managing behaviour at home",
        description=(
            "A practical evening on calm routines, clear expectations and what to do when "
            "things get difficult, led by the SENDCo with the behaviour lead."
        ),
        starts_at=workshop_at,
        ends_at=workshop_at + datetime.timedelta(minutes=90),
        mode=Mode.IN_PERSON,
        location="The school hall",
        capacity=20,
        host=sendco,
        created_by=sendco.user,
        created_at=now - datetime.timedelta(days=7),
    )
    # One place per parent: the demo parent's Noah for the workshop, and others (never the
    # demo parent) for the coffee morning, which is full with two waiting.
    others = []
    seen = {parents.get(children[0].pk)}
    for child in children[2:]:
        parent = parents.get(child.pk)
        if parent is not None and parent not in seen:
            seen.add(parent)
            others.append((child, parent))
    places = []
    joined = now - datetime.timedelta(days=9)
    for n, (child, parent) in enumerate(others[: coffee.capacity + 2]):
        confirmed = n < coffee.capacity
        places.append(
            SessionPlace(
                session=coffee,
                parent=parent,
                child=child,
                status=SessionPlace.Status.CONFIRMED if confirmed else SessionPlace.Status.WAITING,
                joined_at=joined + datetime.timedelta(hours=n * 5),
                confirmed_at=joined + datetime.timedelta(hours=n * 5) if confirmed else None,
            )
        )
    workshop_families = []
    if len(children) > 1 and children[1].pk in parents:
        workshop_families.append((children[1], parents[children[1].pk]))
    workshop_families += others[-5:]
    for n, (child, parent) in enumerate(workshop_families):
        places.append(
            SessionPlace(
                session=workshop,
                parent=parent,
                child=child,
                status=SessionPlace.Status.CONFIRMED,
                joined_at=joined + datetime.timedelta(days=1, hours=n * 7),
                confirmed_at=joined + datetime.timedelta(days=1, hours=n * 7),
            )
        )
    SessionPlace.objects.bulk_create(places)
    for session in (coffee, workshop):
        session.confirmed_count = sum(
            1 for p in places if p.session is session and p.status == SessionPlace.Status.CONFIRMED
        )
        session.save(update_fields=["confirmed_count"])
