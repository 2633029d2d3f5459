"""The governors' summary for a school or a whole trust: the selectors governors read.

Every figure is an aggregate; nothing here returns a child, a name, a date of birth, free
text or an id. The number of queries is fixed whatever the amount of data:

- the children, and each family's latest perception-gap answer (gap.py),
- five grouped by child: contacts, praise, home observations, check-ins, targets,
- group sessions by topic with their places (for meetings and co-production alike),
- one-to-one bookings held, check-ins per week, consultations, support requests by topic;

twelve in all for a school, and one more for a trust (listing its schools).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.schools.models import School, Trust

from .contact import contact_section
from .coproduction import coproduction_section
from .families import families_in
from .measures import figure
from .meetings import meetings_section
from .praise import praise_section
from .scope import Scope, clipped, school_scope, scope_today, trust_scope
from .sessions import sessions_by_topic
from .shape import MINIMUM_BASE, Period, Summary
from .suppression import everything_suppressed
from .voice import voice_section


def summary_for(scope: Scope, period: Period, *, today: datetime.date | None = None) -> Summary:
    """The summary over the scope's schools for the period as it stands at `today` (the
    first school's own date by default): rates use the period so far."""
    today = today or scope_today(scope)
    now = timezone.now()
    so_far = clipped(period, today)
    families = families_in(scope, period, so_far)
    sessions = sessions_by_topic(scope, period, so_far, now)
    sections = [
        contact_section(families, so_far),
        meetings_section(scope, period, so_far, families, sessions),
        voice_section(scope, period, so_far, families),
        praise_section(families, so_far),
        coproduction_section(scope, so_far, sessions),
    ]
    if len(families) < MINIMUM_BASE:
        sections = everything_suppressed(sections)
    return Summary(
        scope=scope.name,
        period=period,
        families=figure(
            "families",
            _("Families"),
            len(families),
            len(families),
            decimals=0,
            compare=_("Children with SEND on the roll: each child is one family."),
        ),
        sections=sections,
        generated_at=now,
        schools=len(scope.school_ids),
    )


def school_summary(
    school: School, period: Period, *, today: datetime.date | None = None
) -> Summary:
    return summary_for(school_scope(school), period, today=today)


def trust_summary(trust: Trust, period: Period, *, today: datetime.date | None = None) -> Summary:
    """All the trust's schools together, as if they were one (not an average of schools)."""
    return summary_for(trust_scope(trust), period, today=today)
