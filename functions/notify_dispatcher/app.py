"""Notification dispatcher: delivers each notification the outbox records, at most once.

Fed by the notifications table's stream (``INSERT`` of ``n#...`` records, NEW_IMAGE; the template's
filter drops the rest, and so does this handler): each record is claimed, sent through its
channel (app push, WeChat subscribe message, SMS) and marked sent or failed
(``tridesk.core.notify_dispatch``). Partial batch responses: a transient channel failure
(``UpstreamError``) fails that record alone and the event source retries it (bisecting, then
the on-failure queue); permanent failures (no address, refused subscription) are recorded on
the notification and succeed. A scheduled event runs the sweep instead: pending records whose
stream delivery was lost or gave up, due again after their backoff.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from tridesk.core.channels import ChannelSettings, build_senders
from tridesk.core.errors import UpstreamError
from tridesk.core.lazy import per_container
from tridesk.core.notify_delivery_store import DynamoOutboxLedger, DynamoRecipientDirectory
from tridesk.core.notify_dispatch import NotificationDispatcher, OutboxRef
from tridesk.core.observability import log_extra, logger, metrics, tracer
from tridesk.core.tenant_store import DynamoTenantRepository

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def _tenant_settings(tenant: str) -> dict[str, Any]:
    found = DynamoTenantRepository().get(tenant)
    return dict(found.settings) if found is not None else {}


@per_container
def dispatcher() -> NotificationDispatcher:
    """This container's dispatcher (its adapters keep their pool and WeChat token), made on first use."""
    senders = build_senders(ChannelSettings.from_settings(), tenant_settings=_tenant_settings)
    return NotificationDispatcher(DynamoOutboxLedger(), DynamoRecipientDirectory(), senders)


def outbox_ref(record: DynamoDBRecord) -> OutboxRef | None:
    """The outbox record a stream record announces, or None for anything else (updates, addresses)."""
    if record.event_name is None or record.event_name.name != "INSERT" or record.dynamodb is None:
        return None
    keys = record.dynamodb.keys or {}
    pk, sk = keys.get("pk"), keys.get("sk")
    if not isinstance(pk, str) or not isinstance(sk, str) or not sk.startswith("n#") or "#cust#" not in pk:
        return None
    return OutboxRef(pk, sk)


@tracer.capture_method
def record_handler(record: DynamoDBRecord) -> None:
    ref = outbox_ref(record)
    if ref is None:
        return
    try:
        outcome = dispatcher().dispatch(ref)
    except UpstreamError as exc:
        metrics.add_metric(name="NotificationRetried", unit=MetricUnit.Count, value=1)
        logger.info("notification will be retried", extra=log_extra(upstream=exc.upstream, sk=ref.sk))
        raise
    metrics.add_metric(name=f"Notification_{outcome.result}", unit=MetricUnit.Count, value=1)
    logger.info("notification", extra=log_extra(result=outcome.result, detail=outcome.detail, sk=ref.sk,
                                                channel=outcome.channel, attempt=outcome.attempt))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if "Records" in event:
        return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                        context=context)
    report = dispatcher().sweep()
    metrics.add_metric(name="NotificationSweepFound", unit=MetricUnit.Count, value=report.found)
    logger.info("notification sweep", extra=report.to_dict())
    return report.to_dict()
