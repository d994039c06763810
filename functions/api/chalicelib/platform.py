"""Platform routes: health, the tenant's configuration, conversation feedback."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.http import Call, json_response, json_route
from tridesk.core import events_bus, health
from tridesk.core.feedback import feedback_event

bp = Blueprint(__name__)


@json_route(bp, "/v1/health", tenant=False)
def get_health(call: Call) -> dict[str, Any]:
    """Each dependency (tables, queues, state machines, breakers) as ok or failing."""
    return health.check_all()


@json_route(bp, "/v1/tenant")
def get_tenant(call: Call) -> dict[str, Any]:
    """The calling tenant's public configuration (industry edition, languages, regions)."""
    assert call.tenant is not None
    data = call.tenant.to_dict()
    data.pop("settings", None)
    return data


@json_route(bp, "/v1/feedback", ("POST",), body=True)
def post_feedback(call: Call) -> Response:
    """Customer satisfaction with a conversation; recorded once per feedback_id."""
    assert call.body is not None
    event = feedback_event(call.tenant_id, call.body)
    events_bus.publish(event)
    return json_response(202, {"event_id": event.event_id, "status": "accepted"})
