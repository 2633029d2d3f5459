from datetime import datetime

from celery import shared_task

from . import schedule, services


@shared_task(bind=True, max_retries=None, acks_late=True)
def deliver_message(self, message_id: int) -> bool:
    # The row counts attempts and gives up after OUTBOX_MAX_ATTEMPTS (the service then
    # returns instead of raising), so the task needs no retry limit of its own.
    try:
        return services.message_deliver(message_id=message_id)
    except services.DeliveryFailed as exc:
        # A second late rather than early: the row refuses a claim before its back-off ends.
        raise self.retry(exc=exc, countdown=exc.retry_in + 1) from exc


@shared_task(bind=True, max_retries=None, acks_late=True)
def deliver_messages(self, message_ids: list[int]) -> int:
    """Send a batch over one mail connection; returns how many this call sent.

    Rows that failed for now are retried together once the earliest back-off ends (the
    others refuse the claim until theirs does, and the tick rings for them later); rows
    handed back untried are rung for at once.
    """
    outcome = services.messages_deliver(message_ids=message_ids)
    if outcome.released:
        deliver_messages.delay(outcome.released)
    if outcome.retry:
        raise self.retry(args=[outcome.retry], countdown=outcome.retry_in + 1)
    return outcome.sent


@shared_task
def scheduled_tick() -> dict[str, int]:
    return schedule.tick()


@shared_task
def scheduled_jobs_run(moments: dict[str, str]) -> dict[str, int]:
    """Run the named jobs, each as of its own ISO 8601 time, one after the other in this
    worker: an operator's catch-up of a week's sends, without the other jobs or the
    re-ringing of the whole outbox. The worker's other processes send meanwhile."""
    written: dict[str, int] = {}
    for name, at in moments.items():
        written |= schedule.jobs_run(now=datetime.fromisoformat(at), names=[name])
    return written
