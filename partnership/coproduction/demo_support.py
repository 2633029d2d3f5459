"""Demo support requests and the SEND parent group for the demo school.

Rows are written directly (no emails): the demo shows demand by topic with managing
behaviour asked most, one family already offered the behaviour workshop, and a parent
group of eight with family05 as its representative. Running it again gives the same rows.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from partnership.meetings.models import GroupSession, Topic
from partnership.schools.models import Child, FamilyLink, Membership, School

from .models import ParentGroupMember, SupportRequest

DEMO_PARENT = "parent@example.org"
REPRESENTATIVE = "family05@example.org"
GROUP_SIZE = 8

# (topic, online, in_person, resources, note), one per family in turn; behaviour first and
# most often, as it is what SENDCos hear most.
REQUESTS = [
    (Topic.BEHAVIOUR, False, True, False, "Evenings are hardest for us."),
    (Topic.BEHAVIOUR, True, False, True, ""),
    (Topic.BEHAVIOUR, False, True, False, ""),
    (Topic.BEHAVIOUR, True, True, False, "After school is when things go wrong."),
    (Topic.BEHAVIOUR, False, False, True, ""),
    (Topic.STRESS, True, False, False, ""),
    (Topic.STRESS, False, True, False, "Something I could do on a Friday morning."),
    (Topic.WELLBEING, True, False, True, ""),
    (Topic.WELLBEING, False, True, False, ""),
    (Topic.NEED, False, True, True, "We have just had the diagnosis."),
    (Topic.NEED, True, False, False, ""),
    (Topic.AUTISM, False, True, False, ""),
    (Topic.CURRICULUM, True, False, True, "How phonics is taught."),
    (Topic.MEETING_PARENTS, False, True, False, ""),
    (Topic.OTHER, False, False, True, "Help with forms for the local authority."),
]


def _families(children: list[Child]) -> list:
    """Each family's parent once, the demo parent first so the demo login shows requests."""
    parents = {}
    links = FamilyLink.objects.filter(child__in=children).select_related("parent").order_by("pk")
    for link in links:
        parents.setdefault(link.parent_id, link.parent)
    return sorted(parents.values(), key=lambda p: (p.email != DEMO_PARENT, p.email))


@transaction.atomic
def seed_support(*, school: School, children: list[Child], staff: dict[str, Membership]) -> None:
    SupportRequest.objects.filter(school=school).delete()
    ParentGroupMember.objects.filter(school=school).delete()
    families = _families(children)
    if not families:
        return
    now = timezone.now()
    workshop = (
        GroupSession.objects.filter(
            school=school, topic=Topic.BEHAVIOUR, cancelled_at__isnull=True, starts_at__gt=now
        )
        .order_by("starts_at", "pk")
        .first()
    )
    requests = []
    for i, (topic, online, in_person, resources, note) in enumerate(REQUESTS):
        parent = families[i % len(families)]
        if any(r.parent_id == parent.pk and r.topic == topic for r in requests):
            continue
        asked = now - datetime.timedelta(days=3 + 2 * i)
        offered = workshop is not None and i == 0
        requests.append(
            SupportRequest(
                school=school,
                parent=parent,
                topic=topic,
                online=online,
                in_person=in_person,
                resources=resources,
                note=note,
                status=SupportRequest.Status.OFFERED if offered else SupportRequest.Status.OPEN,
                session=workshop if offered else None,
                created_at=asked,
                updated_at=now if offered else asked,
            )
        )
    SupportRequest.objects.bulk_create(requests)

    members = [p for p in families if p.email == DEMO_PARENT]
    members += [p for p in families if p.email == REPRESENTATIVE]
    members += [p for p in families if p not in members][: max(0, GROUP_SIZE - len(members))]
    representative = next(
        (p for p in members if p.email == REPRESENTATIVE),
        next((p for p in members if p.email != DEMO_PARENT), None),
    )
    ParentGroupMember.objects.bulk_create(
        ParentGroupMember(
            school=school,
            parent=parent,
            joined_at=now - datetime.timedelta(days=10 * (n + 1)),
            is_representative=parent == representative,
        )
        for n, parent in enumerate(members)
    )
