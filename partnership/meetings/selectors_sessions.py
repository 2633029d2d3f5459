"""What the group session pages read: each a fixed number of queries, however many
sessions or places there are."""

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from partnership.accounts.models import User
from partnership.schools.models import Child, School

from .models import GroupSession, SessionPlace

Status = SessionPlace.Status


def parent_schools(user: User) -> QuerySet[School]:
    return School.objects.filter(pk__in=Child.objects.of_parent(user).values("school"))


def sessions_for_parent(user: User) -> QuerySet[GroupSession]:
    """Upcoming sessions at the schools of the parent's children, each with the parent's
    own live place (if any) as `my_places`."""
    mine = SessionPlace.objects.filter(parent=user).exclude(status=Status.CANCELLED)
    return (
        GroupSession.objects.filter(
            school__in=parent_schools(user),
            cancelled_at__isnull=True,
            ends_at__gt=timezone.now(),
        )
        .select_related("school", "host__user")
        .annotate(places_left=F("capacity") - F("confirmed_count"))
        .prefetch_related(Prefetch("places", queryset=mine, to_attr="my_places"))
        .order_by("starts_at", "pk")
    )


def session_for_parent(user: User, session_id: int) -> GroupSession | None:
    return (
        GroupSession.objects.filter(school__in=parent_schools(user), pk=session_id)
        .select_related("school", "host__user")
        .annotate(places_left=F("capacity") - F("confirmed_count"))
        .first()
    )


def my_place(session: GroupSession, user: User) -> SessionPlace | None:
    return (
        SessionPlace.objects.filter(session=session, parent=user)
        .exclude(status=Status.CANCELLED)
        .select_related("child")
        .first()
    )


def waiting_position(place: SessionPlace) -> int | None:
    """1 for the first person on the waiting list, in the order the list moves up."""
    if place.status != Status.WAITING:
        return None
    ahead = SessionPlace.objects.filter(
        Q(joined_at__lt=place.joined_at) | Q(joined_at=place.joined_at, pk__lt=place.pk),
        session_id=place.session_id,
        status=Status.WAITING,
    ).count()
    return ahead + 1


def sessions_for_staff(school: School) -> QuerySet[GroupSession]:
    """The school's sessions with their waiting list length and attendance."""
    return (
        GroupSession.objects.filter(school=school)
        .select_related("school", "host__user")
        .annotate(
            waiting_count=Count("places", filter=Q(places__status=Status.WAITING)),
            attended_count=Count("places", filter=Q(places__attended=True)),
            marked_count=Count("places", filter=Q(places__attended__isnull=False)),
        )
    )


def places_for_staff(session: GroupSession) -> tuple[list[SessionPlace], list[SessionPlace]]:
    """Who has a place, and the waiting list in the order it moves up."""
    places = list(
        SessionPlace.objects.filter(session=session)
        .exclude(status=Status.CANCELLED)
        .select_related("parent", "child")
        .order_by("joined_at", "pk")
    )
    confirmed = [p for p in places if p.status == Status.CONFIRMED]
    waiting = [p for p in places if p.status == Status.WAITING]
    return confirmed, waiting


def upcoming_for_parent(user: User, *, limit: int = 3) -> list[GroupSession]:
    """The next few sessions for the parent's home page."""
    return list(sessions_for_parent(user)[:limit])
