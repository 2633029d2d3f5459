"""The batched "your child's plan was updated" email to families.

(The notes to staff when a family adds something go at once, from the services that
record it.)"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from partnership.notifications.schedule import scheduled_job
from partnership.notifications.services import message_enqueue_from_templates
from partnership.schools.models import Child, FamilyLink

from .models import ProgressReview, Target

# A burst of edits (share three targets, add their reviews) goes out as one email: an item
# waits until it has been quiet this long.
SETTLE = datetime.timedelta(minutes=10)


@dataclass
class ChildUpdates:
    """What is new for one child, as one section of a family's email."""

    child: Child
    url: str
    targets: list[Target] = field(default_factory=list)
    reviews: list[ProgressReview] = field(default_factory=list)


@scheduled_job("plan-updates")
def plan_updates_send(now: datetime.datetime) -> int:
    """Email every parent once about the targets and reviews newly shared with them.

    One outbox row per parent per run, covering all their children; the items are marked
    in the same transaction, so a repeated or overlapping tick writes nothing new.
    Queries: targets, reviews, family links – then one write per email and two updates.
    """
    settled = now - SETTLE
    with transaction.atomic():
        # Locked so a second tick running at the same moment waits, then finds them marked.
        targets = list(
            Target.objects.select_for_update(of=("self",))
            .filter(
                shared_at__isnull=False, shared_at__lte=settled, family_notified_at__isnull=True
            )
            .select_related("child__school")
            .order_by("child", "created_at", "pk")
        )
        # A review goes with its target's share, so it also waits for the target to settle.
        reviews = list(
            ProgressReview.objects.select_for_update(of=("self",))
            .filter(
                family_notified_at__isnull=True,
                created_at__lte=settled,
                target__shared_at__isnull=False,
                target__shared_at__lte=settled,
            )
            .select_related("target__child__school")
            .order_by("target__child", "reviewed_on", "pk")
        )
        if not targets and not reviews:
            return 0

        by_child: dict[int, ChildUpdates] = {}

        def updates_for(child: Child) -> ChildUpdates:
            if child.pk not in by_child:
                url = reverse("child_detail", kwargs={"child_id": child.pk})
                by_child[child.pk] = ChildUpdates(child=child, url=url)
            return by_child[child.pk]

        for target in targets:
            updates_for(target.child).targets.append(target)
        for review in reviews:
            updates_for(review.target.child).reviews.append(review)

        # Every linked parent, each with their own email: separated parents both hear.
        by_parent: dict[int, list[ChildUpdates]] = defaultdict(list)
        parents = {}
        links = (
            FamilyLink.objects.filter(child__in=by_child, parent__is_active=True)
            .select_related("parent")
            .order_by("parent", "child__first_name", "child")
        )
        for link in links:
            parents[link.parent_id] = link.parent
            by_parent[link.parent_id].append(by_child[link.child_id])

        written = 0
        for parent_id, children in by_parent.items():
            parent = parents[parent_id]
            _message, created = message_enqueue_from_templates(
                key=f"plan-updated:{parent.pk}:{now:%Y%m%dT%H%M}",
                kind="plan_updated",
                to_email=parent.email,
                template="plan_updated",
                context={
                    "name": parent.full_name,
                    "names": get_text_list([c.child.first_name for c in children], _("and")),
                    "children": children,
                },
                school=children[0].child.school,
                recipient=parent,
                to_parent=True,
            )
            written += created

        # Marked even where no parent could be emailed yet (an invitation not accepted):
        # the page shows it all when they join, and a later email would be stale news.
        Target.objects.filter(pk__in=[t.pk for t in targets]).update(family_notified_at=now)
        ProgressReview.objects.filter(pk__in=[r.pk for r in reviews]).update(family_notified_at=now)
    return written
