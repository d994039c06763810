"""Consumes the learning events queue: applies each learner's answers to their mastery, once each.

Each message holds one learner's answers (``POST /v1/learning/events`` groups them). Answers are
archived to S3 for the nightly refit, then applied in time order per knowledge point with the
subject's current BKT parameters; an answer already applied (a redelivery, a re-posted batch)
changes nothing. Partial batch responses: a malformed message fails alone, is retried, then
lands in the dead-letter queue.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from tridesk.core.observability import logger, metrics, tracer
from tridesk.education.learning.events import parse_message
from tridesk.education.learning.wiring import learning_service

processor = BatchProcessor(event_type=EventType.SQS)


@tracer.capture_method
def record_handler(record: SQSRecord) -> None:
    message = parse_message(record.body)
    result = learning_service().apply(message, batch_id=record.message_id)
    metrics.add_metric(name="AnswersApplied", unit=MetricUnit.Count, value=result.applied)
    metrics.add_metric(name="AnswersAlreadyApplied", unit=MetricUnit.Count, value=result.already_applied)
    metrics.add_metric(name="AnswersLate", unit=MetricUnit.Count, value=result.late)
    logger.info("answers applied", extra={"tenant_id": message.tenant_id, "applied": result.applied,
                                          "already_applied": result.already_applied, "late": result.late,
                                          "archive_key": result.archive_key})


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    metrics.add_metric(name="LearningMessages", unit=MetricUnit.Count, value=len(event.get("Records") or []))
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
