"""Weekly expert-review sampling: queue a deterministic sample of last week's bot replies per finance tenant.

Runs on an EventBridge schedule (Mondays 01:00 UTC). The sample of a week is reproducible (seeded
by tenant and ISO week) and re-running it adds nothing twice, so a retried or repeated invocation is
harmless. Beside the sample, the replies the rules passed but the learned second opinion doubts are
queued, highest probability first, and the replies the rules flagged but the second opinion finds
unlikely to break a rule ("contested"), lowest first, each at most
``TRIDESK_COMPLIANCE_REVIEW_DOUBTED_SIZE`` per tenant. ``detail`` may name ``tenant_ids``, ``size``
and ``doubted_size`` for a manual run.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from tridesk.core.errors import ValidationError
from tridesk.core.observability import logger, metrics, tracer
from tridesk.core.settings import get_settings
from tridesk.finance.compliance import firewall


def _count(detail: dict[str, Any], key: str, setting: str) -> int:
    value = detail.get(key, int(get_settings().option(setting, "200")))
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 5000:
        raise ValidationError(f"{key} must be an integer in [0, 5000]", field=key)
    return value


def _when(event: dict[str, Any]) -> datetime:
    raw = event.get("time")
    if not raw:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError("time must be an ISO 8601 time", field="time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    detail = event.get("detail") or {}
    size = _count(detail, "size", "compliance_review_sample_size")
    doubted_size = _count(detail, "doubted_size", "compliance_review_doubted_size")
    now = _when(event)
    from tridesk.finance.compliance.store import finance_tenants

    tenants = detail.get("tenant_ids") or finance_tenants()
    results = [firewall.service().sample_week(t, now, size, doubted_size) for t in tenants]
    added = sum(r["added"] for r in results)
    doubted = sum(r["added_doubted"] for r in results)
    metrics.add_metric(name="ComplianceReviewItemsQueued", unit=MetricUnit.Count, value=added)
    contested = sum(r["added_contested"] for r in results)
    metrics.add_metric(name="ComplianceReviewDoubtedQueued", unit=MetricUnit.Count, value=doubted)
    metrics.add_metric(name="ComplianceReviewContestedQueued", unit=MetricUnit.Count, value=contested)
    logger.info("review sample queued",
                extra={"tenants": len(results), "added": added, "doubted": doubted, "contested": contested})
    return {"size": size, "doubted_size": doubted_size, "results": results}
