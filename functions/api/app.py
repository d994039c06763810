"""The HTTP API: a Chalice app whose routes live in ``chalicelib`` blueprints, one per area.

Routes are declared with ``chalicelib.http.json_route`` (tenant, body parsing, error mapping
in one place); the middleware gives every response a correlation id and rewrites the
framework's own errors (405, 415, 500) into the contract's error body.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from chalice import Chalice, CORSConfig, Response

import chalicelib
from tridesk.core.observability import logger, metrics, set_correlation_id, tracer
from tridesk.core.tenants import TENANT_HEADER
from tridesk.core.web import error_from_framework, to_json

app = Chalice(app_name="tridesk")
app.api.cors = CORSConfig(
    allow_origin="*",
    allow_headers=[TENANT_HEADER, "X-Customer-Id", "X-Correlation-Id", "Authorization", "Accept-Language"],
    expose_headers=["X-Correlation-Id"],
    max_age=600,
)
for _module in chalicelib.route_modules():
    app.register_blueprint(_module.bp)


@app.middleware("http")
def envelope(event: Any, get_response: Callable[[Any], Response]) -> Response:
    """Correlation id on every request and response; framework errors in the contract's shape."""
    correlation_id = (
        event.headers.get("x-correlation-id")
        or (event.context or {}).get("requestId")
        or str(uuid.uuid4())
    )
    set_correlation_id(correlation_id)
    response = get_response(event)
    if response.status_code >= 400:
        rewritten = error_from_framework(response.status_code, response.body)
        if rewritten is not None:
            if response.status_code >= 500:
                logger.error("unhandled error", extra={"path": event.path})
            response.body = to_json(rewritten)
            response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["X-Correlation-Id"] = correlation_id
    return response


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point behind API Gateway."""
    response = app(event, context)
    status = int(response.get("statusCode", 500))
    metrics.add_metric(name="ApiRequests", unit=MetricUnit.Count, value=1)
    if status >= 500:
        metrics.add_metric(name="ApiServerErrors", unit=MetricUnit.Count, value=1)
    elif status >= 400:
        metrics.add_metric(name="ApiClientErrors", unit=MetricUnit.Count, value=1)
    return response
