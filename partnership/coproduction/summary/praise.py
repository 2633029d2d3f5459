"""Praise (P8): how much praise children get, and who has had none lately."""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from .families import FORTNIGHT_DAYS, Family
from .measures import PERCENT, Measure, ratio, share, splits
from .shape import Period, Section


def praise_measures(so_far: Period, *, praising: bool = True) -> list[Measure]:
    """`praising`: whether anyone in scope was praised in the last fortnight. If nobody
    was (the holidays, or a school not started), "no praise" says nothing about any child
    being missed, so those figures read "none yet", as on the SENDCo's radar."""
    weeks = so_far.weeks

    def per_week(families: Sequence[Family]) -> tuple[float | None, int]:
        total = sum(family.praise for family in families)
        return ratio(total, len(families) * weeks), len(families)

    def unpraised(families: Sequence[Family]) -> tuple[float | None, int]:
        if not praising:
            return None, len(families)
        return sum(1 for family in families if not family.praise_last_fortnight), len(families)

    def unpraised_share(families: Sequence[Family]) -> tuple[float | None, int]:
        count, base = unpraised(families)
        return (None if count is None else share(int(count), base)), base

    fortnight = _("Children given no praise in the last %(days)s days of the period (so far).") % {
        "days": FORTNIGHT_DAYS
    }
    return [
        Measure(
            "praise.per_child_per_week",
            _("Praise per child per week"),
            per_week,
            compare=_("Praise logged by any adult, over the weeks of the period so far."),
            decimals=1,
        ),
        Measure(
            "praise.none_in_fortnight",
            _("Children with no praise in the last fortnight"),
            unpraised,
            compare=fortnight,
            decimals=0,
        ),
        Measure(
            "praise.none_in_fortnight_share",
            _("Share of children with no praise in the last fortnight"),
            unpraised_share,
            unit=PERCENT,
            compare=fortnight,
        ),
    ]


def praise_section(families: Sequence[Family], so_far: Period) -> Section:
    praising = any(family.praise_last_fortnight for family in families)
    measures = praise_measures(so_far, praising=praising)
    per_week, _count, unpraised_share = measures
    # The count and the share say the same thing; the share is split, as groups differ
    # in size.
    return Section(
        key="praise",
        title=str(_("Praise")),
        figures=[measure.of(families) for measure in measures],
        splits=splits([per_week, unpraised_share], families),
    )
