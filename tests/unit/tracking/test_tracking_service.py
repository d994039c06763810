"""The tiered read path and the push path of ``TrackingService`` over in-memory stores and fakes."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest

from local.carrier_service import DEMO_ANCHOR, demo_orders, demo_shipments
from tests.fakes.breaker_store import InMemoryBreakerStore
from tests.fakes.tracking_cache_store import InMemoryTrackingCacheStore
from tests.fakes.tracking_sources import FakeCarrier, FakeClock, FakeOrders
from tridesk.core.errors import NotFoundError, ValidationError
from tridesk.ecommerce.tracking.breaker import BreakerConfig, BreakerRegistry
from tridesk.ecommerce.tracking.cache import CacheEntry, cache_key
from tridesk.ecommerce.tracking.freshness import FreshnessPolicy
from tridesk.ecommerce.tracking.l1 import L1Cache
from tridesk.ecommerce.tracking.models import OrderRef, TrackingEvent, TrackingStatus
from tridesk.ecommerce.tracking.service import ServiceConfig, TrackingService
from tridesk.core.i18n import BiText

TENANT = "demo-ecommerce"
ZHANG, LINA, EMILY = "cust-zhangwei", "cust-lina", "cust-emily"
SIGNED, IN_TRANSIT, HELD, UNSHIPPED = "ECD20261111001", "ECD20261111002", "ECD20261111005", "ECD20261111008"
POLICY = FreshnessPolicy(settled_ttl_s=3600, in_transit_ttl_s=60, l1_ttl_s=5, overrides={})
BREAKERS = BreakerConfig(min_requests=5, sync_interval_s=0, cool_down_s=30, window_s=10)


@dataclass
class World:
    clock: FakeClock
    orders: FakeOrders
    carrier: FakeCarrier
    store: InMemoryTrackingCacheStore
    breaker_store: InMemoryBreakerStore
    follow_ups: list[tuple[str, str, str, int]] = field(default_factory=list)
    follow_up_langs: list[str | None] = field(default_factory=list)

    def service(self, *, real_time: bool = False, **config: float) -> TrackingService:
        clock = None if real_time else self.clock
        kwargs = {} if clock is None else {"clock": clock, "sleep": clock.advance}
        return TrackingService(
            orders=self.orders, carrier=self.carrier, store=self.store,
            breakers=BreakerRegistry(self.breaker_store, BREAKERS, **({} if clock is None else {"clock": clock})),
            policy=POLICY, l1=L1Cache(64, **({} if clock is None else {"clock": clock})),
            config=ServiceConfig(**config), follow_up=self, **kwargs,  # type: ignore[arg-type]
        )

    def schedule(
        self, tenant: str, customer_id: str, order_id: str, within_minutes: int, *, lang: str | None = None
    ) -> None:
        self.follow_ups.append((tenant, customer_id, order_id, within_minutes))
        self.follow_up_langs.append(lang)


@pytest.fixture
def world() -> World:
    clock = FakeClock(DEMO_ANCHOR.timestamp() + 120)
    return World(clock, FakeOrders(demo_orders()), FakeCarrier(demo_shipments()),
                 InMemoryTrackingCacheStore(clock=clock), InMemoryBreakerStore())


def test_tiers_live_then_l1_then_cache_then_live(world: World) -> None:
    svc = world.service()
    first = svc.get(TENANT, ZHANG, IN_TRANSIT)
    assert first.source == "live" and first.status is TrackingStatus.IN_TRANSIT
    assert (world.orders.calls, world.carrier.calls) == (1, 1)
    assert svc.get(TENANT, ZHANG, IN_TRANSIT).source == "l1"
    world.clock.advance(6)
    assert svc.get(TENANT, ZHANG, IN_TRANSIT).source == "cache"
    world.clock.advance(60)
    again = svc.get(TENANT, ZHANG, IN_TRANSIT)
    # THEN the refresh goes to the carrier only: ownership came from the cached record
    assert again.source == "live"
    assert (world.orders.calls, world.carrier.calls) == (1, 2)
    # AND the re-fetched (identical) snapshot replaced the expired record, so it is fresh again
    assert world.service().get(TENANT, ZHANG, IN_TRANSIT).source == "cache"


def test_a_second_container_is_served_from_the_shared_cache(world: World) -> None:
    world.service().get(TENANT, ZHANG, SIGNED)
    answer = world.service().get(TENANT, ZHANG, SIGNED)
    assert answer.source == "cache"
    assert world.carrier.calls == 1


def test_settled_lives_long_in_transit_short(world: World) -> None:
    svc = world.service()
    svc.get(TENANT, ZHANG, SIGNED)
    svc.get(TENANT, ZHANG, IN_TRANSIT)
    world.clock.advance(1800)
    assert svc.get(TENANT, ZHANG, SIGNED).source in ("l1", "cache")
    assert svc.get(TENANT, ZHANG, IN_TRANSIT).source == "live"


def test_exception_states_always_go_to_the_source(world: World) -> None:
    svc = world.service()
    answers = [svc.get(TENANT, LINA, HELD) for _ in range(3)]
    assert [a.source for a in answers] == ["live"] * 3
    assert answers[0].status is TrackingStatus.HELD
    assert world.carrier.calls == 3 and world.orders.calls == 1


def test_another_customers_order_is_not_found_and_leaks_nothing(world: World) -> None:
    svc = world.service()
    with pytest.raises(NotFoundError) as foreign:
        svc.get(TENANT, LINA, SIGNED)
    with pytest.raises(NotFoundError) as unknown:
        svc.get(TENANT, LINA, "ECD20269999999")
    assert foreign.value.to_body() == unknown.value.to_body()
    assert foreign.value.status == 404
    assert world.carrier.calls == 0
    # AND once the owner's answer is cached, the check is made from the cache, without upstream calls
    svc.get(TENANT, ZHANG, SIGNED)
    calls = (world.orders.calls, world.carrier.calls)
    with pytest.raises(NotFoundError):
        svc.get(TENANT, LINA, SIGNED)
    with pytest.raises(NotFoundError):
        world.service().get(TENANT, LINA, SIGNED)
    assert (world.orders.calls, world.carrier.calls) == calls


def test_orders_are_isolated_by_tenant(world: World) -> None:
    with pytest.raises(NotFoundError):
        world.service().get("other-tenant", ZHANG, SIGNED)


@pytest.mark.parametrize("bad", ["", "a", "ECD 001", "../../x", "x" * 80])
def test_malformed_order_id_is_a_400_before_any_lookup(world: World, bad: str) -> None:
    with pytest.raises(ValidationError) as err:
        world.service().get(TENANT, ZHANG, bad)
    assert err.value.status == 400 and err.value.field == "order_id"
    assert world.orders.calls == 0


def test_an_unshipped_order_answers_awaiting_shipment(world: World) -> None:
    answer = world.service().get(TENANT, EMILY, UNSHIPPED)
    assert answer.status is TrackingStatus.AWAITING_SHIPMENT and answer.events == ()
    assert world.carrier.calls == 0


def test_an_order_that_ships_later_picks_up_its_parcel(world: World) -> None:
    # GIVEN an unshipped order answered once
    svc = world.service()
    assert svc.get(TENANT, EMILY, UNSHIPPED).status is TrackingStatus.AWAITING_SHIPMENT
    # WHEN the OMS hands it to a carrier whose data is older than our first answer
    order = world.orders.orders[(TENANT, UNSHIPPED)]
    world.orders.orders[(TENANT, UNSHIPPED)] = replace(order, carrier="ZTO", tracking_number="ZTO78120345561")
    world.clock.advance(61)
    # THEN the refresh asks the OMS again and the carrier's data replaces "awaiting shipment"
    answer = svc.get(TENANT, EMILY, UNSHIPPED)
    assert answer.source == "live" and answer.status is TrackingStatus.IN_TRANSIT
    assert world.orders.calls == 2
    assert world.service().get(TENANT, EMILY, UNSHIPPED).status is TrackingStatus.IN_TRANSIT


def test_degraded_answer_serves_stale_data_with_its_age(world: World) -> None:
    svc = world.service()
    svc.get(TENANT, ZHANG, IN_TRANSIT)
    world.clock.advance(600)
    world.carrier.fail = True
    answer = svc.get(TENANT, ZHANG, IN_TRANSIT)
    assert answer.source == "degraded"
    assert answer.status is TrackingStatus.IN_TRANSIT and answer.events
    # the carrier's data dates from its as_of, 120 s before the first fetch
    assert answer.age_seconds == pytest.approx(720)
    body_en, body_zh = answer.to_dict("en"), answer.to_dict("zh")
    assert "12 minutes ago" in body_en["message"] and "within 15 minutes" in body_en["message"]
    assert "12 分钟前" in body_zh["message"]
    assert body_en["source"] == "degraded" and body_en["follow_up_minutes"] == 15
    assert world.follow_ups == [(TENANT, ZHANG, IN_TRANSIT, 15)]


def test_the_promise_carries_the_language_the_customer_asked_in(world: World) -> None:
    world.carrier.fail = True
    svc = world.service()
    svc.get(TENANT, ZHANG, IN_TRANSIT, lang="en")
    svc.get(TENANT, ZHANG, SIGNED)
    assert world.follow_up_langs == ["en", None]


def test_degraded_without_data_is_a_polite_promise(world: World) -> None:
    world.carrier.fail = True
    answer = world.service(follow_up_minutes=10).get(TENANT, ZHANG, IN_TRANSIT)
    assert answer.source == "degraded" and answer.status is TrackingStatus.UNKNOWN
    assert answer.as_of is None and answer.events == ()
    assert answer.message is not None
    assert "10 分钟内" in answer.message.zh and "within 10 minutes" in answer.message.en


def test_oms_down_and_nothing_cached_degrades(world: World) -> None:
    world.orders.fail = True
    answer = world.service().get(TENANT, ZHANG, IN_TRANSIT)
    assert answer.source == "degraded" and answer.message is not None


def test_open_breaker_stops_calling_the_carrier_then_recovers(world: World) -> None:
    svc = world.service()
    world.carrier.fail = True
    for _ in range(5):
        assert svc.get(TENANT, LINA, HELD).source == "degraded"
    assert svc.carrier_breaker.state == "open"
    calls = world.carrier.calls
    for _ in range(20):
        assert svc.get(TENANT, LINA, HELD).source == "degraded"
    assert world.carrier.calls == calls
    assert {h["name"]: h["state"] for h in svc.health()} == {"oms": "closed", "carrier": "open"}
    # WHEN the carrier heals and the cool-down ends, the probe is a live answer and closes the breaker
    world.carrier.fail = False
    world.clock.advance(31)
    assert svc.get(TENANT, LINA, HELD).source == "live"
    assert svc.carrier_breaker.state == "closed"


def test_an_unreachable_cache_store_still_answers(world: World) -> None:
    world.store.fail = True
    svc = world.service()
    assert svc.get(TENANT, ZHANG, IN_TRANSIT).source == "live"
    assert svc.get(TENANT, ZHANG, IN_TRANSIT).source == "l1"


def _stale(world: World, order_id: str, customer: str, age_s: float) -> CacheEntry:
    order = next(o for o in demo_orders() if o.order_id == order_id)
    snap = demo_shipments()[(order.carrier, order.tracking_number)]  # type: ignore[index]
    fetched = world.clock() - age_s
    return CacheEntry(cache_key(TENANT, order_id), OrderRef.of(order), snap, fetched, fetched + 1,
                      fetched + 10_000)


def test_waiter_serves_stale_when_the_refresh_does_not_land(world: World) -> None:
    # GIVEN a stale record and another container holding the refresh lease
    world.store.seed(_stale(world, IN_TRANSIT, ZHANG, 300))
    assert world.store.try_lock(cache_key(TENANT, IN_TRANSIT), "other-container", 60)
    # WHEN a request needs a refresh
    answer = world.service(lock_wait_s=0.5).get(TENANT, ZHANG, IN_TRANSIT)
    # THEN it waits briefly, does not call the carrier, and serves the stale record
    assert answer.source == "degraded" and answer.events
    assert world.carrier.calls == 0


def test_waiter_takes_the_refreshed_record_when_it_lands(world: World) -> None:
    stale = _stale(world, IN_TRANSIT, ZHANG, 300)
    world.store.seed(stale)
    assert world.store.try_lock(stale.key, "other-container", 60)
    svc = world.service(lock_wait_s=0.5)

    def sleep_then_land(seconds: float) -> None:
        world.clock.advance(seconds)
        now = world.clock()
        world.store.seed(CacheEntry(stale.key, stale.order, stale.snapshot, now, now + 60, now + 10_000))

    svc._sleep = sleep_then_land
    answer = svc.get(TENANT, ZHANG, IN_TRANSIT)
    assert answer.source == "cache" and world.carrier.calls == 0


@pytest.mark.parametrize("order_id,customer", [(IN_TRANSIT, ZHANG), (HELD, LINA)])
def test_stampede_many_concurrent_misses_make_one_upstream_call(world: World, order_id: str, customer: str) -> None:
    # GIVEN 12 containers (own L1, shared cache store) and a slow carrier
    world.carrier.delay_s = 0.15
    world.store._clock = time.time
    services = [world.service(real_time=True, lock_wait_s=2.0, lock_poll_s=0.01) for _ in range(12)]
    barrier = threading.Barrier(len(services))
    answers = []
    lock = threading.Lock()

    def ask(svc: TrackingService) -> None:
        barrier.wait()
        a = svc.get(TENANT, customer, order_id)
        with lock:
            answers.append(a)

    threads = [threading.Thread(target=ask, args=(s,)) for s in services]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    # THEN exactly one carrier call, and every caller got the parcel's events
    assert world.carrier.calls == 1
    assert len(answers) == 12 and all(a.events for a in answers)
    assert sorted(a.source for a in answers) == ["cache"] * 11 + ["live"]


def _push(order_id: str, *, minutes_after_anchor: float, status: TrackingStatus, tracking: str = "ZTO78120345561",
          carrier: str = "ZTO") -> dict:
    t = DEMO_ANCHOR + timedelta(minutes=minutes_after_anchor)
    event = TrackingEvent(t, status, BiText("北京市朝阳区", "Chaoyang, Beijing"),
                          BiText("快件交给刘师傅，正在派送途中", "Out for delivery with courier Liu"))
    return {"tenant": TENANT, "order_id": order_id,
            "tracking": {"carrier": carrier, "tracking_number": tracking, "status": status.value,
                         "events": [event.to_dict()], "as_of": t.isoformat()}}


def test_push_event_updates_the_cache_ahead_of_the_question(world: World) -> None:
    svc = world.service()
    svc.get(TENANT, ZHANG, IN_TRANSIT)
    # WHEN the carrier pushes a newer event
    result = svc.apply_push_event(_push(IN_TRANSIT, minutes_after_anchor=30, status=TrackingStatus.OUT_FOR_DELIVERY))
    assert result.applied and result.status is TrackingStatus.OUT_FOR_DELIVERY
    # THEN the next question is answered from the cache with the merged history, no carrier call
    answer = world.service().get(TENANT, ZHANG, IN_TRANSIT)
    assert answer.source == "cache" and answer.status is TrackingStatus.OUT_FOR_DELIVERY
    assert len(answer.events) == 5 and answer.events[-1].status is TrackingStatus.OUT_FOR_DELIVERY
    assert world.carrier.calls == 1


def test_push_event_older_than_the_cache_loses(world: World) -> None:
    svc = world.service()
    assert svc.apply_push_event(_push(IN_TRANSIT, minutes_after_anchor=30, status=TrackingStatus.OUT_FOR_DELIVERY)).applied
    late = svc.apply_push_event(_push(IN_TRANSIT, minutes_after_anchor=10, status=TrackingStatus.IN_TRANSIT))
    assert not late.applied
    assert world.service().get(TENANT, ZHANG, IN_TRANSIT).status is TrackingStatus.OUT_FOR_DELIVERY


def test_push_for_an_uncached_order_looks_the_order_up(world: World) -> None:
    result = world.service().apply_push_event(_push(IN_TRANSIT, minutes_after_anchor=5, status=TrackingStatus.IN_TRANSIT))
    assert result.applied and world.orders.calls == 1


@pytest.mark.parametrize(
    ("mutate", "field_path"),
    [
        (lambda e: e.pop("tracking"), "tracking"),
        (lambda e: e.update(order_id="bad id"), "order_id"),
        (lambda e: e["tracking"]["events"][0].update(status="teleported"), "tracking.events[0].status"),
        (lambda e: e["tracking"]["events"][0].pop("time"), "tracking.events[0].time"),
        (lambda e: e["tracking"].update(tracking_number="ZTO00000000000"), "tracking.tracking_number"),
        (lambda e: e.update(order_id="ECD20269999999"), "order_id"),
    ],
)
def test_poisoned_push_events_are_validation_errors(world: World, mutate, field_path: str) -> None:  # type: ignore[no-untyped-def]
    event = _push(IN_TRANSIT, minutes_after_anchor=5, status=TrackingStatus.IN_TRANSIT)
    mutate(event)
    with pytest.raises(ValidationError) as err:
        world.service().apply_push_event(event)
    assert err.value.field == field_path


def test_answer_shape_in_both_languages(world: World) -> None:
    answer = world.service().get(TENANT, ZHANG, SIGNED)
    zh, en = answer.to_dict("zh"), answer.to_dict("en")
    assert set(zh) >= {"status", "events", "estimated_delivery", "source", "as_of", "age_seconds"}
    assert zh["status"] == en["status"] == "signed" and zh["status_class"] == "settled"
    assert zh["status_text"] == "已签收" and en["status_text"] == "Signed for"
    assert zh["events"][0]["status"] == "signed"  # newest first
    assert "签收" in zh["events"][0]["description"] and "Signed" in en["events"][0]["description"]
