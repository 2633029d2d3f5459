"""Emails to parents go out only inside the school's sending hours; outside them they wait.

An outbox row's next_attempt_at doubles as "not before": a message written at 22:00 is
claimable from the next morning's opening time, in the school's own time zone.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone


def sending_opens(school, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """None if a parent may be emailed now; otherwise the moment the window next opens."""
    now = now or timezone.now()
    zone = ZoneInfo(school.time_zone)
    local = now.astimezone(zone)
    start, end = school.sending_from, school.sending_until
    if start <= local.time() < end:
        return None
    day = local.date() if local.time() < start else local.date() + datetime.timedelta(days=1)
    # Built from the local wall-clock time, so a daylight-saving change lands on 08:00 too.
    return datetime.datetime.combine(day, start, tzinfo=zone).astimezone(datetime.UTC)
