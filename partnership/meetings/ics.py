"""iCalendar (.ics) files for meetings: attached to every confirmation, change and
cancellation email, offered for download, and served as each person's private feed.

Times are written in the school's own time zone with its VTIMEZONE, so a 09:00 meeting in
London stays at 09:00 on either side of the clocks changing. Events name the member of
staff and the place, never the child: calendars are synced to services outside school.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Booking, Mode, SessionPlace

PRODID = "-//SEND Partnership Portal//Meetings//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    sequence: int = 0


def uid_domain() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "portal"


def where_text(mode: str, location: str, video_link: str) -> str:
    if mode == Mode.VIDEO:
        return video_link or str(Mode.VIDEO.label)
    if mode == Mode.PHONE:
        return str(Mode.PHONE.label)
    return location


def booking_event(booking: Booking, *, cancelled: bool = False) -> CalendarEvent:
    slot = booking.slot
    host = slot.host.user.full_name or slot.host.user.email
    lines = [f"{slot.get_mode_display()} with {host}."]
    if slot.mode == Mode.VIDEO and slot.video_link:
        lines.append(f"Join: {slot.video_link}")
    url = settings.SITE_URL + reverse("booking_detail", args=[booking.pk])
    lines.append(f"Details and changes: {url}")
    return CalendarEvent(
        uid=f"booking-{booking.pk}@{uid_domain()}",
        summary=f"Meeting with {host}",
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        time_zone=slot.school.time_zone,
        location=where_text(slot.mode, slot.location, slot.video_link),
        description="\n".join(lines),
        url=url,
        cancelled=cancelled,
        # A cancellation must outrank the invitation it withdraws in the reader's calendar.
        sequence=1 if cancelled else 0,
    )


def session_event(place: SessionPlace, *, cancelled: bool = False) -> CalendarEvent:
    session = place.session
    url = settings.SITE_URL + reverse("session_detail", args=[session.pk])
    lines = [session.title + "."]
    if session.mode == Mode.VIDEO and session.video_link:
        lines.append(f"Join: {session.video_link}")
    lines.append(f"Details: {url}")
    return CalendarEvent(
        uid=f"session-{session.pk}-place-{place.pk}@{uid_domain()}",
        summary=f"{session.get_kind_display()}: {session.title}",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        time_zone=session.school.time_zone,
        location=where_text(session.mode, session.location, session.video_link),
        description="\n".join(lines),
        url=url,
        cancelled=cancelled,
        sequence=1 if cancelled else 0,
    )


def calendar_text(events: list[CalendarEvent], *, name: str = "") -> str:
    """One VCALENDAR holding the events, with the time zones they use."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    # A calendar holding only cancellations asks the reader's calendar to remove them.
    cancelling = bool(events) and all(event.cancelled for event in events)
    calendar.add("method", "CANCEL" if cancelling else "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for item in events:
        zone = ZoneInfo(item.time_zone)
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.starts_at.astimezone(zone))
        event.add("dtend", item.ends_at.astimezone(zone))
        event.add("summary", item.summary)
        event.add("sequence", item.sequence)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        calendar.add_component(event)
    if events:
        # Only the years the events span, rather than the library's 1970-2038 default.
        first = min(event.starts_at for event in events).date()
        last = max(event.ends_at for event in events).date()
        calendar.add_missing_timezones(
            first_date=first.replace(month=1, day=1), last_date=last.replace(year=last.year + 1)
        )
    return calendar.to_ical().decode()


def booking_calendar(booking: Booking, *, cancelled: bool = False) -> str:
    return calendar_text([booking_event(booking, cancelled=cancelled)])


def session_calendar(place: SessionPlace, *, cancelled: bool = False) -> str:
    return calendar_text([session_event(place, cancelled=cancelled)])
