"""Ticket priority and agent ranking: VIP, urgency, wait time, capacity, skills."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from tridesk.core.routing import Agent, Ticket, band, plan_assignments, priority, rank_agents, rank_tickets

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)


def ticket(tid: str, intent: str, *, vip: bool = False, waited: float = 0, sentiment: str = "neutral") -> Ticket:
    return Ticket(tid, intent, NOW - timedelta(minutes=waited), vip=vip, sentiment=sentiment)


def agent(aid: str, skills: set[str], *, capacity: int = 3, load: int = 0, vip: bool = False,
          resolved: int = 70, handled: int = 100, status: str = "online") -> Agent:
    return Agent(aid, frozenset(skills), capacity, load, vip, status, resolved=resolved, handled=handled)  # type: ignore[arg-type]


def test_vip_first_then_urgency_then_wait() -> None:
    tickets = [
        ticket("question", "promotion_question", waited=5),
        ticket("refund", "return_refund", waited=1),
        ticket("vip-question", "promotion_question", vip=True),
        ticket("payment", "payment_problem", waited=2),
    ]
    assert [t.ticket_id for t in rank_tickets(tickets, NOW)] == ["vip-question", "payment", "refund", "question"]


def test_long_waits_are_not_starved() -> None:
    old = ticket("old", "promotion_question", waited=150)
    fresh_vip = ticket("vip", "promotion_question", vip=True)
    assert priority(old, NOW) > priority(fresh_vip, NOW)
    assert band(priority(fresh_vip, NOW)) == "high" and band(priority(ticket("q", "greeting"), NOW)) == "low"


def test_skills_capacity_and_status_filter_agents() -> None:
    t = ticket("t", "return_refund")
    agents = [
        agent("no-skill", {"wealth"}),
        agent("full", {"returns"}, capacity=2, load=2),
        agent("away", {"returns"}, status="away"),
        agent("ok", {"returns"}),
    ]
    assert [c.agent_id for c in rank_agents(t, agents)] == ["ok"]
    assert rank_agents(t, agents[:3]) == []


def test_vip_tickets_go_to_vip_agents_first_even_if_others_resolve_more() -> None:
    agents = [agent("star", {"returns"}, resolved=95), agent("vip-desk", {"returns"}, vip=True, resolved=60)]
    assert rank_agents(ticket("v", "return_refund", vip=True), agents)[0].agent_id == "vip-desk"
    assert rank_agents(ticket("n", "return_refund"), agents)[0].agent_id == "star"


def test_better_resolution_and_spare_capacity_win() -> None:
    agents = [agent("weak", {"payments"}, resolved=40), agent("strong", {"payments"}, resolved=90),
              agent("strong-busy", {"payments"}, resolved=90, load=2)]
    assert [c.agent_id for c in rank_agents(ticket("p", "payment_problem"), agents)] == ["strong", "strong-busy", "weak"]


def test_short_histories_are_shrunk_towards_the_prior() -> None:
    lucky = agent("lucky", {"orders"}, resolved=1, handled=1)
    proven = agent("proven", {"orders"}, resolved=180, handled=200)
    assert rank_agents(ticket("o", "order_status"), [lucky, proven])[0].agent_id == "proven"


def test_plan_serves_priority_first_and_queues_the_rest() -> None:
    tickets = [ticket("q", "promotion_question", waited=3), ticket("vip", "return_refund", vip=True),
               ticket("pay", "payment_problem")]
    agents = [agent("a", {"returns", "payments", "promotions"}, capacity=2)]
    plan = plan_assignments(tickets, agents, NOW)
    assert [a.ticket_id for a in plan.assignments] == ["vip", "pay"]
    assert plan.waiting == [("q", "low")]


@settings(max_examples=60, deadline=None)
@given(
    n_tickets=st.integers(0, 25),
    caps=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=5),
    intents=st.lists(st.sampled_from(["return_refund", "payment_problem", "order_status", "greeting"]), min_size=25,
                     max_size=25),
)
def test_plans_never_exceed_capacity_nor_assign_twice(n_tickets, caps, intents) -> None:
    tickets = [ticket(f"t{i}", intents[i], vip=i % 3 == 0, waited=i) for i in range(n_tickets)]
    agents = [agent(f"a{i}", {"returns", "payments", "orders"}, capacity=c, load=min(used, c)) for i, (c, used) in enumerate(caps)]
    plan = plan_assignments(tickets, agents, NOW)
    assigned = [a.ticket_id for a in plan.assignments]
    assert len(assigned) == len(set(assigned))
    assert sorted(assigned + [w[0] for w in plan.waiting]) == sorted(t.ticket_id for t in tickets)
    for a in agents:
        assert a.load + sum(x.agent_id == a.agent_id for x in plan.assignments) <= a.capacity
    free = sum(a.capacity - a.load for a in agents)
    assert len(assigned) == min(free, n_tickets)
