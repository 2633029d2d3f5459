"""The governors' summary served from stored snapshots, which the scheduled job refreshes.

Working a summary out reads two years of a school's rows (seconds at trust scale), so a
page reads the snapshot instead whenever it is fresh enough, and says when it was worked
out. The freshness rule:

- A *current* period (the term and the school year that today falls in) is refreshed by
  the `summary-snapshots` job on every tick (every 15 minutes). A page accepts a current
  snapshot up to an hour old, so a missed tick or a slow run still serves stored figures,
  but only one worked out today: the rates "so far" run to the end of today.
- A *past* period changes only when its rows are corrected late or removed (retention,
  erasure). The job recomputes the past snapshots that exist once a night, after 02:00 in
  the site's zone, and a page accepts one up to 26 hours old.
- A missing, stale or unreadable snapshot is worked out on the spot, stored and served.

Access is not decided here: callers pass a school or trust the person may already read.
"""

import datetime
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from partnership.contact.radar import school_today
from partnership.schools.models import School, Trust

from ..models import SummarySnapshot
from . import figures
from .shape import Figure, Period, Section, Split, SplitRow, Summary, Trend, TrendPoint, periods_for

logger = logging.getLogger(__name__)

CURRENT_MAX_AGE = datetime.timedelta(hours=1)
PAST_MAX_AGE = datetime.timedelta(hours=26)
# The job refreshes a current snapshot older than this; a page view in the last few
# minutes has just done the work, and running the job twice at once does nothing new.
JOB_REFRESHES_AFTER = datetime.timedelta(minutes=10)
NIGHT_HOUR = 2
Kind = SummarySnapshot.Kind


# Summary <-> JSON ------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """The summary as JSON values: dataclasses as objects, dates as ISO strings, and lazy
    translations as the words they stand for (one language, the site's, at storing)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    return value


def summary_to_json(summary: Summary) -> dict:
    return _plain(summary)


def _figure(data: dict) -> Figure:
    return Figure(**data)


def _section(data: dict) -> Section:
    return Section(
        key=data["key"],
        title=data["title"],
        figures=[_figure(each) for each in data["figures"]],
        splits=[
            Split(
                dimension=split["dimension"],
                dimension_label=split["dimension_label"],
                figure_label=split["figure_label"],
                rows=[SplitRow(row["group"], _figure(row["figure"])) for row in split["rows"]],
            )
            for split in data["splits"]
        ],
        trends=[
            Trend(
                title=trend["title"],
                points=[TrendPoint(p["label"], _figure(p["figure"])) for p in trend["points"]],
            )
            for trend in data["trends"]
        ],
    )


def summary_from_json(data: dict) -> Summary:
    period = data["period"]
    return Summary(
        scope=data["scope"],
        period=Period(
            key=period["key"],
            label=period["label"],
            starts=datetime.date.fromisoformat(period["starts"]),
            ends=datetime.date.fromisoformat(period["ends"]),
        ),
        families=_figure(data["families"]),
        sections=[_section(each) for each in data["sections"]],
        generated_at=datetime.datetime.fromisoformat(data["generated_at"]),
        schools=data["schools"],
    )


# Freshness --------------------------------------------------------------------------------


def is_current(period: Period, today: datetime.date) -> bool:
    return period.starts <= today < period.ends


def updated_every(period: Period, today: datetime.date) -> str:
    """How often the figures of this period are refreshed, in the page's words."""
    return str(_("every 15 minutes") if is_current(period, today) else _("every night"))


def _fresh(snapshot: SummarySnapshot, owner: "Owner", period: Period, today, now) -> bool:
    age = now - snapshot.computed_at
    if is_current(period, today):
        worked_out_on = timezone.localdate(snapshot.computed_at, timezone=owner.zone)
        return age <= CURRENT_MAX_AGE and worked_out_on == today
    return age <= PAST_MAX_AGE


def last_night(now: datetime.datetime) -> datetime.datetime:
    """The latest 02:00 in the site's zone at or before `now`."""
    local = timezone.localtime(now)
    night = local.replace(hour=NIGHT_HOUR, minute=0, second=0, microsecond=0)
    return night if night <= local else night - datetime.timedelta(days=1)


# Reading and storing ----------------------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    kind: str
    school: School | None = None
    trust: Trust | None = None

    @property
    def lookup(self) -> dict:
        if self.kind == Kind.SCHOOL:
            return {"kind": Kind.SCHOOL, "school": self.school}
        return {"kind": Kind.TRUST, "trust": self.trust}

    @property
    def zone(self) -> ZoneInfo:
        # The zone whose "today" the summary is worked out for (see trust_today).
        if self.kind == Kind.SCHOOL:
            return ZoneInfo(self.school.time_zone)
        return ZoneInfo(settings.TIME_ZONE)

    def compute(self, period: Period, today: datetime.date) -> Summary:
        # Always in the site's language, whoever's view or tick happens to store it.
        with translation.override(settings.LANGUAGE_CODE):
            if self.kind == Kind.SCHOOL:
                return figures.school_summary(self.school, period, today=today)
            return figures.trust_summary(self.trust, period, today=today)


def _decoded(snapshot: SummarySnapshot | None) -> Summary | None:
    if snapshot is None:
        return None
    try:
        return summary_from_json(snapshot.summary)
    except (KeyError, TypeError, ValueError):
        # Stored by an older shape of the summary: work it out again rather than fail.
        logger.warning("unreadable summary snapshot %s, recomputing", snapshot.pk)
        return None


def _store(owner: Owner, period: Period, today: datetime.date, existing) -> Summary:
    started = time.perf_counter()
    summary = owner.compute(period, today)
    values = {
        "computed_at": summary.generated_at,
        "summary": summary_to_json(summary),
        "compute_ms": round((time.perf_counter() - started) * 1000),
    }
    if existing is not None:
        SummarySnapshot.objects.filter(pk=existing.pk).update(**values)
        return summary
    try:
        with transaction.atomic():
            SummarySnapshot.objects.create(period_key=period.key, **owner.lookup, **values)
    except IntegrityError:
        # Another view or the job stored the same one meanwhile: the newer figures win.
        SummarySnapshot.objects.filter(period_key=period.key, **owner.lookup).update(**values)
    return summary


def _summary(owner: Owner, period: Period, today: datetime.date, now) -> Summary:
    now = now or timezone.now()
    existing = SummarySnapshot.objects.filter(period_key=period.key, **owner.lookup).first()
    if existing is not None and _fresh(existing, owner, period, today, now):
        stored = _decoded(existing)
        if stored is not None:
            return stored
    return _store(owner, period, today, existing)


def summary_for_school(
    school: School, period: Period, today: datetime.date, *, now: datetime.datetime | None = None
) -> Summary:
    """The school's summary for the period: the stored one while fresh, else worked out."""
    return _summary(Owner(Kind.SCHOOL, school=school), period, today, now)


def summary_for_trust(
    trust: Trust, period: Period, today: datetime.date, *, now: datetime.datetime | None = None
) -> Summary:
    return _summary(Owner(Kind.TRUST, trust=trust), period, today, now)


def trust_today(trust: Trust) -> datetime.date:
    # A trust's schools share England's calendar; the site's zone is Europe/London.
    return timezone.localdate()


# The scheduled refresh --------------------------------------------------------------------


def _owners() -> Iterator[tuple[Owner, datetime.date]]:
    """Every school, then every trust, one at a time from a cursor."""
    for school in School.objects.order_by("pk").iterator(chunk_size=100):
        yield Owner(Kind.SCHOOL, school=school), school_today(school)
    for trust in Trust.objects.order_by("pk").iterator(chunk_size=100):
        yield Owner(Kind.TRUST, trust=trust), trust_today(trust)


def _refresh_owner(owner: Owner, today: datetime.date, now: datetime.datetime) -> int:
    offered = {period.key: period for period in periods_for(today)}
    current = [period for period in offered.values() if is_current(period, today)]
    stored = {
        snapshot.period_key: snapshot
        for snapshot in SummarySnapshot.objects.filter(**owner.lookup).defer("summary")
    }
    # Periods no longer offered (over two years old) are never shown again.
    gone = [snapshot.pk for key, snapshot in stored.items() if key not in offered]
    SummarySnapshot.objects.filter(pk__in=gone).delete()
    refreshed = 0
    for period in current:
        existing = stored.get(period.key)
        if existing is None or now - existing.computed_at >= JOB_REFRESHES_AFTER:
            _store(owner, period, today, existing)
            refreshed += 1
    night = last_night(now)
    for key, existing in stored.items():
        period = offered.get(key)
        if period and not is_current(period, today) and existing.computed_at < night:
            _store(owner, period, today, existing)
            refreshed += 1
    return refreshed


def snapshots_refresh(*, now: datetime.datetime) -> int:
    """Refresh what is due for every school and trust; returns how many were worked out.

    Each summary is worked out, stored and let go before the next, so memory stays flat
    however many schools. Running it again at once finds nothing due.
    """
    refreshed = 0
    for owner, today in _owners():
        try:
            refreshed += _refresh_owner(owner, today, now)
        except Exception:
            # One school's failure must not leave every other school's figures stale; its
            # page works its figures out on the spot until the next tick succeeds.
            logger.exception("summary snapshot refresh failed for %s", owner.lookup)
    return refreshed
