"""Each member of staff's choice about the end-of-day praise nudge."""

from django.db import transaction
from django.utils.translation import gettext as _

from partnership.accounts.models import User
from partnership.schools.models import STAFF_ROLES, Membership

from ..models import PraiseReminder
from . import Refused


class ReminderRefused(Refused):
    pass


def praise_reminder_is_on(*, user: User) -> bool:
    """Whether the nudge is on for this person; with no row yet, it is."""
    chosen = PraiseReminder.objects.filter(user=user).values_list("daily_nudge", flat=True)
    return next(iter(chosen), True)


@transaction.atomic
def praise_reminder_set(*, user: User, daily_nudge: bool) -> PraiseReminder:
    # Only staff are ever nudged, so only staff have a choice to keep.
    if not Membership.objects.active().filter(user=user, role__in=STAFF_ROLES).exists():
        raise ReminderRefused(_("Only school staff get the praise reminder."))
    reminder, _created = PraiseReminder.objects.update_or_create(
        user=user, defaults={"daily_nudge": daily_nudge}
    )
    return reminder
