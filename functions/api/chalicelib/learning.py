"""Education routes: answer events in, mastery and diagnoses out (education tenants only).

Callers are the tenant's back ends (learning app, teacher and agent consoles) with the tenant's
credentials: the routes are tenant-scoped, not customer-scoped, and the caller decides which
learner it may show to whom (a student's app shows only that student's diagnosis).
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.http import Call, json_response, json_route
from tridesk.education.learning.wiring import learning_service

bp = Blueprint(__name__)


@json_route(bp, "/v1/learning/events", ("POST",), body=True)
def post_learning_events(call: Call) -> Response:
    """A batch of answer events (at most 500), queued for the mastery update; idempotent per event_id."""
    result = learning_service().ingest(call.tenant, call.body)
    return json_response(202, result)


@json_route(bp, "/v1/students/{student_id}/diagnosis")
def get_student_diagnosis(call: Call, student_id: str) -> dict[str, Any]:
    """Mastery per point, weak points with their reasons, and the next-step plan of one subject."""
    return learning_service().diagnosis(call.tenant, student_id, call.query.get("subject"), call.lang)


@json_route(bp, "/v1/students/{student_id}/mastery")
def get_student_mastery(call: Call, student_id: str) -> dict[str, Any]:
    """The raw mastery estimates of every point the learner has answered (optionally one subject)."""
    return learning_service().mastery(call.tenant, student_id, call.query.get("subject"))
