"""Outbox rows and a failing mail server for tests.

Rows written by the factory ring no doorbell; `enqueue` goes through the service, as the
portal does.
"""

import smtplib

import factory
from django.core.mail.backends.base import BaseEmailBackend

from partnership.notifications import services
from partnership.notifications.models import OutboxMessage


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxMessage

    key = factory.Sequence(lambda n: f"test:{n}")
    kind = "test"
    to_email = factory.Sequence(lambda n: f"family{n}@example.test")
    subject = factory.Sequence(lambda n: f"Message {n:03d}")
    body_text = "Hello from school."


def enqueue(key: str, **fields: object) -> tuple[OutboxMessage, bool]:
    values: dict = {
        "kind": "test",
        "to_email": "family@example.test",
        "subject": f"About {key}",
        "body_text": "Hello from school.",
        **fields,
    }
    return services.message_enqueue(key=key, **values)


class DisconnectingBackend(BaseEmailBackend):
    """A mail server that hangs up: the transient failure the outbox must survive."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


DISCONNECTING_BACKEND = f"{__name__}.DisconnectingBackend"
