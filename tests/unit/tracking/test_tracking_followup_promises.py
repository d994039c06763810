"""Keeping the degraded answer's promise: one promise per order, re-checks, one notification."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone

import pytest

from local.carrier_service import DEMO_ANCHOR, demo_orders, demo_shipments
from tests.fakes.breaker_store import InMemoryBreakerStore
from tests.fakes.followups import FakeQueue, InMemoryPromiseStore, OutboxNotifierFake
from tests.fakes.tracking_cache_store import InMemoryTrackingCacheStore
from tests.fakes.tracking_sources import FakeCarrier, FakeClock, FakeOrders
from tridesk.core.errors import UpstreamError, ValidationError
from tridesk.core.i18n import BiText
from tridesk.core.notify import Notification, render
from tridesk.ecommerce.tracking.breaker import BreakerConfig, BreakerRegistry
from tridesk.ecommerce.tracking.followup import (
    KIND_NOT_FOUND,
    KIND_STILL_CHECKING,
    KIND_UPDATE,
    FollowUp,
    FollowUpConfig,
    FollowUpScheduler,
    FollowUpWorker,
)
from tridesk.ecommerce.tracking.freshness import FreshnessPolicy
from tridesk.ecommerce.tracking.l1 import L1Cache
from tridesk.ecommerce.tracking.service import ServiceConfig, TrackingService

TENANT = "demo-ecommerce"
ZHANG, LINA = "cust-zhangwei", "cust-lina"
IN_TRANSIT, HELD = "ECD20261111002", "ECD20261111005"
BREAKERS = BreakerConfig(min_requests=1000, sync_interval_s=0)


@dataclass
class World:
    clock: FakeClock
    orders: FakeOrders
    carrier: FakeCarrier
    promises: InMemoryPromiseStore
    queue: FakeQueue
    notifier: OutboxNotifierFake
    config: FollowUpConfig

    def service(self, follow_up: FollowUpScheduler | None) -> TrackingService:
        c = self.clock
        return TrackingService(
            orders=self.orders, carrier=self.carrier, store=InMemoryTrackingCacheStore(clock=c),
            breakers=BreakerRegistry(InMemoryBreakerStore(), BREAKERS, clock=c),
            policy=FreshnessPolicy(l1_ttl_s=5), l1=L1Cache(64, clock=c), config=ServiceConfig(follow_up_minutes=15),
            follow_up=follow_up, clock=c, sleep=c.advance,
        )

    def scheduler(self) -> FollowUpScheduler:
        return FollowUpScheduler(self.promises, self.queue, self.config, clock=self.clock,
                                 memo=L1Cache(64, clock=self.clock))

    def worker(self) -> FollowUpWorker:
        return FollowUpWorker(self.service(None), self.promises, self.queue, self.notifier, self.config,
                              clock=self.clock)


@pytest.fixture
def world() -> World:
    clock = FakeClock(DEMO_ANCHOR.timestamp() + 120)
    return World(clock, FakeOrders(demo_orders()), FakeCarrier(demo_shipments()), InMemoryPromiseStore(),
                 FakeQueue(), OutboxNotifierFake(), FollowUpConfig(first_check_s=60, final_margin_s=30, memo_s=30))


def test_many_degraded_answers_make_one_promise_and_one_queued_recheck(world: World) -> None:
    # GIVEN the OMS is down and the customer asks ten times in two minutes
    world.orders.fail = True
    api = world.service(world.scheduler())
    answers = []
    for _ in range(10):
        answers.append(api.get(TENANT, ZHANG, IN_TRANSIT))
        world.clock.advance(12)
    # THEN every answer is the polite promise, and exactly one re-check is queued
    assert {a.source for a in answers} == {"degraded"} and answers[0].follow_up_minutes == 15
    assert len(world.queue.sent) == 1
    follow_up, delay = world.queue.sent[0]
    assert delay == 60 and follow_up.attempt == 0
    assert (follow_up.tenant, follow_up.customer_id, follow_up.order_id) == (TENANT, ZHANG, IN_TRANSIT)
    assert follow_up.due_at - follow_up.promised_at == 15 * 60
    # AND the container's memo spared the store most of the conditional writes
    assert world.promises.claims < 10
    # AND another order of the same customer gets its own promise
    api.get(TENANT, ZHANG, "ECD20261111003")
    assert len(world.queue.sent) == 2


def test_recovered_carrier_notifies_once_in_both_languages(world: World) -> None:
    # GIVEN a promise made while the OMS was down
    world.orders.fail = True
    world.service(world.scheduler()).get(TENANT, ZHANG, IN_TRANSIT)
    follow_up, delay = world.queue.pop()
    # WHEN the re-check runs after the OMS recovered
    world.orders.fail = False
    world.clock.advance(delay)
    worker = world.worker()
    done = worker.process(follow_up)
    # THEN the customer is told the status, the newest scan and the ETA, in both languages
    assert done.outcome == "delivered"
    [note] = world.notifier.notifications
    assert note.kind == KIND_UPDATE and note.customer_id == ZHANG and note.data["order_id"] == IN_TRANSIT
    assert IN_TRANSIT in note.text.zh and "运输中" in note.text.zh and "北京转运中心" in note.text.zh
    assert "In transit" in note.text.en and "Beijing transit center" in note.text.en
    assert "预计送达" in note.text.zh and "Estimated delivery" in note.text.en
    assert world.promises.items[follow_up.key].state == "delivered"
    # AND a redelivered message changes nothing
    assert worker.process(follow_up).outcome == "duplicate"
    assert len(world.notifier.notifications) == 1 and world.queue.sent == []


def test_still_degraded_rechecks_back_off_then_say_still_checking_before_the_deadline(world: World) -> None:
    # GIVEN a promise while the carrier is down, and a carrier that stays down
    world.carrier.fail = True
    world.service(world.scheduler()).get(TENANT, LINA, HELD)
    follow_up, delay = world.queue.pop()
    promised_at = follow_up.promised_at
    worker = world.worker()
    delays = [delay]
    # WHEN every re-check finds it still degraded
    while True:
        world.clock.advance(delay)
        done = worker.process(follow_up)
        if done.outcome != "rescheduled":
            break
        follow_up, delay = world.queue.pop()
        delays.append(delay)
    # THEN the delays double, the last is cut to the deadline, and the final word comes before the promise
    assert delays == [60, 120, 240, 450]
    assert done.outcome == "still_checking"
    assert world.clock.now - promised_at <= 15 * 60
    [note] = world.notifier.notifications
    assert note.kind == KIND_STILL_CHECKING and HELD in note.text.zh and HELD in note.text.en
    assert "抱歉" in note.text.zh and "sorry" in note.text.en
    assert world.promises.items[follow_up.key].state == "still_checking"


def test_an_overdue_promise_goes_to_an_agent_once(world: World) -> None:
    from tests.fakes.conversation import FakeTicketStore, ListQueue
    from tridesk.core.handoff import card_from_dict
    from tridesk.core.tickets import TicketDesk
    from tridesk.ecommerce.tracking.escalation import TicketEscalation, ticket_id_for

    # GIVEN the follow-up worker hands overdue promises to the agents' desk, and a carrier that stays down
    desk = TicketDesk(FakeTicketStore(), ListQueue(),
                      clock=lambda: datetime.fromtimestamp(world.clock.now, timezone.utc))
    worker = FollowUpWorker(world.service(None), world.promises, world.queue, world.notifier, world.config,
                            clock=world.clock, escalation=TicketEscalation(desk))
    world.carrier.fail = True
    world.service(world.scheduler()).get(TENANT, LINA, HELD, lang="en")
    follow_up, delay = world.queue.pop()
    while True:
        world.clock.advance(delay)
        done = worker.process(follow_up)
        if done.outcome != "rescheduled":
            break
        follow_up, delay = world.queue.pop()
    # THEN the customer is told a person is following up, in the language they asked in
    assert done.outcome == "still_checking"
    [note] = world.notifier.notifications
    assert note.lang == "en" and "member of our team is now following up" in note.text.en
    assert "人工客服继续为您跟进" in note.text.zh and note.data["escalated"] is True
    # AND one waiting ticket carries the order, routed to the logistics skill, in English
    ticket = desk.get(TENANT, ticket_id_for(follow_up))
    assert ticket.status == "waiting" and ticket.customer_id == LINA and ticket.lang == "en"
    assert ticket.routing_ticket().required_skill == "logistics" and ticket.reason == "follow_up_overdue"
    card = card_from_dict(ticket.summary)
    assert card.order_ids == [HELD] and card.reason == "follow_up_overdue"
    assert card.render("zh")["fields"]
    # WHEN the same final re-check is delivered again
    again = worker.process(follow_up)
    # THEN nothing more: no second message, no second ticket
    assert again.outcome == "duplicate" and len(world.notifier.notifications) == 1
    assert TicketEscalation(desk).escalate(follow_up, world.clock.now) is False
    assert len(desk.store.tickets) == 1


def test_long_promises_hop_at_most_900_seconds_at_a_time(world: World) -> None:
    world.carrier.fail = True
    config = replace(world.config, first_check_s=600)
    world.config = config
    scheduler = world.scheduler()
    assert scheduler.schedule(TENANT, LINA, HELD, 120)
    follow_up, delay = world.queue.pop()
    world.clock.advance(delay)
    done = world.worker().process(follow_up)
    assert (delay, done.outcome, done.delay_s) == (600, "rescheduled", 900)


def test_an_order_that_is_not_the_customers_gets_a_not_found_note(world: World) -> None:
    # GIVEN a promise about Lina's order made to Zhang Wei while the OMS was down
    world.orders.fail = True
    world.service(world.scheduler()).get(TENANT, ZHANG, HELD)
    follow_up, _ = world.queue.pop()
    world.orders.fail = False
    done = world.worker().process(follow_up)
    # THEN he is told it is not on his account, and nothing about the parcel leaks
    assert done.outcome == "not_found"
    [note] = world.notifier.notifications
    assert note.kind == KIND_NOT_FOUND and note.customer_id == ZHANG
    assert "Wuhan" not in note.text.en and "武汉" not in note.text.zh


def test_duplicate_and_superseded_messages_are_dropped(world: World) -> None:
    world.carrier.fail = True
    world.service(world.scheduler()).get(TENANT, LINA, HELD)
    first, _ = world.queue.pop()
    worker = world.worker()
    assert worker.process(first).outcome == "rescheduled"
    world.queue.pop()
    # a second delivery of the same message does not fork a second chain of re-checks
    assert worker.process(first).outcome == "duplicate" and world.queue.sent == []
    # a message of an older promise of the same key is dropped
    stale = replace(first, promise_id="older")
    assert worker.process(stale).outcome == "superseded"
    assert world.notifier.calls == 0


def test_a_closed_promise_lets_the_next_outage_promise_again(world: World) -> None:
    world.orders.fail = True
    scheduler = world.scheduler()
    assert scheduler.schedule(TENANT, ZHANG, IN_TRANSIT, 15)
    follow_up, _ = world.queue.pop()
    world.orders.fail = False
    assert world.worker().process(follow_up).outcome == "delivered"
    world.clock.advance(31)  # past the container's memo
    assert scheduler.schedule(TENANT, ZHANG, IN_TRANSIT, 15)
    assert len(world.queue.sent) == 1 and world.queue.sent[0][0].promise_id != follow_up.promise_id


def test_a_promise_that_could_not_be_queued_is_released(world: World) -> None:
    world.queue.fail = True
    scheduler = world.scheduler()
    with pytest.raises(UpstreamError):
        scheduler.schedule(TENANT, ZHANG, IN_TRANSIT, 15)
    assert world.promises.items == {}
    # AND the degraded answer itself never fails because of it
    world.orders.fail = True
    assert world.service(scheduler).get(TENANT, ZHANG, IN_TRANSIT).source == "degraded"
    world.queue.fail = False
    world.clock.advance(1)
    assert scheduler.schedule(TENANT, ZHANG, IN_TRANSIT, 15)


def test_message_round_trip_and_poison() -> None:
    f = FollowUp("p1", TENANT, ZHANG, IN_TRANSIT, "en", 1_800_000_000.0, 1_800_000_900.0, 2)
    assert FollowUp.from_dict(f.to_dict()) == f
    for bad in ({**f.to_dict(), "order_id": "EC!"}, {**f.to_dict(), "lang": "fr"},
                {**f.to_dict(), "attempt": -1}, {**f.to_dict(), "due_at": "2020-01-01T00:00:00+00:00"},
                {**f.to_dict(), "promised_at": "yesterday"}, [], {**f.to_dict(), "promise_id": ""}):
        with pytest.raises(ValidationError):
            FollowUp.from_dict(bad)


def test_notifications_are_validated_and_rendered_in_the_customers_language() -> None:
    text = BiText("您好", "Hello")
    assert render(text, "en") == "Hello" and render(text, "zh") == "您好" and render(text, None) == "您好\nHello"
    with pytest.raises(ValidationError):
        Notification(TENANT, ZHANG, "", "k", text)
    with pytest.raises(ValidationError):
        Notification(TENANT, ZHANG, "k", "k", text, channel="fax")  # type: ignore[arg-type]


class SlowQueue(FakeQueue):
    """A queue whose sends wait for ``gate`` (a store or queue slowed down by a peak)."""

    def __init__(self) -> None:
        super().__init__()
        import threading

        self.gate = threading.Event()

    def send(self, follow_up: FollowUp, delay_s: int) -> None:
        assert self.gate.wait(5)
        super().send(follow_up, delay_s)


def test_write_behind_is_synchronous_when_idle_and_never_makes_a_busy_process_wait(world: World) -> None:
    import threading

    from tridesk.ecommerce.tracking.followup import WriteBehindSink

    # GIVEN an idle process: the promise is recorded before schedule returns (a Lambda container)
    sink = WriteBehindSink(world.scheduler(), max_pending=2)
    sink.schedule(TENANT, ZHANG, IN_TRANSIT, 15)
    assert len(world.queue.sent) == 1
    # AND a repeated question is answered from the container's memo, without a store call
    claims = world.promises.claims
    sink.schedule(TENANT, ZHANG, IN_TRANSIT, 15)
    assert world.promises.claims == claims and len(world.queue.sent) == 1
    # WHEN one promise is stuck in a slow send, and the background writer is stuck behind another
    slow = SlowQueue()
    busy = WriteBehindSink(FollowUpScheduler(world.promises, slow, world.config, clock=world.clock), max_pending=2)
    import time

    def claimed(order: str) -> bool:
        deadline = time.monotonic() + 5
        while f"{TENANT}#{LINA}#{order}" not in world.promises.items and time.monotonic() < deadline:
            time.sleep(0.001)
        return f"{TENANT}#{LINA}#{order}" in world.promises.items

    first = threading.Thread(target=busy.schedule, args=(TENANT, LINA, HELD, 15))
    first.start()
    assert claimed(HELD)
    busy.schedule(TENANT, LINA, "ECD20261111006", 15)  # returns at once: handed to the writer
    assert claimed("ECD20261111006")
    # AND three more orders come in at once
    for order in ("ECD20261111007", "ECD20261111009", "ECD20261111010"):
        busy.schedule(TENANT, LINA, order, 15)  # returns at once
    # THEN two wait in the backlog and the one beyond its bound is dropped and counted
    assert slow.sent == [] and busy.dropped == 1
    slow.gate.set()
    first.join(5)
    assert busy.flush(5)
    assert sorted(f.order_id for f, _ in slow.sent) == [HELD, "ECD20261111006", "ECD20261111007", "ECD20261111009"]
