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
   This phase's handlers run in separate "container" processes (``--containers``), each loading the
   API function as the local stack does, so the emulator's work (every DynamoDB and SQS call is
   served by this process) does not share their interpreter, as AWS's services do not share a
   Lambda's. Phases 1-4 are sequential and stay in this process.

    uv run python -m benchmarks.tracking [--quick] [--containers N]
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
        self.function_name = name
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
    all_saw_open_after_s: float | None
    transitions: list[tuple[float, str]]
    carrier_stats: dict[str, int]
    containers: int
    emulator_cpu: float


def _container(spec: dict[str, Any], ready: Any, start: Any, results: Any) -> None:
    """One "Lambda container" of the fault phase, in its own process (as on AWS: the containers do not
    share the emulator's interpreter). It loads the API function as the local stack does, warms it up,
    then asks paced questions on ``spec["threads"]`` threads between the parent's start and end times,
    watching its own view of the shared carrier breaker. Samples go back with epoch timestamps."""
    import logging

    logging.disable(logging.WARNING)
    sys.path.insert(0, str(ROOT))
    from local.lambdas import Dispatcher, LambdaContext
    from local.template import FunctionSource

    dispatcher = Dispatcher()
    dispatcher.register(spec["function"], FunctionSource("ApiFunction", Path(spec["code_dir"]), spec["handler"]))
    handler = dispatcher.handler(spec["function"])
    context = LambdaContext("ApiFunction")
    handler(api_event("ECD20261111001", "cust-zhangwei"), context)  # cold start: module, clients, pools
    import chalicelib.tracking as routes

    breaker = routes.tracking_service().carrier_breaker
    ready.put(os.getpid())
    start_at, end_at = start.get()
    ids = iter(spec["ids"])
    lock = threading.Lock()
    samples: list[tuple[float, float, int, str | None]] = []
    states: list[tuple[float, str]] = []
    stop = threading.Event()

    def monitor() -> None:
        # "open" while the breaker turns calls away; once its cool-down is over and a probe may go
        # through, "probe_due" (the first caller to take the lease makes it half-open)
        while not stop.is_set():
            st = breaker.state
            if st == "open" and breaker.allows():
                st = "probe_due"
            states.append((time.time(), st))
            time.sleep(0.01)

    def worker(index: int) -> None:
        interval = spec["threads"] / spec["rate"]
        next_at = start_at + index * interval / spec["threads"]
        while True:
            now = time.time()
            if now >= end_at:
                return
            if next_at > now:
                time.sleep(next_at - now)
            next_at = max(next_at, now) + interval  # open-loop arrivals: a late worker does not burst
            with lock:
                oid = next(ids, None)
            if oid is None:
                return
            started = time.time()
            t0 = time.perf_counter()
            response = handler(api_event(oid, LOAD_CUSTOMER), context)
            ms = (time.perf_counter() - t0) * 1000
            source = json.loads(response["body"])["source"] if response["statusCode"] == 200 else None
            with lock:
                samples.append((started, ms, int(response["statusCode"]), source))

    watcher = threading.Thread(target=monitor, daemon=True)
    watcher.start()
    with ThreadPoolExecutor(max_workers=spec["threads"]) as pool:
        list(pool.map(worker, range(spec["threads"])))
    stop.set()
    watcher.join()
    results.put((os.getpid(), samples, states))


def fault_phase(h: Harness, *, seconds: float, containers: int, threads: int, rate_per_s: float,
                healthy_s: float = 2.0) -> FaultReport:
    """Paced concurrent questions about expired parcels from ``containers`` processes (``threads`` and
    ``rate_per_s`` in all, shared between them): ``healthy_s`` of steady traffic, then the carrier fails
    half its calls (2 s hangs) for ``seconds``. The breaker's window holds the healthy traffic too; with
    several containers they share the breaker through DynamoDB as on AWS. The handlers run outside this
    process, which serves the emulator (as AWS's services do not share a Lambda's interpreter)."""
    import multiprocessing as mp

    numbers = h.fresh_numbers(int((seconds + healthy_s) * rate_per_s * 1.3) + 200)
    h.seed(numbers, age_s=900, fresh_for_s=300)
    breaker = h.routes.tracking_service().carrier_breaker
    breaker.sync()
    assert breaker.state == "closed", "the carrier breaker must start closed"
    h.carrier.set_faults(latency_ms=LATENCY_MS)
    code = h.stack.dispatcher.source(h.function_name)
    ids = [order_id(n) for n in numbers]
    ctx = mp.get_context("spawn")
    ready, results = ctx.Queue(), ctx.Queue()
    starts = [ctx.Queue() for _ in range(containers)]
    procs = []
    for c in range(containers):
        spec = {"function": h.function_name, "code_dir": str(code.code_dir), "handler": code.handler,
                "ids": ids[c::containers], "threads": max(1, threads // containers), "rate": rate_per_s / containers}
        proc = ctx.Process(target=_container, args=(spec, ready, starts[c], results), daemon=True)
        proc.start()
        procs.append(proc)
    for _ in procs:
        ready.get(timeout=120)
    phase_started = time.time() + 0.5
    fault_started = phase_started + healthy_s
    end = fault_started + seconds
    for q in starts:
        q.put((phase_started, end))
    time.sleep(max(0.0, fault_started - time.time()))
    cpu0, wall0 = time.process_time(), time.time()
    h.carrier.set_faults(error_rate=0.5, timeout_ms=2000)
    collected = [results.get(timeout=seconds + healthy_s + 120) for _ in procs]
    for proc in procs:
        proc.join(30)
    h.carrier.reset_faults()
    emulator_cpu = (time.process_time() - cpu0) / (time.time() - wall0)

    samples: list[Sample] = []
    open_samples: list[Sample] = []
    first_open: list[float] = []
    transitions: list[tuple[float, str]] = []
    for _pid, raw, states in collected:
        seen = next((t for t, st in states if st == "open" and t >= fault_started), None)
        if seen is not None:
            first_open.append(seen - fault_started)
        for t, st in states:
            if t >= fault_started and (not transitions or transitions[-1][1] != st):
                transitions.append((t - fault_started, st))

        def open_around(t: float, states: list[tuple[float, str]] = states) -> bool:
            """Open at this container's last look before ``t`` and its first look after."""
            before = after = None
            for when, st in states:
                if when <= t:
                    before = st
                else:
                    after = st
                    break
            return before == after == "open"

        for started, ms, status, src in raw:
            if started >= fault_started:
                sample = Sample(started, ms, status, src)
                samples.append(sample)
                if open_around(started):
                    open_samples.append(sample)
    transitions.sort()
    opened_after = min(first_open) if first_open else None
    all_saw = max(first_open) if len(first_open) == containers else None
    return FaultReport(Phase("faults, all", samples), Phase("faults, breaker open", open_samples), opened_after,
                       all_saw, transitions, h.carrier.stats_snapshot(), containers, emulator_cpu)


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
    parser.add_argument("--containers", type=int, default=1,
                        help="processes answering in the fault phase (default 1: this machine has 2 cores, one"
                             " for the emulator; more show the breaker shared across containers, at the price"
                             " of CPU contention)")
    args = parser.parse_args()
    q = args.quick
    n_l1, n_cache, n_live = (2000, 300, 48) if q else (20000, 3000, 240)
    fault_s, fault_threads, fault_rate = (8.0, 64, 100.0) if q else (20.0, 96, 150.0)
    containers = args.containers

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

        faults = fault_phase(h, seconds=fault_s, containers=containers, threads=fault_threads, rate_per_s=fault_rate)
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
    print(f"faults: carrier 50% errors, 2 s hangs; {containers} container process(es), {fault_threads} threads and"
          f" {fault_rate:.0f} questions/s in all, for {fault_s:.0f} s; emulator process at"
          f" {100 * faults.emulator_cpu:.0f}% of a core")
    print(f"  breaker opened after fault start:      {opened} (target <= 2 s)")
    every = "never" if faults.all_saw_open_after_s is None else f"{faults.all_saw_open_after_s:.2f} s"
    print(f"  every container saw it open after:     {every} (each syncs its view at least every 0.5 s)")
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
