"""Group sessions (coffee mornings, workshops): places, the waiting list and attendance.

Every change to who has a place happens under a lock on the session's row, so the
confirmed count, the places and the waiting list move together; the check constraint
confirmed_count <= capacity is the backstop if a future change forgets the lock.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.accounts.models import User
from partnership.notifications.services import message_enqueue_from_templates
from partnership.schools.models import (
    STAFF_ROLES,
    WHOLE_SCHOOL_ROLES,
    Child,
    FamilyLink,
    Membership,
    School,
)

from ..ics import session_calendar
from ..models import GroupSession, Mode, SessionPlace
from . import Refused

Status = SessionPlace.Status
# The fields staff may change; the rest (school, counts, cancellation) belong to the
# services.
EDITABLE = (
    "kind",
    "topic",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "mode",
    "location",
    "video_link",
    "capacity",
    "host",
)
# A change to one of these moves the meeting in people's calendars: they are told.
WHEN_OR_WHERE = ("starts_at", "ends_at", "mode", "location", "video_link")
_DETAIL_FIELDS = (*WHEN_OR_WHERE, "capacity", "host", "title")


class SessionRefused(Refused):
    """A rule of group sessions was broken; the message is for the person who tried."""


def _is_manager(user: User, school: School) -> bool:
    return (
        Membership.objects.active()
        .filter(user=user, school=school, role__in=WHOLE_SCHOOL_ROLES)
        .exists()
    )


def _check_details(
    *,
    school: School,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    mode: str,
    location: str,
    video_link: str,
    capacity: int,
    host: Membership | None,
    title: str,
) -> None:
    if not title.strip():
        raise SessionRefused(_("Give the session a title parents will recognise."))
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("Session times must be aware datetimes.")
    if ends_at <= starts_at:
        raise SessionRefused(_("The session must end after it starts."))
    if starts_at <= timezone.now():
        raise SessionRefused(_("Choose a time in the future."))
    if not 1 <= capacity <= 500:
        raise SessionRefused(_("Offer between 1 and 500 places."))
    if mode not in Mode.values:
        raise SessionRefused(_("Choose how the session happens."))
    if mode == Mode.VIDEO and not video_link:
        raise SessionRefused(_("Add the video link parents will use to join."))
    if mode == Mode.IN_PERSON and not location.strip():
        raise SessionRefused(_("Say where in school the session is."))
    if host is not None and not (
        host.school_id == school.pk and host.is_active and host.role in STAFF_ROLES
    ):
        raise SessionRefused(_("The session must be led by a member of staff at the school."))


def _lock(session: GroupSession) -> GroupSession:
    return GroupSession.objects.select_for_update().select_related("school").get(pk=session.pk)


def _email(place: SessionPlace, what: str, *, key: str, calendar: str = "") -> None:
    session = place.session
    message_enqueue_from_templates(
        key=key,
        kind=f"session_{what}",
        to_email=place.parent.email,
        template=f"session_{what}",
        context={
            "name": place.parent.full_name or place.parent.email,
            "session": session,
            "school": session.school,
            "place": place,
        },
        school=session.school,
        recipient=place.parent,
        to_parent=True,
        calendar=calendar,
    )


def _promote(session: GroupSession) -> list[SessionPlace]:
    """Give free places to the waiting list in the order people joined. The caller holds
    the lock on the session's row."""
    free = session.capacity - session.confirmed_count
    if free <= 0 or session.cancelled_at is not None or session.starts_at <= timezone.now():
        return []
    moving = list(
        SessionPlace.objects.filter(session=session, status=Status.WAITING)
        .select_related("parent")
        .order_by("joined_at", "pk")[:free]
    )
    if not moving:
        return []
    now = timezone.now()
    SessionPlace.objects.filter(pk__in=[p.pk for p in moving]).update(
        status=Status.CONFIRMED, confirmed_at=now
    )
    GroupSession.objects.filter(pk=session.pk).update(
        confirmed_count=F("confirmed_count") + len(moving)
    )
    session.confirmed_count += len(moving)
    for place in moving:
        place.status, place.confirmed_at, place.session = Status.CONFIRMED, now, session
        # Keyed by the place: a place moves up once, so the parent hears once.
        _email(
            place,
            "moved_up",
            key=f"session-moved-up:{place.pk}",
            calendar=session_calendar(place),
        )
    return moving


@transaction.atomic
def session_create(
    *,
    school: School,
    by: User,
    kind: str,
    topic: str,
    title: str,
    description: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    mode: str,
    location: str,
    video_link: str,
    capacity: int,
    host: Membership | None,
) -> GroupSession:
    if not _is_manager(by, school):
        raise SessionRefused(_("Only the school's SENDCo or an administrator can add sessions."))
    _check_details(
        school=school,
        starts_at=starts_at,
        ends_at=ends_at,
        mode=mode,
        location=location,
        video_link=video_link,
        capacity=capacity,
        host=host,
        title=title,
    )
    return GroupSession.objects.create(
        school=school,
        kind=kind,
        topic=topic,
        title=title.strip(),
        description=description.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        mode=mode,
        location=location.strip(),
        video_link=video_link if mode == Mode.VIDEO else "",
        capacity=capacity,
        host=host,
        created_by=by,
    )


@transaction.atomic
def session_update(*, session: GroupSession, by: User, **changes) -> GroupSession:
    """Change a session before it starts. Raising the capacity moves the waiting list up;
    a new time or place is sent to everyone with a place or on the waiting list."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    session = _lock(session)
    if not _is_manager(by, session.school):
        raise SessionRefused(_("Only the school's SENDCo or an administrator can change this."))
    if session.cancelled_at is not None:
        raise SessionRefused(_("This session was cancelled and cannot be changed."))
    if session.starts_at <= timezone.now():
        raise SessionRefused(_("This session has already started and cannot be changed."))
    new = {field: changes.get(field, getattr(session, field)) for field in EDITABLE}
    _check_details(school=session.school, **{k: new[k] for k in _DETAIL_FIELDS})
    if new["capacity"] < session.confirmed_count:
        raise SessionRefused(
            _(
                "%(count)s people already have a place. To offer fewer places, ask some of "
                "them to leave first."
            )
            % {"count": session.confirmed_count}
        )
    moved = any(new[field] != getattr(session, field) for field in WHEN_OR_WHERE)
    if new["mode"] != Mode.VIDEO:
        new["video_link"] = ""
    for field, value in new.items():
        setattr(session, field, value.strip() if isinstance(value, str) else value)
    session.save(update_fields=list(EDITABLE))
    if moved:
        stamp = int(timezone.now().timestamp())
        for place in _live_places(session):
            confirmed = place.status == Status.CONFIRMED
            _email(
                place,
                "changed",
                key=f"session-changed:{place.pk}:{stamp}",
                calendar=session_calendar(place) if confirmed else "",
            )
    _promote(session)
    return session


def _live_places(session: GroupSession) -> list[SessionPlace]:
    places = list(
        SessionPlace.objects.filter(session=session)
        .exclude(status=Status.CANCELLED)
        .select_related("parent")
        .order_by("joined_at", "pk")
    )
    for place in places:
        place.session = session
    return places


@transaction.atomic
def session_cancel(*, session: GroupSession, by: User, reason: str) -> GroupSession:
    """Cancel a session; everyone with a place or on the waiting list is told, and the
    calendars of those with a place are asked to remove it."""
    session = _lock(session)
    if not _is_manager(by, session.school):
        raise SessionRefused(_("Only the school's SENDCo or an administrator can cancel this."))
    if session.cancelled_at is not None:
        raise SessionRefused(_("This session is already cancelled."))
    if session.ends_at <= timezone.now():
        raise SessionRefused(_("This session has already happened."))
    now = timezone.now()
    places = _live_places(session)
    session.cancelled_at, session.cancel_reason = now, reason.strip()[:300]
    # The places go with the session, so the count does too.
    session.confirmed_count = 0
    session.save(update_fields=["cancelled_at", "cancel_reason", "confirmed_count"])
    SessionPlace.objects.filter(pk__in=[p.pk for p in places]).update(
        status=Status.CANCELLED, cancelled_at=now
    )
    for place in places:
        had_place = place.status == Status.CONFIRMED
        _email(
            place,
            "cancelled",
            key=f"session-cancelled:{place.pk}",
            calendar=session_calendar(place, cancelled=True) if had_place else "",
        )
    return session


@transaction.atomic
def place_take(*, session: GroupSession, parent: User, child: Child, by: User) -> SessionPlace:
    """A place for the parent, or their turn on the waiting list when the session is full."""
    if by.pk != parent.pk and not _is_manager(by, session.school):
        raise SessionRefused(_("Only the parent or school staff can sign up for a place."))
    if (
        child.school_id != session.school_id
        or not FamilyLink.objects.filter(parent=parent, child=child).exists()
    ):
        raise SessionRefused(_("Choose one of your children at this school."))
    # The lock queues everyone signing up at once: the count below cannot change under us.
    session = _lock(session)
    if session.cancelled_at is not None:
        raise SessionRefused(_("Sorry, this session has been cancelled."))
    if session.starts_at <= timezone.now():
        raise SessionRefused(_("Sorry, this session has already started."))
    existing = (
        SessionPlace.objects.filter(session=session, parent=parent)
        .exclude(status=Status.CANCELLED)
        .first()
    )
    if existing is not None:
        if existing.status == Status.WAITING:
            raise SessionRefused(_("You are already on the waiting list for this session."))
        raise SessionRefused(_("You already have a place at this session."))
    now = timezone.now()
    confirmed = session.confirmed_count < session.capacity
    try:
        with transaction.atomic():
            place = SessionPlace.objects.create(
                session=session,
                parent=parent,
                child=child,
                status=Status.CONFIRMED if confirmed else Status.WAITING,
                joined_at=now,
                confirmed_at=now if confirmed else None,
            )
    except IntegrityError:
        # The unique index on live places: a second sign-up that slipped past the check.
        raise SessionRefused(_("You already have a place at this session.")) from None
    if confirmed:
        GroupSession.objects.filter(pk=session.pk).update(confirmed_count=F("confirmed_count") + 1)
        session.confirmed_count += 1
        _email(
            place,
            "confirmed",
            key=f"session-confirmed:{place.pk}",
            calendar=session_calendar(place),
        )
    else:
        # No calendar: a turn on the waiting list is not a place, and an invitation would
        # put it in the parent's diary as if it were.
        _email(place, "waiting", key=f"session-waiting:{place.pk}")
    return place


@transaction.atomic
def place_cancel(*, place: SessionPlace, by: User) -> SessionPlace:
    """Give up a place (or a turn on the waiting list); the first person waiting moves up."""
    session = _lock(place.session)
    place = SessionPlace.objects.select_related("parent").get(pk=place.pk)
    place.session = session
    if by.pk != place.parent_id and not _is_manager(by, session.school):
        raise SessionRefused(_("Only the parent or school staff can cancel this place."))
    if place.status == Status.CANCELLED:
        raise SessionRefused(_("This place was already cancelled."))
    if session.starts_at <= timezone.now():
        raise SessionRefused(_("This session has already started."))
    had_place = place.status == Status.CONFIRMED
    place.status, place.cancelled_at = Status.CANCELLED, timezone.now()
    place.save(update_fields=["status", "cancelled_at"])
    if had_place:
        GroupSession.objects.filter(pk=session.pk).update(confirmed_count=F("confirmed_count") - 1)
        session.confirmed_count -= 1
    _email(
        place,
        "left",
        key=f"session-left:{place.pk}",
        calendar=session_calendar(place, cancelled=True) if had_place else "",
    )
    _promote(session)
    return place
