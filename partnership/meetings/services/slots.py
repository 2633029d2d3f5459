"""Publishing availability: weekly slot patterns, one-off slots, withdrawing them (P7).

Times are built from the school's local date and wall-clock time and only then stored,
so a 09:00 pattern stays at 09:00 in the school's time zone across the clock changes.
Overlaps are guarded twice: a lock on the host's Membership row serialises every write to
one person's diary (the check-then-insert is safe on SQLite), and on PostgreSQL an
exclusion constraint refuses overlapping live slots whatever the code does.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partnership.accounts.models import User
from partnership.schools.models import STAFF_ROLES, Membership, School

from ..models import Booking, Mode, Slot, SlotPattern
from . import Refused

MIN_MINUTES, MAX_MINUTES = 5, 180
MAX_SLOTS_A_DAY = 20
MAX_BUFFER = 60
MAX_WEEKS_AHEAD = 26
# A booking that is not cancelled keeps its slot in the diary.
LIVE_BOOKING = (Booking.Status.BOOKED, Booking.Status.HELD, Booking.Status.MISSED)


class SlotRefused(Refused):
    """A rule about publishing or withdrawing slots was broken."""


@dataclass(frozen=True)
class Published:
    """What a pattern run made: slots made, and times skipped because they clash."""

    pattern: SlotPattern
    made: int
    skipped: int


def _lock_host(host: Membership) -> Membership:
    # Every write to one person's diary takes this lock first, so two tabs publishing at
    # once cannot both pass the overlap check.
    return Membership.objects.select_for_update().get(pk=host.pk)


def _check_host(school: School, host: Membership) -> None:
    if host.school_id != school.pk or host.role not in STAFF_ROLES or not host.is_active:
        raise SlotRefused(_("Slots can only be published for staff at this school."))


def _check_where(mode: str, location: str, video_link: str) -> None:
    if mode not in Mode.values:
        raise SlotRefused(_("Choose how you will meet: in person, by phone or by video."))
    if mode == Mode.VIDEO and not video_link:
        raise SlotRefused(_("Add the video link families will use to join."))
    if mode == Mode.IN_PERSON and not location.strip():
        raise SlotRefused(_("Say where you will meet, for example “the SENDCo's office”."))


def _check_minutes(minutes: int) -> None:
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise SlotRefused(
            _("A meeting lasts between %(low)s and %(high)s minutes.")
            % {"low": MIN_MINUTES, "high": MAX_MINUTES}
        )


def _priority_until(school: School, now: datetime.datetime) -> datetime.datetime | None:
    if not school.priority_booking_days:
        return None
    return now + datetime.timedelta(days=school.priority_booking_days)


def local_time(school: School, when: datetime.datetime) -> str:
    return date_format(timezone.localtime(when, ZoneInfo(school.time_zone)), "l j F, H:i")


def _clash(host: Membership, starts_at: datetime.datetime, ends_at: datetime.datetime):
    return (
        Slot.objects.filter(
            host=host, withdrawn_at__isnull=True, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .order_by("starts_at")
        .first()
    )


# --- weekly patterns -------------------------------------------------------------------


def pattern_day_times(
    pattern: SlotPattern, day: datetime.date, zone: ZoneInfo
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The (start, end) of each slot on one day, as aware datetimes in the school's zone.

    Each slot is placed by wall clock on that date and only then given its offset, so
    the first slot is at 09:00 local whether the clocks say GMT or BST that day.
    """
    first = datetime.datetime.combine(day, pattern.first_starts_at)
    step = datetime.timedelta(minutes=pattern.slot_minutes + pattern.buffer_minutes)
    length = datetime.timedelta(minutes=pattern.slot_minutes)
    times = []
    for n in range(pattern.slot_count):
        naive = first + step * n
        times.append((naive.replace(tzinfo=zone), (naive + length).replace(tzinfo=zone)))
    return times


def pattern_window(
    pattern: SlotPattern, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The dates (inclusive) the pattern should have slots on, as of `today`."""
    first = max(pattern.starts_on, today)
    last = today + datetime.timedelta(days=7 * pattern.weeks_ahead - 1)
    if pattern.ends_on is not None:
        last = min(last, pattern.ends_on)
    return first, last


def _publish(
    pattern: SlotPattern, *, today: datetime.date, now: datetime.datetime, by: User | None
) -> tuple[int, int]:
    """Make the pattern's missing slots up to its window; returns (made, skipped).

    Four queries however many weeks: the host lock, the host's slots in the window, the
    insert, and nothing else. A time the pattern made before and someone withdrew is not
    made again; a time that clashes with another live slot of the host is skipped.
    """
    school = pattern.school
    zone = ZoneInfo(school.time_zone)
    first, last = pattern_window(pattern, today)
    if first > last:
        return 0, 0
    wanted = []
    days = set(pattern.weekday_numbers)
    day = first
    while day <= last:
        if day.weekday() in days:
            wanted.extend(
                (starts.astimezone(datetime.UTC), ends.astimezone(datetime.UTC))
                for starts, ends in pattern_day_times(pattern, day, zone)
                if starts > now
            )
        day += datetime.timedelta(days=1)
    if not wanted:
        return 0, 0
    _lock_host(pattern.host)
    window_start, window_end = wanted[0][0], wanted[-1][1]
    existing = list(
        Slot.objects.filter(
            host=pattern.host_id, starts_at__lt=window_end, ends_at__gt=window_start
        )
        .filter(Q(withdrawn_at__isnull=True) | Q(pattern=pattern))
        .values_list("starts_at", "ends_at", "withdrawn_at", "pattern_id")
    )
    made_before = {starts for starts, _ends, _gone, pid in existing if pid == pattern.pk}
    live = [(starts, ends) for starts, ends, gone, _pid in existing if gone is None]
    new, skipped = [], 0
    priority_until = _priority_until(school, now)
    for starts, ends in wanted:
        if starts in made_before:
            continue
        if any(s < ends and e > starts for s, e in live):
            skipped += 1
            continue
        new.append(
            Slot(
                school=school,
                host_id=pattern.host_id,
                starts_at=starts,
                ends_at=ends,
                mode=pattern.mode,
                location=pattern.location,
                video_link=pattern.video_link,
                pattern=pattern,
                priority_until=priority_until,
                created_by=by,
                created_at=now,
            )
        )
    Slot.objects.bulk_create(new)
    return len(new), skipped


def _check_pattern(
    *,
    weekdays: list[int],
    first_starts_at: datetime.time,
    slot_minutes: int,
    slot_count: int,
    buffer_minutes: int,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    weeks_ahead: int,
    today: datetime.date,
) -> None:
    if not weekdays or any(day not in range(7) for day in weekdays):
        raise SlotRefused(_("Choose at least one day of the week."))
    _check_minutes(slot_minutes)
    if not 1 <= slot_count <= MAX_SLOTS_A_DAY:
        raise SlotRefused(
            _("Offer between 1 and %(max)s meetings a day.") % {"max": MAX_SLOTS_A_DAY}
        )
    if not 0 <= buffer_minutes <= MAX_BUFFER:
        raise SlotRefused(
            _("The time between meetings is at most %(max)s minutes.") % {"max": MAX_BUFFER}
        )
    if not 1 <= weeks_ahead <= MAX_WEEKS_AHEAD:
        raise SlotRefused(
            _("Keep between 1 and %(max)s weeks open ahead.") % {"max": MAX_WEEKS_AHEAD}
        )
    start = datetime.datetime.combine(today, first_starts_at)
    day_ends = start + datetime.timedelta(
        minutes=slot_count * slot_minutes + (slot_count - 1) * buffer_minutes
    )
    if day_ends.date() != today and day_ends.time() != datetime.time.min:
        raise SlotRefused(_("The last meeting of the day must end before midnight."))
    if ends_on is not None and ends_on < max(starts_on, today):
        raise SlotRefused(_("The “until” date must be after the “from” date and not passed."))


@transaction.atomic
def slot_pattern_create(
    *,
    school: School,
    host: Membership,
    by: User,
    weekdays: list[int],
    first_starts_at: datetime.time,
    slot_minutes: int,
    slot_count: int,
    buffer_minutes: int,
    mode: str,
    location: str = "",
    video_link: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    weeks_ahead: int = 6,
    now: datetime.datetime | None = None,
) -> Published:
    """Create a weekly pattern and publish its slots for the weeks ahead."""
    now = now or timezone.now()
    today = timezone.localtime(now, ZoneInfo(school.time_zone)).date()
    starts_on = starts_on or today
    weekdays = sorted(set(weekdays))
    _check_host(school, host)
    _check_where(mode, location, video_link)
    _check_pattern(
        weekdays=weekdays,
        first_starts_at=first_starts_at,
        slot_minutes=slot_minutes,
        slot_count=slot_count,
        buffer_minutes=buffer_minutes,
        starts_on=starts_on,
        ends_on=ends_on,
        weeks_ahead=weeks_ahead,
        today=today,
    )
    pattern = SlotPattern.objects.create(
        school=school,
        host=host,
        weekdays=",".join(str(day) for day in weekdays),
        first_starts_at=first_starts_at,
        slot_minutes=slot_minutes,
        slot_count=slot_count,
        buffer_minutes=buffer_minutes,
        mode=mode,
        location=location.strip() if mode == Mode.IN_PERSON else "",
        video_link=video_link if mode == Mode.VIDEO else "",
        starts_on=starts_on,
        ends_on=ends_on,
        weeks_ahead=weeks_ahead,
        created_by=by,
        created_at=now,
    )
    made, skipped = _publish(pattern, today=today, now=now, by=by)
    return Published(pattern=pattern, made=made, skipped=skipped)


@transaction.atomic
def slots_top_up(
    *, pattern: SlotPattern, today: datetime.date, now: datetime.datetime | None = None
) -> int:
    """Publish the pattern's slots for the weeks that have come into its window; returns
    how many were made. Running it twice makes nothing the second time."""
    if not pattern.is_active:
        return 0
    now = now or timezone.now()
    made, _skipped = _publish(pattern, today=today, now=now, by=pattern.created_by)
    return made


@transaction.atomic
def slot_pattern_stop(*, pattern: SlotPattern, by: User, withdraw_open: bool = False) -> int:
    """Stop a pattern making new slots. With `withdraw_open`, its future slots that nobody
    has booked are withdrawn too (booked ones stay: those families are expecting them).
    Returns how many slots were withdrawn."""
    SlotPattern.objects.filter(pk=pattern.pk).update(is_active=False)
    pattern.is_active = False
    if not withdraw_open:
        return 0
    now = timezone.now()
    _lock_host(pattern.host)
    return (
        Slot.objects.filter(pattern=pattern, withdrawn_at__isnull=True, starts_at__gt=now)
        .exclude(bookings__status__in=LIVE_BOOKING)
        .update(withdrawn_at=now, withdrawn_by=by)
    )


# --- one-off slots ---------------------------------------------------------------------


@transaction.atomic
def slot_create(
    *,
    school: School,
    host: Membership,
    by: User,
    starts_at: datetime.datetime,
    minutes: int,
    mode: str,
    location: str = "",
    video_link: str = "",
) -> Slot:
    """Publish one slot, refused if it overlaps another live slot of the same person."""
    now = timezone.now()
    _check_host(school, host)
    _check_where(mode, location, video_link)
    _check_minutes(minutes)
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be aware")
    if starts_at <= now:
        raise SlotRefused(_("That time has already passed. Choose a time in the future."))
    ends_at = starts_at + datetime.timedelta(minutes=minutes)
    _lock_host(host)
    clash = _clash(host, starts_at, ends_at)
    if clash is not None:
        raise SlotRefused(_overlap_message(school, clash.starts_at))
    slot = Slot(
        school=school,
        host=host,
        starts_at=starts_at,
        ends_at=ends_at,
        mode=mode,
        location=location.strip() if mode == Mode.IN_PERSON else "",
        video_link=video_link if mode == Mode.VIDEO else "",
        priority_until=_priority_until(school, now),
        created_by=by,
        created_at=now,
    )
    try:
        # On PostgreSQL the exclusion constraint is the last word, whatever raced past
        # the check above; a savepoint keeps the transaction usable for the refusal.
        with transaction.atomic():
            slot.save()
    except IntegrityError:
        raise SlotRefused(_overlap_message(school, None)) from None
    return slot


def _overlap_message(school: School, other: datetime.datetime | None) -> str:
    if other is None:
        return _("This overlaps another slot in the same diary. Choose another time.")
    return _("This overlaps the slot at %(when)s in the same diary. Choose another time.") % {
        "when": local_time(school, other)
    }


@transaction.atomic
def slot_withdraw(*, slot: Slot, by: User) -> Slot:
    """Take an open slot out of the diary. A booked one needs its booking cancelled first,
    so the family is told; a meeting that happened stays on the record."""
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    if slot.withdrawn_at is not None:
        raise SlotRefused(_("This slot has already been withdrawn."))
    statuses = set(
        Booking.objects.filter(slot=slot, status__in=LIVE_BOOKING).values_list("status", flat=True)
    )
    if Booking.Status.BOOKED in statuses:
        raise SlotRefused(_("Cancel the booking first – the parent will be told."))
    if statuses:
        raise SlotRefused(_("This meeting has taken place, so it stays in the diary."))
    slot.withdrawn_at = timezone.now()
    slot.withdrawn_by = by
    slot.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return slot
