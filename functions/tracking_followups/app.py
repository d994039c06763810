"""Tracking follow-ups from the follow-ups queue: keep the promise of the degraded answer.

Each message is one promised re-check (``tridesk.ecommerce.tracking.followup``): the order is
checked again; the customer is told once (the notifications outbox) when the answer is available
or the order turns out not to be theirs, and the message is re-queued with a longer delay while
the carrier is still sick, until the promised time, when a final "still checking" message goes out
and a ticket hands the order to the agents (``tridesk.ecommerce.tracking.escalation``).

Partial batch responses: each message succeeds or fails alone. A malformed message is poison
(``ValidationError``) and reaches the DLQ after the queue's ``maxReceiveCount``; trouble with the
promise table, the queue or the outbox (``UpstreamError``) fails this delivery and is retried. A
redelivered message never notifies twice.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from tridesk.core.errors import UpstreamError, ValidationError
from tridesk.core.lazy import per_container
from tridesk.core.notify_store import OutboxNotifier
from tridesk.core.observability import logger, metrics, tracer
from tridesk.core.tickets import TicketDesk
from tridesk.core.tickets_store import DynamoTicketStore, SqsWaitQueue
from tridesk.ecommerce.tracking.escalation import TicketEscalation
from tridesk.ecommerce.tracking.followup import FollowUp, FollowUpWorker
from tridesk.ecommerce.tracking.followup_aws import DynamoPromiseStore, SqsFollowUpQueue
from tridesk.ecommerce.tracking.wiring import build_tracking_service, follow_up_config

processor = BatchProcessor(event_type=EventType.SQS)


@per_container
def worker() -> FollowUpWorker:
    """This container's worker: its own tracking service (no promises of its own), made on first use;
    a promise that comes due without an answer becomes a ticket for the agents."""
    return FollowUpWorker(build_tracking_service(follow_up=None), DynamoPromiseStore(),
                          SqsFollowUpQueue(), OutboxNotifier(), follow_up_config(),
                          escalation=TicketEscalation(TicketDesk(DynamoTicketStore(), SqsWaitQueue())))


@tracer.capture_method
def record_handler(record: SQSRecord) -> None:
    try:
        follow_up = FollowUp.from_dict(json.loads(record.body))
    except (ValueError, ValidationError) as exc:
        metrics.add_metric(name="TrackingFollowUpPoisoned", unit=MetricUnit.Count, value=1)
        logger.warning("follow-up rejected", extra={"message_id": record.message_id,
                                                    "field": getattr(exc, "field", None)})
        raise ValidationError("malformed follow-up") from exc
    try:
        done = worker().process(follow_up)
    except UpstreamError as exc:
        metrics.add_metric(name="TrackingFollowUpRetried", unit=MetricUnit.Count, value=1)
        logger.info("follow-up will be retried", extra={"message_id": record.message_id, "upstream": exc.upstream})
        raise
    metrics.add_metric(name=f"TrackingFollowUp_{done.outcome}", unit=MetricUnit.Count, value=1)
    logger.info("follow-up", extra={"promise_id": done.promise_id, "attempt": done.attempt,
                                    "outcome": done.outcome, "delay_s": done.delay_s})


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
