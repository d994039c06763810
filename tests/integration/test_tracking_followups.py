"""The degraded tracking answer keeps its promise, on the local stack: a carrier/OMS outage, one
promise however often the customer asks, re-checks through the follow-ups queue and Lambda, one
bilingual notification in the outbox once the source is back, and nothing more on redelivery.

The queue's delays are real (``DelaySeconds`` 60 s and more); the test does not wait for them: it
"fast-forwards" its own messages in the in-process emulator (``_due_now``), the one place it
reaches into moto, then lets the stack deliver them to the Lambda.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
import requests

from local.stack import ACCOUNT_ID, REGION
from tridesk.core.notify_store import OutboxNotifier
from tridesk.ecommerce.tracking.dynamo import DynamoBreakerStore
from tridesk.ecommerce.tracking.followup_aws import DynamoPromiseStore
from tridesk.ecommerce.tracking.wiring import UPSTREAMS, breaker_config

TENANT = "demo-ecommerce"
LOAD = "cust-load"


def track(stack, order_id: str, lang: str) -> requests.Response:
    headers = {"X-Tenant-Id": TENANT, "X-Customer-Id": LOAD}
    return requests.get(f"{stack.api_url}/v1/orders/{order_id}/tracking", headers=headers,
                        params={"lang": lang}, timeout=15)


def _queue(stack) -> Any:
    from moto.sqs.models import sqs_backends

    name = stack.physical_id("TrackingFollowUpsQueue").rsplit("/", 1)[-1]
    return sqs_backends[ACCOUNT_ID][REGION].queues[name]


def _messages(stack, order_id: str) -> list[tuple[Any, dict[str, Any]]]:
    """The queue's messages (delayed, visible or in flight) about ``order_id``."""
    found = []
    for m in list(_queue(stack)._messages):
        body = json.loads(m.body)
        if body.get("order_id") == order_id:
            found.append((m, body))
    return found


def _due_now(stack, order_id: str) -> list[dict[str, Any]]:
    """End the delay of this order's queued re-checks (as if their time had come); returns their bodies."""
    bodies = []
    for m, body in _messages(stack, order_id):
        m.delayed_until = 0
        bodies.append(body)
    return bodies


def _wait(predicate, timeout_s: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def _forget_breakers() -> None:
    """Delete the shared breaker records, and let every container's view of them (at most one sync
    interval old, 0.5 s) catch up."""
    for name in UPSTREAMS:
        DynamoBreakerStore().delete(name)
    time.sleep(breaker_config().sync_interval_s + 0.1)


@pytest.fixture
def outage(stack):
    """The local carrier/OMS down for the test; healthy again, with closed breakers, afterwards."""
    carrier = stack.upstreams["carrier"]
    carrier.reset_faults()
    _forget_breakers()
    carrier.set_faults(outage=True)
    yield carrier
    carrier.reset_faults()
    _forget_breakers()
    from tridesk.core import health

    health.clear_cache()


def test_outage_promise_is_kept_once(stack, outage):
    # a load order still in transit (the local carrier signs every tenth one: local/carrier_service.py)
    order = f"ECL{uuid.uuid4().int % 10**7 * 10 + 7:08d}"
    key = f"{TENANT}#{LOAD}#{order}"
    promises, outbox = DynamoPromiseStore(), OutboxNotifier()
    # GIVEN the carrier and OMS are down and the customer asks about an order ten times
    answers = [track(stack, order, "en" if i % 2 else "zh") for i in range(10)]
    # THEN every answer is the polite bilingual promise, never a 5xx
    for response in answers:
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["source"] == "degraded" and body["status"] == "unknown" and body["follow_up_minutes"] == 15
    assert "will follow up with you within 15 minutes" in answers[1].json()["message"]
    assert "15 分钟内主动告知" in answers[0].json()["message"]
    # AND exactly one promise is recorded and one re-check queued, delayed
    promise = promises.get(key)
    assert promise is not None and promise.state == "pending" and promise.follow_up.attempt == 0
    # in the language of the question that made it (the first one: Chinese)
    assert promise.follow_up.lang == "zh"
    queued = _messages(stack, order)
    assert len(queued) == 1 and queued[0][0].delayed
    assert queued[0][1]["promise_id"] == promise.follow_up.promise_id and queued[0][1]["attempt"] == 0

    # WHEN the re-check comes due while the source is still down
    _due_now(stack, order)
    stack.drain_queues()
    # THEN it is re-queued for later (attempt 1, delayed), and the customer has heard nothing yet
    advanced = _wait(lambda: (p := promises.get(key)) is not None and p.follow_up.attempt == 1)
    assert advanced, promises.get(key)
    # (the delivered message is deleted once its batch returns, a moment after the promise advanced)
    requeued = _wait(lambda: [(b["attempt"], m.delayed) for m, b in _messages(stack, order)] == [(1, True)])
    assert requeued, [(b, m.delayed) for m, b in _messages(stack, order)]
    assert [d for d in outbox.deliveries(TENANT, LOAD) if d.notification.data.get("order_id") == order] == []

    # WHEN the source is healthy again and the next re-check comes due
    outage.reset_faults()
    _forget_breakers()
    [body] = _due_now(stack, order)
    stack.drain_queues()
    key_of_note = f"tracking-follow-up#{promise.follow_up.promise_id}"

    def mine() -> list:
        return [d for d in outbox.deliveries(TENANT, LOAD) if d.notification.key == key_of_note]

    # THEN one bilingual notification is recorded, with the parcel's status, and the promise is closed
    notes = _wait(mine)
    assert len(notes) == 1, notes
    note = notes[0].notification
    assert note.kind == "tracking_update" and note.data["order_id"] == order and note.channel == "app_push"
    assert order in note.text.zh and order in note.text.en and note.lang == "zh"
    assert "运输中" in note.text.zh and "In transit" in note.text.en
    assert _wait(lambda: promises.get(key).state == "delivered")
    assert _wait(lambda: _messages(stack, order) == [])

    # WHEN the same message is delivered again (SQS delivers at least once)
    event = {"Records": [{
        "messageId": str(uuid.uuid4()), "receiptHandle": "redelivered", "body": json.dumps(body),
        "attributes": {"ApproximateReceiveCount": "2", "SentTimestamp": "0", "SenderId": "local",
                       "ApproximateFirstReceiveTimestamp": "0"},
        "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:follow-ups", "awsRegion": REGION,
    }]}
    response = stack.client("lambda").invoke(FunctionName=stack.function_names["TrackingFollowUpsFunction"],
                                             Payload=json.dumps(event).encode())
    # THEN it succeeds and changes nothing: still one notification, nothing re-queued
    assert "FunctionError" not in response
    assert json.loads(response["Payload"].read())["batchItemFailures"] == []
    assert len(mine()) == 1 and _messages(stack, order) == []
    # AND the customer's next question is answered from the cache the re-check refreshed, with no new promise
    live = track(stack, order, "en")
    assert live.status_code == 200 and live.json()["source"] == "cache" and live.json()["message"] is None
    assert live.json()["status"] == "in_transit"
    assert _messages(stack, order) == [] and promises.get(key).state == "delivered"


def test_an_overdue_promise_becomes_a_ticket_for_the_agents(stack, outage):
    from tridesk.core.tickets_store import DynamoTicketStore
    from tridesk.ecommerce.tracking.escalation import ticket_id_for
    from tridesk.ecommerce.tracking.followup import FollowUp

    # GIVEN a promise whose time is nearly up, and the carrier and OMS still down
    order = f"ECL{uuid.uuid4().int % 10**7 * 10 + 3:08d}"
    now = time.time()
    follow_up = FollowUp(promise_id=uuid.uuid4().hex, tenant=TENANT, customer_id=LOAD, order_id=order, lang="en",
                         promised_at=now - 880, due_at=now + 20)
    promises = DynamoPromiseStore()
    assert promises.claim(follow_up, retain_until=now + 3600, now=now)
    event = {"Records": [{
        "messageId": str(uuid.uuid4()), "receiptHandle": "r", "body": json.dumps(follow_up.to_dict()),
        "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "0", "SenderId": "local",
                       "ApproximateFirstReceiveTimestamp": "0"},
        "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:follow-ups", "awsRegion": REGION,
    }]}
    lam = stack.client("lambda")
    name = stack.function_names["TrackingFollowUpsFunction"]
    # WHEN its last re-check runs (and is delivered twice)
    for _ in range(2):
        response = lam.invoke(FunctionName=name, Payload=json.dumps(event).encode())
        assert "FunctionError" not in response
        assert json.loads(response["Payload"].read())["batchItemFailures"] == []
    # THEN the customer hears, in English, that a person is following up, once
    notes = [d for d in OutboxNotifier().deliveries(TENANT, LOAD)
             if d.notification.key == f"tracking-follow-up#{follow_up.promise_id}"]
    assert len(notes) == 1 and notes[0].notification.kind == "tracking_still_checking"
    assert "member of our team is now following up" in notes[0].notification.text.en
    # AND one ticket waits for an agent with the logistics skill, the order on its card
    ticket = DynamoTicketStore().get_ticket(TENANT, ticket_id_for(follow_up))
    assert ticket is not None and ticket.reason == "follow_up_overdue" and ticket.lang == "en"
    assert ticket.summary["order_ids"] == [order] and ticket.routing_ticket().required_skill == "logistics"
    assert promises.get(f"{TENANT}#{LOAD}#{order}").state == "still_checking"
