"""Publishes domain events on the events queue (``EVENTS_QUEUE_URL``)."""

from __future__ import annotations

from tridesk.core import aws
from tridesk.core.activity import DomainEvent
from tridesk.core.settings import get_settings


def publish(event: DomainEvent) -> str:
    """Send the event; returns the queue's message id."""
    response = aws.client("sqs").send_message(
        QueueUrl=get_settings().queue_url("events"),
        MessageBody=event.to_json(),
        MessageAttributes={
            "tenant_id": {"DataType": "String", "StringValue": event.tenant_id},
            "type": {"DataType": "String", "StringValue": event.type},
        },
    )
    return str(response["MessageId"])
