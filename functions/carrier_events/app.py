"""Carrier push events from the carrier-events queue: put each parcel's news in the tracking cache
ahead of the customer's question.

Partial batch responses: each message succeeds or fails alone. A poisoned message (malformed, an
unknown order, a parcel that is not the order's) fails every delivery and reaches the DLQ after the
queue's ``maxReceiveCount``; a transient failure (the cache table or the OMS unreachable) fails this
delivery and is retried by the queue. A push older than the cached data is a success that changes
nothing, so redelivery and out-of-order arrival are harmless.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from tridesk.core.errors import UpstreamError, ValidationError
from tridesk.core.lazy import per_container
from tridesk.core.observability import logger, metrics, tracer
from tridesk.ecommerce.tracking.wiring import build_tracking_service

processor = BatchProcessor(event_type=EventType.SQS)
tracking_service = per_container(build_tracking_service)


@tracer.capture_method
def record_handler(record: SQSRecord) -> None:
    try:
        event = json.loads(record.body)
    except ValueError:
        metrics.add_metric(name="CarrierPushPoisoned", unit=MetricUnit.Count, value=1)
        logger.warning("carrier push is not JSON", extra={"message_id": record.message_id})
        raise ValidationError("carrier push is not JSON") from None
    try:
        result = tracking_service().apply_push_event(event)
    except ValidationError as exc:
        metrics.add_metric(name="CarrierPushPoisoned", unit=MetricUnit.Count, value=1)
        logger.warning("carrier push rejected", extra={"message_id": record.message_id, "field": exc.field,
                                                       "reason": exc.message})
        raise
    except UpstreamError as exc:
        metrics.add_metric(name="CarrierPushRetried", unit=MetricUnit.Count, value=1)
        logger.info("carrier push will be retried", extra={"message_id": record.message_id,
                                                            "upstream": exc.upstream})
        raise
    metrics.add_metric(name="CarrierPushApplied" if result.applied else "CarrierPushStale",
                       unit=MetricUnit.Count, value=1)
    logger.info("carrier push", extra={"key": result.key, "applied": result.applied, "status": result.status.value})


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
