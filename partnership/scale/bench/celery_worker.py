"""A real Celery worker in its own process, sending through a given SMTP server: what the
sends benchmark measures and what the delivery tests drive."""

from __future__ import annotations

import os
import subprocess

from .server import database_url


def worker_environment(*, broker: str, smtp_port: int) -> dict[str, str]:
    """This process's environment, pointed at this process's database, at `broker` alone
    (Celery lets CELERY_BROKER_URL in the environment override the app's broker, and the
    read and write URLs override that) and at the SMTP server on `smtp_port`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "send_portal.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
    }
    for name in ("CELERY_BROKER_READ_URL", "CELERY_BROKER_WRITE_URL"):
        env.pop(name, None)
    return env


def stop_worker(worker: subprocess.Popen, *, timeout: float = 30) -> None:
    """TERM is Celery's warm shutdown: unacknowledged messages go back to the broker."""
    worker.terminate()
    try:
        worker.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=10)
