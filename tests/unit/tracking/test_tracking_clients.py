"""The OMS and carrier HTTP clients against the real local carrier service on a free port."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest
import urllib3

from local.carrier_service import CarrierService
from tests.fakes.breaker_store import InMemoryBreakerStore
from tests.fakes.tracking_cache_store import InMemoryTrackingCacheStore
from tridesk.core.errors import NotFoundError, UpstreamError
from tridesk.ecommerce.tracking.breaker import BreakerConfig, BreakerRegistry
from tridesk.ecommerce.tracking.clients import CarrierClient, HttpConfig, JsonHttpClient, OmsClient
from tridesk.ecommerce.tracking.models import TrackingStatus
from tridesk.ecommerce.tracking.service import TrackingService

TENANT = "demo-ecommerce"


@pytest.fixture(scope="module")
def service() -> Iterator[CarrierService]:
    with CarrierService(port=0) as svc:
        yield svc


@pytest.fixture(autouse=True)
def healthy(service: CarrierService) -> Iterator[None]:
    service.reset_faults()
    yield
    service.reset_faults()


def http(service: CarrierService, name: str = "carrier", *, sleeps: list[float] | None = None,
         rand: float = 0.5, **cfg: float) -> JsonHttpClient:
    config = HttpConfig(service.url, **{"read_timeout_s": 0.5, "backoff_base_s": 0.01, **cfg})  # type: ignore[arg-type]
    return JsonHttpClient(name, config, pool=urllib3.PoolManager(retries=False),
                          sleep=(sleeps.append if sleeps is not None else time.sleep), rand=lambda: rand)


def carrier(service: CarrierService, **kw: float) -> CarrierClient:
    return CarrierClient(HttpConfig(service.url), http=http(service, **kw))


def oms(service: CarrierService, **kw: float) -> OmsClient:
    return OmsClient(HttpConfig(service.url), http=http(service, "oms", **kw))


def test_order_and_bilingual_tracking_events(service: CarrierService) -> None:
    order = oms(service).get_order(TENANT, "ECD20261111005")
    assert order.customer_id == "cust-lina" and order.items and order.total_cents > 0
    snap = carrier(service).get_tracking(order.carrier, order.tracking_number)  # type: ignore[arg-type]
    assert snap.status is TrackingStatus.HELD
    last = snap.events[-1]
    assert "滞留" in last.description.zh and "Held" in last.description.en
    assert last.location.zh == "武汉市" and last.location.en == "Wuhan"


def test_unknown_order_parcel_and_tenant_are_not_found(service: CarrierService) -> None:
    with pytest.raises(NotFoundError):
        oms(service).get_order(TENANT, "ECD20269999999")
    with pytest.raises(NotFoundError):
        oms(service).get_order("another-tenant", "ECD20261111001")
    with pytest.raises(NotFoundError):
        carrier(service).get_tracking("SF", "SF0000000000000")


def test_connections_are_reused(service: CarrierService) -> None:
    client = carrier(service)
    for n in range(20):
        client.get_tracking("ZTO", f"LD{n:010d}")
    pool = client.http._pool.connection_from_url(service.url)  # type: ignore[union-attr]
    assert pool.num_connections == 1 and pool.num_requests == 20


def test_5xx_is_retried_with_full_jitter_backoff(service: CarrierService) -> None:
    service.set_faults(error_rate=1.0)
    sleeps: list[float] = []
    client = carrier(service, sleeps=sleeps, rand=1.0, max_attempts=4, backoff_base_s=0.01, backoff_cap_s=0.03)
    before = service.stats["errors"]
    with pytest.raises(UpstreamError) as err:
        client.get_tracking("SF", "SF1400270151928")
    assert "HTTP 503" in str(err.value) and err.value.retryable
    assert service.stats["errors"] - before == 4
    assert sleeps == pytest.approx([0.01, 0.02, 0.03])


def test_jitter_is_uniform_below_the_exponential_bound(service: CarrierService) -> None:
    client = http(service, backoff_base_s=0.1, backoff_cap_s=10.0)
    client._rand = lambda: 0.25
    assert [client.backoff(n) for n in range(4)] == pytest.approx([0.025, 0.05, 0.1, 0.2])


def test_4xx_is_not_retried(service: CarrierService) -> None:
    client = http(service, "oms")
    with pytest.raises(UpstreamError) as err:
        client.get_json("/oms/v1/orders/ECD20261111001")  # no X-Tenant-Id: 400
    assert not err.value.retryable and client.attempts == 1


def test_retries_ride_out_a_flaky_carrier(service: CarrierService) -> None:
    service.set_faults(error_rate=0.3)
    client = carrier(service, max_attempts=3)
    ok = 0
    for n in range(40):
        try:
            client.get_tracking("ZTO", f"LD{n:010d}")
            ok += 1
        except UpstreamError:
            pass
    assert ok >= 34
    assert client.http.attempts > 40


def test_a_hanging_carrier_times_out_per_call(service: CarrierService) -> None:
    service.set_faults(error_rate=1.0, timeout_ms=400)
    client = carrier(service, read_timeout_s=0.08, max_attempts=2)
    started = time.monotonic()
    with pytest.raises(UpstreamError) as err:
        client.get_tracking("SF", "SF1400270151928")
    assert "timeout" in str(err.value)
    assert client.http.attempts == 2
    assert time.monotonic() - started < 0.4


def test_each_attempt_is_reported_to_the_breaker_as_it_ends(service: CarrierService) -> None:
    # GIVEN a client whose attempts run through a breaker (one failure is enough to open it)
    breaker = BreakerRegistry(InMemoryBreakerStore(), BreakerConfig(min_requests=1, sync_interval_s=0)).get("carrier")
    client = CarrierClient(HttpConfig(service.url), http=JsonHttpClient(
        "carrier", HttpConfig(service.url, read_timeout_s=0.08, max_attempts=3, backoff_base_s=0.01),
        pool=urllib3.PoolManager(retries=False), breaker=breaker))
    assert client.breaker is breaker
    assert client.get_tracking("SF", "SF1400270151928").events
    assert breaker.status()["requests"] == 1 and breaker.state == "closed"
    # WHEN the carrier hangs: the first attempt's timeout is counted at once and opens the breaker
    service.set_faults(error_rate=1.0, timeout_ms=400)
    with pytest.raises(UpstreamError) as err:
        client.get_tracking("SF", "SF1400270151928")
    # THEN the open breaker stops the retries: one attempt made (after the healthy call), not three
    assert type(err.value).__name__ == "BreakerOpenError"
    assert client.http.attempts == 2 and breaker.state == "open"


def test_the_total_deadline_bounds_retries(service: CarrierService) -> None:
    service.set_faults(error_rate=1.0, timeout_ms=400)
    client = carrier(service, read_timeout_s=1.0, deadline_s=0.1, max_attempts=5)
    with pytest.raises(UpstreamError):
        client.get_tracking("SF", "SF1400270151928")
    assert client.http.attempts == 1


def test_latency_below_the_timeout_is_served(service: CarrierService) -> None:
    service.set_faults(latency_ms=30)
    assert carrier(service, read_timeout_s=1.0).get_tracking("SF", "SF1400270151928").events


def test_an_outage_drops_connections(service: CarrierService) -> None:
    service.set_faults(outage=True)
    client = carrier(service, max_attempts=2)
    before = service.stats["dropped"]
    with pytest.raises(UpstreamError) as err:
        client.get_tracking("SF", "SF1400270151928")
    # the service read the request and hung up: the request may have arrived, so "lost", not "failed"
    assert "connection lost" in str(err.value)
    assert service.stats["dropped"] - before == 2
    service.set_faults(outage=False)
    assert client.get_tracking("SF", "SF1400270151928").events


def test_admin_faults_api(service: CarrierService) -> None:
    pool = urllib3.PoolManager()
    r = pool.request("POST", f"{service.url}/admin/faults", body=json.dumps({"latency_ms": 5, "error_rate": 0.1}))
    assert r.status == 200 and json.loads(r.data) == {"latency_ms": 5, "error_rate": 0.1, "timeout_ms": 0,
                                                      "outage": False}
    r = pool.request("POST", f"{service.url}/admin/faults", body=json.dumps({"outage": True}))
    assert json.loads(r.data)["latency_ms"] == 5 and service.faults.outage
    for bad in ({"error_rate": 2}, {"latency_ms": -1}, {"outage": "yes"}, {"nope": 1}, [1]):
        r = pool.request("POST", f"{service.url}/admin/faults", body=json.dumps(bad))
        assert r.status == 400 and json.loads(r.data)["error"]["code"] == "invalid_faults"
    r = pool.request("DELETE", f"{service.url}/admin/faults")
    assert json.loads(r.data) == {"latency_ms": 0, "error_rate": 0.0, "timeout_ms": 0, "outage": False}
    assert json.loads(pool.request("GET", f"{service.url}/health").data)["status"] == "ok"


def test_stop_cuts_hanging_requests_short() -> None:
    svc = CarrierService(port=0).start()
    svc.set_faults(error_rate=1.0, timeout_ms=30_000)
    client = carrier(svc, read_timeout_s=20.0, deadline_s=None, max_attempts=1)
    errors: list[Exception] = []
    t = threading.Thread(target=lambda: errors.append(_catch(lambda: client.get_tracking("SF", "SF1400270151928"))))
    t.start()
    time.sleep(0.1)
    started = time.monotonic()
    svc.stop()
    t.join(5)
    assert not t.is_alive() and time.monotonic() - started < 3


def _catch(fn) -> Exception | None:  # type: ignore[no-untyped-def]
    try:
        fn()
    except Exception as exc:  # noqa: BLE001
        return exc
    return None


def test_service_degrades_over_real_http_and_never_raises(service: CarrierService) -> None:
    # GIVEN the tracking service wired to the real clients
    breakers = BreakerRegistry(InMemoryBreakerStore(), BreakerConfig(min_requests=4, sync_interval_s=0))
    svc = TrackingService(orders=oms(service, max_attempts=1), carrier=carrier(service, max_attempts=1),
                          store=InMemoryTrackingCacheStore(), breakers=breakers)
    live = svc.get(TENANT, "cust-lina", "ECD20261111005")
    assert live.source == "live" and live.status is TrackingStatus.HELD
    # WHEN the carrier goes down (a held parcel always asks the source)
    service.set_faults(outage=True)
    answers = [svc.get(TENANT, "cust-lina", "ECD20261111005") for _ in range(6)]
    # THEN every answer is the last known data, degraded, and the breaker has opened
    assert {a.source for a in answers} == {"degraded"}
    assert all(a.status is TrackingStatus.HELD and a.events for a in answers)
    assert svc.carrier_breaker.state == "open"
    # AND an order never seen before gets the polite promise
    fresh = svc.get(TENANT, "cust-zhangwei", "ECD20261111002")
    assert fresh.source == "degraded" and fresh.message is not None
