"""Consumes the domain events queue and records each event once in the activity log.

Partial batch responses: a malformed event fails alone, is retried, then lands in the DLQ.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from tridesk.core.activity import parse_event
from tridesk.core.activity_store import DynamoActivityLog
from tridesk.core.lazy import per_container
from tridesk.core.observability import logger, metrics, tracer

processor = BatchProcessor(event_type=EventType.SQS)
activity_log = per_container(DynamoActivityLog)


@tracer.capture_method
def record_handler(record: SQSRecord) -> None:
    event = parse_event(record.json_body)
    stored = activity_log().record(event)
    metrics.add_metric(name="EventsRecorded" if stored else "EventsDuplicate", unit=MetricUnit.Count, value=1)
    logger.info("event recorded", extra={"event_id": event.event_id, "type": event.type, "new": stored})


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
