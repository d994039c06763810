"""The ticket desk over in-memory stores: priority, VIP desks, capacity, no double assignment."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from tests.fakes.conversation import FakeTicketStore, ListQueue
from tridesk.core.tickets import AgentRecord, TicketDesk, TicketRecord, new_ticket_id

T = "demo-ecommerce"
NOW = datetime(2026, 11, 11, 10, 0, tzinfo=timezone.utc)


def ticket(n: int, intent: str = "promotion_question", vip: bool = False, minutes_ago: int = 0) -> TicketRecord:
    at = NOW - timedelta(minutes=minutes_ago, microseconds=n)
    return TicketRecord(T, new_ticket_id(at), f"c-{n:020x}", "waiting", "human_requested", intent, at, {}, vip=vip)


def agent(agent_id: str, capacity: int = 1, vip: bool = False, status: str = "online", skills=("promotions", "returns")):
    return AgentRecord(agent_id, frozenset(skills), capacity, vip=vip, status=status)


def desk_with(*agents: AgentRecord) -> tuple[TicketDesk, FakeTicketStore, ListQueue]:
    store, queue = FakeTicketStore(), ListQueue()
    for a in agents:
        store.put_agent(T, a)
    return TicketDesk(store, queue, clock=lambda: NOW), store, queue


def test_a_ticket_nobody_can_take_waits_in_its_band_queue():
    desk, store, queue = desk_with(agent("a1", status="offline"))
    opened = desk.open(ticket(1, vip=True))
    assert opened.status == "waiting"
    assert queue.sent == [(T, opened.ticket_id, "high", 5)]


def test_waiting_tickets_go_vip_first_then_urgent_within_capacity():
    desk, store, _ = desk_with(agent("vip-desk", vip=True, status="offline"), agent("desk", status="offline"))
    plain, refund, vip = ticket(1), ticket(2, "return_refund"), ticket(3, vip=True)
    for t in (plain, refund, vip):
        desk.open(t)
    _, first = desk.set_status(T, "vip-desk", {"status": "online"})
    _, second = desk.set_status(T, "desk", {"status": "online"})
    assert first == [(vip.ticket_id, "vip-desk")] and second == [(refund.ticket_id, "desk")]
    assert store.get_ticket(T, plain.ticket_id).status == "waiting"
    desk.close(T, refund.ticket_id, resolved=True)
    assert store.get_ticket(T, plain.ticket_id).agent_id == "desk"
    assert store.get_agent(T, "desk").resolution["returns"] == (1, 1)


def test_a_skill_nobody_holds_does_not_strand_the_ticket():
    desk, store, _ = desk_with(agent("generalist", skills=("orders",)))
    opened = desk.open(ticket(1, "course_consultation"))
    assert opened.agent_id == "generalist"


def test_concurrent_assignment_never_double_assigns_or_overfills():
    desk, store, _ = desk_with(agent("a1", 2, status="offline"), agent("a2", 3, status="offline"))
    tickets = [ticket(i, "return_refund") for i in range(12)]
    for t in tickets:
        desk.open(t)
    barrier = threading.Barrier(14)

    def online(agent_id):
        barrier.wait()
        return desk.set_status(T, agent_id, {"status": "online"})[1]

    def dispatch(t):
        barrier.wait()
        out = desk.dispatch(T, t.ticket_id)
        return [(t.ticket_id, out.agent_id)] if out.outcome == "assigned" else []

    with ThreadPoolExecutor(14) as pool:
        jobs = [pool.submit(online, a) for a in ("a1", "a2")] + [pool.submit(dispatch, t) for t in tickets]
        claims = [c for j in jobs for c in j.result()]
    assert len(claims) == len({t for t, _ in claims}) == 5
    for agent_id in ("a1", "a2"):
        held = sum(1 for t in store.tickets.values() if t.agent_id == agent_id)
        assert held == store.get_agent(T, agent_id).load == store.get_agent(T, agent_id).capacity
