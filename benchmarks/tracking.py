"""Order-tracking benchmark: latency of the API handler path per tier, and behaviour under carrier faults.

Starts the embedded local stack (moto, template.yaml, the local carrier/OMS service on loopback) and
calls the API Lambda's own handler in process with API Gateway events, so every figure includes the
route, tenant resolution, the tracking service, DynamoDB (moto over loopback HTTP) and the upstreams
over real HTTP. The carrier and the OMS answer in 300 ms (set through the service's fault settings).

Phases, in one run:
1. L1 hits (one warm key, this container's memory);
2. cache hits (records in the DynamoDB cache table, not in L1);
3. live fetches (never-seen orders: OMS + carrier + cache write);
4. no-cache baseline: the same handler with the caches switched off (every question asks the OMS
   and the carrier, as a system without this work would);
5. faults: the carrier at 50% errors with 2 s hangs, under concurrent load on parcels whose cached
   data expired; reports 5xx answers, p99 while the breaker is open and how long it took to open.

    uv run python -m benchmarks.tracking [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import os
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

TENANT = "demo-ecommerce"
LOAD_CUSTOMER = "cust-load"
ROUTE = "/v1/orders/{order_id}/tracking"
LATENCY_MS = 300


def api_event(order_id: str, customer: str, lang: str = "zh") -> dict[str, Any]:
    """An API Gateway proxy event for ``GET /v1/orders/{order_id}/tracking``."""
    headers = {"Accept": "application/json", "Host": "localhost", "X-Tenant-Id": TENANT, "X-Customer-Id": customer}
    path = f"/v1/orders/{order_id}/tracking"
    return {
        "resource": ROUTE, "path": path, "httpMethod": "GET", "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": {"lang": lang}, "multiValueQueryStringParameters": {"lang": [lang]},
        "pathParameters": {"order_id": order_id}, "stageVariables": None,
        "requestContext": {"resourcePath": ROUTE, "httpMethod": "GET", "path": f"/dev{path}", "stage": "dev",
                           "requestId": str(uuid.uuid4()), "accountId": "123456789012", "apiId": "bench",
                           "identity": {"sourceIp": "127.0.0.1", "userAgent": "bench"}},
        "body": None, "isBase64Encoded": False,
    }


@dataclass
class Sample:
    started: float
    ms: float
    status: int
    source: str | None


@dataclass
class Phase:
    name: str
    samples: list[Sample] = field(default_factory=list)

    def ms(self) -> list[float]:
        return [s.ms for s in self.samples]

    def pct(self, q: float) -> float:
        values = sorted(self.ms())
        return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")

    def sources(self) -> str:
        return ", ".join(f"{k}:{v}" for k, v in sorted(Counter(s.source for s in self.samples).items()))

    def errors_5xx(self) -> int:
        return sum(1 for s in self.samples if s.status >= 500)


class Harness:
    """The stack, the API handler and the helpers the phases share."""

    def __init__(self, stack: Any) -> None:
        from local.lambdas import LambdaContext

        self.stack = stack
        self.carrier = stack.upstreams["carrier"]
        name = stack.function_names["ApiFunction"]
        self.handler = stack.dispatcher.handler(name)
        self._context = LambdaContext("ApiFunction")
        import chalicelib.tracking as routes  # loaded by the stack as the API function's own module

        self.routes = routes
        self._next = 0
        self._lock = threading.Lock()

    def call(self, order_id: str, customer: str = LOAD_CUSTOMER) -> Sample:
        started = time.perf_counter()
        response = self.handler(api_event(order_id, customer), self._context)
        ms = (time.perf_counter() - started) * 1000
        source = None
        if response["statusCode"] == 200:
            source = json.loads(response["body"])["source"]
        return Sample(started, ms, int(response["statusCode"]), source)

    def fresh_numbers(self, count: int) -> list[int]:
        """Load-order numbers nobody asked about in this run."""
        with self._lock:
            start = self._next
            self._next += count
        return [10_000_000 + start + i for i in range(count)]

    def seed(self, numbers: list[int], *, age_s: float, fresh_for_s: float) -> None:
        """Cache records for load orders as if fetched ``age_s`` ago and fresh for ``fresh_for_s`` after."""
        from local.carrier_service import load_order, load_shipment
        from tridesk.ecommerce.tracking.cache import CacheEntry, cache_key
        from tridesk.ecommerce.tracking.dynamo import TrackingCacheRecord
        from tridesk.ecommerce.tracking.models import OrderRef

        now = time.time()
        with TrackingCacheRecord.batch_write() as batch:
            for n in numbers:
                order = load_order(TENANT, n, self.carrier.anchor)
                entry = CacheEntry(cache_key(TENANT, order.order_id), OrderRef.of(order),
                                   load_shipment(n, self.carrier.anchor), now - age_s, now - age_s + fresh_for_s,
                                   now + 30 * 86400)
                batch.save(TrackingCacheRecord(entry.key, record=json.dumps(entry.to_record()), version=entry.version,
                                               fetched_at=entry.fetched_at, retain_until=int(entry.retain_until)))


def order_id(n: int) -> str:
    return f"ECL{n:08d}"


def sequential(h: Harness, name: str, ids: list[str], before: Callable[[str], None] | None = None) -> Phase:
    phase = Phase(name)
    for oid in ids:
        if before is not None:
            before(oid)
        phase.samples.append(h.call(oid))
    return phase


def concurrent(h: Harness, name: str, ids: list[str], threads: int) -> Phase:
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return Phase(name, list(pool.map(h.call, ids)))


@dataclass
class FaultReport:
    phase: Phase
    open_samples: Phase
    opened_after_s: float | None
    transitions: list[tuple[float, str]]
    carrier_stats: dict[str, int]


def fault_phase(h: Harness, *, seconds: float, threads: int, rate_per_s: float, healthy_s: float = 2.0) -> FaultReport:
    """Paced concurrent questions about expired parcels: ``healthy_s`` of steady traffic, then the carrier
    fails half its calls (2 s hangs) for ``seconds``. The breaker's window holds the healthy traffic too."""
    numbers = h.fresh_numbers(int((seconds + healthy_s) * rate_per_s * 1.3) + 200)
    h.seed(numbers, age_s=900, fresh_for_s=300)
    breaker = h.routes.tracking_service().carrier_breaker
    breaker.sync()
    assert breaker.state == "closed", "the carrier breaker must start closed"
    ids = iter(order_id(n) for n in numbers)
    ids_lock = threading.Lock()
    samples: list[Sample] = []
    states: list[tuple[float, str]] = []
    stop = threading.Event()
    h.carrier.set_faults(latency_ms=LATENCY_MS)
    phase_started = time.perf_counter()
    fault_started = phase_started + healthy_s
    fault_started_epoch = time.time() + healthy_s
    end = fault_started + seconds

    def monitor() -> None:
        faulty = False
        while not stop.is_set():
            if not faulty and time.perf_counter() >= fault_started:
                h.carrier.set_faults(error_rate=0.5, timeout_ms=2000)
                faulty = True
            states.append((time.perf_counter(), breaker.state))
            time.sleep(0.01)

    def worker(index: int) -> None:
        interval = threads / rate_per_s
        next_at = phase_started + index * interval / threads
        while True:
            now = time.perf_counter()
            if now >= end:
                return
            if next_at > now:
                time.sleep(next_at - now)
            next_at = max(next_at, now) + interval  # open-loop arrivals: a late worker does not burst
            with ids_lock:
                oid = next(ids, None)
            if oid is None:
                return
            sample = h.call(oid)
            with ids_lock:
                samples.append(sample)

    watcher = threading.Thread(target=monitor, daemon=True)
    watcher.start()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(worker, range(threads)))
    stop.set()
    watcher.join()
    status = breaker.status()
    h.carrier.reset_faults()

    opened_after = None
    first_open = next((t for t, s in states if s == "open"), None)
    if status["opened_at"] is not None and first_open is not None:
        # the first trip: the monitor's first "open" bounds it; the record's opened_at dates the latest one
        opened_after = first_open - fault_started
        if status["opened_at"] - fault_started_epoch <= opened_after:
            opened_after = status["opened_at"] - fault_started_epoch
    transitions: list[tuple[float, str]] = []
    for t, s in states:
        if t < fault_started:
            continue
        if not transitions or transitions[-1][1] != s:
            transitions.append((t - fault_started, s))

    def open_around(t: float) -> bool:
        """Open at the monitor's last look before ``t`` and its first look after (no transition between)."""
        before = after = None
        for when, s in states:
            if when <= t:
                before = s
            else:
                after = s
                break
        return before == after == "open"

    faulty = [s for s in samples if s.started >= fault_started]
    open_phase = Phase("faults, breaker open", [s for s in faulty if open_around(s.started)])
    return FaultReport(Phase("faults, all", faulty), open_phase, opened_after, transitions, h.carrier.stats_snapshot())


def no_cache_service() -> Any:
    """The same service with the cache tiers switched off: every question goes to the OMS and the carrier."""
    from tridesk.ecommerce.tracking.freshness import FreshnessPolicy
    from tridesk.ecommerce.tracking.l1 import L1Cache
    from tridesk.ecommerce.tracking.wiring import build_tracking_service

    class NoStore:
        def get(self, key: str) -> None:
            return None

        def put_if_newer(self, entry: Any) -> bool:
            return False

        def try_lock(self, key: str, owner: str, ttl_s: float) -> bool:
            return True

        def release(self, key: str, owner: str) -> None:
            return None

    return build_tracking_service(store=NoStore(), l1=L1Cache(1), policy=FreshnessPolicy(l1_ttl_s=0.0))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller samples (about a minute in all)")
    args = parser.parse_args()
    q = args.quick
    n_l1, n_cache, n_live = (2000, 300, 48) if q else (20000, 3000, 240)
    fault_s, fault_threads, fault_rate = (8.0, 64, 100.0) if q else (20.0, 96, 150.0)

    from local.stack import LocalStack

    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    started = time.perf_counter()
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), LocalStack(api_port=0, aws_port=0) as stack:
        h = Harness(stack)
        # The emulator's state shares this process; in AWS it does not share the Lambda's heap. Freeze it
        # out of the garbage collector's way so collections do not charge its size to the handler.
        gc.collect()
        gc.freeze()
        h.carrier.set_faults(latency_ms=LATENCY_MS)
        h.call("ECD20261111001", "cust-zhangwei")  # cold start of the API module and its clients

        live = concurrent(h, "live fetch", [order_id(n) for n in h.fresh_numbers(n_live)], threads=8)
        svc = h.routes.tracking_service()
        warm = order_id(h.fresh_numbers(1)[0])
        h.call(warm)
        l1 = sequential(h, "L1 hit", [warm] * n_l1)
        cached = h.fresh_numbers(n_cache)
        h.seed(cached, age_s=1, fresh_for_s=300)
        from tridesk.ecommerce.tracking.cache import cache_key

        cache = sequential(h, "cache hit (DynamoDB)", [order_id(n) for n in cached],
                           before=lambda oid: svc.l1.invalidate(cache_key(TENANT, oid)))

        h.routes.tracking_service.set(no_cache_service())
        baseline = concurrent(h, "no-cache baseline", [order_id(n) for n in h.fresh_numbers(n_live)], threads=8)
        from tridesk.ecommerce.tracking.clients import CarrierClient, HttpConfig

        direct = CarrierClient(HttpConfig(h.carrier.url))
        raw = Phase("carrier call alone")
        for n in h.fresh_numbers(20):
            t0 = time.perf_counter()
            direct.get_tracking("ZTO", f"LD{n:010d}")
            raw.samples.append(Sample(t0, (time.perf_counter() - t0) * 1000, 200, "carrier"))
        h.routes.tracking_service.set(svc)

        faults = fault_phase(h, seconds=fault_s, threads=fault_threads, rate_per_s=fault_rate)
    total_s = time.perf_counter() - started

    rows = [l1, cache, live, baseline, raw, faults.phase, faults.open_samples]
    print(f"Order tracking, handler path on the local stack; carrier and OMS at {LATENCY_MS} ms"
          f" ({'quick' if q else 'full'} run, {total_s:.0f} s)")
    print(f"{'phase':<24}{'n':>7}{'p50 ms':>10}{'p99 ms':>10}{'5xx':>6}  sources")
    for p in rows:
        print(f"{p.name:<24}{len(p.samples):>7}{p.pct(0.5):>10.2f}{p.pct(0.99):>10.2f}{p.errors_5xx():>6}  {p.sources()}")
    print()
    print(f"cache hit p99 vs no-cache baseline p99:  {baseline.pct(0.99) / cache.pct(0.99):8.1f}x lower (target >= 50x)")
    print(f"L1 hit p99 vs no-cache baseline p99:     {baseline.pct(0.99) / l1.pct(0.99):8.1f}x lower")
    print(f"cache hit p99 vs one carrier call p99:   {raw.pct(0.99) / cache.pct(0.99):8.1f}x lower")
    print(f"cache hit p50 vs no-cache baseline p50:  {baseline.pct(0.5) / cache.pct(0.5):8.1f}x lower")
    opened = "never" if faults.opened_after_s is None else f"{faults.opened_after_s:.2f} s"
    print(f"faults: carrier 50% errors, 2 s hangs; {fault_threads} threads at {fault_rate:.0f} questions/s for {fault_s:.0f} s")
    print(f"  breaker opened after fault start:      {opened} (target <= 2 s)")
    print(f"  5xx answers:                           {faults.phase.errors_5xx()} of {len(faults.phase.samples)} (target 0)")
    print(f"  p99 while the breaker is open:         {faults.open_samples.pct(0.99):.2f} ms (target < 100 ms)")
    print("  breaker states seen (s after start):   "
          + ", ".join(f"{s}@{t:.2f}" for t, s in faults.transitions))
    print(f"  carrier/OMS service counters:          {faults.carrier_stats}")
    ok = (
        baseline.pct(0.99) / cache.pct(0.99) >= 50
        and faults.phase.errors_5xx() == 0
        and faults.opened_after_s is not None and faults.opened_after_s <= 2.0
        and faults.open_samples.pct(0.99) < 100
        and all(p.errors_5xx() == 0 for p in rows)
    )
    print("targets met" if ok else "targets NOT met")
    if os.environ.get("TRIDESK_BENCH_DEBUG"):
        print(statistics.mean(l1.ms()), sink.getvalue()[-2000:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
