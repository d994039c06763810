"""E-commerce tracking routes: "where is my parcel", answered from the cheapest fresh tier.

The customer is the one named in ``X-Customer-Id`` (set by the authorizer or the channel's back
end); another customer's order and an unknown order are the same 404. Upstream trouble never
surfaces as an error: the answer is degraded (``source: degraded``) with the data's age or a
bilingual "we are checking" promise. The breakers' state joins ``/v1/health``.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.http import Call, json_route
from tridesk.core import health
from tridesk.ecommerce.tracking.wiring import UPSTREAMS, breaker_health, tracking_service

bp = Blueprint(__name__)

# tracking_service: this container's service, shared with the chat capabilities; benchmarks
# compare wirings with ``tracking_service.set(...)``.


for _name in UPSTREAMS:
    health.register_check(f"breaker:{_name}", lambda name=_name: breaker_health(tracking_service(), name))


@json_route(bp, "/v1/orders/{order_id}/tracking", customer=True)
def get_order_tracking(call: Call, order_id: str) -> dict[str, Any]:
    """Status, events (newest first), estimated delivery, ``source`` and ``as_of`` of one order."""
    assert call.customer_id is not None
    return tracking_service().get(call.tenant_id, call.customer_id, order_id, lang=call.lang).to_dict(call.lang)
