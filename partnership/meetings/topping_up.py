"""Slot patterns kept topped up for the weeks ahead (by the scheduled tick).

Each tick publishes, for every active pattern, the slots of the days that have come into
its window since the last run (a new week ahead appears each day). The top-up makes
nothing twice, so a missed or repeated tick is harmless.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from partnership.notifications.schedule import scheduled_job

from .models import SlotPattern
from .services.slots import slots_top_up


def patterns_to_top_up(now: datetime):
    # The school's zone decides "today"; a pattern past its end date has nothing to add.
    return (
        SlotPattern.objects.filter(is_active=True, host__is_active=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=now.date() - timedelta(days=1)))
        .select_related("school", "host", "created_by")
        .order_by("pk")
    )


@scheduled_job("slot-patterns")
def job(now: datetime) -> int:
    """Top up every active pattern. Sends no email, so it reports 0 messages written."""
    for pattern in patterns_to_top_up(now):
        today = now.astimezone(ZoneInfo(pattern.school.time_zone)).date()
        slots_top_up(pattern=pattern, today=today, now=now)
    return 0
