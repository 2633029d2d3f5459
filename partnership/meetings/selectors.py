"""Reads about meetings that several views share: a person's calendar feed, and how many
meetings with the SENDCo each family has had this school year (P2: at least six)."""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from partnership.accounts.models import User
from partnership.contact.models import SENDCO_MEETINGS_A_YEAR, ContactEntry
from partnership.contact.radar import school_year_start
from partnership.schools.models import Child, Membership

from .ics import CalendarEvent, booking_event, session_event, uid_domain, where_text
from .models import Booking, GroupSession, SessionPlace

# A feed keeps a month of the past, so last week's meeting is still there to look back on.
FEED_PAST = datetime.timedelta(days=30)
FEED_NAME = "School meetings"


def _hosted_booking_event(booking: Booking) -> CalendarEvent:
    """The host's side of a booking. The family is not named: calendars are synced to
    services outside school, and a meeting with the SENDCo says a child has SEN."""
    slot = booking.slot
    url = settings.SITE_URL + reverse("booking_detail", args=[booking.pk])
    lines = [f"{slot.get_mode_display()} with a family.", f"Details: {url}"]
    if slot.video_link and slot.mode == "video":
        lines.insert(1, f"Join: {slot.video_link}")
    return CalendarEvent(
        uid=f"booking-{booking.pk}-host@{uid_domain()}",
        summary="Meeting with a family",
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        time_zone=slot.school.time_zone,
        location=where_text(slot.mode, slot.location, slot.video_link),
        description="\n".join(lines),
        url=url,
    )


def _hosted_session_event(session: GroupSession) -> CalendarEvent:
    url = settings.SITE_URL + reverse("session_detail", args=[session.pk])
    return CalendarEvent(
        uid=f"session-{session.pk}-host@{uid_domain()}",
        summary=f"{session.get_kind_display()}: {session.title}",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        time_zone=session.school.time_zone,
        location=where_text(session.mode, session.location, session.video_link),
        description=f"You are leading this. Places taken: {session.confirmed_count} of "
        f"{session.capacity}.\nDetails: {url}",
        url=url,
    )


def calendar_feed_events(
    user: User, *, now: datetime.datetime | None = None
) -> list[CalendarEvent]:
    """Everything on `user`'s calendar from a month ago onwards: their bookings as a
    parent, their confirmed places at group sessions and, for staff, the meetings they
    host. Four queries however many meetings there are."""
    since = (now or timezone.now()) - FEED_PAST
    as_parent = (
        Booking.objects.filter(parent=user, slot__starts_at__gte=since)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("slot__school", "slot__host__user")
    )
    places = SessionPlace.objects.filter(
        parent=user,
        status=SessionPlace.Status.CONFIRMED,
        session__cancelled_at__isnull=True,
        session__starts_at__gte=since,
    ).select_related("session__school")
    hosting = Membership.objects.filter(user=user, is_active=True).values("pk")
    as_host = (
        Booking.objects.filter(slot__host__in=hosting, slot__starts_at__gte=since)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("slot__school")
    )
    leading = GroupSession.objects.filter(
        host__in=hosting, cancelled_at__isnull=True, starts_at__gte=since
    ).select_related("school")
    events = [booking_event(booking) for booking in as_parent]
    events += [session_event(place) for place in places]
    events += [_hosted_booking_event(booking) for booking in as_host]
    events += [_hosted_session_event(session) for session in leading]
    events.sort(key=lambda event: (event.starts_at, event.uid))
    return events


def _this_school_year(school, today: datetime.date | None) -> Q:
    """Entries from midnight on 1 September up to the end of today, in the school's own
    time zone (the same window as the SENDCo's radar)."""
    zone = ZoneInfo(school.time_zone)
    today = today or timezone.localdate(timezone=zone)
    since = datetime.datetime.combine(school_year_start(today), datetime.time.min, tzinfo=zone)
    tomorrow = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return Q(happened_at__gte=since, happened_at__lt=tomorrow)


def sendco_meetings_this_year(
    children: Iterable[Child], *, today: datetime.date | None = None
) -> dict[int, int]:
    """Meetings with the SENDCo each child's family has had this school year (held
    bookings, attended sessions and meetings logged by hand), in one query whatever the
    number of children or schools. Children with none are in the result with 0.

    Pass children with `school` selected, or each school is read once.
    """
    children = list(children)
    if not children:
        return {}
    by_school: dict[int, list[int]] = {}
    schools = {}
    for child in children:
        by_school.setdefault(child.school_id, []).append(child.pk)
        schools[child.school_id] = child.school
    window = Q()
    for school_id, ids in by_school.items():
        window |= Q(children__in=ids) & _this_school_year(schools[school_id], today)
    counted = dict(
        ContactEntry.objects.filter(window, is_sendco_meeting=True)
        .values("children")
        .annotate(meetings=Count("pk", distinct=True))
        .values_list("children", "meetings")
    )
    return {child.pk: counted.get(child.pk, 0) for child in children}


def six_a_year_rows(children: Iterable[Child], *, today: datetime.date | None = None) -> list:
    """For the parent's home: each child with meetings so far and the family's target
    (the contact plan's, else six). Pass children with `school` and `contact_plan`
    selected to keep it to one query."""
    children = list(children)
    counts = sendco_meetings_this_year(children, today=today)
    rows = []
    for child in children:
        plan = getattr(child, "contact_plan", None)
        target = plan.sendco_meetings_target if plan else SENDCO_MEETINGS_A_YEAR
        rows.append({"child": child, "meetings": counts[child.pk], "target": target})
    return rows
