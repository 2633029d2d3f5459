"""The Celery app. Beat only rings a doorbell every few minutes; the database decides
what is due (see partnership.notifications.schedule)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_portal.settings")

app = Celery("send_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _beat_schedule(sender: Celery, **kwargs) -> None:
    from django.conf import settings

    sender.conf.beat_schedule = {
        "scheduled-tick": {
            "task": "partnership.notifications.tasks.scheduled_tick",
            "schedule": float(settings.SCHEDULE_TICK_SECONDS),
        }
    }
