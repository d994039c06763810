"""The tiered read path for "where is my parcel", and the push path that warms it.

``TrackingService.get``: L1 (this container) -> shared cache store -> upstream through the circuit
breakers. A stale or missing record is refreshed by one caller per key at a time (a lease in the
store); the others wait briefly for the refreshed record, then serve what they have. When an
upstream is sick (breaker open, timeout, 5xx) the answer is degraded, never an exception: the
cached data with ``source="degraded"`` and its age, or a polite bilingual "we are checking" reply
with a follow-up promise. Client errors still raise: another customer's or an unknown order is a
``NotFoundError`` (the same answer for both, so nothing leaks), a malformed id a ``ValidationError``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar

from tridesk.core.errors import NotFoundError, UpstreamError, ValidationError
from tridesk.core.i18n import BiText
from tridesk.ecommerce.tracking.breaker import BreakerRegistry, CircuitBreaker
from tridesk.ecommerce.tracking.cache import CacheEntry, TrackingCacheStore, cache_key
from tridesk.ecommerce.tracking.freshness import FreshnessPolicy
from tridesk.ecommerce.tracking.l1 import L1Cache
from tridesk.ecommerce.tracking.models import (
    Order,
    OrderRef,
    Source,
    Tracking,
    TrackingSnapshot,
    TrackingStatus,
    sort_events,
    utc_from_epoch,
    validate_order_id,
    validate_token,
)

T = TypeVar("T")

CHECKING = BiText(
    "我们正在为您查询订单 {order_id} 的最新物流信息，将在 {minutes} 分钟内主动告知您结果，请您稍候。",
    "We are checking the latest delivery status of order {order_id} and will follow up with you "
    "within {minutes} minutes.",
)
STALE = BiText(
    "物流系统繁忙，以下是{age_zh}前的物流信息。我们正在核实最新进展，将在 {minutes} 分钟内主动告知您。",
    "The carrier's system is busy, so this is the tracking information from {age_en} ago. We are "
    "checking for the latest update and will follow up within {minutes} minutes.",
)
NOT_FOUND = "order not found"


class OrderSource(Protocol):
    """The OMS: ``get_order`` raises ``NotFoundError`` for an unknown order, ``UpstreamError`` on trouble."""

    def get_order(self, tenant: str, order_id: str) -> Order: ...


class TrackingSource(Protocol):
    """The carrier/TMS: ``get_tracking`` raises ``NotFoundError`` for an unknown parcel, ``UpstreamError`` on trouble."""

    def get_tracking(self, carrier: str, tracking_number: str) -> TrackingSnapshot: ...


class FollowUpSink(Protocol):
    """Where a promised follow-up is recorded (e.g. a delayed SQS message); failures are ignored.

    ``lang`` is the language the customer asked in (``zh``/``en``), so the follow-up speaks it too;
    None sends both.
    """

    def schedule(
        self, tenant: str, customer_id: str, order_id: str, within_minutes: int, *, lang: str | None = None
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    """Stampede-lease timings, the follow-up promise and the breaker names of the two upstreams."""

    lock_ttl_s: float = 5.0
    lock_wait_s: float = 1.0
    lock_poll_s: float = 0.02
    follow_up_minutes: int = 15
    oms_breaker: str = "oms"
    carrier_breaker: str = "carrier"


@dataclass(frozen=True, slots=True)
class PushResult:
    """What a carrier push did: ``applied`` is False when the cache already held newer data."""

    key: str
    applied: bool
    status: TrackingStatus


def _age_texts(seconds: float) -> tuple[str, str]:
    if seconds < 60:
        return "不到 1 分钟", "less than a minute"
    if seconds < 3600:
        n = int(seconds // 60)
        return f"{n} 分钟", f"{n} minute{'s' if n != 1 else ''}"
    if seconds < 86400:
        n = int(seconds // 3600)
        return f"{n} 小时", f"{n} hour{'s' if n != 1 else ''}"
    n = int(seconds // 86400)
    return f"{n} 天", f"{n} day{'s' if n != 1 else ''}"


class TrackingService:
    """Answers tracking questions from the cheapest tier that is fresh enough; see the module doc."""

    def __init__(
        self,
        *,
        orders: OrderSource,
        carrier: TrackingSource,
        store: TrackingCacheStore,
        breakers: BreakerRegistry,
        policy: FreshnessPolicy | None = None,
        l1: L1Cache[CacheEntry] | None = None,
        config: ServiceConfig | None = None,
        follow_up: FollowUpSink | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._orders = orders
        self._carrier = carrier
        self._store = store
        self._breakers = breakers
        self.policy = policy or FreshnessPolicy()
        self.l1: L1Cache[CacheEntry] = l1 if l1 is not None else L1Cache()
        self.config = config or ServiceConfig()
        self._follow_up = follow_up
        self._clock = clock
        self._sleep = sleep

    @property
    def oms_breaker(self) -> CircuitBreaker:
        return self._breakers.get(self.config.oms_breaker)

    @property
    def carrier_breaker(self) -> CircuitBreaker:
        return self._breakers.get(self.config.carrier_breaker)

    def health(self) -> list[dict[str, Any]]:
        """The upstream breakers' status for ``/v1/health``."""
        for name in (self.config.oms_breaker, self.config.carrier_breaker):
            self._breakers.get(name)
        return self._breakers.status()

    # -- read path ---------------------------------------------------------------------------

    def get(self, tenant: str, customer_id: str, order_id: str, *, lang: str | None = None) -> Tracking:
        """The tracking of ``order_id`` for its owner; never raises for upstream trouble.

        ``lang`` (the customer's language) only goes to a promised follow-up.
        """
        tenant = validate_token(tenant, field="tenant")
        customer_id = validate_token(customer_id, field="customer_id")
        order_id = validate_order_id(order_id)
        key = cache_key(tenant, order_id)
        started = self._clock()

        entry = self.l1.get(key)
        if entry is not None:
            self._check_owner(entry.order, customer_id)
            return self._answer(entry, "l1", started)

        entry = self._store_get(key)
        if entry is not None:
            self._check_owner(entry.order, customer_id)
            if entry.is_fresh(started):
                self._remember(entry, started)
                return self._answer(entry, "cache", started)
        return self._refresh(key, tenant, customer_id, order_id, entry, started, lang)

    def _refresh(
        self, key: str, tenant: str, customer_id: str, order_id: str, stale: CacheEntry | None, started: float,
        lang: str | None,
    ) -> Tracking:
        first = self.oms_breaker if self._needs_order(stale) else self.carrier_breaker
        if not first.allows():
            return self._degraded(stale, tenant, customer_id, order_id, lang=lang)
        owner = uuid.uuid4().hex
        if not self._try_lock(key, owner):
            return self._wait_for_refresh(key, tenant, customer_id, order_id, stale, started, lang)
        try:
            return self._fetch(key, tenant, customer_id, order_id, stale, lang)
        finally:
            self._release(key, owner)

    def _wait_for_refresh(
        self, key: str, tenant: str, customer_id: str, order_id: str, stale: CacheEntry | None, started: float,
        lang: str | None,
    ) -> Tracking:
        """Another caller is refreshing this key: re-read until its record lands, else serve what we have."""
        deadline = started + self.config.lock_wait_s
        while self._clock() < deadline:
            self._sleep(self.config.lock_poll_s)
            landed = self._landed(key, stale, customer_id)
            if landed is not None:
                return landed
            owner = uuid.uuid4().hex
            if self._try_lock(key, owner, quiet=False):
                self._release(key, owner)
                landed = self._landed(key, stale, customer_id)
                if landed is not None:
                    return landed
                break
        return self._degraded(stale, tenant, customer_id, order_id, lang=lang)

    def _landed(self, key: str, stale: CacheEntry | None, customer_id: str) -> Tracking | None:
        """The answer from a record written after ``stale`` (by another caller's refresh or a push)."""
        entry = self._store_get(key)
        if entry is None or (stale is not None and entry.fetched_at <= stale.fetched_at):
            return None
        self._check_owner(entry.order, customer_id)
        now = self._clock()
        if entry.is_fresh(now):
            self._remember(entry, now)
        return self._answer(entry, "cache", now)

    def _fetch(
        self, key: str, tenant: str, customer_id: str, order_id: str, stale: CacheEntry | None, lang: str | None
    ) -> Tracking:
        ref = None if stale is None or self._needs_order(stale) else stale.order
        if ref is None:
            try:
                order = self._guarded(self.oms_breaker, self._orders, self._orders.get_order, tenant, order_id)
            except NotFoundError:
                raise NotFoundError(NOT_FOUND, field="order_id") from None
            except UpstreamError:
                return self._degraded(stale, tenant, customer_id, order_id, lang=lang)
            if order.tenant != tenant or order.order_id != order_id:
                return self._degraded(stale, tenant, customer_id, order_id, lang=lang)
            ref = OrderRef.of(order)
            self._check_owner(ref, customer_id)
            if ref.carrier is None or ref.tracking_number is None:
                now = self._clock()
                entry = CacheEntry(key, ref, None, now,
                                   self.policy.expires_at(TrackingStatus.AWAITING_SHIPMENT, now),
                                   self.policy.retain_until(now))
                self._store_put(entry, now)
                return self._answer(entry, "live", now)
        assert ref.carrier is not None and ref.tracking_number is not None
        try:
            snapshot = self._guarded(self.carrier_breaker, self._carrier, self._carrier.get_tracking,
                                     ref.carrier, ref.tracking_number)
        except NotFoundError:
            snapshot = TrackingSnapshot(ref.carrier, ref.tracking_number, TrackingStatus.AWAITING_PICKUP, (),
                                        utc_from_epoch(self._clock()))
        except UpstreamError:
            return self._degraded(stale, tenant, customer_id, order_id, ref, lang=lang)
        now = self._clock()
        entry = CacheEntry(key, ref, snapshot, now, self.policy.expires_at(snapshot.status, now),
                           self.policy.retain_until(now))
        self._store_put(entry, now)
        return self._answer(entry, "live", now)

    @staticmethod
    def _guarded(breaker: CircuitBreaker, client: object, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` through ``breaker``, unless ``client`` already runs each attempt through it."""
        if getattr(client, "breaker", None) is breaker:
            return fn(*args)
        return breaker.call(fn, *args)

    @staticmethod
    def _needs_order(entry: CacheEntry | None) -> bool:
        return entry is None or entry.order.carrier is None or entry.order.tracking_number is None

    @staticmethod
    def _check_owner(ref: OrderRef, customer_id: str) -> None:
        if ref.customer_id != customer_id:
            raise NotFoundError(NOT_FOUND, field="order_id")

    def _answer(self, entry: CacheEntry, source: Source, now: float, **extra: Any) -> Tracking:
        snap = entry.snapshot
        as_of = snap.as_of if snap is not None else utc_from_epoch(entry.fetched_at)
        return Tracking(
            order_id=entry.order.order_id,
            status=snap.status if snap is not None else TrackingStatus.AWAITING_SHIPMENT,
            events=snap.events if snap is not None else (),
            estimated_delivery=snap.estimated_delivery if snap is not None else None,
            source=source,
            as_of=as_of,
            age_seconds=max(0.0, now - as_of.timestamp()),
            carrier=entry.order.carrier,
            tracking_number=entry.order.tracking_number,
            **extra,
        )

    def _degraded(
        self, stale: CacheEntry | None, tenant: str, customer_id: str, order_id: str, ref: OrderRef | None = None,
        *, lang: str | None = None,
    ) -> Tracking:
        now = self._clock()
        minutes = self.config.follow_up_minutes
        self._schedule_follow_up(tenant, customer_id, order_id, minutes, lang)
        if stale is not None:
            answer = self._answer(stale, "degraded", now, follow_up_minutes=minutes)
            age_zh, age_en = _age_texts(answer.age_seconds or 0.0)
            message = BiText(STALE.zh.format(age_zh=age_zh, minutes=minutes),
                             STALE.en.format(age_en=age_en, minutes=minutes))
            return replace(answer, message=message)
        return Tracking(
            order_id=order_id,
            status=TrackingStatus.UNKNOWN,
            events=(),
            estimated_delivery=None,
            source="degraded",
            as_of=None,
            age_seconds=None,
            carrier=None if ref is None else ref.carrier,
            tracking_number=None if ref is None else ref.tracking_number,
            message=CHECKING.format(order_id=order_id, minutes=minutes),
            follow_up_minutes=minutes,
        )

    def _schedule_follow_up(
        self, tenant: str, customer_id: str, order_id: str, minutes: int, lang: str | None
    ) -> None:
        if self._follow_up is None:
            return
        try:
            self._follow_up.schedule(tenant, customer_id, order_id, minutes, lang=lang)
        except Exception:  # noqa: BLE001 - a lost follow-up must not turn a degraded answer into a 5xx
            return

    # -- store helpers: the cache is an optimisation, its trouble degrades to "miss" --------------

    def _remember(self, entry: CacheEntry, now: float) -> None:
        status = entry.snapshot.status if entry.snapshot is not None else TrackingStatus.AWAITING_SHIPMENT
        self.l1.put(entry.key, entry, self.policy.l1_ttl_for(status, remaining_s=entry.expires_at - now))

    def _store_get(self, key: str) -> CacheEntry | None:
        try:
            return self._store.get(key)
        except UpstreamError:
            return None

    def _store_put(self, entry: CacheEntry, now: float) -> None:
        try:
            written = self._store.put_if_newer(entry)
        except UpstreamError:
            written = True
        if written:
            self._remember(entry, now)

    def _try_lock(self, key: str, owner: str, *, quiet: bool = True) -> bool:
        try:
            return self._store.try_lock(key, owner, self.config.lock_ttl_s)
        except UpstreamError:
            return quiet

    def _release(self, key: str, owner: str) -> None:
        try:
            self._store.release(key, owner)
        except UpstreamError:
            return

    # -- push path ---------------------------------------------------------------------------

    def apply_push_event(self, event: Mapping[str, Any]) -> PushResult:
        """Put a carrier push into the cache ahead of the question, if it is newer than what is there.

        ``event``: ``{"tenant", "order_id", "tracking": <carrier snapshot>}``. A malformed event, an
        unknown order or a parcel that is not the order's raises ``ValidationError`` (poison: to the
        DLQ); store or OMS trouble raises ``UpstreamError`` (transient: let the queue retry).
        """
        if not isinstance(event, Mapping):
            raise ValidationError("push event must be an object", field=None)
        tenant = validate_token(event.get("tenant"), field="tenant")
        order_id = validate_order_id(event.get("order_id"))
        raw = event.get("tracking")
        if raw is None:
            raise ValidationError("missing field 'tracking'", field="tracking")
        snapshot = TrackingSnapshot.from_dict(raw, prefix="tracking.")
        key = cache_key(tenant, order_id)

        existing = self._store.get(key)
        if existing is not None and not self._needs_order(existing):
            ref = existing.order
        else:
            try:
                order = self._guarded(self.oms_breaker, self._orders, self._orders.get_order, tenant, order_id)
            except NotFoundError:
                raise ValidationError("push event for an unknown order", field="order_id") from None
            ref = OrderRef.of(order)
        if (ref.carrier, ref.tracking_number) != (snapshot.carrier, snapshot.tracking_number):
            raise ValidationError("the parcel does not belong to this order", field="tracking.tracking_number")

        if existing is not None and existing.snapshot is not None:
            snapshot = TrackingSnapshot(
                snapshot.carrier, snapshot.tracking_number, snapshot.status,
                sort_events(existing.snapshot.events + snapshot.events), snapshot.as_of,
                snapshot.estimated_delivery or existing.snapshot.estimated_delivery,
            )
        now = self._clock()
        entry = CacheEntry(key, ref, snapshot, now, self.policy.expires_at(snapshot.status, now),
                           self.policy.retain_until(now))
        applied = self._store.put_if_newer(entry)
        if applied:
            self.l1.invalidate(key)
        return PushResult(key=key, applied=applied, status=snapshot.status)

