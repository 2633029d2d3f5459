"""Background work of co-production: keeping the governors' summary snapshots fresh."""

from datetime import datetime

from celery import shared_task
from django.db import transaction

from partnership.notifications.schedule import scheduled_job

from .summary import store


@shared_task(acks_late=True)
def summary_snapshots_refresh(at: str) -> int:
    """Refresh the summaries due as of `at` (ISO 8601); returns how many were worked out."""
    return store.snapshots_refresh(now=datetime.fromisoformat(at))


@scheduled_job("summary-snapshots")
def job(now: datetime) -> int:
    """Ring for a worker to refresh the summaries; sends nothing, so writes no message.

    Not worked out in the tick itself: at trust scale the refresh takes minutes, and the
    tick's emails must not wait for it. The snapshots' times are the truth, so a lost
    doorbell only means the next tick (or a page view) finds them stale and does the work;
    a doubled one finds nothing due. Robust, so a broker that is down never stops the tick.
    """

    def ring() -> None:
        summary_snapshots_refresh.delay(now.isoformat())

    transaction.on_commit(ring, robust=True)
    return 0
