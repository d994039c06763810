"""Circuit breaker: closed -> open -> half-open -> closed, and the state shared between containers."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from tests.fakes.breaker_store import InMemoryBreakerStore
from tests.fakes.tracking_sources import FakeClock
from tridesk.core.errors import NotFoundError, UpstreamError
from tridesk.ecommerce.tracking.breaker import (
    BreakerConfig,
    BreakerOpenError,
    BreakerRegistry,
    BreakerState,
    CircuitBreaker,
)

CONFIG = BreakerConfig(error_threshold=0.2, min_requests=10, window_s=10, bucket_s=1, cool_down_s=5,
                       probe_timeout_s=3, sync_interval_s=0)


def ok() -> str:
    return "ok"


def boom() -> str:
    raise UpstreamError("carrier", "HTTP 503")


def run(breaker: CircuitBreaker, fn=ok) -> str:  # type: ignore[no-untyped-def]
    try:
        return breaker.call(fn)
    except BreakerOpenError:
        return "rejected"
    except UpstreamError:
        return "failed"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store() -> InMemoryBreakerStore:
    return InMemoryBreakerStore()


def make(store: InMemoryBreakerStore, clock: FakeClock, name: str = "carrier", **cfg: float) -> CircuitBreaker:
    config = replace(CONFIG, **cfg) if cfg else CONFIG
    return CircuitBreaker(name, store, config, clock=clock)


def test_stays_closed_at_or_below_the_threshold(store: InMemoryBreakerStore, clock: FakeClock) -> None:
    breaker = make(store, clock)
    # GIVEN exactly 20% failures (2 of 10): not *above* the threshold
    for i in range(10):
        run(breaker, boom if i < 2 else ok)
    assert breaker.state == "closed"


def test_does_not_open_below_the_minimum_request_count(store: InMemoryBreakerStore, clock: FakeClock) -> None:
    breaker = make(store, clock)
    for _ in range(9):
        run(breaker, boom)
    assert breaker.state == "closed"
    run(breaker, boom)
    assert breaker.state == "open"


def test_full_cycle_closed_open_half_open_closed(store: InMemoryBreakerStore, clock: FakeClock) -> None:
    breaker = make(store, clock)
    calls = []

    def counted() -> str:
        calls.append(1)
        return "ok"

    # GIVEN 7 ok then 3 failures: 30% > 20% over 10 calls
    for _ in range(7):
        run(breaker, ok)
    for _ in range(3):
        run(breaker, boom)
    assert breaker.state == "open"
    # WHEN open, calls are rejected without reaching the upstream
    assert run(breaker, counted) == "rejected" and not calls
    clock.advance(4.9)
    assert run(breaker, counted) == "rejected" and not calls
    # WHEN the cool-down is over, one probe goes through (half-open) ...
    clock.advance(0.2)
    assert breaker.allows()
    assert run(breaker, counted) == "ok" and len(calls) == 1
    # THEN its success closes the breaker with a fresh window
    assert breaker.state == "closed"
    assert breaker.status()["requests"] == 0


def test_probe_failure_reopens_and_restarts_the_cool_down(store: InMemoryBreakerStore, clock: FakeClock) -> None:
    breaker = make(store, clock)
    for _ in range(10):
        run(breaker, boom)
    clock.advance(5.1)
    assert run(breaker, boom) == "failed"
    assert breaker.state == "open"
    clock.advance(4)
    assert run(breaker, ok) == "rejected"
    clock.advance(1.2)
    assert run(breaker, ok) == "ok"
    assert breaker.state == "closed"


def test_only_one_probe_while_half_open(store: InMemoryBreakerStore, clock: FakeClock) -> None:
    breaker = make(store, clock)
    for _ in range(10):
        run(breaker, boom)
    clock.advance(6)
    seen: list[str] = []

    def probe() -> str:
        # a second caller during the probe is turned away
        seen.append(run(breaker, ok))
        return "ok"

    assert run(breaker, probe) == "ok"
    assert seen == ["rejected"]


def test_two_containers_share_one_state(store: InMemoryBreakerStore, clock: FakeClock) -> None:
    # GIVEN two containers' breakers over one store
    a = make(store, clock)
    b = make(store, clock)
    # WHEN both see a few failures each: neither alone reaches min_requests
    for _ in range(5):
        run(a, boom)
        run(b, boom)
    # THEN the shared window opens the breaker for both
    assert a.state == "open" and b.state == "open"
    assert run(a) == "rejected" and run(b) == "rejected"
    # WHEN the cool-down ends, B takes the probe lease; A is turned away while it runs
    clock.advance(5.5)
    results: list[str] = []

    def probe() -> str:
        results.append(run(a))
        return "ok"

    assert run(b, probe) == "ok"
    assert results == ["rejected"]
    # THEN B's successful probe closes the breaker for A too
    assert a.state == "closed" and run(a) == "ok"


def test_a_probe_lease_expires_if_its_holder_vanishes(store: InMemoryBreakerStore, clock: FakeClock) -> None:
    a = make(store, clock)
    b = make(store, clock)
    for _ in range(10):
        run(a, boom)
    clock.advance(5.5)
    assert a._acquire() is not None  # A takes the probe and its container dies
    assert run(b) == "rejected"
    clock.advance(3.1)  # probe_timeout_s
    assert run(b) == "ok"
    assert a.state == "closed"


def test_sliding_window_forgets_old_failures(store: InMemoryBreakerStore, clock: FakeClock) -> None:
    breaker = make(store, clock)
    for _ in range(9):
        run(breaker, boom)
    clock.advance(11)
    for _ in range(9):
        run(breaker, ok)
    run(breaker, boom)
    assert breaker.state == "closed"


def test_periodic_sync_batches_writes(store: InMemoryBreakerStore, clock: FakeClock) -> None:
    breaker = make(store, clock, sync_interval_s=1.0)
    for _ in range(100):
        run(breaker, ok)
        clock.advance(0.01)
    assert store.writes <= 2
    breaker.sync()
    stored = store.get("carrier")
    assert stored is not None and sum(b.ok for b in stored.buckets) == 100


def test_slow_successes_count_as_failures(store: InMemoryBreakerStore, clock: FakeClock) -> None:
    # GIVEN an upstream that answers, but only after retries made the call slow
    breaker = CircuitBreaker("carrier", store, replace(CONFIG, slow_call_s=0.5), clock=clock, timer=clock)

    def slow() -> str:
        clock.advance(0.6)
        return "ok"

    for _ in range(7):
        run(breaker, ok)
    for _ in range(3):
        assert run(breaker, slow) == "ok"
    # THEN 30% slow calls open the breaker
    assert breaker.state == "open"


def test_upstream_answering_not_found_is_a_success(store: InMemoryBreakerStore, clock: FakeClock) -> None:
    breaker = make(store, clock)

    def missing() -> str:
        raise NotFoundError("no such parcel")

    for _ in range(20):
        with pytest.raises(NotFoundError):
            breaker.call(missing)
    assert breaker.state == "closed"


def test_unreachable_store_falls_back_to_the_local_view(store: InMemoryBreakerStore, clock: FakeClock) -> None:
    breaker = make(store, clock)
    store.fail = True
    for _ in range(10):
        run(breaker, boom)
    assert breaker.state == "open"
    assert run(breaker) == "rejected"


def test_state_record_round_trips() -> None:
    state = BreakerState("oms", "half_open", (), 10.0, "x", 20.0, 11.0, 7)
    assert BreakerState.from_dict(state.to_dict()) == state


def test_registry_lists_every_upstream(store: InMemoryBreakerStore, clock: FakeClock) -> None:
    registry = BreakerRegistry(store, CONFIG, clock=clock)
    assert registry.get("oms") is registry.get("oms")
    registry.get("carrier")
    names = {s["name"]: s["state"] for s in registry.status()}
    assert names == {"oms": "closed", "carrier": "closed"}


class SlowStore(InMemoryBreakerStore):
    """A store whose reads (or writes) block until released: a store round trip under load."""

    def __init__(self, block_on: str = "get") -> None:
        super().__init__()
        self.block_on = block_on
        self.entered = threading.Event()
        self.release = threading.Event()
        self.blocking = False

    def _maybe_block(self, op: str) -> None:
        if self.blocking and op == self.block_on:
            self.entered.set()
            assert self.release.wait(5), "the test never released the store"

    def get(self, name: str) -> BreakerState | None:
        self._maybe_block("get")
        return super().get(name)

    def put(self, state: BreakerState, *, expected_version: int) -> bool:
        self._maybe_block("put")
        return super().put(state, expected_version=expected_version)


def test_a_sync_in_progress_does_not_hold_up_other_callers(clock: FakeClock) -> None:
    store = SlowStore("get")
    breaker = CircuitBreaker("carrier", store, replace(CONFIG, sync_interval_s=1.0), clock=clock)
    run(breaker, ok)
    clock.advance(2)  # a sync is due
    store.blocking = True
    syncing = threading.Thread(target=run, args=(breaker, ok))
    syncing.start()
    assert store.entered.wait(5)
    # WHILE one thread waits on the store, the others answer from the current view, without waiting
    answered: list[str] = []
    others = [threading.Thread(target=lambda: answered.append(run(breaker, ok))) for _ in range(5)]
    for t in others:
        t.start()
    for t in others:
        t.join(2)
    assert answered == ["ok"] * 5 and breaker.allows() and breaker.state == "closed"
    store.release.set()
    syncing.join(5)
    # AND no outcome is lost: the store ends up with all seven calls
    store.blocking = False
    breaker.sync()
    stored = store.get("carrier")
    assert stored is not None and sum(b.ok for b in stored.buckets) == 7


def test_a_trip_seen_while_another_thread_syncs_is_written_by_that_thread(clock: FakeClock) -> None:
    store = SlowStore("put")
    breaker = CircuitBreaker("carrier", store, replace(CONFIG, sync_interval_s=1.0), clock=clock)
    run(breaker, ok)
    clock.advance(2)  # a sync of that success is due
    store.blocking = True
    syncing = threading.Thread(target=run, args=(breaker, ok))
    syncing.start()
    assert store.entered.wait(5)  # that thread is writing the first success
    # WHILE its write is in flight, enough failures to trip arrive in this thread
    for _ in range(10):
        run(breaker, boom)
    assert InMemoryBreakerStore.get(store, "carrier") is None  # nothing written yet
    store.release.set()
    syncing.join(5)
    # THEN the syncing thread went round once more and opened the shared breaker
    stored = InMemoryBreakerStore.get(store, "carrier")
    assert stored is not None and stored.state == "open"
