"""Fake OMS and carrier for the tracking service: counted calls, injectable failures and delays."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from tridesk.core.errors import NotFoundError, UpstreamError
from tridesk.ecommerce.tracking.models import Order, TrackingSnapshot


class FakeClock:
    """A settable clock for TTL and breaker timings."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeOrders:
    """An OMS holding ``orders``; ``fail`` makes every call an ``UpstreamError``."""

    def __init__(self, orders: Iterable[Order]) -> None:
        self.orders = {(o.tenant, o.order_id): o for o in orders}
        self.calls = 0
        self.fail = False
        self._lock = threading.Lock()

    def get_order(self, tenant: str, order_id: str) -> Order:
        with self._lock:
            self.calls += 1
        if self.fail:
            raise UpstreamError("oms", "HTTP 503")
        order = self.orders.get((tenant, order_id))
        if order is None:
            raise NotFoundError("order not found", field="order_id")
        return order


class FakeCarrier:
    """A carrier holding ``shipments``; ``fail`` raises, ``delay_s`` slows every answer (real sleep)."""

    def __init__(self, shipments: dict[tuple[str, str], TrackingSnapshot]) -> None:
        self.shipments = dict(shipments)
        self.calls = 0
        self.fail = False
        self.delay_s = 0.0
        self._lock = threading.Lock()

    def get_tracking(self, carrier: str, tracking_number: str) -> TrackingSnapshot:
        with self._lock:
            self.calls += 1
        if self.delay_s:
            time.sleep(self.delay_s)
        if self.fail:
            raise UpstreamError("carrier", "timeout: ReadTimeoutError")
        snap = self.shipments.get((carrier, tracking_number))
        if snap is None:
            raise NotFoundError("parcel not found", field="tracking_number")
        return snap
