"""The SENDCo's contact radar for one school: every family against its contact plan, the
families who need closer contact and why, and how often school logged contact beside how
often parents say they heard from school (the perception gap).

A family is a child: siblings are separate rows that show the same parents. Everything is
read in three queries whatever the number of families: the children with their figures
aggregated in SQL, their parents, and the children with no praise lately.
"""

import datetime
import statistics
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, Subquery, TextChoices
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


def _family_checkins(school: School, today: datetime.date, child_ref: OuterRef):
    """Check-ins from this school to any parent linked to the child: a family answers
    when any of its parents does."""
    return CheckIn.objects.filter(
        school=school, parent__family_links__child=child_ref, week_of__lte=today
    )


def _second_latest_week(school: School, today: datetime.date, child_ref: OuterRef) -> Subquery:
    return Subquery(
        _family_checkins(school, today, child_ref)
        .order_by("-week_of")
        .values("week_of")
        .distinct()[1:2]
    )


def _children_with_figures(school: School, today: datetime.date):
    zone = ZoneInfo(school.time_zone)
    tomorrow = _start_of(today + datetime.timedelta(days=1), zone)
    half_term = _start_of(today - datetime.timedelta(days=HALF_TERM_DAYS - 1), zone)
    rating_window = _start_of(today - datetime.timedelta(days=LOW_RATING_WITHIN_DAYS - 1), zone)
    year = _start_of(school_year_start(today), zone)
    before_tomorrow = Q(contact_entries__happened_at__lt=tomorrow)
    checkins = _family_checkins(school, today, OuterRef("pk"))
    answered = {"answered_at__isnull": False, "answered_at__lt": tomorrow}
    return (
        Child.objects.filter(school=school)
        .on_roll()
        .select_related("contact_plan")
        .prefetch_related(
            Prefetch(
                "family_links",
                queryset=FamilyLink.objects.select_related("parent").order_by("pk"),
            )
        )
        .annotate(
            # A family answering the automated check-in is not school getting in touch:
            # it must not make an overdue family look on track.
            last_contact_at=Max(
                "contact_entries__happened_at",
                filter=before_tomorrow & ~Q(contact_entries__channel=Channel.CHECK_IN),
            ),
            sendco_meetings=Count(
                "contact_entries",
                filter=before_tomorrow
                & Q(
                    contact_entries__is_sendco_meeting=True,
                    contact_entries__happened_at__gte=year,
                ),
            ),
            # What school did to be in touch: the family's own check-in answers are not
            # hearing from school.
            logged_this_half_term=Count(
                "contact_entries",
                filter=before_tomorrow
                & Q(contact_entries__happened_at__gte=half_term)
                & ~Q(contact_entries__channel=Channel.CHECK_IN),
            ),
            wants_call=Exists(checkins.filter(wants_call=True, call_done_at__isnull=True)),
            latest_rating=Subquery(
                checkins.filter(rating__isnull=False, answered_at__gte=rating_window, **answered)
                .order_by("-answered_at", "-pk")
                .values("rating")[:1]
            ),
            # The family's last two check-in weeks, and whether anyone answered in them.
            second_latest_week=_second_latest_week(school, today, OuterRef("pk")),
            answered_lately=Exists(
                checkins.filter(
                    week_of__gte=_second_latest_week(school, today, OuterRef(OuterRef("pk"))),
                    **answered,
                )
            ),
            heard_from_school=Subquery(
                checkins.filter(answered_at__gte=half_term, **answered)
                .exclude(heard_from_school="")
                .order_by("-answered_at", "-pk")
                .values("heard_from_school")[:1]
            ),
            review_overdue=Exists(
                PlanCycle.objects.filter(
                    child=OuterRef("pk"), status=PlanCycle.Status.OPEN, review_on__lt=today
                )
            ),
        )
        .order_by("last_name", "first_name", "pk")
    )


def _row(child: Child, today: datetime.date, zone: ZoneInfo, unpraised: set[int]) -> FamilyRow:
    plan = getattr(child, "contact_plan", None)
    frequency = plan.frequency if plan else DEFAULT_FREQUENCY
    last = child.last_contact_at
    last_contact = timezone.localtime(last, zone).date() if last else None
    days_since = (today - last_contact).days if last_contact else None
    status = contact_status(frequency, days_since)
    reasons = []
    if child.wants_call:
        reasons.append(Reason.WANTS_CALL)
    if status == Status.OVERDUE:
        reasons.append(Reason.OVERDUE)
    if child.second_latest_week is not None and not child.answered_lately:
        reasons.append(Reason.CHECKINS_UNANSWERED)
    if child.latest_rating is not None and child.latest_rating <= LOW_RATING_AT_MOST:
        reasons.append(Reason.LOW_RATING)
    if child.pk in unpraised:
        reasons.append(Reason.NO_RECENT_PRAISE)
    if child.review_overdue:
        reasons.append(Reason.REVIEW_OVERDUE)
    return FamilyRow(
        child=child,
        parents=[link.parent for link in child.family_links.all()],
        frequency=frequency,
        sendco_meetings_target=plan.sendco_meetings_target if plan else SENDCO_MEETINGS_A_YEAR,
        last_contact=last_contact,
        days_since=days_since,
        status=status,
        sendco_meetings=child.sendco_meetings,
        logged_this_half_term=child.logged_this_half_term,
        heard_from_school=child.heard_from_school or "",
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


def school_radar(school: School, *, today: datetime.date | None = None) -> Radar:
    """Every family at the school as of `today` (the school's own date by default)."""
    today = today or school_today(school)
    zone = ZoneInfo(school.time_zone)
    unpraised = no_recent_praise(school=school, today=today)
    rows = [_row(child, today, zone, unpraised) for child in _children_with_figures(school, today)]
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
