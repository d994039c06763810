"""The HTTP API: Chalice routes only. Each route parses, calls one domain function, shapes the answer.

Errors are mapped once (``_json_route``) to ``{"error": {"code", "message", "field"}}``;
framework errors (405, 415, bad JSON) are rewritten to the same body by the middleware.
"""

from __future__ import annotations

import functools
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from chalice import Chalice, CORSConfig, Response

from tridesk.core import events_bus, health
from tridesk.core.errors import TriDeskError
from tridesk.core.feedback import feedback_event
from tridesk.core.i18n import Lang, parse_lang
from tridesk.core.observability import logger, metrics, set_correlation_id, tracer
from tridesk.core.tenant_store import DynamoTenantRepository
from tridesk.core.tenants import TENANT_HEADER, Tenant, TenantResolver
from tridesk.core.web import error_from_framework, parse_json_object, to_json

app = Chalice(app_name="tridesk")
app.api.cors = CORSConfig(
    allow_origin="*",
    allow_headers=[TENANT_HEADER, "X-Correlation-Id", "Authorization", "Accept-Language"],
    expose_headers=["X-Correlation-Id"],
    max_age=600,
)

_resolver: TenantResolver | None = None
_resolver_lock = threading.Lock()


def tenant_resolver() -> TenantResolver:
    """The container's tenant resolver, made on first use."""
    global _resolver
    if _resolver is None:
        with _resolver_lock:
            if _resolver is None:
                _resolver = TenantResolver(DynamoTenantRepository())
    return _resolver


@dataclass(frozen=True)
class Call:
    """What a route sees of its request."""

    tenant: Tenant | None
    body: dict[str, Any] | None
    query: dict[str, str]
    lang: Lang


def _json_route(
    path: str, methods: tuple[str, ...] = ("GET",), *, tenant: bool = True, body: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a JSON route: tenant resolution, body parsing and error mapping in one place."""

    def register(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def handle(**params: str) -> Response:
            request = app.current_request
            headers = request.headers
            try:
                resolved = tenant_resolver().resolve(headers.get(TENANT_HEADER)) if tenant else None
                parsed = parse_json_object(request.raw_body, headers.get("content-type")) if body else None
                query = dict(request.query_params or {})
                lang = parse_lang(
                    (parsed or {}).get("lang") or query.get("lang") or headers.get("accept-language"),
                    default=parse_lang(resolved.default_lang) if resolved else "zh",
                )
                result = view(Call(resolved, parsed, query, lang), **params)
            except TriDeskError as exc:
                return _json_response(exc.status, exc.to_body())
            if isinstance(result, Response):
                return result
            return _json_response(200, result)

        content_types = ["application/json"] if body else ["application/json", "text/plain", "*/*"]
        app.route(path, methods=list(methods), content_types=content_types)(handle)
        return view

    return register


def _json_response(status: int, payload: Any) -> Response:
    return Response(
        body=to_json(payload),
        status_code=status,
        headers={"Content-Type": "application/json; charset=utf-8"},
    )


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


@_json_route("/v1/health", tenant=False)
def get_health(call: Call) -> dict[str, Any]:
    """Each dependency (tables, queues, state machines, breakers) as ok or failing."""
    return health.check_all()


@_json_route("/v1/tenant")
def get_tenant(call: Call) -> dict[str, Any]:
    """The calling tenant's public configuration (industry edition, languages, regions)."""
    assert call.tenant is not None
    data = call.tenant.to_dict()
    data.pop("settings", None)
    return data


@_json_route("/v1/feedback", ("POST",), body=True)
def post_feedback(call: Call) -> Response:
    """Customer satisfaction with a conversation; recorded once per feedback_id."""
    assert call.tenant is not None and call.body is not None
    event = feedback_event(call.tenant.tenant_id, call.body)
    events_bus.publish(event)
    return _json_response(202, {"event_id": event.event_id, "status": "accepted"})


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point behind API Gateway."""
    return app(event, context)


__all__ = ["app", "handler"]
