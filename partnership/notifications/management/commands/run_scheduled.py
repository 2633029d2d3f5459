"""Run the scheduled jobs as of a given time, then deliver what is due in this process.

For operators catching up after an outage (beat or the worker stopped) and for tests.
Running it twice for the same time is harmless: jobs write under unique keys, and every
send is claimed first.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from partnership.notifications import schedule, services
from partnership.notifications.models import OutboxMessage


def parse_at(value: str) -> datetime:
    """An ISO 8601 time; without an offset it is wall-clock time in settings.TIME_ZONE."""
    try:
        at = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            f"--at must be an ISO 8601 time such as 2026-11-27T15:00, not {value!r}"
        ) from exc
    if timezone.is_aware(at):
        return at
    zone = ZoneInfo(settings.TIME_ZONE)
    # When the clocks change, a wall-clock time in the skipped or repeated hour names no
    # single instant; guessing could run a week's jobs an hour off, so ask for an offset.
    if at.replace(tzinfo=zone, fold=0).utcoffset() != at.replace(tzinfo=zone, fold=1).utcoffset():
        raise CommandError(
            f"--at {value} is skipped or repeated in {zone.key} when the clocks change; "
            "give an offset, e.g. 2026-10-25T01:30+01:00"
        )
    return at.replace(tzinfo=zone)


def failed_count() -> int:
    return OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count()


class Command(BaseCommand):
    help = (
        "Run every scheduled job as of --at (default: now), then send every outbox "
        "message that is due, in this process."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--at",
            help=f"ISO 8601 time, e.g. 2026-11-27T15:00 (read in {settings.TIME_ZONE} "
            "without an offset)",
        )

    def handle(self, *args: object, at: str | None = None, **options: object) -> None:
        now = parse_at(at) if at else timezone.now()
        local = timezone.localtime(now, ZoneInfo(settings.TIME_ZONE))
        self.stdout.write(f"Scheduled jobs as of {local:%Y-%m-%d %H:%M %Z}:")

        written = schedule.tick(now=now)
        requeued = written.pop("requeued", 0)
        for name, count in written.items():
            status = "FAILED, see the log" if count < 0 else f"wrote {count}"
            self.stdout.write(f"  {name}: {status}")
        if not written:
            self.stdout.write("  no jobs are registered")
        self.stdout.write(f"Rang the worker for {requeued} unsent messages.")

        # Whether a row is due to send depends on the real clock (claims, back-off), not on
        # the time the jobs were run as of: a catch-up for last Friday still sends today.
        failed_before = failed_count()
        sent = services.messages_deliver_due(now=timezone.now())
        failed = failed_count() - failed_before
        waiting = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count()
        self.stdout.write(
            f"Sent {sent}, failed {failed}; {waiting} waiting to send (retried later)."
        )
