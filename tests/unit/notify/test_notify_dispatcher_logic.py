"""The dispatcher's rules: at most once, redelivery, permanent vs transient, missing recipient, the sweep.

The ledger below keeps the same conditions as ``DynamoOutboxLedger`` (claim pending -> sending,
writes fenced by the attempt number); the Dynamo adapter itself runs in
tests/integration/test_notify_dispatch.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tridesk.core.channels import DeliveryFailed, Recipient
from tridesk.core.errors import UpstreamError
from tridesk.core.i18n import BiText
from tridesk.core.notify import Notification
from tridesk.core.notify_dispatch import Claim, DispatchConfig, NotificationDispatcher, OutboxRef


class Ledger:
    def __init__(self) -> None:
        self.items: dict[OutboxRef, dict[str, Any]] = {}

    def add(self, n: Notification, now: float = 0.0) -> OutboxRef:
        ref = OutboxRef(f"{n.tenant}#cust#{n.customer_id}", f"n#{n.key}")
        self.items[ref] = {"n": n, "status": "pending", "attempts": 0, "due_at": now + 120}
        return ref

    def claim(self, ref: OutboxRef, now: float, lease_s: float) -> Claim:
        item = self.items.get(ref)
        if item is None:
            return Claim("missing")
        if item["status"] == "pending":
            item.update(status="sending", attempts=item["attempts"] + 1, lease_until=now + lease_s)
            return Claim("claimed", item["n"], item["attempts"], item["lease_until"])
        if item["status"] in ("sent", "failed"):
            return Claim(item["status"], attempt=item["attempts"])
        state = "busy" if item["lease_until"] > now else "lost"
        return Claim(state, attempt=item["attempts"], lease_until=item["lease_until"])

    def mark_sent(self, ref: OutboxRef, attempt: int, receipt_id: str, now: float) -> bool:
        item = self.items[ref]
        if item["attempts"] != attempt:
            return False
        item.update(status="sent", receipt_id=receipt_id, sent_at=now, due_at=None)
        return True

    def mark_failed(self, ref: OutboxRef, attempt: int, reason: str, *, permanent: bool, now: float) -> bool:
        item = self.items[ref]
        if item["attempts"] != attempt or item["status"] != "sending":
            return False
        item.update(status="failed", failure=reason, failure_permanent=permanent, due_at=None)
        return True

    def release(self, ref: OutboxRef, attempt: int, reason: str, due_at: float) -> bool:
        item = self.items[ref]
        if item["attempts"] != attempt or item["status"] != "sending":
            return False
        item.update(status="pending", last_error=reason, due_at=due_at)
        return True

    def give_up_lost(self, ref: OutboxRef, lease_until: float, now: float) -> bool:
        item = self.items[ref]
        if item["status"] != "sending" or item["lease_until"] != lease_until:
            return False
        item.update(status="failed", failure="outcome_unknown", failure_permanent=True, due_at=None)
        return True

    def due(self, now: float, limit: int) -> list[OutboxRef]:
        return [r for r, i in self.items.items() if i["due_at"] is not None and i["due_at"] <= now][:limit]


@dataclass
class Sender:
    channel: str = "app_push"
    fail: list[Exception] = field(default_factory=list)
    sent: list[tuple[str, str]] = field(default_factory=list)

    def send(self, notification: Notification, recipient: Recipient) -> str:
        if self.fail:
            raise self.fail.pop(0)
        self.sent.append((notification.key, recipient.address))
        return f"r-{len(self.sent)}"


class Directory:
    def __init__(self, book: dict[tuple[str, str], str]) -> None:
        self.book = book

    def address(self, tenant: str, customer_id: str, channel: str) -> Recipient | None:
        found = self.book.get((customer_id, channel))
        return Recipient(channel, found) if found else None  # type: ignore[arg-type]


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def world():
    ledger, sender, clock = Ledger(), Sender(), Clock()
    directory = Directory({("cust-zhangwei", "app_push"): "push-tok-1"})
    dispatcher = NotificationDispatcher(ledger, directory, {"app_push": sender},
                                        DispatchConfig(lease_s=60, max_attempts=3, retry_base_s=60), clock)
    return ledger, sender, clock, dispatcher


def _note(key: str = "k1", customer: str = "cust-zhangwei", channel: str = "app_push") -> Notification:
    return Notification("demo-ecommerce", customer, key, "tracking_update", BiText("已签收", "Signed"),
                        channel=channel)  # type: ignore[arg-type]


def test_sent_once_and_a_redelivery_changes_nothing(world):
    ledger, sender, clock, dispatcher = world
    ref = ledger.add(_note())
    first = dispatcher.dispatch(ref)
    assert first.result == "sent" and first.receipt_id == "r-1" and first.attempt == 1
    before = dict(ledger.items[ref])
    again = dispatcher.dispatch(ref)
    assert again.result == "skipped" and again.detail == "sent"
    assert sender.sent == [("k1", "push-tok-1")] and ledger.items[ref] == before


def test_a_missing_record_is_skipped(world):
    _, sender, _, dispatcher = world
    assert dispatcher.dispatch(OutboxRef("demo-ecommerce#cust#x", "n#nothing")).detail == "missing"
    assert sender.sent == []


def test_no_address_is_a_permanent_failure_not_a_crash(world):
    ledger, sender, _, dispatcher = world
    ref = ledger.add(_note(customer="cust-load"))
    outcome = dispatcher.dispatch(ref)
    assert outcome.result == "failed" and outcome.detail == "no_address"
    assert ledger.items[ref]["failure_permanent"] is True and ledger.items[ref]["due_at"] is None
    assert dispatcher.dispatch(ref).result == "skipped" and sender.sent == []


def test_a_channel_without_an_adapter_is_a_permanent_failure(world):
    ledger, _, _, dispatcher = world
    ref = ledger.add(_note(channel="sms"))
    assert dispatcher.dispatch(ref).detail == "channel_not_supported"
    assert ledger.items[ref]["status"] == "failed"


def test_a_refusal_is_recorded_and_never_retried(world):
    ledger, sender, _, dispatcher = world
    sender.fail.append(DeliveryFailed("app_push", "unregistered"))
    ref = ledger.add(_note())
    assert dispatcher.dispatch(ref).detail == "unregistered"
    assert ledger.items[ref]["status"] == "failed" and ledger.items[ref]["failure"] == "unregistered"
    assert dispatcher.dispatch(ref).result == "skipped" and sender.sent == []


def test_a_transient_failure_releases_the_claim_and_raises_for_the_event_source(world):
    ledger, sender, clock, dispatcher = world
    sender.fail.append(UpstreamError("app_push", "HTTP 503"))
    ref = ledger.add(_note())
    with pytest.raises(UpstreamError):
        dispatcher.dispatch(ref)
    item = ledger.items[ref]
    assert item["status"] == "pending" and item["attempts"] == 1 and item["due_at"] == clock.now + 60
    # the event source's retry delivers it, once
    assert dispatcher.dispatch(ref).result == "sent" and ledger.items[ref]["attempts"] == 2
    assert len(sender.sent) == 1


def test_retries_back_off_and_give_up_after_max_attempts(world):
    ledger, sender, clock, dispatcher = world
    sender.fail.extend(UpstreamError("app_push", "timeout") for _ in range(5))
    ref = ledger.add(_note())
    for expected_delay in (60, 120):
        with pytest.raises(UpstreamError):
            dispatcher.dispatch(ref)
        assert ledger.items[ref]["due_at"] == clock.now + expected_delay
    outcome = dispatcher.dispatch(ref)
    assert outcome.result == "failed" and outcome.detail == "gave_up"
    assert ledger.items[ref]["failure_permanent"] is False and sender.sent == []


def test_an_unreadable_answer_is_not_retried(world):
    ledger, sender, _, dispatcher = world
    sender.fail.append(UpstreamError("app_push", "answer has no message_id", retryable=False))
    ref = ledger.add(_note())
    assert dispatcher.dispatch(ref).detail == "unreadable_answer"
    assert dispatcher.dispatch(ref).result == "skipped" and sender.sent == []


def test_a_claim_held_by_another_worker_is_left_alone_then_given_up_when_its_lease_ran_out(world):
    ledger, sender, clock, dispatcher = world
    ref = ledger.add(_note())
    ledger.claim(ref, clock.now, 60)  # another worker claimed it and is sending
    assert dispatcher.dispatch(ref).detail == "busy"
    clock.now += 61  # it died mid-send: whether the customer got it is unknown
    outcome = dispatcher.dispatch(ref)
    assert outcome.result == "failed" and outcome.detail == "outcome_unknown"
    assert ledger.items[ref]["failure"] == "outcome_unknown" and sender.sent == []


def test_a_slow_worker_cannot_overwrite_a_later_attempt(world):
    ledger, _, clock, _ = world
    ref = ledger.add(_note())
    first = ledger.claim(ref, clock.now, 60)
    ledger.release(ref, first.attempt, "timeout", clock.now)
    second = ledger.claim(ref, clock.now, 60)
    assert ledger.mark_sent(ref, first.attempt, "late", clock.now) is False
    assert ledger.mark_sent(ref, second.attempt, "r", clock.now) is True


def test_the_sweep_delivers_only_what_is_due(world):
    ledger, sender, clock, dispatcher = world
    early = ledger.add(_note("early"), now=clock.now - 300)
    fresh = ledger.add(_note("fresh"), now=clock.now)
    report = dispatcher.sweep()
    assert report.found == 1 and report.outcomes == {"sent": 1}
    assert ledger.items[early]["status"] == "sent" and ledger.items[fresh]["status"] == "pending"
    sender.fail.append(UpstreamError("app_push", "HTTP 503"))
    clock.now += 600
    report = dispatcher.sweep()
    assert report.outcomes == {"retry": 1} and ledger.items[fresh]["status"] == "pending"
