"""Weekly expert-review sampling: queue a deterministic sample of last week's bot replies per finance tenant.

Runs on an EventBridge schedule (Mondays 01:00 UTC). The sample of a week is reproducible (seeded
by tenant and ISO week) and re-running it adds nothing twice, so a retried or repeated invocation is
harmless. ``detail`` may name ``tenant_ids`` and ``size`` for a manual run.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from tridesk.core.errors import ValidationError
from tridesk.core.observability import logger, metrics, tracer
from tridesk.core.settings import get_settings
from tridesk.finance.compliance import firewall


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
    size = detail.get("size", int(get_settings().option("compliance_review_sample_size", "200")))
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= 5000:
        raise ValidationError("size must be an integer in [0, 5000]", field="size")
    now = _when(event)
    from tridesk.finance.compliance.store import finance_tenants

    tenants = detail.get("tenant_ids") or finance_tenants()
    results = [firewall.service().sample_week(t, now, size) for t in tenants]
    added = sum(r["added"] for r in results)
    metrics.add_metric(name="ComplianceReviewItemsQueued", unit=MetricUnit.Count, value=added)
    logger.info("review sample queued", extra={"tenants": len(results), "added": added})
    return {"size": size, "results": results}
