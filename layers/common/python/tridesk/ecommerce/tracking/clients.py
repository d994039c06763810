"""HTTP adapters for the OMS (orders) and the carrier/TMS (tracking events).

One ``urllib3.PoolManager`` per process keeps connections alive across warm invocations. Every
call has its own connect/read timeouts and a total deadline; 5xx answers, timeouts and dropped
connections are retried with full-jitter exponential backoff, anything else is not. Failures
surface as :class:`UpstreamError` (for the breaker and the degraded path), a 404 as
:class:`NotFoundError`. Contracts: docs/adapters/oms.md and docs/adapters/carrier.md.

Given a circuit breaker, a client runs every *attempt* through it: the breaker hears of a timed-out
attempt the moment it times out (not after the retry that may rescue the call), and a breaker that
opens during a call stops its retries.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar
from urllib.parse import quote

import urllib3
from urllib3.exceptions import HTTPError, TimeoutError as Urllib3TimeoutError

from tridesk.core.errors import NotFoundError, UpstreamError, ValidationError
from tridesk.ecommerce.tracking.breaker import BreakerOpenError
from tridesk.ecommerce.tracking.models import Order, TrackingSnapshot

T = TypeVar("T")


class AttemptGuard(Protocol):
    """What guards each attempt (a ``CircuitBreaker``): runs it, counting a raised ``UpstreamError`` as
    a failure, or raises ``BreakerOpenError`` without running it."""

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T: ...

_POOL: urllib3.PoolManager | None = None
_POOL_LOCK = threading.Lock()


def shared_pool() -> urllib3.PoolManager:
    """The process-wide connection pool, created on first use."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = urllib3.PoolManager(num_pools=8, maxsize=32, block=False, retries=False)
        return _POOL


@dataclass(frozen=True, slots=True)
class HttpConfig:
    """Where an upstream lives and how patient to be with it (seconds)."""

    base_url: str
    connect_timeout_s: float = 0.3
    read_timeout_s: float = 1.0
    max_attempts: int = 3
    backoff_base_s: float = 0.05
    backoff_cap_s: float = 1.0
    deadline_s: float | None = 2.5

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError("base_url must be an http(s) URL")
        if self.max_attempts < 1 or self.connect_timeout_s <= 0 or self.read_timeout_s <= 0:
            raise ValueError("max_attempts and timeouts must be positive")


class JsonHttpClient:
    """GET JSON with timeouts, bounded retries (full jitter) and errors mapped to ``UpstreamError``."""

    def __init__(
        self,
        upstream: str,
        config: HttpConfig,
        *,
        pool: urllib3.PoolManager | None = None,
        headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.monotonic,
        breaker: AttemptGuard | None = None,
    ) -> None:
        self.upstream = upstream
        self.config = config
        self.breaker = breaker
        self._pool = pool
        self._headers = {"Accept": "application/json", **(headers or {})}
        self._sleep = sleep
        self._rand = rand
        self._clock = clock
        self.attempts = 0

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2**attempt))."""
        c = self.config
        return self._rand() * min(c.backoff_cap_s, c.backoff_base_s * (2**attempt))

    def get_json(self, path: str, *, headers: Mapping[str, str] | None = None) -> Any | None:
        """The decoded JSON body of ``GET base_url + path``, or None on 404."""
        c = self.config
        url = c.base_url.rstrip("/") + path
        pool = self._pool or shared_pool()
        started = self._clock()
        error: UpstreamError | None = None
        for attempt in range(c.max_attempts):
            read_timeout = c.read_timeout_s
            if c.deadline_s is not None:
                remaining = c.deadline_s - (self._clock() - started)
                if remaining <= 0:
                    break
                read_timeout = min(read_timeout, remaining)
            timeout = urllib3.Timeout(connect=min(c.connect_timeout_s, read_timeout), read=read_timeout)
            args = (pool, url, {**self._headers, **(headers or {})}, timeout)
            try:
                return self.breaker.call(self._attempt, *args) if self.breaker else self._attempt(*args)
            except UpstreamError as exc:
                if isinstance(exc, BreakerOpenError) or not exc.retryable:
                    raise
                error = exc
            if attempt + 1 >= c.max_attempts:
                break
            delay = self.backoff(attempt)
            if c.deadline_s is not None and self._clock() - started + delay >= c.deadline_s:
                break
            self._sleep(delay)
        raise error or UpstreamError(self.upstream, "deadline exceeded")

    def _attempt(
        self, pool: urllib3.PoolManager, url: str, headers: Mapping[str, str], timeout: urllib3.Timeout
    ) -> Any | None:
        """One request: the decoded body, None on 404, else ``UpstreamError`` (retryable for timeouts,
        dropped connections and 5xx; not for other statuses or a body that is not JSON)."""
        self.attempts += 1
        try:
            resp = pool.request("GET", url, headers=headers, timeout=timeout, retries=False, redirect=False)
        except Urllib3TimeoutError as exc:
            raise UpstreamError(self.upstream, f"timeout: {type(exc).__name__}") from None
        except HTTPError as exc:
            raise UpstreamError(self.upstream, f"connection failed: {type(exc).__name__}") from None
        if resp.status == 404:
            return None
        if resp.status >= 500:
            raise UpstreamError(self.upstream, f"HTTP {resp.status}")
        if not 200 <= resp.status < 300:
            raise UpstreamError(self.upstream, f"HTTP {resp.status}", retryable=False)
        try:
            return json.loads(resp.data)
        except ValueError:
            raise UpstreamError(self.upstream, "answer is not JSON", retryable=False) from None


def _malformed(upstream: str, exc: ValidationError) -> UpstreamError:
    return UpstreamError(upstream, f"malformed answer at {exc.field}: {exc.message}", retryable=False)


class OmsClient:
    """The order management system: ``GET /oms/v1/orders/{order_id}`` with ``X-Tenant-Id``."""

    upstream = "oms"

    def __init__(
        self, config: HttpConfig, *, http: JsonHttpClient | None = None, breaker: AttemptGuard | None = None
    ) -> None:
        self.http = http or JsonHttpClient(self.upstream, config, breaker=breaker)

    @property
    def breaker(self) -> AttemptGuard | None:
        """The breaker guarding each attempt, if any (the service then does not wrap calls again)."""
        return self.http.breaker

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


class CarrierClient:
    """The carrier/TMS: ``GET /carrier/v1/shipments/{carrier}/{tracking_number}``."""

    upstream = "carrier"

    def __init__(
        self, config: HttpConfig, *, http: JsonHttpClient | None = None, breaker: AttemptGuard | None = None
    ) -> None:
        self.http = http or JsonHttpClient(self.upstream, config, breaker=breaker)

    @property
    def breaker(self) -> AttemptGuard | None:
        """The breaker guarding each attempt, if any (the service then does not wrap calls again)."""
        return self.http.breaker

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
