"""The in-container L1: bounded, TTL'd, least recently used out first, safe across threads."""

from __future__ import annotations

import threading

from tests.fakes.tracking_sources import FakeClock
from tridesk.ecommerce.tracking.l1 import L1Cache


def test_values_expire_after_their_ttl() -> None:
    clock = FakeClock()
    cache: L1Cache[str] = L1Cache(10, clock=clock)
    cache.put("a", "A", 5)
    clock.advance(4.9)
    assert cache.get("a") == "A"
    clock.advance(0.2)
    assert cache.get("a") is None
    assert len(cache) == 0


def test_least_recently_used_is_evicted_at_the_bound() -> None:
    cache: L1Cache[int] = L1Cache(3, clock=FakeClock())
    for i, key in enumerate("abc"):
        cache.put(key, i, 60)
    assert cache.get("a") == 0
    cache.put("d", 3, 60)
    assert cache.get("b") is None
    assert {k: cache.get(k) for k in "acd"} == {"a": 0, "c": 2, "d": 3}


def test_non_positive_ttl_drops_the_value() -> None:
    cache: L1Cache[str] = L1Cache(3, clock=FakeClock())
    cache.put("a", "A", 60)
    cache.put("a", "B", 0)
    assert cache.get("a") is None


def test_concurrent_use_keeps_the_bound() -> None:
    cache: L1Cache[int] = L1Cache(50)

    def work(base: int) -> None:
        for i in range(2000):
            cache.put(f"{base}-{i % 80}", i, 60)
            cache.get(f"{base}-{(i * 7) % 80}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(cache) == 50
