"""Who a family may meet, which slots they may book, and which bookings a person may see.

Every booking view starts here, so none fetches a slot or a booking by id without these
scoped querysets (a row the person may not see answers 404).
"""

import datetime
from collections.abc import Collection

from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from partnership.contact.radar import school_radar
from partnership.schools.models import STAFF_ROLES, Child, FamilyLink, Membership, Role, School

from .models import Booking, Slot


def hosts_for_child(child: Child) -> QuerySet[Membership]:
    """The staff a parent may meet about this child: the school's SENDCos and the child's
    key contacts who use the portal (while their membership is active)."""
    return (
        Membership.objects.active()
        .filter(
            Q(role=Role.SENDCO) | Q(key_contact_for__child=child),
            school=child.school_id,
        )
        .distinct()
    )


def closer_contact_children(school: School, *, among: Collection[int]) -> set[int]:
    """Ids of the children (of those in `among`) whose families need closer contact: they
    may book the slots kept back for them. Call this once a request."""
    return {row.child.pk for row in school_radar(school, only=among).closer_contact}


def live_booking_exists() -> Exists:
    return Exists(
        Booking.objects.filter(slot=OuterRef("pk")).exclude(status=Booking.Status.CANCELLED)
    )


def cutoff_from(school: School, now: datetime.datetime) -> datetime.datetime:
    """The earliest start a parent may still book, cancel or move."""
    return now + datetime.timedelta(hours=school.booking_cutoff_hours)


def open_slots_for(
    *,
    parent,
    child: Child,
    now: datetime.datetime | None = None,
    closer_contact: set[int] | None = None,
    as_staff: bool = False,
) -> QuerySet[Slot]:
    """Live, unbooked slots of the child's staff that this parent may book now.

    A parent sees slots beyond the school's cut-off; slots still kept for families needing
    closer contact only if theirs is one. `as_staff` (booking on the family's behalf, or
    moving a booking) drops both limits: staff decide after talking to the family.
    Pass `closer_contact` (from closer_contact_children) when it is already known.
    """
    now = now or timezone.now()
    if not FamilyLink.objects.filter(parent=parent, child=child).exists():
        return Slot.objects.none()
    school = child.school
    slots = _free_slots_of_staff(child)
    if as_staff:
        return slots.filter(starts_at__gt=now)
    slots = slots.filter(starts_at__gt=cutoff_from(school, now))
    if closer_contact is None:
        closer_contact = closer_contact_children(school, among=[child.pk])
    if child.pk not in closer_contact:
        slots = slots.filter(Q(priority_until__isnull=True) | Q(priority_until__lte=now))
    return slots


def _free_slots_of_staff(child: Child) -> QuerySet[Slot]:
    """Live, unbooked slots of the staff this child's family may meet."""
    return (
        Slot.objects.filter(
            school=child.school,
            host__in=hosts_for_child(child),
            withdrawn_at__isnull=True,
        )
        .exclude(live_booking_exists())
        .select_related("host__user", "school")
        .order_by("starts_at", "host__user__full_name", "pk")
    )


def kept_until(
    *, child: Child, now: datetime.datetime, closer_contact: set[int]
) -> datetime.datetime | None:
    """When the first of the slots now kept for families needing closer contact opens to
    this child's family (None if none are kept from them), so the page can say when to look
    again. Only a date: callers have already checked the family may book for the child."""
    if child.pk in closer_contact:
        return None
    kept = _free_slots_of_staff(child).filter(
        starts_at__gt=cutoff_from(child.school, now), priority_until__gt=now
    )
    return kept.aggregate(opens=Min("priority_until"))["opens"]


def is_staff_at(user, school_id: int) -> bool:
    return (
        Membership.objects.active()
        .filter(user=user, school_id=school_id, role__in=STAFF_ROLES)
        .exists()
    )


def bookings_visible_to(user) -> QuerySet[Booking]:
    """The parent's own bookings, and for staff the bookings about children they work
    with or with themselves as host."""
    if not user.is_authenticated or not user.is_active:
        return Booking.objects.none()
    return Booking.objects.filter(
        Q(parent=user)
        | Q(child__in=Child.objects.for_staff(user))
        | Q(slot__host__user=user, slot__host__is_active=True)
    )


def bookings_as_staff(user) -> QuerySet[Booking]:
    """Bookings this person may manage as staff (outcome, cancel with a reason)."""
    if not user.is_authenticated or not user.is_active:
        return Booking.objects.none()
    return Booking.objects.filter(
        Q(child__in=Child.objects.for_staff(user))
        | Q(slot__host__user=user, slot__host__is_active=True)
    )
