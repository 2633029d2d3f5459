"""The day-before reminders, written by the scheduled tick.

Each tick asks, school by school, whether the school's sending hours are open now (in its
own time zone); if so it writes one outbox email for every meeting booked for tomorrow
and every confirmed place at tomorrow's group sessions. The keys name the booking or the
place, so a repeated tick writes nothing new, and a booking moved to a new time (a new
booking) gets its own reminder while the cancelled one gets no more.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from partnership.notifications.models import OutboxMessage
from partnership.notifications.schedule import scheduled_job
from partnership.notifications.services import message_enqueue_from_templates
from partnership.schools.models import School

from .ics import booking_calendar, session_calendar
from .models import Booking, Mode, SessionPlace


def meeting_reminder_key(booking: Booking) -> str:
    return f"meeting-reminder:{booking.pk}"


def session_reminder_key(place: SessionPlace) -> str:
    return f"session-reminder:{place.pk}"


def reminders_due_for(school: School, now: datetime.datetime) -> datetime.date | None:
    """The school-local date whose meetings are reminded at `now`: tomorrow, while today's
    sending hours are open; else None.

    Not before they open, so nobody is emailed at midnight; and not after they close,
    because quiet hours would hold the email until the morning of the meeting itself,
    where "tomorrow" is wrong. A meeting booked after the window closed has just had its
    confirmation, which is reminder enough.
    """
    local = now.astimezone(ZoneInfo(school.time_zone))
    if not school.sending_from <= local.time() < school.sending_until:
        return None
    return local.date() + datetime.timedelta(days=1)


def _day_bounds(school: School, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    # Local midnights, so a day when the clocks change is 23 or 25 hours long, as it is.
    zone = ZoneInfo(school.time_zone)
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)


def _bookings(school: School, day: datetime.date) -> list[Booking]:
    start, end = _day_bounds(school, day)
    return list(
        Booking.objects.filter(
            slot__school=school,
            slot__starts_at__gte=start,
            slot__starts_at__lt=end,
            slot__withdrawn_at__isnull=True,
            status=Booking.Status.BOOKED,
            parent__is_active=True,
        )
        .select_related("slot__school", "slot__host__user", "parent", "child")
        .order_by("slot__starts_at", "pk")
    )


def _places(school: School, day: datetime.date) -> list[SessionPlace]:
    start, end = _day_bounds(school, day)
    return list(
        SessionPlace.objects.filter(
            session__school=school,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
            session__cancelled_at__isnull=True,
            status=SessionPlace.Status.CONFIRMED,
            parent__is_active=True,
        )
        .select_related("session__school", "parent", "child")
        .order_by("session__starts_at", "pk")
    )


def _where(mode: str, location: str) -> str:
    if mode == Mode.IN_PERSON:
        return location
    return ""


def _booking_context(booking: Booking) -> dict:
    slot = booking.slot
    zone = ZoneInfo(slot.school.time_zone)
    return {
        "name": booking.parent.get_short_name(),
        "tz": slot.school.time_zone,
        "school": slot.school,
        "first_name": booking.child.first_name,
        "host": slot.host.user.full_name or slot.host.user.email,
        "job_title": slot.host.job_title,
        "starts_at": slot.starts_at.astimezone(zone),
        "ends_at": slot.ends_at.astimezone(zone),
        "mode": slot.mode,
        "mode_label": slot.get_mode_display(),
        "location": _where(slot.mode, slot.location),
        "video_link": slot.video_link if slot.mode == Mode.VIDEO else "",
        "note": booking.note,
        "booking_url": settings.SITE_URL + reverse("booking_detail", args=[booking.pk]),
    }


def _place_context(place: SessionPlace) -> dict:
    session = place.session
    zone = ZoneInfo(session.school.time_zone)
    return {
        "name": place.parent.get_short_name(),
        "tz": session.school.time_zone,
        "school": session.school,
        "session": session,
        "kind_label": session.get_kind_display(),
        "starts_at": session.starts_at.astimezone(zone),
        "ends_at": session.ends_at.astimezone(zone),
        "mode": session.mode,
        "mode_label": session.get_mode_display(),
        "location": _where(session.mode, session.location),
        "video_link": session.video_link if session.mode == Mode.VIDEO else "",
        "session_url": settings.SITE_URL + reverse("session_detail", args=[session.pk]),
    }


@transaction.atomic
def reminders_write(*, school: School, day: datetime.date) -> int:
    """Write the reminders for one school's meetings on `day`; returns the emails written.

    Three queries when everything is written already (the bookings, the places and the
    keys already in the outbox), whatever the number of meetings: nothing is rendered
    for a row that exists.
    """
    bookings = _bookings(school, day)
    places = _places(school, day)
    keys = [meeting_reminder_key(b) for b in bookings] + [session_reminder_key(p) for p in places]
    if not keys:
        return 0
    written_before = set(OutboxMessage.objects.filter(key__in=keys).values_list("key", flat=True))
    # One shape for both kinds: (key, kind, parent, context, calendar).
    reminders = [
        (key, "meeting_reminder", b.parent, _booking_context(b), booking_calendar(b))
        for b in bookings
        if (key := meeting_reminder_key(b)) not in written_before
    ] + [
        (key, "session_reminder", p.parent, _place_context(p), session_calendar(p))
        for p in places
        if (key := session_reminder_key(p)) not in written_before
    ]
    written = 0
    for key, kind, parent, context, calendar in reminders:
        _message, created = message_enqueue_from_templates(
            key=key,
            kind=kind,
            to_email=parent.email,
            template=kind,
            context=context,
            school=school,
            recipient=parent,
            to_parent=True,
            calendar=calendar,
        )
        written += created
    return written


@scheduled_job("meeting-reminders")
def job(now: datetime.datetime) -> int:
    """Remind every family of tomorrow's meetings, at each school whose sending hours
    are open."""
    written = 0
    for school in School.objects.order_by("pk"):
        day = reminders_due_for(school, now)
        if day is not None:
            written += reminders_write(school=school, day=day)
    return written
