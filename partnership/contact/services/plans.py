"""Each family's contact plan: how often school and family agreed to be in touch, and how
many times a year they meet the SENDCo (P2)."""

from django.db import transaction
from django.utils.translation import gettext as _

from partnership.accounts.models import User
from partnership.schools.models import Child

from ..models import SENDCO_MEETINGS_A_YEAR, ContactPlan, Frequency
from . import Refused

# Enough for a meeting every week of the school year; more is a typing slip.
SENDCO_MEETINGS_MOST = 52


class ContactPlanRefused(Refused):
    """A contact plan rule was broken; the message is for the person who tried."""


@transaction.atomic
def contact_plan_set(
    *,
    child: Child,
    frequency: str,
    sendco_meetings_target: int,
    notes: str,
    by: User,
) -> ContactPlan:
    """Write the family's plan, creating it the first time.

    Six SENDCo meetings a year is the floor for every family, whatever the child's age:
    a plan may ask for more, never for less.
    """
    if frequency not in Frequency.values:
        raise ContactPlanRefused(_("Please choose how often you will be in touch."))
    if sendco_meetings_target < SENDCO_MEETINGS_A_YEAR:
        raise ContactPlanRefused(
            _(
                "Every family meets the SENDCo at least %(floor)s times a year; "
                "a plan can add meetings, not take them away."
            )
            % {"floor": SENDCO_MEETINGS_A_YEAR}
        )
    if sendco_meetings_target > SENDCO_MEETINGS_MOST:
        raise ContactPlanRefused(
            _("At most %(most)s meetings a year, one a week.") % {"most": SENDCO_MEETINGS_MOST}
        )
    plan, _created = ContactPlan.objects.update_or_create(
        child=child,
        defaults={
            "frequency": frequency,
            "sendco_meetings_target": sendco_meetings_target,
            "notes": notes.strip(),
            "updated_by": by,
        },
    )
    return plan
