"""What the support pages read: each a fixed number of queries, however many families ask.

Names of parents and children appear only on the staff page, which the SENDCo or an
administrator reaches through `school_for`; governors see support figures only through
the summary's aggregates.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.accounts.models import User
from partnership.meetings.models import GroupSession, Topic
from partnership.schools.models import Child, FamilyLink, School

from .models import SupportRequest

Status = SupportRequest.Status
LIVE = (Status.OPEN, Status.OFFERED)


def parent_support_schools(user: User) -> QuerySet[School]:
    return School.objects.filter(pk__in=Child.objects.of_parent(user).values("school")).order_by(
        "name", "pk"
    )


def requests_for_parent(user: User) -> QuerySet[SupportRequest]:
    """The parent's requests still in play, newest first, with the session offered."""
    return (
        SupportRequest.objects.filter(parent=user, status__in=LIVE)
        .select_related("school", "session__school")
        .order_by("-updated_at", "-pk")
    )


@dataclass
class Asker:
    request: SupportRequest
    children: list[Child] = field(default_factory=list)

    @property
    def how(self) -> str:
        ways = [
            (self.request.online, _("online")),
            (self.request.in_person, _("in person")),
            (self.request.resources, _("things to read or watch")),
        ]
        return ", ".join(str(label) for wanted, label in ways if wanted)


@dataclass
class TopicDemand:
    topic: str
    label: str
    families: int
    waiting: int
    offered: int
    online: int
    in_person: int
    resources: int
    askers: list[Asker] = field(default_factory=list)
    upcoming: list[GroupSession] = field(default_factory=list)


def demand_by_topic(school: School) -> list[TopicDemand]:
    """Demand per topic, most asked first: families asking (open or offered), how they
    would like it, and how many were offered a session. Four queries."""
    live = Q(status__in=LIVE)
    counts = (
        SupportRequest.objects.filter(school=school, status__in=LIVE)
        .values("topic")
        .annotate(
            families=Count("parent", distinct=True, filter=live),
            waiting=Count("parent", distinct=True, filter=Q(status=Status.OPEN)),
            offered=Count("parent", distinct=True, filter=Q(status=Status.OFFERED)),
            online=Count("parent", distinct=True, filter=Q(online=True)),
            in_person=Count("parent", distinct=True, filter=Q(in_person=True)),
            resources=Count("parent", distinct=True, filter=Q(resources=True)),
        )
        .order_by()
    )
    rows = {
        row["topic"]: TopicDemand(label=Topic(row["topic"]).label, **row)
        for row in counts
        if row["topic"] in Topic.values
    }
    if not rows:
        return []
    requests = list(
        SupportRequest.objects.filter(school=school, status__in=LIVE)
        .select_related("parent", "session__school")
        .order_by("topic", "-status", "created_at", "pk")  # still waiting first
    )
    children = defaultdict(list)
    links = (
        FamilyLink.objects.filter(parent__in={r.parent_id for r in requests}, child__school=school)
        .select_related("child")
        .order_by("child__first_name", "child__pk")
    )
    for link in links:
        children[link.parent_id].append(link.child)
    for request in requests:
        rows[request.topic].askers.append(Asker(request, children[request.parent_id]))
    sessions = GroupSession.objects.filter(
        school=school,
        topic__in=rows.keys(),
        cancelled_at__isnull=True,
        starts_at__gt=timezone.now(),
    ).order_by("starts_at", "pk")
    for session in sessions:
        rows[session.topic].upcoming.append(session)
    return sorted(rows.values(), key=lambda row: (-row.families, row.label))
