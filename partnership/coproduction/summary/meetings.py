"""Meetings: six SENDCo meetings a year for every family, as a mix of one-to-one meetings
and group sessions (P2, P3)."""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from partnership.contact.models import SENDCO_MEETINGS_A_YEAR
from partnership.meetings.models import Booking
from partnership.schools.models import Role

from .families import Family
from .measures import PERCENT, Measure, count_figure, figure, share, splits
from .scope import Scope, is_term, window
from .sessions import TopicSessions
from .shape import Period, Section

# A school year has three terms: six a year is two a term.
TERMS_A_YEAR = 3


def meetings_needed(period: Period) -> int:
    """Six for a school year, two for a term."""
    return SENDCO_MEETINGS_A_YEAR // TERMS_A_YEAR if is_term(period) else SENDCO_MEETINGS_A_YEAR


def six_a_year_measure(period: Period) -> Measure:
    needed = meetings_needed(period)

    def compute(families: Sequence[Family]) -> tuple[float | None, int]:
        met = sum(1 for family in families if family.sendco_meetings >= needed)
        return share(met, len(families)), len(families)

    return Measure(
        "meetings.six_a_year_share",
        _("Families with at least %(n)s SENDCo meetings") % {"n": needed},
        compute,
        unit=PERCENT,
        compare=_(
            "Six a year is two a term. Meetings with the SENDCo logged about the child "
            "(in person, video or home visit) in the period so far."
        ),
    )


def meetings_section(
    scope: Scope,
    period: Period,
    so_far: Period,
    families: Sequence[Family],
    sessions: dict[str, TopicSessions],
) -> Section:
    six = six_a_year_measure(period)
    one_to_one = Booking.objects.filter(
        window(scope, "slot__starts_at", so_far.starts, so_far.ends, school_path="slot__school"),
        slot__school__in=scope.school_ids,
        slot__host__role=Role.SENDCO,
        status=Booking.Status.HELD,
    ).count()
    held = sum(topic.held for topic in sessions.values())
    places = {
        "confirmed": sum(topic.confirmed for topic in sessions.values()),
        "attended": sum(topic.attended for topic in sessions.values()),
    }
    return Section(
        key="meetings",
        title=str(_("Meetings with the SENDCo")),
        figures=[
            six.of(families),
            figure(
                "meetings.one_to_one",
                _("One-to-one meetings with the SENDCo held"),
                one_to_one,
                one_to_one,
                decimals=0,
                compare=_("Booked meetings with a SENDCo marked as held."),
            ),
            figure(
                "meetings.group_attended",
                _("Places taken up at group sessions"),
                places["attended"],
                places["attended"],
                decimals=0,
                compare=_("Parents marked as attending a coffee morning or workshop."),
            ),
            count_figure(
                "meetings.sessions_held",
                _("Group sessions held"),
                held,
                compare=str(_("Coffee mornings and workshops that took place (not cancelled).")),
            ),
            figure(
                "meetings.attendance_rate",
                _("Attendance at group sessions"),
                share(places["attended"], places["confirmed"]),
                places["confirmed"],
                unit=PERCENT,
                compare=_("Parents who attended, of the places confirmed at sessions held."),
            ),
        ],
        splits=splits([six], families),
    )
