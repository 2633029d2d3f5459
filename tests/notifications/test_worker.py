"""Exactly once through a real Celery worker, Redis and an SMTP server.

Redis redelivers and Celery retries, so the queue alone promises "at least once"; these
tests show the outbox row and its claim turn that into "exactly once": a retried send,
repeated writes, a duplicated tick and duplicated doorbells still reach each family once.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from subprocess import Popen

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from partnership.notifications import services, tasks
from partnership.notifications.models import OutboxMessage
from partnership.scale.bench.celery_worker import stop_worker
from send_portal.celery import app as celery_app
from tests.services import own_redis_db, redis_url, require_postgres

from .conftest import WORKER_LOG
from .helpers import OutboxMessageFactory, enqueue
from .live import (
    SmtpSink,
    dedicated_broker,
    start_smtp_sink,
    start_worker,
    wait_until,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),  # the worker only sees committed rows
]

RETRIED = "family00@example.test"
Status = OutboxMessage.Status


@dataclass
class Live:
    broker: str
    sink: SmtpSink
    worker: Popen
    log_path: Path


@pytest.fixture(scope="module")
def live(django_db_setup, tmp_path_factory):
    """One SMTP sink and one worker for the module: starting a worker costs seconds."""
    require_postgres()
    broker = dedicated_broker(redis_url(), own_redis_db("worker broker"))
    redis.Redis.from_url(broker).flushdb()  # nothing left over from an earlier run
    sink = SmtpSink()
    smtp = start_smtp_sink(sink)
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    worker = start_worker(broker=broker, smtp_port=smtp.port, log_path=log_path)
    try:
        yield Live(broker, sink, worker, log_path)
    finally:
        stop_worker(worker)
        smtp.stop()
        redis.Redis.from_url(broker).flushdb()


def _reset_publisher_pools() -> None:
    # The app keeps its broker connections once it has published; drop them so the next
    # publish goes to the broker configured now.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def worker(live, request, monkeypatch):
    """This test's process publishes to the worker's broker, for real, for this test only."""
    # Celery prefers the environment's CELERY_BROKER_URL (CI sets it) over app.conf.
    monkeypatch.setenv("CELERY_BROKER_URL", live.broker)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    saved = {
        name: celery_app.conf[name]
        for name in ("broker_url", "broker_transport_options", "task_always_eager")
    }
    celery_app.conf.update(
        broker_url=live.broker,
        broker_transport_options={"visibility_timeout": 3600},
        task_always_eager=False,
    )
    _reset_publisher_pools()
    live.sink.reset()
    start = live.log_path.stat().st_size

    def read_log() -> str:
        with open(live.log_path, "rb") as log:
            log.seek(start)
            return log.read().decode(errors="replace")

    request.node.stash[WORKER_LOG] = read_log
    yield live
    celery_app.conf.update(saved)
    _reset_publisher_pools()


def test_each_message_reaches_the_mail_server_exactly_once(worker):
    worker.sink.refuse_first_delivery_to(RETRIED)
    families = [f"family{n:02d}@example.test" for n in range(20)]
    for n, address in enumerate(families):
        enqueue(f"worker-test:{n}", to_email=address)

    def all_sent() -> bool:
        return OutboxMessage.objects.filter(status=Status.SENT).count() == 20

    wait_until(all_sent, what="20 messages to be sent", worker=worker.worker)
    assert worker.sink.recipients() == Counter(families)
    retried = OutboxMessage.objects.get(to_email=RETRIED)
    assert (retried.attempts, retried.last_error) == (2, "")
    assert set(OutboxMessage.objects.exclude(pk=retried.pk).values_list("attempts", flat=True)) == {
        1
    }

    # A duplicated tick, every message written again, and every doorbell rung twice more
    # (as Redis does when a task outlives its visibility timeout).
    assert services.messages_requeue() == 0
    for n, address in enumerate(families):
        _, created = enqueue(f"worker-test:{n}", to_email=address)
        assert not created
    for message_id in OutboxMessage.objects.values_list("pk", flat=True):
        tasks.deliver_message.delay(message_id)
        tasks.deliver_message.delay(message_id)
    # The solo worker takes its queue in order: once a message rung after all of those is
    # sent, the duplicates have been handled.
    last, _ = enqueue("worker-test:last", to_email="last@example.test")

    def last_sent() -> bool:
        return OutboxMessage.objects.filter(pk=last.pk, status=Status.SENT).exists()

    wait_until(last_sent, what="the last message", worker=worker.worker, timeout=20)
    assert redis.Redis.from_url(worker.broker).llen("celery") == 0  # no doorbell left
    assert worker.sink.recipients() == Counter(families) + Counter(["last@example.test"])
    assert sum(worker.sink.recipients().values()) == 21
    assert OutboxMessage.objects.count() == 21


def test_the_tick_rings_again_for_lost_doorbells_and_crashed_sends(worker):
    # Written without a doorbell (Redis restarted before the worker took it), and one a
    # worker claimed and then died sending.
    lost = OutboxMessageFactory(key="lost:1", to_email="lost@example.test")
    stale = timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS + 60)
    crashed = OutboxMessageFactory(
        key="crashed:1",
        to_email="crashed@example.test",
        status=Status.SENDING,
        claimed_at=timezone.now() - stale,
        attempts=1,
    )

    celery_app.send_task("partnership.notifications.tasks.scheduled_tick")

    def both_sent() -> bool:
        return OutboxMessage.objects.filter(status=Status.SENT).count() == 2

    wait_until(both_sent, what="the tick to send both", worker=worker.worker, timeout=20)
    assert worker.sink.keys() == Counter({"lost:1": 1, "crashed:1": 1})
    assert OutboxMessage.objects.get(pk=lost.pk).attempts == 1
    assert OutboxMessage.objects.get(pk=crashed.pk).attempts == 2
