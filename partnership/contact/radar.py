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

from django.db.models import Count, Max, Q, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.accounts.models import User
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
        children.on_roll().select_related("contact_plan").order_by("last_name", "first_name", "pk")
    )


def _parents_of(school: School, only: Collection[int] | None) -> dict[int, list[User]]:
    """Each child's parents and carers, in the order they were linked. Read by school and
    grouped here: a prefetch would send every child's id back to the database and build a
    link object a parent, twice the time for a school of 300 families."""
    links = FamilyLink.objects.select_related("parent").order_by("pk")
    links = links.filter(child__in=only) if only is not None else links.filter(child__school=school)
    parents: dict[int, list[User]] = {}
    for link in links:
        parents.setdefault(link.child_id, []).append(link.parent)
    return parents


def _contact_figures(
    school: School, today: datetime.date, figures: dict[int, _Figures], only: bool
) -> None:
    """Contact school logged, for each family. Only the school year so far (and at least
    LOOKBACK_DAYS) is read: every plan's "overdue" falls well inside it, so a longer silence
    changes nothing but the date shown, which is then read for those few families alone.

    Counted in SQL, one row a child: the school's entries in that window (by its index on
    school and time), each joined to the children it is about by entry id. That join is
    fast only while PostgreSQL looks the links up by index rather than reading the whole
    link table, which is why settings.py gives it the random_page_cost of an SSD.
    """
    zone = ZoneInfo(school.time_zone)
    tomorrow = _start_of(today + datetime.timedelta(days=1), zone)
    half_term = _start_of(today - datetime.timedelta(days=HALF_TERM_DAYS - 1), zone)
    year = _start_of(school_year_start(today), zone)
    since = min(year, _start_of(today - datetime.timedelta(days=LOOKBACK_DAYS), zone))
    links = ContactEntry.children.through.objects.filter(
        contactentry__school=school,
        contactentry__happened_at__gte=since,
        contactentry__happened_at__lt=tomorrow,
    )
    if only:  # a few families: start from their own links
        links = links.filter(child_id__in=list(figures))
    # A family answering the automated check-in is not school getting in touch: it must
    # not make an overdue family look on track, nor count as hearing from school.
    from_school = ~Q(contactentry__channel=Channel.CHECK_IN)
    counted = (
        links.order_by()
        .values("child_id")
        .annotate(
            last=Max("contactentry__happened_at", filter=from_school),
            meetings=Count(
                "pk",
                filter=Q(contactentry__is_sendco_meeting=True, contactentry__happened_at__gte=year),
            ),
            this_half_term=Count(
                "pk", filter=from_school & Q(contactentry__happened_at__gte=half_term)
            ),
        )
        .values_list("child_id", "last", "meetings", "this_half_term")
    )
    for child_id, last, meetings, this_half_term in counted:
        family = figures.get(child_id)
        if family is None:  # no longer on roll
            continue
        family.last_contact_at = last
        family.sendco_meetings = meetings
        family.logged_this_half_term = this_half_term
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


def _checkin_figures(
    school: School,
    today: datetime.date,
    figures: dict[int, _Figures],
    children_of: dict[int, list[int]],
    only: bool,
) -> None:
    """Check-ins from this school to any parent linked to the child: a family answers when
    any of its parents does (`children_of`: each parent's children). Only the last
    half-term's weeks are read (the last two weeks, the latest rating and "how often have
    you heard from school" all fall inside it), plus any call still waiting to be made,
    however old: a family whose check-ins stopped long ago is judged by contact alone."""
    zone = ZoneInfo(school.time_zone)
    tomorrow = _start_of(today + datetime.timedelta(days=1), zone)
    half_term = _start_of(today - datetime.timedelta(days=HALF_TERM_DAYS - 1), zone)
    rating_window = _start_of(today - datetime.timedelta(days=LOW_RATING_WITHIN_DAYS - 1), zone)
    window = today - datetime.timedelta(days=HALF_TERM_DAYS)
    checkins = CheckIn.objects.filter(school=school, week_of__lte=today).filter(
        Q(wants_call=True, call_done_at__isnull=True) | Q(week_of__gte=window)
    )
    if only:  # a few families: their parents' check-ins alone
        checkins = checkins.filter(parent_id__in=list(children_of))
    latest_rating: dict[int, tuple] = {}
    latest_heard: dict[int, tuple] = {}
    for (
        parent_id,
        week,
        answered_at,
        rating,
        heard,
        wants_call,
        call_done_at,
        pk,
    ) in checkins.order_by().values_list(
        "parent_id",
        "week_of",
        "answered_at",
        "rating",
        "heard_from_school",
        "wants_call",
        "call_done_at",
        "pk",
    ):
        for child_id in children_of.get(parent_id, ()):
            family = figures.get(child_id)
            if family is None:  # a sibling not asked about, or no longer on roll
                continue
            if wants_call and call_done_at is None:
                family.wants_call = True
            if week < window:
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
    school: School,
    today: datetime.date,
    child_ids: list[int],
    parents: dict[int, list[User]],
    *,
    only: bool,
) -> dict[int, _Figures]:
    """Each family's figures, read as a handful of queries over the whole school (grouped
    in SQL where a count will do) rather than as subqueries per family: with years of
    history, per-family subqueries cost a school of 300 families seconds."""
    figures = {pk: _Figures() for pk in child_ids}
    _contact_figures(school, today, figures, only)
    children_of: dict[int, list[int]] = {}
    for child_id, people in parents.items():
        for parent in people:
            children_of.setdefault(parent.pk, []).append(child_id)
    _checkin_figures(school, today, figures, children_of, only)
    overdue = PlanCycle.objects.filter(
        child__in=child_ids, status=PlanCycle.Status.OPEN, review_on__lt=today
    ).values_list("child", flat=True)
    for child_id in overdue:
        if child_id in figures:
            figures[child_id].review_overdue = True
    return figures


def _row(
    child: Child,
    parents: list[User],
    figures: _Figures,
    today: datetime.date,
    zone: ZoneInfo,
    unpraised: set[int],
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
        parents=parents,
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
    parents = _parents_of(school, only)
    child_ids = [child.pk for child in children]
    figures = _figures_of(school, today, child_ids, parents, only=only is not None)
    rows = [
        _row(child, parents.get(child.pk, []), figures[child.pk], today, zone, unpraised)
        for child in children
    ]
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
