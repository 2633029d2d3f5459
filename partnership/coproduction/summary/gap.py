"""The perception gap in SQL: each family's latest answer to "how often have you heard
from school this half-term?" beside the contacts school logged in the 49 days before it.

Two parts, each in the query that suits it: the latest answer is a subquery on the
children's query (an index lookup per child), and the contacts before it are counted in
one query that joins contacts to the answers (a hash join), keeping only each child's
latest answer with NOT EXISTS (an anti-join). Counting them in a subquery per child instead
took seconds at a few hundred families on PostgreSQL.
"""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery

from partnership.contact.models import Channel, CheckIn, ContactEntry
from partnership.contact.radar import BAND_RANGES, HALF_TERM_DAYS

from .scope import Scope, window
from .shape import Period

BANDS = list(BAND_RANGES)
HALF_TERM = datetime.timedelta(days=HALF_TERM_DAYS)


def _answers(scope: Scope, so_far: Period):
    return CheckIn.objects.filter(
        window(scope, "answered_at", so_far.starts, so_far.ends),
        answered_at__isnull=False,
        heard_from_school__in=BANDS,
    )


def latest_band(scope: Scope, so_far: Period) -> Subquery:
    """For a child (the outer row): the band of its family's latest answer in the period,
    from any of its parents, to a check-in from the child's own school."""
    return Subquery(
        _answers(scope, so_far)
        .filter(school=OuterRef("school"), parent__family_links__child=OuterRef("pk"))
        .order_by("-answered_at", "-pk")
        .values("heard_from_school")[:1]
    )


def logged_before_latest(scope: Scope, so_far: Period) -> dict[int, int]:
    """Child id -> contacts school logged about the child in the 49 days up to (and
    including) its family's latest answer. Children with none are left out."""
    answer = "children__family_links__parent__checkins"
    answered_at = F(f"{answer}__answered_at")
    later = _answers(scope, so_far).filter(
        Q(answered_at__gt=OuterRef(f"{answer}__answered_at"))
        | Q(answered_at=OuterRef(f"{answer}__answered_at"), pk__gt=OuterRef(f"{answer}__pk")),
        school=OuterRef("children__school"),
        parent__family_links__child=OuterRef("children"),
    )
    rows = (
        ContactEntry.objects.filter(
            # One filter() call, so every condition is on the same joined answer.
            window(
                scope,
                f"{answer}__answered_at",
                so_far.starts,
                so_far.ends,
                school_path="children__school",
            ),
            ~Exists(later),
            children__school__in=scope.school_ids,
            **{
                f"{answer}__school": F("children__school"),
                f"{answer}__heard_from_school__in": BANDS,
            },
            happened_at__lte=answered_at,
            happened_at__gt=answered_at - HALF_TERM,
        )
        .exclude(channel=Channel.CHECK_IN)
        .order_by()
        .values("children")
        .annotate(n=Count("pk", distinct=True))
        .values_list("children", "n")
    )
    return dict(rows)
