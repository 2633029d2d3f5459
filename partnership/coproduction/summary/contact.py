"""Contact: how often school is in touch with each family, against the Code of Practice's
three a year and against the family's own contact plan, and how parents see it (P2).

Contacts are ContactEntry rows school logged, about the child, in the period so far; a
parent's answer to the automated weekly check-in is not school getting in touch.
"""

import math
import statistics
from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from partnership.contact.models import FREQUENCY_DAYS, Frequency
from partnership.contact.radar import BAND_RANGES, Gap, gap_of

from .families import Family
from .measures import PERCENT, Measure, share, splits
from .shape import Period, Section

HALF_TERM_WEEKS = 7
CODE_OF_PRACTICE_A_YEAR = 3
DAYS_A_YEAR = 365


def half_terms(so_far: Period) -> float:
    return so_far.weeks / HALF_TERM_WEEKS


def three_a_year_pro_rata(so_far: Period) -> float:
    """Three a year, in proportion to the days of the period so far (a whole year asks
    three, the autumn term about one)."""
    return CODE_OF_PRACTICE_A_YEAR * so_far.days / DAYS_A_YEAR


def plan_asks(frequency: str, so_far: Period) -> int:
    """Contacts the family's plan asks for in the period so far, rounded down: a weekly
    plan over 17 and a half weeks asks 17."""
    return math.floor(so_far.days / FREQUENCY_DAYS[Frequency(frequency)])


def contact_measures(so_far: Period) -> list[Measure]:
    per_half_term = half_terms(so_far)
    baseline = three_a_year_pro_rata(so_far)

    def median(families: Sequence[Family]) -> tuple[float | None, int]:
        if not families or not per_half_term:
            return None, len(families)
        rates = [family.contacts / per_half_term for family in families]
        return round(statistics.median(rates), 2), len(families)

    def three_a_year(families: Sequence[Family]) -> tuple[float | None, int]:
        # A little slack so that 3 x 122/365 = 1.0027 asks one contact, not two.
        met = sum(1 for family in families if family.contacts >= baseline - 1e-9)
        return share(met, len(families)), len(families)

    def on_plan(families: Sequence[Family]) -> tuple[float | None, int]:
        met = sum(
            1 for family in families if family.contacts >= plan_asks(family.frequency, so_far)
        )
        return share(met, len(families)), len(families)

    return [
        Measure(
            "contact.median_per_half_term",
            _("Contacts per family per half-term (median)"),
            median,
            compare=_(
                "Three a year is 0.5 a half-term. Contacts school logged about each child, "
                "divided by the seven-week half-terms in the period so far; the middle family."
            ),
            decimals=1,
        ),
        Measure(
            "contact.three_a_year_share",
            _("Families contacted at least three times a year (pro rata)"),
            three_a_year,
            unit=PERCENT,
            compare=_(
                "The Code of Practice's floor: three contacts a year, in proportion to the "
                "part of the year the period covers so far."
            ),
        ),
        Measure(
            "contact.on_plan_share",
            _("Families on track with their own contact plan"),
            on_plan,
            unit=PERCENT,
            compare=_(
                "Contacts logged in the period at least what the family's plan asks for in "
                "that many weeks, rounded down (every two weeks when there is no plan)."
            ),
        ),
    ]


def gap_measures() -> list[Measure]:
    def gap_share(gap: Gap):
        def compute(families: Sequence[Family]) -> tuple[float | None, int]:
            answering = [family for family in families if family.heard_band in BAND_RANGES]
            same = sum(
                1
                for family in answering
                if gap_of(family.logged_before_heard, family.heard_band) == gap
            )
            return share(same, len(answering)), len(answering)

        return compute

    explain = _(
        'Of the families who answered "how often have you heard from school this '
        'half-term?" in a check-in in the period (their latest answer), set beside the '
        "contacts school logged in the seven weeks before that answer."
    )
    return [
        Measure(
            "contact.gap_fewer_share",
            _("Parents who say they heard from school less than school logged"),
            gap_share(Gap.FEWER),
            unit=PERCENT,
            compare=explain,
        ),
        Measure(
            "contact.gap_same_share",
            _("Parents whose answer matches what school logged"),
            gap_share(Gap.SAME),
            unit=PERCENT,
            compare=explain,
        ),
        Measure(
            "contact.gap_more_share",
            _("Parents who say they heard from school more than school logged"),
            gap_share(Gap.MORE),
            unit=PERCENT,
            compare=explain,
        ),
    ]


def contact_section(families: Sequence[Family], so_far: Period) -> Section:
    contact = contact_measures(so_far)
    gaps = gap_measures()
    # Splitting all three perception-gap shares would say the same thing three times; the
    # share hearing less is the one governors act on.
    return Section(
        key="contact",
        title=str(_("Contact with families")),
        figures=[measure.of(families) for measure in contact + gaps],
        splits=splits([*contact, gaps[0]], families),
    )
