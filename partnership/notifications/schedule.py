"""Scheduled work ticks; the database decides what is due.

Each feature that sends on a schedule registers a job here: a function that, given "now",
writes the outbox rows that are due (under unique keys, so running it twice writes
nothing new). A tick runs every job, then rings for every row not yet sent. A missed or
repeated tick neither loses nor repeats a message.
"""

import logging
from collections.abc import Callable
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
    written = {}
    for name, job in registered_jobs().items():
        try:
            written[name] = job(now)
        except Exception:
            # One broken job must not stop the others, nor the re-ringing of lost doorbells;
            # its rows are written under unique keys, so the next tick simply tries again.
            logger.exception("scheduled job %s failed", name)
            written[name] = -1
            continue
        logger.info("scheduled job %s wrote %s messages", name, written[name])
    written["requeued"] = messages_requeue(now=now)
    return written
