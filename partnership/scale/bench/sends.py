"""The weekly sends at trust scale: the check-in and the praise digest for every family,
through a real Celery worker on Redis into a local SMTP sink.

The week's two jobs run in the worker, as beat's tick would run them, each as of its own
moment (see `trigger_moments`), both triggered at once. Measured: the wall time from
the trigger to the last message at the sink, messages per second, the worker's peak
memory (main process and pool children), duplicates at the sink, and what an immediate
second trigger sends (it must send nothing). Before measuring, the outbox rows those two
jobs write and the week's check-ins at the scale schools are deleted, nothing else, so a
run can be repeated.
"""

import contextlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from datetime import time as time_of_day
from pathlib import Path
from zoneinfo import ZoneInfo

import redis
from celery import Celery
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from partnership.contact.checkin_schedule import checkin_moment, week_due
from partnership.contact.models import CheckIn
from partnership.notifications.models import OutboxMessage
from partnership.notifications.quiet_hours import sending_opens
from partnership.praise.digest import digest_window, window_due
from partnership.schools.models import School

from .celery_worker import stop_worker, worker_environment
from .figures import Figure
from .procmem import PeakMemory
from .smtp_sink import CountingSink, smtp_sink

KINDS = ("checkin", "praise_digest")
TRIGGER_TASK = "partnership.notifications.tasks.scheduled_jobs_run"
DEFAULT_BROKER_DB = 5
TARGET_SECONDS = 120
TARGET_MB = 300


@dataclass(frozen=True)
class SendsResult:
    moments: dict[str, datetime]  # job name -> the time it was run as of
    deleted_outbox: int
    deleted_checkins: int
    written: int  # outbox rows of the week for the scale schools, after the trigger
    received: int  # messages at the sink
    duplicates: int
    wall_seconds: float
    peak_mb: float
    rerun_received: int
    rerun_written: int
    finished: bool  # every row sent before the timeout
    worker_cpu_seconds: float  # the worker's processes, trigger to last message
    sink_cpu_seconds: float  # this process: the SMTP sink and the polling


def scale_schools() -> list[School]:
    return list(School.objects.filter(slug__startswith="scale-").order_by("slug"))


def trigger_moments(schools: list[School], now: datetime) -> dict[str, datetime]:
    """When each job is run as of: the check-in of `now`'s week at its moment (Friday
    14:00 by default), and the latest digest whose moment has passed by `now`, at that
    moment (Saturday 09:30). The two seldom overlap (a check-in is due from Friday, the
    week's digest the next day), and the data set's week of praise is the one ending at
    the latest moment, so each job is run as of its own moment, both at the same time.
    """
    checkin_at = max(checkin_moment(school, now)[1] for school in schools)
    digest_at = max(digest_window(school, now)[1] for school in schools)
    late = [s.slug for s in schools if week_due(s, checkin_at) is None]
    late += [s.slug for s in schools if window_due(s, digest_at) is None]
    if late:
        raise RuntimeError(f"the week's sends are not all due at {', '.join(sorted(set(late)))}")
    return {"weekly-checkin": checkin_at, "praise-digest": digest_at}


def week_rows(schools: list[School], moments: dict[str, datetime]) -> tuple[QuerySet, QuerySet]:
    """The outbox rows the two jobs write as of `moments`, and the week's check-ins."""
    checkin_at, digest_at = moments["weekly-checkin"], moments["praise-digest"]
    weeks = {checkin_moment(school, checkin_at)[0] for school in schools}
    written = Q()
    for week in weeks:
        written |= Q(kind="checkin", key__endswith=f":{week:%G-W%V}")
    for school in schools:
        zone = ZoneInfo(school.time_zone)
        label = f"{digest_window(school, digest_at)[1].astimezone(zone):%G-W%V}"
        written |= Q(kind="praise_digest", school=school, key__endswith=f":{label}")
    outbox = OutboxMessage.objects.filter(written, school__in=schools)
    return outbox, CheckIn.objects.filter(school__in=schools, week_of__in=weeks)


def trigger(app: Celery, moments: dict[str, datetime]) -> None:
    """Both jobs in one task, as beat's tick runs its jobs: one worker process writes
    while the other sends what is written."""
    app.send_task(TRIGGER_TASK, args=[{name: at.isoformat() for name, at in moments.items()}])


def _as_of(moments: dict[str, datetime]) -> str:
    return ", ".join(f"{name} as of {at:%a %d %b %H:%M} UTC" for name, at in moments.items())


def broker_url(options: dict) -> str:
    """The options' broker, else this process's Redis broker, else Redis db 5."""
    if options.get("sends_broker"):
        return options["sends_broker"]
    url = os.environ.get("CELERY_BROKER_URL", "")
    if url.startswith("redis://"):
        return url
    return f"redis://127.0.0.1:6379/{DEFAULT_BROKER_DB}"


def _clear_queue(broker: str) -> None:
    # Only the queue and kombu's unacknowledged set: other users of this Redis database
    # (a cache, say) keep their keys.
    redis.Redis.from_url(broker).delete("celery", "unacked", "unacked_index")


def queue_idle(client: redis.Redis) -> bool:
    """No task waiting, and none taken but unfinished (tasks acknowledge late)."""
    return client.llen("celery") == 0 and client.hlen("unacked") == 0


def start_worker(*, broker: str, smtp_port: int, log_path: Path) -> subprocess.Popen:
    env = {
        **worker_environment(broker=broker, smtp_port=smtp_port),
        # Production settings: with DEBUG on, Django would keep every query's text.
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": ",".join(settings.ALLOWED_HOSTS) or "localhost",
        "PORTAL_LOG_LEVEL": "WARNING",
    }
    celery = Path(sys.executable).with_name("celery")
    command = [str(celery), "-A", "send_portal", "worker", "--concurrency", "2"]
    command += ["--loglevel", "WARNING", "-n", f"sends-bench-{os.getpid()}@%h"]
    with open(log_path, "wb") as log:
        return subprocess.Popen(  # noqa: S603 - our own celery, with fixed arguments
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )


def wait_ready(app: Celery, worker: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 90
    while not app.control.ping(timeout=1.0):
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the worker did not start; see {log_path}")


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Progress:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def __call__(self, line: str) -> None:
        if not self.quiet:
            print(f"   sends: {line}", flush=True)


def measure(options: dict) -> SendsResult:
    say = Progress(bool(options.get("quiet")))
    schools = scale_schools()
    if not schools:
        raise RuntimeError("no scale schools (scale-01...): run manage.py seed_scale first")
    with all_day_sending(schools, say), _broker_in_environment(broker_url(options)):
        return _measure(options, schools, say)


@contextlib.contextmanager
def _broker_in_environment(broker: str) -> Iterator[None]:
    """Celery lets CELERY_BROKER_URL in the environment override the broker an app is
    given, so for the run the environment names the benchmark's own broker."""
    before = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = broker
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = before


@contextlib.contextmanager
def all_day_sending(schools: list[School], say) -> Iterator[None]:
    """Quiet hours follow the real clock: run in the evening, every email would wait until
    morning and there would be nothing to time. So for the run the scale schools (the
    benchmark's own data) send at any hour; their own hours are put back afterwards."""
    hours = {school.pk: (school.sending_from, school.sending_until) for school in schools}
    closed = [school for school in schools if sending_opens(school) is not None]
    if closed:
        say(f"outside the sending hours of {len(closed)} schools: opening them for the run")
        School.objects.filter(pk__in=hours).update(
            sending_from=time_of_day.min, sending_until=time_of_day.max
        )
        for school in schools:
            school.sending_from, school.sending_until = time_of_day.min, time_of_day.max
    try:
        yield
    finally:
        for pk, (start, end) in hours.items():
            School.objects.filter(pk=pk).update(sending_from=start, sending_until=end)


def _measure(options: dict, schools: list[School], say) -> SendsResult:
    moments = trigger_moments(schools, timezone.now())
    outbox, checkins = week_rows(schools, moments)
    deleted_outbox, _ = outbox.delete()
    deleted_checkins, _ = checkins.delete()
    say(
        f"{len(schools)} schools, {_as_of(moments)}; deleted that week's "
        f"{deleted_outbox} outbox rows and {deleted_checkins} check-in rows (nothing else)"
    )
    broker = broker_url(options)
    _clear_queue(broker)
    client = redis.Redis.from_url(broker)
    app = Celery("sends-bench", broker=broker, set_as_current=False)
    log_path = Path(tempfile.mkdtemp(prefix="sends-bench-")) / "worker.log"
    timeout = float(options.get("sends_timeout") or 900)
    with smtp_sink() as (sink, port):
        worker = start_worker(broker=broker, smtp_port=port, log_path=log_path)
        try:
            wait_ready(app, worker, log_path)
            with PeakMemory(worker.pid) as memory:
                cpu_before = memory.cpu_seconds, _own_cpu_seconds()
                started = time.monotonic()
                trigger(app, moments)
                finished = _wait_sent(outbox, client, sink, worker, memory, started, timeout, say)
                time.sleep(1.2)  # the sampler reads CPU times once a second
                worker_cpu = memory.cpu_seconds - cpu_before[0]
                sink_cpu = _own_cpu_seconds() - cpu_before[1]
                counts = sink.counts()
                wall = (counts.last_at or time.monotonic()) - started
                written = outbox.count()
                say(f"re-run: the same jobs as of the same moment, at once (log {log_path})")
                trigger(app, moments)
                _wait_idle(client, worker)
                rerun_received = sink.counts().messages - counts.messages
                rerun_written = outbox.count() - written
            if not options.get("sends_keep_rows"):
                # The data set promises nothing sent or due this week; others rely on it.
                removed = outbox.delete()[0], checkins.delete()[0]
                say(f"removed what the run wrote: {removed[0]} outbox rows, {removed[1]} check-ins")
            return SendsResult(
                moments=moments,
                deleted_outbox=deleted_outbox,
                deleted_checkins=deleted_checkins,
                written=written,
                received=counts.messages,
                duplicates=sink.counts().duplicates,
                wall_seconds=wall,
                peak_mb=memory.peak_bytes / 1e6,
                rerun_received=rerun_received,
                rerun_written=rerun_written,
                finished=finished,
                worker_cpu_seconds=worker_cpu,
                sink_cpu_seconds=sink_cpu,
            )
        finally:
            stop_worker(worker)
            _clear_queue(broker)
            app.close()


def _wait_sent(outbox, client, sink: CountingSink, worker, memory, started, timeout, say) -> bool:
    """Until the trigger has run and every row it wrote has been sent and received."""
    next_line = started + 5
    while True:
        now = time.monotonic()
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited ({worker.returncode}) while sending")
        received = sink.counts().messages
        if queue_idle(client):
            written = outbox.count()
            unsent = outbox.exclude(status=OutboxMessage.Status.SENT).count()
            if written and not unsent and received >= written:
                return True
        if now > started + timeout:
            say(f"gave up after {timeout:.0f} s")
            return False
        if now >= next_line:
            elapsed = now - started
            say(
                f"{elapsed:5.0f} s: {outbox.count()} written, {received} received "
                f"({received / elapsed:.0f}/s), worker {memory.last_bytes / 1e6:.0f} MB"
            )
            next_line = now + 5
        time.sleep(0.25)


def _wait_idle(client: redis.Redis, worker: subprocess.Popen, settle: float = 3.0) -> None:
    """Until the queue has stayed empty, with nothing unacknowledged, for `settle` s."""
    deadline = time.monotonic() + 300
    quiet_since = None
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited ({worker.returncode}) during the re-run")
        if queue_idle(client):
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= settle:
                return
        else:
            quiet_since = None
        time.sleep(0.2)
    raise RuntimeError("the re-run did not finish within 300 s")


def figures(result: SendsResult) -> list[Figure]:
    rate = result.received / result.wall_seconds if result.wall_seconds > 0 else 0.0
    received = max(result.received, 1)
    note = f"{result.written} emails written, {_as_of(result.moments)}"
    if not result.finished:
        note += "; NOT all sent before the timeout"
    return [
        Figure(
            "weekly sends, wall time",
            round(result.wall_seconds, 1),
            "s",
            f"< {TARGET_SECONDS} s",
            result.finished and result.wall_seconds < TARGET_SECONDS,
            note,
        ),
        Figure("weekly sends, messages received", result.received, "count", note=note),
        Figure("weekly sends, rate", round(rate, 1), "msg/s"),
        Figure(
            "weekly sends, CPU per message",
            round((result.worker_cpu_seconds + result.sink_cpu_seconds) * 1000 / received, 2),
            "ms",
            note=(
                f"worker {result.worker_cpu_seconds:.0f} s (writing and sending), "
                f"SMTP sink {result.sink_cpu_seconds:.0f} s, over {result.wall_seconds:.0f} s"
            ),
        ),
        Figure(
            "weekly sends, worker peak memory",
            round(result.peak_mb),
            "MB",
            f"< {TARGET_MB} MB",
            result.peak_mb < TARGET_MB,
            "PSS of the worker and its 2 pool processes (shared pages counted once), "
            "sampled every 0.2 s",
        ),
        Figure("weekly sends, duplicates", result.duplicates, "count", "0", result.duplicates == 0),
        Figure(
            "weekly sends, sent by a re-run",
            result.rerun_received,
            "count",
            "0",
            result.rerun_received == 0 and result.rerun_written == 0,
            f"{result.rerun_written} rows written by the re-run",
        ),
    ]


def run(options: dict) -> list[Figure]:
    result = measure(options)
    found = figures(result)
    Progress(bool(options.get("quiet")))(
        "; ".join(f"{figure.name.split(', ')[1]} {figure.value} {figure.unit}" for figure in found)
    )
    return found
