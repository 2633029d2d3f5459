"""The child page in one read: the plan, the extra support, what the family sees at home,
the passport and who to contact – a fixed number of queries whatever the data size.

Parents see only what has been shared with them; staff who work with the child see all.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from partnership.schools.models import (
    WHOLE_SCHOOL_ROLES,
    Child,
    FamilyLink,
    KeyContact,
    Membership,
    known_not_staff,
)

from . import selectors
from .models import (
    HomeObservation,
    PassportVersion,
    Placement,
    PlanCycle,
    Target,
)

LATEST_OBSERVATIONS = 5


@dataclass
class ChildPage:
    child: Child
    # Staff who work with the child see everything and the actions; anyone else who may
    # see the child is family and sees only what was shared.
    is_staff: bool
    as_parent: bool
    # The SENDCo and administrators also review and close plans and run the catalogue.
    leads_send: bool
    cycle: PlanCycle | None
    targets: list[Target]
    placements: list[Placement]
    observations: list[HomeObservation]
    passport: PassportVersion | None
    key_contacts: list[KeyContact]
    today: datetime.date
    family_links: list[FamilyLink] = field(default_factory=list)


def _is_current(placement: Placement, today: datetime.date) -> bool:
    return placement.starts_on <= today and (
        placement.ends_on is None or placement.ends_on >= today
    )


def child_page(user, child_id: int) -> ChildPage:
    """Everything the child page shows, for this viewer, or 404.

    Queries: the child with its school and the viewer's standing; key contacts; the open
    cycle; its targets; their reviews; the reviews of the targets they carry on from (when
    there are any); placements with intervention and staff; their
    targets; the latest observations; the current passport; for staff, the family.
    """
    children = (
        Child.objects.visible_to(user)  # the one access rule; 404 for anyone else
        .select_related("school")
        .prefetch_related(
            Prefetch("key_contacts", queryset=KeyContact.objects.order_by("order", "pk"))
        )
    )
    if not known_not_staff(user):  # a parent's standing already says "not staff here"
        children = children.annotate(
            viewer_is_staff=Exists(Child.objects.for_staff(user).filter(pk=OuterRef("pk"))),
            viewer_leads_send=Exists(
                Membership.objects.active().filter(
                    user=user, school=OuterRef("school"), role__in=WHOLE_SCHOOL_ROLES
                )
            ),
        )
    try:
        child = children.get(pk=child_id)
    except Child.DoesNotExist:
        raise Http404("No such child") from None
    is_staff = getattr(child, "viewer_is_staff", False)
    shared_only = Q() if is_staff else Q(shared_at__isnull=False)

    cycle = PlanCycle.objects.filter(child=child, status=PlanCycle.Status.OPEN).first()
    targets: list[Target] = []
    if cycle is not None:
        targets = list(
            selectors.with_trend(Target.objects.filter(shared_only, cycle=cycle)).order_by(
                "created_at", "pk"
            )
        )
        for target in targets:
            target.trend, target.earlier_reviews = selectors.trend_of(target, as_staff=is_staff)
            target.latest_review = target.trend[-1] if target.trend else None
            target.cycle = cycle

    today = timezone.localdate()
    placements = list(
        Placement.objects.filter(shared_only, child=child)
        .select_related("intervention", "staff__user")
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=Target.objects.filter(shared_only).order_by("created_at", "pk"),
            )
        )
        .order_by("-starts_on", "-pk")
    )
    for placement in placements:
        placement.is_current = _is_current(placement, today)
    placements.sort(key=lambda placement: not placement.is_current)  # stable: dates kept

    observations = list(
        HomeObservation.objects.visible_to(user)
        .filter(child=child, withdrawn_at__isnull=True)
        .select_related("author", "target")
        .annotate(reply_count=Count("replies"))
        .order_by("-created_at", "-pk")[:LATEST_OBSERVATIONS]
    )
    passport = PassportVersion.objects.filter(child=child).order_by("-number").first()

    family_links: list[FamilyLink] = []
    if is_staff:
        family_links = list(
            FamilyLink.objects.filter(child=child).select_related("parent").order_by("pk")
        )
    return ChildPage(
        child=child,
        is_staff=is_staff,
        as_parent=not is_staff,
        leads_send=is_staff and child.viewer_leads_send,
        cycle=cycle,
        targets=targets,
        placements=placements,
        observations=observations,
        passport=passport,
        key_contacts=list(child.key_contacts.all()),
        today=today,
        family_links=family_links,
    )
