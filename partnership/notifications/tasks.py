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


@shared_task
def scheduled_tick() -> dict[str, int]:
    return schedule.tick()
