"""The outbox delivered on the local stack: stream -> notify-dispatcher -> the local channel service.

Each test records a notification through the real ``OutboxNotifier``; the notifications table's
stream (``local.streams``) feeds the dispatcher Lambda, which sends it to ``local.channel_service``
(``stack.upstreams["channels"]``) and records the outcome on the notification.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tridesk.core.channels import ChannelSettings, build_senders
from tridesk.core.i18n import BiText
from tridesk.core.notify import Notification
from tridesk.core.notify_delivery_store import DynamoOutboxLedger, DynamoRecipientDirectory
from tridesk.core.notify_dispatch import NotificationDispatcher, OutboxRef
from tridesk.core.notify_store import OutboxNotifier, outbox_pk

TENANT = "demo-ecommerce"
TEXT = BiText("您的订单 ECD20261111001 已签收。", "Your order ECD20261111001 has been signed for.")


def _wait(check: Callable[[], Any], timeout_s: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


@pytest.fixture
def channels(stack):
    """The local providers, healthy, and the demo customers' addresses as seeded (another test, e.g. the
    API conformance run, may have re-registered them through the API)."""
    from local import demo_channels

    for customer in demo_channels.ADDRESSES:
        for channel in ("app_push", "wechat_template", "sms"):
            DynamoRecipientDirectory().forget(TENANT, customer, channel)
    demo_channels.seed(stack)
    service = stack.upstreams["channels"]
    service.reset_faults()
    yield service
    service.reset_faults()


def _notify(customer: str, channel: str = "app_push", lang: str | None = "zh") -> tuple[Notification, OutboxRef]:
    n = Notification(tenant=TENANT, customer_id=customer, key=f"test#{uuid.uuid4().hex}", kind="tracking_update",
                     text=TEXT, lang=lang, channel=channel, data={"order_id": "ECD20261111001"})
    assert OutboxNotifier().notify(n) is True
    return n, OutboxRef(outbox_pk(TENANT, customer), f"n#{n.key}")


def _record(ref: OutboxRef) -> dict[str, Any]:
    return DynamoOutboxLedger().get(ref) or {}


def _final(ref: OutboxRef) -> dict[str, Any]:
    return _wait(lambda: (r := _record(ref)).get("status") in ("sent", "failed") and r) or _record(ref)


def _mine(channels, n: Notification) -> list[dict[str, Any]]:
    from tridesk.core.channels import request_id

    return [m for m in channels.messages() if m["request_id"] == request_id(n)]


def _stream_event(ref: OutboxRef) -> dict[str, Any]:
    return {"Records": [{
        "eventID": uuid.uuid4().hex, "eventName": "INSERT", "eventVersion": "1.1", "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1", "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/x",
        "dynamodb": {"Keys": {"pk": {"S": ref.pk}, "sk": {"S": ref.sk}}, "SequenceNumber": "1",
                     "StreamViewType": "NEW_IMAGE", "SizeBytes": 1},
    }]}


def _invoke(stack, event: dict[str, Any]) -> dict[str, Any]:
    response = stack.client("lambda").invoke(FunctionName=stack.function_names["NotifyDispatcherFunction"],
                                             Payload=json.dumps(event).encode())
    assert "FunctionError" not in response
    return json.loads(response["Payload"].read())


def test_a_recorded_notification_reaches_the_customer_once(stack, channels):
    # GIVEN a customer with the app (push token in the demo directory)
    # WHEN the service records a notification in the outbox
    n, ref = _notify("cust-zhangwei")
    # THEN the stream delivers it: one push to the customer's device, the record marked sent
    record = _final(ref)
    assert record["status"] == "sent", record
    assert record["attempts"] == 1 and record["receipt_id"] and record["sent_at"]
    assert "due_at" not in record and "lease_until" not in record
    [message] = _mine(channels, n)
    assert message["channel"] == "app_push" and message["to"] == "push-tok-zhangwei-0001"
    assert message["payload"]["body"] == TEXT.zh and message["receipt"]["message_id"] == record["receipt_id"]
    # WHEN the stream event is delivered again (streams deliver at least once)
    assert _invoke(stack, _stream_event(ref))["batchItemFailures"] == []
    # THEN nothing changes: still one message, the record as it was
    assert len(_mine(channels, n)) == 1 and _record(ref) == record


def test_sms_and_wechat_reach_their_providers(stack, channels):
    sms, sms_ref = _notify("cust-zhangwei", "sms", lang="en")
    wx, wx_ref = _notify("cust-lina", "wechat_template")
    assert _final(sms_ref)["status"] == "sent" and _final(wx_ref)["status"] == "sent"
    [text] = _mine(channels, sms)
    assert text["to"] == "13800002046" and text["payload"]["text"] == TEXT.en and text["payload"]["sign_name"]
    [template] = _mine(channels, wx)
    assert template["to"] == "oLinaDemoOpenid0002"
    assert template["payload"]["data"]["character_string3"]["value"] == "ECD20261111001"


def test_a_transient_failure_is_retried_and_delivered_once(stack, channels):
    # GIVEN the push provider fails the next four requests (one dispatch retries three times in itself)
    channels.set_faults(fail_next=4)
    before = channels.stats_snapshot()
    n, ref = _notify("cust-emily")
    # THEN the event source retries the record and it is delivered, once
    record = _final(ref)
    assert record["status"] == "sent", record
    assert record["attempts"] == 2 and "HTTP 503" in record["last_error"]
    assert len(_mine(channels, n)) == 1
    assert channels.stats_snapshot()["errors"] - before["errors"] == 4


def test_permanent_failures_are_recorded_and_not_retried(stack, channels):
    # GIVEN a customer who refused the subscription, and one with no address for the channel
    channels.refused.add("oLinaDemoOpenid0002")
    try:
        refused, refused_ref = _notify("cust-lina", "wechat_template")
        nowhere, nowhere_ref = _notify("cust-emily", "sms")
        # THEN both are recorded failed for good, with their reason, and nothing was sent
        record = _final(refused_ref)
        assert record["status"] == "failed" and record["failure"] == "subscription_refused", record
        assert record["failure_permanent"] is True and record["attempts"] == 1
        missing = _final(nowhere_ref)
        assert missing["status"] == "failed" and missing["failure"] == "no_address" and missing["attempts"] == 1
        assert _mine(channels, refused) == [] and _mine(channels, nowhere) == []
        # AND a redelivery does not try again
        assert _invoke(stack, _stream_event(refused_ref))["batchItemFailures"] == []
        assert _record(refused_ref)["attempts"] == 1
    finally:
        channels.refused.discard("oLinaDemoOpenid0002")


def test_an_outage_goes_to_the_failure_queue_then_the_sweep_delivers(stack, channels):
    sqs = stack.client("sqs")
    failed_queue = stack.physical_id("NotifyDispatchFailedQueue")
    sqs.purge_queue(QueueUrl=failed_queue)
    # GIVEN the push provider is down
    channels.set_faults(outage=True)
    n, ref = _notify("cust-zhangwei")

    # THEN the stream retries a few times, gives up, and reports the batch to the on-failure queue
    def reported() -> list[dict[str, Any]]:
        got = sqs.receive_message(QueueUrl=failed_queue, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in got]

    reports = _wait(reported, timeout_s=30)
    assert reports and reports[0]["DDBStreamBatchInfo"]["batchSize"] >= 1
    record = _record(ref)
    assert record["status"] == "pending" and record["attempts"] == 3 and record["due_at"] > time.time()
    assert _mine(channels, n) == []
    # WHEN the provider is back and the sweep runs once the record is due
    channels.reset_faults()
    cfg = ChannelSettings.from_settings()
    later = NotificationDispatcher(DynamoOutboxLedger(), DynamoRecipientDirectory(), build_senders(cfg),
                                   clock=lambda: time.time() + 3600)
    report = later.sweep(limit=500)
    # THEN it is delivered, once
    assert report.found >= 1
    record = _record(ref)
    assert record["status"] == "sent" and record["attempts"] == 4, record
    assert len(_mine(channels, n)) == 1


def test_the_app_registers_where_notifications_go(stack, channels):
    import requests

    customer = f"cust-reg-{uuid.uuid4().hex[:8]}"
    url = f"{stack.api_url}/v1/notification-addresses"
    headers = {"X-Tenant-Id": TENANT, "X-Customer-Id": customer}
    # GIVEN a customer with no address: a notification cannot be delivered
    assert requests.get(url, headers=headers, timeout=10).json() == {"addresses": []}
    # WHEN the app registers the customer's phone (in any common form)
    put = requests.put(f"{url}/sms", headers=headers, json={"address": "+86 138-0000-2046"}, timeout=10)
    # THEN it is stored normalised and answered masked, never in clear
    assert put.status_code == 200, put.text
    assert put.json() == {"channel": "sms", "address": "138****2046"}
    listed = requests.get(url, headers=headers, timeout=10).json()["addresses"]
    assert [(a["channel"], a["address"]) for a in listed] == [("sms", "138****2046")]
    # AND an SMS notification now reaches that phone
    n, ref = _notify(customer, channel="sms", lang="en")
    assert _final(ref)["status"] == "sent"
    [message] = _mine(channels, n)
    assert message["to"] == "13800002046" and message["payload"]["text"] == TEXT.en
    # AND bad input is a 4xx that changes nothing
    bad = requests.put(f"{url}/sms", headers=headers, json={"address": "12345"}, timeout=10)
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "address"
    assert requests.put(f"{url}/fax", headers=headers, json={"address": "12345678"}, timeout=10).status_code == 404
    assert requests.put(f"{url}/sms", headers={"X-Tenant-Id": TENANT}, json={"address": "13800002046"},
                        timeout=10).status_code == 400
    assert requests.get(url, headers=headers, timeout=10).json()["addresses"][0]["address"] == "138****2046"
    # WHEN the customer turns SMS off (twice: forgetting is idempotent)
    for _ in range(2):
        gone = requests.delete(f"{url}/sms", headers=headers, timeout=10)
        assert gone.status_code == 200 and gone.json() == {"channel": "sms", "deleted": True}
    # THEN nothing more is sent there: the next notification is recorded as undeliverable
    assert requests.get(url, headers=headers, timeout=10).json() == {"addresses": []}
    _n2, ref2 = _notify(customer, channel="sms")
    final = _final(ref2)
    assert final["status"] == "failed" and final.get("failure") == "no_address", final
