"""Compliance firewall routes: scan a reply, rule-pack versions (upload, impact, activate), the review queue.

An agent's draft is checked by the same ``POST /v1/compliance/scan`` with ``"source": "agent"``;
the findings' spans let the console mark the offending words.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.http import Call, json_response, json_route
from tridesk.finance.compliance import firewall

bp = Blueprint(__name__)


def _tenant(call: Call) -> Any:
    assert call.tenant is not None
    return call.tenant


@json_route(bp, "/v1/compliance/scan", ("POST",), body=True)
def post_scan(call: Call) -> dict[str, Any]:
    """Verdict, findings (with spans) and fixed text of one outgoing reply; the verdict is recorded."""
    return firewall.service().check_reply(_tenant(call), call.body or {})


@json_route(bp, "/v1/compliance/rulesets", ("POST",), body=True)
def post_ruleset(call: Call) -> Response:
    """Upload a rule-pack version (YAML texts); a malformed pack is a 400 naming file and line."""
    created, body = firewall.service().upload(_tenant(call), call.body or {})
    return json_response(201 if created else 200, body)


@json_route(bp, "/v1/compliance/rulesets/{version}/impact", ("POST",), body=True)
def post_ruleset_impact(call: Call, version: str) -> dict[str, Any]:
    """Stored templates and recent replies whose verdict or findings the version would change."""
    return firewall.service().impact(_tenant(call), version, call.body)


@json_route(bp, "/v1/compliance/rulesets/{version}/activate", ("POST",))
def post_ruleset_activate(call: Call, version: str) -> dict[str, Any]:
    """Make the version its business line's active ruleset (idempotent)."""
    return firewall.service().activate(_tenant(call), version)


@json_route(bp, "/v1/compliance/reviews")
def get_reviews(call: Call) -> dict[str, Any]:
    """The officers' review queue (``status=pending|labelled``, ``week=2026W48``, ``limit``)."""
    return firewall.service().list_reviews(_tenant(call), call.query)


@json_route(bp, "/v1/compliance/reviews/stats")
def get_review_stats(call: Call) -> dict[str, Any]:
    """Precision and recall per rule, from the officers' labels."""
    return firewall.service().review_stats(_tenant(call), call.query)


@json_route(bp, "/v1/compliance/reviews/{review_id}/label", ("POST",), body=True)
def post_review_label(call: Call, review_id: str) -> dict[str, Any]:
    """An officer's label: the rules that really apply and the right verdict (idempotent)."""
    return firewall.service().label(_tenant(call), review_id, call.body or {})
