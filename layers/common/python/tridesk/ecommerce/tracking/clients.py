"""HTTP adapters for the OMS (orders) and the carrier/TMS (tracking events).

Over ``tridesk.core.http.JsonHttp`` (one connection pool per process, kept across warm invocations).
Every call has its own connect/read timeouts and a total deadline; 5xx answers, timeouts and dropped
connections are retried with full-jitter exponential backoff, anything else is not. Failures
surface as :class:`UpstreamError` (for the breaker and the degraded path), a 404 as
:class:`NotFoundError`. Contracts: docs/adapters/oms.md and docs/adapters/carrier.md.

Given a circuit breaker, a client runs every *attempt* through it: the breaker hears of a timed-out
attempt the moment it times out (not after the retry that may rescue the call), and a breaker that
opens during a call stops its retries.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Mapping
from urllib.parse import quote

from tridesk.core.errors import NotFoundError, UpstreamError, ValidationError
from tridesk.core.http import AttemptGuard, HttpAnswer, HttpConfig, JsonHttp
from tridesk.ecommerce.tracking.models import Order, TrackingSnapshot

__all__ = ["CarrierClient", "HttpConfig", "JsonHttpClient", "OmsClient"]


class JsonHttpClient(JsonHttp):
    """``GET`` JSON from an upstream: the body, None on 404; any other status below 500, or a body
    that is not JSON, is a non-retryable ``UpstreamError`` raised inside the attempt (so a breaker
    guarding the attempts counts it). ``breaker`` guards each attempt."""

    def __init__(self, upstream: str, config: HttpConfig, *, breaker: AttemptGuard | None = None, **kw: Any) -> None:
        super().__init__(upstream, config, guard=breaker, **kw)

    @property
    def breaker(self) -> AttemptGuard | None:
        return self.guard

    def get_json(self, path: str, *, headers: Mapping[str, str] | None = None) -> Any | None:
        """The decoded JSON body of ``GET base_url + path``, or None on 404."""
        return self.request("GET", path, headers=headers, check=self._decode)

    def _decode(self, answer: HttpAnswer) -> Any | None:
        if answer.status == 404:
            return None
        if not 200 <= answer.status < 300:
            raise UpstreamError(self.upstream, f"HTTP {answer.status}", retryable=False)
        body = answer.body
        if body is None:
            raise UpstreamError(self.upstream, "answer is not JSON", retryable=False)
        return body


class _UpstreamClient:
    """What the OMS and carrier clients share: their HTTP client and the breaker guarding its attempts."""

    upstream: str

    def __init__(
        self, config: HttpConfig, *, http: JsonHttpClient | None = None, breaker: AttemptGuard | None = None
    ) -> None:
        self.http = http or JsonHttpClient(self.upstream, config, breaker=breaker)

    @property
    def breaker(self) -> AttemptGuard | None:
        """The breaker guarding each attempt, if any (the service then does not wrap calls again)."""
        return self.http.breaker


def _malformed(upstream: str, exc: ValidationError) -> UpstreamError:
    return UpstreamError(upstream, f"malformed answer at {exc.field}: {exc.message}", retryable=False)


class OmsClient(_UpstreamClient):
    """The order management system: ``GET /oms/v1/orders/{order_id}`` with ``X-Tenant-Id``."""

    upstream = "oms"

    def get_order(self, tenant: str, order_id: str) -> Order:
        """The order with its items, owner and parcel; ``NotFoundError`` if the OMS does not know it."""
        data = self.http.get_json(f"/oms/v1/orders/{quote(order_id, safe='')}", headers={"X-Tenant-Id": tenant})
        if data is None:
            raise NotFoundError("order not found", field="order_id")
        try:
            body = data.get("order") if isinstance(data, dict) else None
            return Order.from_dict(body, prefix="order.")
        except ValidationError as exc:
            raise _malformed(self.upstream, exc) from None


class CarrierClient(_UpstreamClient):
    """The carrier/TMS: ``GET /carrier/v1/shipments/{carrier}/{tracking_number}``."""

    upstream = "carrier"

    def get_tracking(self, carrier: str, tracking_number: str) -> TrackingSnapshot:
        """The parcel's events, oldest first; ``NotFoundError`` if the carrier has no such parcel yet."""
        path = f"/carrier/v1/shipments/{quote(carrier, safe='')}/{quote(tracking_number, safe='')}"
        data = self.http.get_json(path)
        if data is None:
            raise NotFoundError("parcel not found", field="tracking_number")
        try:
            snapshot = TrackingSnapshot.from_dict(data)
        except ValidationError as exc:
            raise _malformed(self.upstream, exc) from None
        if (snapshot.carrier, snapshot.tracking_number) != (carrier, tracking_number):
            raise UpstreamError(self.upstream, "answer is for another parcel", retryable=False)
        return snapshot
