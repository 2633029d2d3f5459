"""Scheduled work ticks; the database decides what is due.

Each feature that sends on a schedule registers a job here: a function that, given "now",
writes the outbox rows that are due (under unique keys, so running it twice writes
nothing new). A tick runs every job, then rings for every row not yet sent. A missed or
repeated tick neither loses nor repeats a message.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from django.utils import timezone

from .services import messages_requeue

logger = logging.getLogger(__name__)

ScheduledJob = Callable[[datetime], int]
_jobs: dict[str, ScheduledJob] = {}


def scheduled_job(name: str) -> Callable[[ScheduledJob], ScheduledJob]:
    def register(job: ScheduledJob) -> ScheduledJob:
        _jobs[name] = job
        return job

    return register


def registered_jobs() -> dict[str, ScheduledJob]:
    return dict(_jobs)


def tick(*, now: datetime | None = None) -> dict[str, int]:
    """Run every scheduled job as of `now`; returns how many messages each wrote (-1 for a
    job that failed)."""
    now = now or timezone.now()
    written = jobs_run(now=now, names=list(registered_jobs()))
    written["requeued"] = messages_requeue(now=now)
    return written


def jobs_run(*, now: datetime, names: Iterable[str]) -> dict[str, int]:
    """Run the named jobs as of `now` (an unknown name is an error, not a silent no-op)."""
    jobs, names = registered_jobs(), list(names)
    unknown = sorted(set(names) - set(jobs))
    if unknown:
        raise KeyError(f"no scheduled job named {', '.join(unknown)}")
    written: dict[str, int] = {}
    for name in names:
        job = jobs[name]
        try:
            written[name] = job(now)
        except Exception:
            # One broken job must not stop the others, nor the re-ringing of lost doorbells;
            # its rows are written under unique keys, so the next tick simply tries again.
            logger.exception("scheduled job %s failed", name)
            written[name] = -1
            continue
        logger.info("scheduled job %s wrote %s messages", name, written[name])
    return written
