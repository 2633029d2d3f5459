"""Reads of praise shared by the parent's home, the child page and the praise pages.

Each list is one query (plus one prefetch of thanks on the staff side) whatever the amount
of praise: the child, value, adult, school and target come in by join, and a parent's own
thank-you by subquery.
"""

import datetime
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partnership.schools.models import Child

from .models import Praise, PraiseThanks

LATEST = 5

_RELATED = ("child", "school", "value", "given_by", "target__cycle")


def praise_for_parent(user, *, children: Sequence[Child]) -> QuerySet:
    """Praise of the parent's own `children` (already read through their access rule),
    newest first, each knowing whether *this* parent has said thank you (`thanked`) and
    with what words (`my_thanks_message`).

    Only the parent's own thanks are read: in a separated family one parent's message is
    not the other's to see. The children's ids are written into the query, not left to a
    subquery: with years of a whole school's praise in the table, PostgreSQL then reads
    each child's newest praise by index instead of scanning the table (measured: 2.5 s
    down to milliseconds). The access rule still applies on top.
    """
    mine = PraiseThanks.objects.filter(praise=OuterRef("pk"), parent=user)
    praise = Praise.objects.of_parent(user).filter(child_id__in=[child.pk for child in children])
    return (
        praise.select_related(*_RELATED)
        .annotate(
            thanked=Exists(mine),
            my_thanks_message=Subquery(mine.values("message")[:1]),
        )
        .order_by("-given_at", "-pk")
    )


def latest(praise: QuerySet, count: int = LATEST) -> QuerySet:
    """The newest `count` of a praise list. Their ids are read first, by index alone, and
    only those rows are then joined to their child, value, adult and target: in one query
    PostgreSQL joins the whole of a child's history (hundreds of rows over two years) to
    show five, and reads every child of the trust to do it."""
    ids = list(praise.order_by("-given_at", "-pk").values_list("pk", flat=True)[:count])
    return praise.filter(pk__in=ids).order_by("-given_at", "-pk")


def praise_for_child(child: Child) -> QuerySet:
    """One child's praise for staff, newest first, with every parent's thanks (name and
    message) prefetched as `thanks_list`: the adult who gave the praise sees it landed."""
    return (
        Praise.objects.filter(child=child)
        .select_related(*_RELATED)
        .prefetch_related(
            Prefetch(
                "thanks",
                queryset=PraiseThanks.objects.select_related("parent").order_by("created_at", "pk"),
                to_attr="thanks_list",
            )
        )
        .order_by("-given_at", "-pk")
    )


def praise_for_viewer(user, child: Child, *, as_staff: bool) -> QuerySet:
    """The child's praise as this person may see it: staff get everyone's thanks, a parent
    only their own."""
    if as_staff:
        return praise_for_child(child)
    return praise_for_parent(user, children=[child])


def when_given(given_at: datetime.datetime, *, time_zone: str, now: datetime.datetime) -> str:
    """ "Today", "Yesterday", a weekday within the last week, else "3 Nov" (with the year
    when it is not this year) – in the school's time zone, where the praise happened."""
    zone = ZoneInfo(time_zone)
    day = timezone.localtime(given_at, zone).date()
    today = timezone.localtime(now, zone).date()
    age = (today - day).days
    if age <= 0:
        return _("Today")
    if age == 1:
        return _("Yesterday")
    if age < 7:
        return date_format(day, "l")
    if day.year == today.year:
        return date_format(day, "j M")
    return date_format(day, "j M Y")


def dated(praise: Iterable[Praise], *, now: datetime.datetime | None = None) -> list[Praise]:
    """The praise as a list, each with `when` set for display (no queries: the school is
    joined by the selectors above)."""
    now = now or timezone.now()
    items = list(praise)
    for item in items:
        item.when = when_given(item.given_at, time_zone=item.school.time_zone, now=now)
    return items
