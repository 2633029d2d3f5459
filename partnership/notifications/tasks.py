from celery import shared_task
from django.conf import settings

from . import schedule, services


@shared_task(bind=True, max_retries=None, acks_late=True)
def deliver_message(self, message_id: int) -> bool:
    # The row counts attempts and gives up after OUTBOX_MAX_ATTEMPTS (the service then
    # returns instead of raising), so the task needs no retry limit of its own.
    try:
        return services.message_deliver(message_id=message_id)
    except services.DeliveryFailed as exc:
        countdown = min(settings.OUTBOX_RETRY_BASE_SECONDS * 2**self.request.retries, 3600)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task
def scheduled_tick() -> dict[str, int]:
    return schedule.tick()
