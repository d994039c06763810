"""E-commerce demo data: the tracking cache as carrier pushes would have left it.

The demo orders and parcels live in the local carrier/OMS service (``local.carrier_service``:
customers ``cust-zhangwei``, ``cust-lina``, ``cust-emily`` of ``demo-ecommerce``). Carriers push
settled parcels' final scans, so the two delivered demo parcels are put in the cache through the
real push path (the same ``apply_push_event`` the carrier-events Lambda runs): the first question
about them is answered from the cache, the others go live.
"""

from __future__ import annotations

from typing import Any

from local.carrier_service import DEMO_TENANT, demo_orders
from tridesk.ecommerce.tracking.models import SETTLED_STATUSES

DEMO_CUSTOMERS = ("cust-zhangwei", "cust-lina", "cust-emily")


def seed(stack: Any) -> None:
    carrier = stack.upstreams.get("carrier")
    if carrier is None:
        return
    from tridesk.ecommerce.tracking.wiring import build_tracking_service

    service = build_tracking_service()
    for order in demo_orders(DEMO_TENANT, carrier.anchor):
        if order.carrier is None or order.tracking_number is None:
            continue
        snapshot = carrier.find_shipment(order.carrier, order.tracking_number)
        if snapshot is not None and snapshot.status in SETTLED_STATUSES:
            service.apply_push_event(
                {"tenant": DEMO_TENANT, "order_id": order.order_id, "tracking": snapshot.to_dict()}
            )
