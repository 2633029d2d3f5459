"""Parents' voice: the weekly check-in, what families see at home, and targets agreed with
parents (P4, P5)."""

import datetime
from collections.abc import Sequence

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from partnership.contact.models import CheckIn

from .families import Family
from .measures import PERCENT, Measure, figure, ratio, share, splits
from .scope import Scope, is_term
from .shape import Period, Section, Trend, TrendPoint, terms_of
from .suppression import checked_trend

HALVES = (_("1"), _("2"))
TERM_NAMES = {"autumn": _("Autumn"), "spring": _("Spring"), "summer": _("Summer")}


def weekly_checkins(scope: Scope, so_far: Period) -> dict[datetime.date, dict]:
    """Check-ins sent, answered and rated per week of the period so far, in one query."""
    rows = (
        CheckIn.objects.filter(
            school__in=scope.school_ids, week_of__gte=so_far.starts, week_of__lt=so_far.ends
        )
        .order_by()
        .values("week_of")
        .annotate(
            sent=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            rated=Count("pk", filter=Q(answered_at__isnull=False, rating__isnull=False)),
            rating_sum=Sum("rating", filter=Q(answered_at__isnull=False)),
        )
    )
    return {row["week_of"]: row for row in rows}


def half_terms_of(period: Period) -> list[tuple[str, datetime.date, datetime.date]]:
    """A school year's six half-terms. The portal holds no term dates, so each term is
    cut in two at its middle day."""

    result = []
    for term in terms_of(period.starts.year):
        middle = term.starts + datetime.timedelta(days=term.days // 2)
        name = TERM_NAMES[term.key.rsplit("-", 1)[-1]]
        result.append((f"{name} {HALVES[0]}", term.starts, middle))
        result.append((f"{name} {HALVES[1]}", middle, term.ends))
    return result


def weeks_of(so_far: Period) -> list[tuple[str, datetime.date, datetime.date]]:
    first = so_far.starts - datetime.timedelta(days=so_far.starts.weekday())
    buckets = []
    monday = first
    while monday < so_far.ends:
        label = _("Week of %(day)s") % {"day": f"{monday.day} {monday:%b}"}
        buckets.append((str(label), monday, monday + datetime.timedelta(days=7)))
        monday += datetime.timedelta(days=7)
    return buckets


def ratings_trend(period: Period, so_far: Period, weeks: dict[datetime.date, dict]) -> Trend:
    """Mean rating (1 to 5) per half-term of a school year, or per week of a term; each
    point built on fewer than five answers is suppressed, with its neighbours as needed."""
    is_year = not is_term(period)
    buckets = half_terms_of(period) if is_year else weeks_of(so_far)
    points = []
    for label, starts, ends in buckets:
        if starts >= so_far.ends:
            break
        rows = [row for week, row in weeks.items() if starts <= week < ends]
        rated = sum(row["rated"] for row in rows)
        total = sum(row["rating_sum"] or 0 for row in rows)
        points.append(
            TrendPoint(
                label=str(label),
                figure=figure(
                    "voice.mean_rating",
                    _("Mean check-in rating"),
                    ratio(total, rated, 1),
                    rated,
                    compare=_("Out of 5, from parents' answers."),
                ),
            )
        )
    title = (
        _("How parents rated their week, by half-term")
        if is_year
        else _("How parents rated their week, week by week")
    )
    return checked_trend(Trend(title=str(title), points=points))


def family_measures() -> list[Measure]:
    def response_rate(families: Sequence[Family]) -> tuple[float | None, int]:
        asked = [family for family in families if family.checkins_sent]
        answered = sum(family.checkins_answered for family in asked)
        return share(answered, sum(family.checkins_sent for family in asked)), len(asked)

    def observations(families: Sequence[Family]) -> tuple[float | None, int]:
        total = sum(family.observations for family in families)
        return ratio(total, len(families), 1), len(families)

    return [
        Measure(
            "voice.checkin_response_rate_by_family",
            _("Check-ins answered, by the child's family"),
            response_rate,
            unit=PERCENT,
            compare=_(
                "Check-ins sent to the family's parents in the period that one of them "
                "answered (a parent of two children counts in both families)."
            ),
        ),
        Measure(
            "voice.observations_per_family",
            _("Home observations per family"),
            observations,
            compare=_("What parents told school they saw at home, in the period so far."),
        ),
    ]


def target_agreement(families: Sequence[Family]) -> tuple[float | None, int]:
    sharing = [family for family in families if family.targets_shared]
    agreed = sum(family.targets_agreed for family in sharing)
    return share(agreed, sum(family.targets_shared for family in sharing)), len(sharing)


def voice_section(
    scope: Scope, period: Period, so_far: Period, families: Sequence[Family]
) -> Section:
    weeks = weekly_checkins(scope, so_far)
    sent = sum(row["sent"] for row in weeks.values())
    answered = sum(row["answered"] for row in weeks.values())
    rated = sum(row["rated"] for row in weeks.values())
    rating_sum = sum(row["rating_sum"] or 0 for row in weeks.values())
    by_family = family_measures()
    agreement = Measure(
        "voice.targets_agreed_share",
        _("Targets agreed with parents"),
        target_agreement,
        unit=PERCENT,
        compare=_(
            "Of targets shared with families by the end of the period, in a plan that was "
            "current during it, those a parent has agreed."
        ),
    )
    return Section(
        key="voice",
        title=str(_("Parents' voice")),
        figures=[
            figure(
                "voice.checkin_response_rate",
                _("Weekly check-ins answered"),
                share(answered, sent),
                sent,
                unit=PERCENT,
                compare=_("Of the check-ins sent for weeks in the period."),
            ),
            figure(
                "voice.mean_rating",
                _("Mean check-in rating"),
                ratio(rating_sum, rated, 1),
                rated,
                compare=_("Out of 5, from parents' answers in the period."),
            ),
            *(measure.of(families) for measure in by_family),
            agreement.of(families),
        ],
        splits=splits(by_family, families),
        trends=[ratings_trend(period, so_far, weeks)],
    )
