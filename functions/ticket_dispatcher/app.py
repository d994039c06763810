"""Assigns waiting handoff tickets: each message of the priority-band queues wakes one ticket.

A ticket still waiting goes to the best available agent (atomic conditional writes); if nobody
can take it, it is re-queued, with a delay, in the band its current priority earns (waiting
raises priority). A ticket already assigned or closed needs nothing. Malformed messages fail
alone (partial batch response) and end in the band's dead-letter queue.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from tridesk.core.lazy import per_container
from tridesk.core.observability import logger, metrics, tracer
from tridesk.core.tickets import TicketDesk, parse_wakeup

processor = BatchProcessor(event_type=EventType.SQS)


@per_container
def desk() -> TicketDesk:
    from tridesk.core.tickets_store import DynamoTicketStore, SqsWaitQueue

    return TicketDesk(DynamoTicketStore(), SqsWaitQueue())


@tracer.capture_method
def record_handler(record: SQSRecord) -> None:
    tenant_id, ticket_id = parse_wakeup(record.json_body)
    outcome = desk().dispatch(tenant_id, ticket_id)
    metrics.add_metric(name=f"TicketsDispatch{outcome.outcome.capitalize()}", unit=MetricUnit.Count, value=1)
    logger.info(
        "ticket dispatched",
        extra={"tenant_id": tenant_id, "ticket_id": ticket_id, "outcome": outcome.outcome, "agent_id": outcome.agent_id},
    )


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
