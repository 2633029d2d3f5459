"""Reads for the booking pages: open slots grouped as a parent scans them (day, then
person), and a parent's own bookings."""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from .models import Booking, Slot

PAST_BOOKINGS_SHOWN = 10


@dataclass
class HostSlots:
    name: str
    job_title: str
    slots: list[Slot] = field(default_factory=list)


@dataclass
class DaySlots:
    day: datetime.date
    hosts: list[HostSlots] = field(default_factory=list)


def slots_by_day(slots: list[Slot], time_zone: str) -> list[DaySlots]:
    """Slots (in time order) grouped by the school's calendar day, then by person."""
    zone = ZoneInfo(time_zone)
    days: list[DaySlots] = []
    for slot in slots:
        day = timezone.localtime(slot.starts_at, zone).date()
        if not days or days[-1].day != day:
            days.append(DaySlots(day=day))
        hosts = {host.name: host for host in days[-1].hosts}
        user = slot.host.user
        name = user.full_name or user.email
        if name not in hosts:
            days[-1].hosts.append(HostSlots(name=name, job_title=slot.host.job_title))
            hosts[name] = days[-1].hosts[-1]
        hosts[name].slots.append(slot)
    for day in days:
        day.hosts.sort(key=lambda host: host.name)
    return days


def _with_slot(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    return bookings.select_related("slot__host__user", "slot__school", "child")


def parent_upcoming(parent, now: datetime.datetime) -> list[Booking]:
    return list(
        _with_slot(
            Booking.objects.filter(
                parent=parent, status=Booking.Status.BOOKED, slot__starts_at__gt=now
            )
        ).order_by("slot__starts_at", "pk")
    )


def parent_past(parent, now: datetime.datetime) -> list[Booking]:
    """The latest bookings that are over or off, moved ones left out (the new one shows)."""
    booked_ahead = Booking.objects.filter(status=Booking.Status.BOOKED, slot__starts_at__gt=now)
    return list(
        _with_slot(
            Booking.objects.filter(parent=parent, moved_to__isnull=True).exclude(
                pk__in=booked_ahead.values("pk")
            )
        ).order_by("-slot__starts_at", "-pk")[:PAST_BOOKINGS_SHOWN]
    )
