"""The SENDCo's contact radar for one school: every family against its contact plan, the
families who need closer contact and why, and how often school logged contact beside how
often parents say they heard from school (the perception gap).

A family is a child: siblings are separate rows that show the same parents. Everything is
read in a fixed number of queries whatever the number of families or the years of history:
the children and their parents, contact counts grouped in SQL, the last half-term's
check-ins, overdue reviews, and the children with no praise lately.
"""

import datetime
import statistics
from collections.abc import Collection
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Max, Prefetch, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.plans.models import PlanCycle
from partnership.praise.selectors_school import children_without_praise, unpraised_since
from partnership.schools.models import Child, FamilyLink, School

from .models import (
    DEFAULT_FREQUENCY,
    FREQUENCY_DAYS,
    SENDCO_MEETINGS_A_YEAR,
    Channel,
    CheckIn,
    ContactEntry,
    Frequency,
    HeardFromSchool,
)

# A family is "due" from its plan's interval until half as long again; then "overdue".
DUE_STRETCH = 1.5
# The check-in asks about "this half-term"; half-terms differ from school to school and the
# portal does not hold term dates yet, so the last seven weeks (49 days) stand in for one.
HALF_TERM_DAYS = 49
# A rating of 2 or less out of 5 in the last three weeks is a week that went badly.
LOW_RATING_AT_MOST = 2
LOW_RATING_WITHIN_DAYS = 21
SCHOOL_YEAR_STARTS = (9, 1)  # 1 September
# How far back the radar reads contact for every family at once (see _contact_figures).
LOOKBACK_DAYS = 120


class Status(TextChoices):
    ON_TRACK = "on_track", _("On track")
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")


class Reason(TextChoices):
    WANTS_CALL = "wants_call", _("Asked for a call")
    OVERDUE = "overdue", _("Contact overdue")
    CHECKINS_UNANSWERED = "checkins_unanswered", _("Last two check-ins unanswered")
    LOW_RATING = "low_rating", _("Low check-in rating (2 or less out of 5)")
    NO_RECENT_PRAISE = "no_recent_praise", _("No praise lately")
    REVIEW_OVERDUE = "review_overdue", _("Plan review overdue")


class Gap(TextChoices):
    FEWER = "fewer", _("Parent says fewer")
    SAME = "same", _("About the same")
    MORE = "more", _("Parent says more")


# The parent's answer as a range of contacts (highest None: no upper end).
BAND_RANGES = {
    HeardFromSchool.NOT_AT_ALL: (0, 0),
    HeardFromSchool.ONCE_OR_TWICE: (1, 2),
    HeardFromSchool.FEW_TIMES: (3, 5),
    HeardFromSchool.MOST_WEEKS: (6, 9),
    HeardFromSchool.MORE: (10, None),
}
BANDS_IN_ORDER = list(BAND_RANGES)


def contact_status(frequency: str, days_since: int | None) -> Status:
    """On track inside the plan's interval, due up to half as long again, then overdue; a
    family never contacted is overdue."""
    if days_since is None:
        return Status.OVERDUE
    interval = FREQUENCY_DAYS[Frequency(frequency)]
    if days_since < interval:
        return Status.ON_TRACK
    if days_since <= interval * DUE_STRETCH:
        return Status.DUE
    return Status.OVERDUE


def school_year_start(today: datetime.date) -> datetime.date:
    """The latest 1 September on or before today."""
    start = datetime.date(today.year, *SCHOOL_YEAR_STARTS)
    return start if start <= today else start.replace(year=today.year - 1)


def school_today(school: School) -> datetime.date:
    return timezone.localdate(timezone=ZoneInfo(school.time_zone))


def gap_of(logged: int, band: str) -> Gap | None:
    """How the parent's answer compares with the number of contacts school logged."""
    if band not in BAND_RANGES:
        return None
    lowest, highest = BAND_RANGES[band]
    if highest is not None and highest < logged:
        return Gap.FEWER
    if lowest > logged:
        return Gap.MORE
    return Gap.SAME


def no_recent_praise(*, school: School, today: datetime.date) -> set[int]:
    """Ids of children with no praise in the last two weeks (P8): none since the start of
    the school-local day fourteen days before `today`, read in one query for the whole
    school.

    Only while the school is giving praise: if nobody at the school was praised in those
    two weeks (a school that has not started, or the holidays), no family is flagged, since
    that says nothing about any one child being missed.
    """
    return children_without_praise(
        school=school, since=unpraised_since(school, today), only_while_praising=True
    )


@dataclass
class FamilyRow:
    child: Child
    parents: list
    frequency: str
    sendco_meetings_target: int
    last_contact: datetime.date | None
    days_since: int | None
    status: Status
    sendco_meetings: int
    logged_this_half_term: int
    heard_from_school: str
    reasons: list[Reason] = field(default_factory=list)

    @property
    def frequency_label(self) -> str:
        return Frequency(self.frequency).label

    @property
    def heard_label(self) -> str:
        return HeardFromSchool(self.heard_from_school).label if self.heard_from_school else ""

    @property
    def gap(self) -> Gap | None:
        return gap_of(self.logged_this_half_term, self.heard_from_school)

    @property
    def reason_labels(self) -> list[str]:
        return [reason.label for reason in self.reasons]


@dataclass
class PerceptionGap:
    """The families whose parent answered "how often have you heard from school?" this
    half-term, those hearing less than school logged first, with the figures in aggregate."""

    rows: list[FamilyRow]
    not_answered: int
    hearing_less_percent: int | None
    median_logged: float | None
    median_band: str

    @property
    def median_band_label(self) -> str:
        return HeardFromSchool(self.median_band).label if self.median_band else ""


@dataclass
class Radar:
    today: datetime.date
    rows: list[FamilyRow]
    counts: dict[str, int]
    closer_contact: list[FamilyRow]
    perception_gap: PerceptionGap


def _start_of(day: datetime.date, zone: ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


@dataclass
class _Figures:
    """What the radar knows of one family, gathered from the set-based reads below."""

    last_contact_at: datetime.datetime | None = None
    sendco_meetings: int = 0
    logged_this_half_term: int = 0
    wants_call: bool = False
    latest_rating: int | None = None
    weeks: dict[datetime.date, bool] = field(default_factory=dict)  # week -> anyone answered
    heard_from_school: str = ""
    review_overdue: bool = False

    @property
    def checkins_unanswered(self) -> bool:
        """Nobody in the family answered either of its last two check-in weeks."""
        latest_two = sorted(self.weeks, reverse=True)[:2]
        return len(latest_two) == 2 and not any(self.weeks[week] for week in latest_two)


def _children(school: School, only: Collection[int] | None):
    children = Child.objects.filter(school=school)
    if only is not None:
        children = children.filter(pk__in=only)
    return (
        children.on_roll()
        .select_related("contact_plan")
        .prefetch_related(
            Prefetch(
                "family_links",
                queryset=FamilyLink.objects.select_related("parent").order_by("pk"),
            )
        )
        .order_by("last_name", "first_name", "pk")
    )


def _contact_figures(
    school: School, today: datetime.date, figures: dict[int, _Figures], only: bool
) -> None:
    """Contact school logged, for each family. Only the school year so far (and at least
    LOOKBACK_DAYS) is read: every plan's "overdue" falls well inside it, so a longer silence
    changes nothing but the date shown, which is then read for those few families alone.

    Two plain reads rather than one grouped join: the school's entries in that window (by
    its index on school and time), then which children each is about (by entry id). Joined
    in SQL, PostgreSQL reads the link table for every entry the children ever had, which at
    a trust's scale is the slowest part of the dashboard.
    """
    zone = ZoneInfo(school.time_zone)
    tomorrow = _start_of(today + datetime.timedelta(days=1), zone)
    half_term = _start_of(today - datetime.timedelta(days=HALF_TERM_DAYS - 1), zone)
    year = _start_of(school_year_start(today), zone)
    since = min(year, _start_of(today - datetime.timedelta(days=LOOKBACK_DAYS), zone))
    entries = ContactEntry.objects.filter(
        school=school, happened_at__gte=since, happened_at__lt=tomorrow
    )
    if only:  # a few families: start from their own entries
        entries = entries.filter(children__in=list(figures))
    entry_rows = {
        pk: (happened_at, channel, meeting)
        for pk, happened_at, channel, meeting in entries.order_by().values_list(
            "pk", "happened_at", "channel", "is_sendco_meeting"
        )
    }
    # By entry id alone: with the children's ids too, PostgreSQL would read every entry
    # the children ever had by the child index.
    links = ContactEntry.children.through.objects.filter(
        contactentry_id__in=list(entry_rows)
    ).values_list("contactentry_id", "child_id")
    for entry_id, child_id in links:
        family = figures.get(child_id)
        if family is None:  # a sibling not asked about, or no longer on roll
            continue
        happened_at, channel, meeting = entry_rows[entry_id]
        if meeting and happened_at >= year:
            family.sendco_meetings += 1
        # A family answering the automated check-in is not school getting in touch: it
        # must not make an overdue family look on track, nor count as hearing from school.
        if channel == Channel.CHECK_IN:
            continue
        if family.last_contact_at is None or happened_at > family.last_contact_at:
            family.last_contact_at = happened_at
        if happened_at >= half_term:
            family.logged_this_half_term += 1
    silent = [pk for pk, family in figures.items() if family.last_contact_at is None]
    # Run even when nobody is silent (no child has id 0), so that the page's number of
    # queries does not depend on what the families' history happens to be.
    earlier = (
        ContactEntry.objects.filter(children__in=[*silent, 0], happened_at__lt=since)
        .exclude(channel=Channel.CHECK_IN)
        .order_by()
        .values("children")
        .annotate(last=Max("happened_at"))
        .values_list("children", "last")
    )
    for child_id, last in earlier:
        figures[child_id].last_contact_at = last


def _checkin_figures(school: School, today: datetime.date, figures: dict[int, _Figures]) -> None:
    """Check-ins from this school to any parent linked to the child: a family answers when
    any of its parents does. Only the last half-term's weeks are read (the last two weeks,
    the latest rating and "how often have you heard from school" all fall inside it), plus
    any call still waiting to be made, however old: a family whose check-ins stopped long
    ago is judged by contact alone."""
    zone = ZoneInfo(school.time_zone)
    tomorrow = _start_of(today + datetime.timedelta(days=1), zone)
    half_term = _start_of(today - datetime.timedelta(days=HALF_TERM_DAYS - 1), zone)
    rating_window = _start_of(today - datetime.timedelta(days=LOW_RATING_WITHIN_DAYS - 1), zone)
    checkins = CheckIn.objects.filter(
        school=school, week_of__lte=today, parent__family_links__child__in=list(figures)
    ).order_by()
    waiting = checkins.filter(wants_call=True, call_done_at__isnull=True).values_list(
        "parent__family_links__child", flat=True
    )
    for child_id in waiting:
        if child_id in figures:
            figures[child_id].wants_call = True
    recent = checkins.filter(
        week_of__gte=today - datetime.timedelta(days=HALF_TERM_DAYS)
    ).values_list(
        "parent__family_links__child", "week_of", "answered_at", "rating", "heard_from_school", "pk"
    )
    latest_rating: dict[int, tuple] = {}
    latest_heard: dict[int, tuple] = {}
    for child_id, week, answered_at, rating, heard, pk in recent:
        family = figures.get(child_id)
        if family is None:
            continue
        answered = answered_at is not None and answered_at < tomorrow
        family.weeks[week] = family.weeks.get(week, False) or answered
        if not answered:
            continue
        if rating is not None and answered_at >= rating_window:
            _keep_latest(latest_rating, child_id, (answered_at, pk), rating)
        if heard and answered_at >= half_term:
            _keep_latest(latest_heard, child_id, (answered_at, pk), heard)
    for child_id, (_when, rating) in latest_rating.items():
        figures[child_id].latest_rating = rating
    for child_id, (_when, heard) in latest_heard.items():
        figures[child_id].heard_from_school = heard


def _keep_latest(latest: dict, child_id: int, when: tuple, value) -> None:
    """Keep the answer given last (ties broken by id, as the page always has)."""
    if child_id not in latest or when > latest[child_id][0]:
        latest[child_id] = (when, value)


def _figures_of(
    school: School, today: datetime.date, child_ids: list[int], *, only: bool
) -> dict[int, _Figures]:
    """Each family's figures, read as a handful of queries over the whole school (grouped
    in SQL where a count will do) rather than as subqueries per family: with years of
    history, per-family subqueries cost a school of 300 families seconds."""
    figures = {pk: _Figures() for pk in child_ids}
    _contact_figures(school, today, figures, only)
    _checkin_figures(school, today, figures)
    overdue = PlanCycle.objects.filter(
        child__in=child_ids, status=PlanCycle.Status.OPEN, review_on__lt=today
    ).values_list("child", flat=True)
    for child_id in overdue:
        if child_id in figures:
            figures[child_id].review_overdue = True
    return figures


def _row(
    child: Child, figures: _Figures, today: datetime.date, zone: ZoneInfo, unpraised: set[int]
) -> FamilyRow:
    plan = getattr(child, "contact_plan", None)
    frequency = plan.frequency if plan else DEFAULT_FREQUENCY
    last = figures.last_contact_at
    last_contact = timezone.localtime(last, zone).date() if last else None
    days_since = (today - last_contact).days if last_contact else None
    status = contact_status(frequency, days_since)
    reasons = []
    if figures.wants_call:
        reasons.append(Reason.WANTS_CALL)
    if status == Status.OVERDUE:
        reasons.append(Reason.OVERDUE)
    if figures.checkins_unanswered:
        reasons.append(Reason.CHECKINS_UNANSWERED)
    if figures.latest_rating is not None and figures.latest_rating <= LOW_RATING_AT_MOST:
        reasons.append(Reason.LOW_RATING)
    if child.pk in unpraised:
        reasons.append(Reason.NO_RECENT_PRAISE)
    if figures.review_overdue:
        reasons.append(Reason.REVIEW_OVERDUE)
    return FamilyRow(
        child=child,
        parents=[link.parent for link in child.family_links.all()],
        frequency=frequency,
        sendco_meetings_target=plan.sendco_meetings_target if plan else SENDCO_MEETINGS_A_YEAR,
        last_contact=last_contact,
        days_since=days_since,
        status=status,
        sendco_meetings=figures.sendco_meetings,
        logged_this_half_term=figures.logged_this_half_term,
        heard_from_school=figures.heard_from_school,
        reasons=reasons,
    )


def _closer_first(row: FamilyRow) -> tuple:
    # A family who asked for a call comes first, then the most reasons, then the longest
    # since anyone was in touch (never is longest of all).
    never = row.days_since is None
    return (
        Reason.WANTS_CALL not in row.reasons,
        -len(row.reasons),
        not never,
        -(row.days_since or 0),
        row.child.last_name,
        row.child.first_name,
        row.child.pk,
    )


def _perception_gap(rows: list[FamilyRow]) -> PerceptionGap:
    answering = [row for row in rows if row.heard_from_school in BAND_RANGES]
    order = list(Gap)
    answering.sort(key=lambda row: (order.index(row.gap), -row.logged_this_half_term))
    if not answering:
        return PerceptionGap([], len(rows), None, None, "")
    hearing_less = sum(1 for row in answering if row.gap == Gap.FEWER)
    bands = sorted(BANDS_IN_ORDER.index(row.heard_from_school) for row in answering)
    return PerceptionGap(
        rows=answering,
        not_answered=len(rows) - len(answering),
        hearing_less_percent=round(100 * hearing_less / len(answering)),
        median_logged=statistics.median(row.logged_this_half_term for row in answering),
        median_band=BANDS_IN_ORDER[statistics.median_low(bands)],
    )


def school_radar(
    school: School, *, today: datetime.date | None = None, only: Collection[int] | None = None
) -> Radar:
    """Every family at the school as of `today` (the school's own date by default), or
    only the families of the children in `only` (a parent's booking page needs to know
    about their own child, not the whole school)."""
    today = today or school_today(school)
    zone = ZoneInfo(school.time_zone)
    unpraised = no_recent_praise(school=school, today=today)
    children = list(_children(school, only))
    figures = _figures_of(school, today, [child.pk for child in children], only=only is not None)
    rows = [_row(child, figures[child.pk], today, zone, unpraised) for child in children]
    counts = {status.value: 0 for status in Status}
    for row in rows:
        counts[row.status] += 1
    closer = sorted((row for row in rows if row.reasons), key=_closer_first)
    return Radar(
        today=today,
        rows=rows,
        counts=counts,
        closer_contact=closer,
        perception_gap=_perception_gap(rows),
    )
