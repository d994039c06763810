"""Order tracking on the local stack: the API, the DynamoDB cache and breakers, the carrier push queue,
against the local carrier/OMS service over real HTTP (its faults set at run time).

Each test uses orders no other test asks about, so one container's L1 never decides another test.
"""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import requests

from tridesk.ecommerce.tracking.breaker import BreakerConfig, BreakerRegistry
from tridesk.ecommerce.tracking.cache import cache_key
from tridesk.ecommerce.tracking.dynamo import DynamoBreakerStore, DynamoTrackingCacheStore
from tridesk.ecommerce.tracking.wiring import UPSTREAMS, build_tracking_service

TENANT = "demo-ecommerce"
ZHANG, LINA, EMILY, LOAD = "cust-zhangwei", "cust-lina", "cust-emily", "cust-load"
CST = timezone(timedelta(hours=8))


def track(stack, order_id: str, customer: str | None, *, tenant: str = TENANT, **params: str) -> requests.Response:
    headers = {"X-Tenant-Id": tenant}
    if customer is not None:
        headers["X-Customer-Id"] = customer
    return requests.get(f"{stack.api_url}/v1/orders/{order_id}/tracking", headers=headers, params=params, timeout=15)


def upstream_requests(carrier, *about: str) -> int:
    """Upstream requests naming any of ``about`` (order ids, tracking numbers): other tests' delayed
    follow-ups may call the carrier at any moment, so counts are taken per order."""
    return carrier.requests_mentioning(*about)


def forget_breakers() -> None:
    store = DynamoBreakerStore()
    for name in UPSTREAMS:
        store.delete(name)


@pytest.fixture
def carrier(stack):
    service = stack.upstreams["carrier"]
    service.reset_faults()
    yield service
    service.reset_faults()


@pytest.fixture
def clean_breakers(carrier):
    """Closed breakers before and after (their state outlives a test in the shared table)."""
    forget_breakers()
    yield
    carrier.reset_faults()
    forget_breakers()
    from tridesk.core import health

    health.clear_cache()


def test_own_order_goes_live_then_is_served_from_memory_and_the_shared_cache(stack, carrier):
    # GIVEN an in-transit order nobody asked about yet
    order = "ECD20261111003"
    about = (order, "YT8823410097312")
    before = upstream_requests(carrier, *about)
    # WHEN its owner asks twice
    first = track(stack, order, ZHANG, lang="en")
    after_first = upstream_requests(carrier, *about)
    second = track(stack, order, ZHANG)
    # THEN the first answer came from the source, the second from this container's memory
    assert first.status_code == second.status_code == 200, first.text
    body = first.json()
    assert body["source"] == "live" and after_first > before
    assert body["order_id"] == order and body["carrier"] == "YTO" and body["tracking_number"] == "YT8823410097312"
    assert body["status"] == "out_for_delivery" and body["status_class"] == "in_transit"
    assert body["status_text"] == "Out for delivery" and body["estimated_delivery"] and body["as_of"]
    times = [e["time"] for e in body["events"]]
    assert len(times) == 5 and times == sorted(times, reverse=True)
    assert second.json()["source"] == "l1" and upstream_requests(carrier, *about) == after_first
    assert second.json()["status_text"] == "派送中" and "李师傅" in second.json()["events"][0]["description"]
    # AND the record is in the cache table, with its TTL attribute, for every other container
    entry = DynamoTrackingCacheStore().get(cache_key(TENANT, order))
    assert entry is not None and entry.order.customer_id == ZHANG
    other_container = build_tracking_service()
    assert other_container.get(TENANT, ZHANG, order).source == "cache"
    assert upstream_requests(carrier, *about) == after_first


def test_only_the_owner_sees_an_order_and_bad_requests_are_4xx(stack, carrier):
    # GIVEN an order of Zhang Wei's, known to the cache
    order = "ECD20261111002"
    assert track(stack, order, ZHANG).status_code == 200
    about = (order, "ZTO78120345561", "ECD20269999999")
    before = upstream_requests(carrier, *about)
    cases = [
        (track(stack, order, LINA), 404, "order_id"),                      # another customer's order
        (track(stack, order, ZHANG, tenant="demo-finance"), 404, "order_id"),  # another tenant
        (track(stack, "ECD20269999999", ZHANG), 404, "order_id"),          # unknown order
        (track(stack, "EC!", ZHANG), 400, "order_id"),                     # malformed id
        (track(stack, "x" * 65, ZHANG), 400, "order_id"),
        (track(stack, order, None), 400, "X-Customer-Id"),                 # no customer
    ]
    for response, status, field in cases:
        assert response.status_code == status, (response.request.url, response.text)
        assert response.json()["error"]["field"] == field
    # THEN another customer's and an unknown order look the same (nothing leaks)
    assert cases[0][0].json() == cases[2][0].json()
    # AND the owner check of a cached order needed no upstream call (only the unknown one asked the OMS)
    assert upstream_requests(carrier, *about) - before <= 2


def test_exception_states_always_go_to_the_source(stack, carrier):
    # GIVEN a parcel held by the weather (an exception state)
    order = "ECD20261111005"
    first = track(stack, order, LINA)
    middle = upstream_requests(carrier, order, "SF1400270159933")
    second = track(stack, order, LINA, lang="en")
    # THEN every question reaches the carrier, never a cached copy
    assert first.status_code == second.status_code == 200
    assert first.json()["source"] == second.json()["source"] == "live"
    assert second.json()["status"] == "held" and second.json()["status_class"] == "exception"
    assert "Wuhan" in second.json()["events"][0]["description"]
    assert upstream_requests(carrier, order, "SF1400270159933") > middle


def test_carrier_outage_degrades_with_cached_data_or_a_polite_promise(stack, carrier, clean_breakers):
    # GIVEN a damaged parcel seen once, then the carrier and the OMS go down
    order = "ECD20261111006"
    assert track(stack, order, LINA).json()["source"] == "live"
    carrier.set_faults(outage=True)
    # WHEN its owner asks again (an exception state always goes to the source)
    stale_en = track(stack, order, LINA, lang="en")
    stale_zh = track(stack, order, LINA)
    # THEN the answer is the cached data, marked degraded with its age and a follow-up promise
    for response in (stale_en, stale_zh):
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["source"] == "degraded" and body["status"] == "damaged"
        assert body["age_seconds"] is not None and body["age_seconds"] >= 0 and body["as_of"]
        assert body["follow_up_minutes"] == 15 and body["events"]
    assert "follow up within 15 minutes" in stale_en.json()["message"]
    assert "15 分钟内" in stale_zh.json()["message"]
    # AND an order never seen before gets the polite bilingual "we are checking" reply, not a 5xx
    unseen = f"ECL{uuid.uuid4().int % 10**8:08d}"
    polite_en = track(stack, unseen, LOAD, lang="en")
    polite_zh = track(stack, unseen, LOAD)
    assert polite_en.status_code == polite_zh.status_code == 200, polite_en.text
    assert polite_en.json()["source"] == "degraded" and polite_en.json()["status"] == "unknown"
    assert polite_en.json()["as_of"] is None and polite_en.json()["events"] == []
    assert unseen in polite_en.json()["message"] and "We are checking" in polite_en.json()["message"]
    assert unseen in polite_zh.json()["message"] and "我们正在" in polite_zh.json()["message"]


def _wait_for_health(stack, predicate, timeout_s: float = 8.0) -> dict:
    deadline = time.monotonic() + timeout_s
    while True:
        body = requests.get(f"{stack.api_url}/v1/health", timeout=10).json()
        if predicate(body) or time.monotonic() > deadline:
            return body
        time.sleep(0.25)


def test_breaker_opens_is_shared_by_containers_and_shows_in_health(stack, carrier, clean_breakers):
    # GIVEN two containers over the shared breaker table; container A has seen four exception parcels
    fast_recovery = BreakerConfig(cool_down_s=0.5, sync_interval_s=0.1)
    a = build_tracking_service(breakers=BreakerRegistry(DynamoBreakerStore(), fast_recovery))
    b = build_tracking_service(breakers=BreakerRegistry(DynamoBreakerStore(), fast_recovery))
    sick = [(LINA, "ECD20261111005"), (LINA, "ECD20261111006"), (EMILY, "ECD20261111007"), (EMILY, "ECD20261111009")]
    for customer, order in sick:
        assert a.get(TENANT, customer, order).source == "live"
    assert b.carrier_breaker.sync().state == "closed"
    # WHEN the carrier fails every call and customers keep asking container A
    carrier.set_faults(error_rate=1.0)
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(12):
            answers = list(pool.map(lambda c: a.get(TENANT, *c), sick))
            assert all(t.source == "degraded" for t in answers)
            if a.carrier_breaker.state == "open":
                break
    # THEN A's breaker is open, and B sees it through DynamoDB without having made a call
    assert a.carrier_breaker.state == "open"
    assert b.carrier_breaker.sync().state == "open"
    before = upstream_requests(carrier, "ECD20261111005", "SF1400270159933")
    answer = b.get(TENANT, LINA, "ECD20261111005")
    assert answer.source == "degraded" and answer.status.value == "held" and answer.message is not None
    assert upstream_requests(carrier, "ECD20261111005", "SF1400270159933") == before
    # AND /v1/health shows the open breaker (the API's container reads the same record)
    health = _wait_for_health(stack, lambda h: h["dependencies"]["breaker:carrier"]["status"] == "open")
    assert health["dependencies"]["breaker:carrier"]["state"] == "open"
    assert health["dependencies"]["breaker:carrier"]["retry_at"] is not None
    assert health["status"] == "failing"
    api = track(stack, "ECD20261111009", EMILY, lang="en")
    assert api.status_code == 200 and api.json()["source"] == "degraded"
    # WHEN the carrier recovers and the cool-down has passed, one probe closes it for everybody
    carrier.reset_faults()
    time.sleep(fast_recovery.cool_down_s + 0.1)
    assert b.get(TENANT, LINA, "ECD20261111006").source == "live"
    assert b.carrier_breaker.state == "closed"
    assert a.carrier_breaker.sync().state == "closed"
    health = _wait_for_health(stack, lambda h: h["dependencies"]["breaker:carrier"]["status"] == "ok")
    assert health["dependencies"]["breaker:carrier"]["state"] == "closed"


def _push(order_id: str, carrier_code: str, number: str, status: str, as_of: datetime, text: tuple[str, str]) -> dict:
    return {
        "tenant": TENANT,
        "order_id": order_id,
        "tracking": {
            "carrier": carrier_code, "tracking_number": number, "status": status,
            "as_of": as_of.isoformat(), "estimated_delivery": (as_of + timedelta(hours=2)).isoformat(),
            "events": [{"time": as_of.isoformat(), "status": status,
                        "location": {"zh": "北京市朝阳区", "en": "Chaoyang, Beijing"},
                        "description": {"zh": text[0], "en": text[1]}}],
        },
    }


def test_carrier_push_updates_the_cache_ahead_of_the_question(stack, carrier):
    # GIVEN a parcel the carrier pushes news about before anyone asks
    n = 40_000_000 + uuid.uuid4().int % 10**7
    order, number = f"ECL{n:08d}", f"LD{n:010d}"
    now = datetime.now(CST).replace(microsecond=0) + timedelta(minutes=1)
    push = _push(order, "ZTO", number, "out_for_delivery", now, ("快递员孙师傅正在派送", "Courier Sun is delivering"))
    sqs = stack.client("sqs")
    sqs.send_message(QueueUrl=stack.physical_id("CarrierEventsQueue"), MessageBody=json.dumps(push, ensure_ascii=False))
    deadline = time.monotonic() + 10
    while DynamoTrackingCacheStore().get(cache_key(TENANT, order)) is None and time.monotonic() < deadline:
        stack.drain_queues()
        time.sleep(0.05)
    # WHEN the customer asks
    before = upstream_requests(carrier, order, number)
    response = track(stack, order, LOAD, lang="en")
    # THEN the pushed status is served from the cache, without asking the carrier
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["source"] == "cache" and body["status"] == "out_for_delivery"
    assert body["events"][0]["description"] == "Courier Sun is delivering"
    assert upstream_requests(carrier, order, number) == before


def test_poisoned_push_goes_to_the_dead_letter_queue_while_the_batch_succeeds(stack, carrier):
    # GIVEN a batch with a good push, a push for a parcel that is not the order's, and a malformed one
    n = 50_000_000 + uuid.uuid4().int % 10**7
    good_order = f"ECL{n:08d}"
    now = datetime.now(CST).replace(microsecond=0)
    good = _push(good_order, "ZTO", f"LD{n:010d}", "in_transit", now, ("快件已到达【北京转运中心】", "Arrived in Beijing"))
    wrong_parcel = _push(f"ECL{n + 1:08d}", "ZTO", f"LD{n + 2:010d}", "in_transit", now, ("错", "wrong"))
    wrong_parcel["marker"] = uuid.uuid4().hex
    malformed = {"tenant": TENANT, "order_id": good_order, "tracking": {"carrier": "ZTO"}, "marker": uuid.uuid4().hex}
    poison = {json.dumps(wrong_parcel), json.dumps(malformed)}
    sqs = stack.client("sqs")
    sqs.send_message_batch(
        QueueUrl=stack.physical_id("CarrierEventsQueue"),
        Entries=[{"Id": "good", "MessageBody": json.dumps(good)}]
        + [{"Id": f"poison{i}", "MessageBody": body} for i, body in enumerate(sorted(poison))],
    )
    # WHEN the queue delivers, retries and dead-letters
    dlq_url = stack.physical_id("CarrierEventsDeadLetterQueue")
    dead: set[str] = set()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not poison <= dead:
        stack.drain_queues()
        for m in sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10).get("Messages", []):
            dead.add(m["Body"])
            sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=m["ReceiptHandle"])
    # THEN exactly the two poisoned messages are dead-lettered, and the good one is in the cache
    assert poison <= dead and json.dumps(good) not in dead
    entry = DynamoTrackingCacheStore().get(cache_key(TENANT, good_order))
    assert entry is not None and entry.snapshot is not None
    assert entry.snapshot.events[-1].description.en == "Arrived in Beijing"
