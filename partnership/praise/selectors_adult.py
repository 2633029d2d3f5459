"""Reads for the adult who gives praise: what they gave lately, and the thanks it earned.

Every read is scoped to the children the adult still works with, so a child who has moved
to another class (or school) drops out of the adult's history like everywhere else.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max, Prefetch

from partnership.accounts.models import User
from partnership.schools.models import Child, School

from .models import Praise, PraiseThanks, PraiseValue


@dataclass
class GivenBatch:
    """One moment of praise: the children praised together, with the thanks it earned."""

    batch: uuid.UUID
    given_at: datetime
    value: PraiseValue
    note: str
    praise: list[Praise] = field(default_factory=list)

    @property
    def children(self) -> list[Child]:
        return [item.child for item in self.praise]

    @property
    def thanks(self) -> list[PraiseThanks]:
        return [thanks for item in self.praise for thanks in item.thanks.all()]


def _given_by(user: User):
    return Praise.objects.filter(given_by=user, child__in=Child.objects.for_staff(user))


def recent_batches(user: User, *, school: School, limit: int = 10) -> list[GivenBatch]:
    """The adult's latest `limit` moments of praise at the school, newest first.

    Three queries whatever the history: the batches, their praise, and the thanks.
    """
    latest = [
        row["batch"]
        for row in _given_by(user)
        .filter(school=school)
        .values("batch")
        .annotate(last=Max("given_at"))
        .order_by("-last", "-batch")[:limit]
    ]
    if not latest:
        return []
    rows = (
        _given_by(user)
        .filter(school=school, batch__in=latest)
        .select_related("child", "value", "target")
        .prefetch_related(
            Prefetch(
                "thanks",
                queryset=PraiseThanks.objects.select_related("parent").order_by("created_at"),
            )
        )
        .order_by("child__first_name", "child__last_name", "pk")
    )
    batches: dict[uuid.UUID, GivenBatch] = {}
    for item in rows:
        moment = batches.setdefault(
            item.batch,
            GivenBatch(batch=item.batch, given_at=item.given_at, value=item.value, note=item.note),
        )
        moment.praise.append(item)
    return [batches[key] for key in latest if key in batches]


def batch_to_repeat(user: User, *, school: School, batch: str | None) -> dict:
    """What "Again" fills in: the children, value and note of one of the adult's own
    moments of praise. Someone else's batch (or nonsense) fills in nothing."""
    try:
        key = uuid.UUID(str(batch))
    except (TypeError, ValueError):
        return {}
    rows = list(
        _given_by(user)
        .filter(school=school, batch=key)
        .order_by("pk")
        .values_list("child_id", "value_id", "note")
    )
    if not rows:
        return {}
    return {
        "children": [str(child_id) for child_id, _value, _note in rows],
        "value": str(rows[0][1]),
        "note": rows[0][2],
    }


def thanks_received(user: User, *, limit: int = 5) -> list[PraiseThanks]:
    """The latest thank-yous from parents for praise this adult gave, newest first; one
    query, with the parent, the child and the value loaded."""
    return list(
        PraiseThanks.objects.filter(praise__in=_given_by(user))
        .select_related("parent", "praise__child", "praise__value")
        .order_by("-created_at", "-pk")[:limit]
    )
