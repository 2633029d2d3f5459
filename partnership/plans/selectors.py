"""Reads shared by the plan pages. Each keeps its query count flat as data grows."""

import datetime

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from partnership.schools.models import Child, FamilyLink, School

from .models import HomeObservation, PlanCycle, ProgressReview, Target
from .services.observations import observations_for_display

# The SENDCo looks four weeks ahead when planning review meetings.
REVIEWS_DUE_WITHIN = datetime.timedelta(weeks=4)


def open_cycle(child: Child) -> PlanCycle | None:
    return PlanCycle.objects.filter(child=child, status=PlanCycle.Status.OPEN).first()


def reviews_in_date_order() -> QuerySet[ProgressReview]:
    """What plans/fragment_trend.html needs: oldest first, with who wrote each."""
    return ProgressReview.objects.select_related("author").order_by("reviewed_on", "pk")


def with_trend(targets: QuerySet[Target]) -> QuerySet[Target]:
    """Targets with their reviews, and those of the target each was carried forward from,
    prefetched for the trend (two queries more)."""
    return targets.select_related("carried_from").prefetch_related(
        Prefetch("reviews", queryset=reviews_in_date_order()),
        Prefetch("carried_from__reviews", queryset=reviews_in_date_order()),
    )


def trend_of(target: Target, *, as_staff: bool) -> tuple[list[ProgressReview], int]:
    """The target's reviews oldest first, continuing from the target it was carried
    forward from, so a new plan does not cut the history off; and how many of them come
    from that earlier target. Families see the earlier history only if it was shared.
    Needs `with_trend`."""
    reviews = list(target.reviews.all())
    earlier = target.carried_from
    if earlier is None or not (as_staff or earlier.shared_at is not None):
        return reviews, 0
    before = list(earlier.reviews.all())
    return before + reviews, len(before)


def targets_for_page() -> QuerySet[Target]:
    """Targets with everything the target page shows beside them; scope it before use."""
    return with_trend(
        Target.objects.select_related(
            "child__school",
            "cycle",
            "parent_agreed_by",
            "carried_from__cycle",
            "baseline_observation",
        )
    )


def observations_on(target: Target, user) -> QuerySet[HomeObservation]:
    """The observations about a target this person may read, newest first, fetched as
    plans/fragment_observations.html needs them (2 queries)."""
    return observations_for_display(
        HomeObservation.objects.visible_to(user)
        .filter(target=target, withdrawn_at__isnull=True)
        .order_by("-created_at", "-pk")
    )


def linked_parents(child: Child) -> QuerySet[FamilyLink]:
    return FamilyLink.objects.filter(child=child).select_related("parent").order_by("pk")


def reviews_due(school: School, *, today: datetime.date | None = None) -> QuerySet[PlanCycle]:
    """Current plans at a school whose review is overdue or due in the next four weeks,
    soonest (most overdue) first, each with its child and number of targets."""
    today = today or timezone.localdate()
    return (
        PlanCycle.objects.filter(
            child__school=school,
            status=PlanCycle.Status.OPEN,
            review_on__lte=today + REVIEWS_DUE_WITHIN,
        )
        .select_related("child")
        .annotate(target_count=Count("targets"))
        .order_by("review_on", "child__last_name", "child__first_name", "pk")
    )
