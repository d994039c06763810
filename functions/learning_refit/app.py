"""Step Functions tasks of the RefitBkt workflow (nightly): collect archived answers, fit a subject.

``{"step": "collect", "run_id"}`` snapshots the archived answers per subject;
``{"step": "fit", "subject", "run_id", "answers_key"?}`` fits the subject's BKT parameters and
publishes a new version. ``NotEnoughDataError`` (the current version stays) and
``ArchiveUnavailableError`` (retried) reach the workflow by name.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from tridesk.core.observability import logger, metrics, tracer
from tridesk.education.learning.wiring import run_refit_step


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    result = run_refit_step(event)
    if event.get("step") == "fit":
        metrics.add_metric(name="BktVersionsPublished", unit=MetricUnit.Count, value=int(bool(result["published"])))
    else:
        metrics.add_metric(name="BktSubjectsCollected", unit=MetricUnit.Count, value=result["subject_count"])
    logger.info("refit step done", extra={"step": event.get("step"), "run_id": event.get("run_id"),
                                          "subjects": result.get("subject_count"), "version": result.get("version")})
    return result
