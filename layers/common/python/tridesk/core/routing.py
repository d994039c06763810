"""Ticket priority and agent choice: pure functions; the atomic claim is the storage layer's job.

Priority points: VIP +100, urgency by intent (account security 60; payment, returns and
transfers 40; complaints 30; questions 0), an upset customer +10, and +1 per minute waited so
that nobody starves (a non-VIP overtakes a fresh VIP ticket only after waiting 100 minutes
more). Agents are filtered (available, below capacity, holding the ticket's skill) and
ranked: for a VIP ticket VIP agents come first; then Bayesian-smoothed resolution rate for
the skill, spare capacity and language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from tridesk.core.errors import ValidationError

AgentStatus = Literal["online", "busy", "away", "offline"]
Band = Literal["high", "normal", "low"]

VIP_POINTS = 100.0
NEGATIVE_POINTS = 10.0
POINTS_PER_MINUTE = 1.0
URGENCY_POINTS: dict[str, float] = {
    "account_security": 60.0,
    "payment_problem": 40.0,
    "return_refund": 40.0,
    "transfer": 40.0,
    "logistics_complaint": 30.0,
    "complaint": 30.0,
}
SKILL_FOR_INTENT: dict[str, str] = {
    "order_status": "orders",
    "logistics_complaint": "logistics",
    "return_refund": "returns",
    "promotion_question": "promotions",
    "payment_problem": "payments",
    "account_security": "security",
    "wealth_product_question": "wealth",
    "transfer": "payments",
    "course_consultation": "courses",
    "learning_progress": "learning",
    "complaint": "complaints",
}
HIGH_BAND_AT = 100.0
NORMAL_BAND_AT = 30.0
PRIOR_RESOLUTION_RATE = 0.7
PRIOR_WEIGHT = 10.0


@dataclass(frozen=True, slots=True)
class Ticket:
    ticket_id: str
    intent: str
    created_at: datetime
    vip: bool = False
    sentiment: str = "neutral"
    lang: str = "zh"
    skill: str | None = None
    any_agent: bool = False

    @property
    def required_skill(self) -> str | None:
        """The explicit skill, else the one the intent needs (None: any agent will do).

        ``any_agent`` waives the skill (the tenant has nobody holding it, so waiting would be forever).
        """
        if self.any_agent:
            return None
        return self.skill or SKILL_FOR_INTENT.get(self.intent)


@dataclass(frozen=True, slots=True)
class Agent:
    """An agent as routing sees them; ``resolution`` maps skill -> (resolved, handled) history."""

    agent_id: str
    skills: frozenset[str]
    capacity: int
    load: int = 0
    vip: bool = False
    status: AgentStatus = "online"
    langs: frozenset[str] = frozenset({"zh", "en"})
    resolved: int = 0
    handled: int = 0
    resolution: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def spare(self) -> int:
        return max(0, self.capacity - self.load)


@dataclass(frozen=True, slots=True)
class Candidate:
    agent_id: str
    score: float
    resolution_rate: float
    spare: int


@dataclass(frozen=True, slots=True)
class Assignment:
    ticket_id: str
    agent_id: str
    priority: float


@dataclass(frozen=True, slots=True)
class Plan:
    """Who takes what now, and which tickets wait in which priority queue."""

    assignments: list[Assignment]
    waiting: list[tuple[str, Band]]


def priority(ticket: Ticket, now: datetime) -> float:
    """Priority points of a ticket at ``now`` (higher is served first)."""
    waited = max(0.0, (now - ticket.created_at).total_seconds() / 60.0)
    points = URGENCY_POINTS.get(ticket.intent, 0.0) + waited * POINTS_PER_MINUTE
    if ticket.vip:
        points += VIP_POINTS
    if ticket.sentiment == "negative":
        points += NEGATIVE_POINTS
    return round(points, 3)


def band(points: float) -> Band:
    """The SQS priority queue a waiting ticket belongs to."""
    return "high" if points >= HIGH_BAND_AT else "normal" if points >= NORMAL_BAND_AT else "low"


def rank_tickets(tickets: Sequence[Ticket], now: datetime) -> list[Ticket]:
    """Tickets in serving order: priority, then the older first, then the id for a stable order."""
    return sorted(tickets, key=lambda t: (-priority(t, now), t.created_at, t.ticket_id))


def resolution_rate(agent: Agent, skill: str | None) -> float:
    """Resolution rate for the skill (overall when none), shrunk towards the prior for short histories."""
    overall = (agent.resolved, agent.handled)
    resolved, handled = agent.resolution.get(skill, overall) if skill else overall
    if resolved < 0 or handled < resolved:
        raise ValidationError("resolved must be between 0 and handled", field=f"agents[{agent.agent_id}].resolution")
    return (resolved + PRIOR_RESOLUTION_RATE * PRIOR_WEIGHT) / (handled + PRIOR_WEIGHT)


def rank_agents(ticket: Ticket, agents: Sequence[Agent]) -> list[Candidate]:
    """Agents able to take ``ticket`` now, best first; empty when the ticket must wait."""
    skill = ticket.required_skill
    ranked: list[tuple[tuple[float, ...], Candidate]] = []
    for agent in agents:
        if agent.capacity < 0 or agent.load < 0:
            raise ValidationError("capacity and load must be >= 0", field=f"agents[{agent.agent_id}]")
        if agent.status != "online" or agent.spare <= 0:
            continue
        if skill is not None and skill not in agent.skills:
            continue
        rate = resolution_rate(agent, skill)
        score = rate + 0.2 * (agent.spare / agent.capacity) + (0.05 if ticket.lang in agent.langs else 0.0)
        if not ticket.vip and agent.vip:
            score -= 0.1
        tier = 1.0 if (ticket.vip and agent.vip) else 0.0
        cand = Candidate(agent.agent_id, round(score, 4), round(rate, 4), agent.spare)
        ranked.append(((-tier, -score, float(agent.load)), cand))
    ranked.sort(key=lambda item: (item[0], item[1].agent_id))
    return [c for _, c in ranked]


def plan_assignments(tickets: Sequence[Ticket], agents: Sequence[Agent], now: datetime) -> Plan:
    """Assign tickets in priority order, each to its best agent, never beyond anyone's capacity."""
    pool = {a.agent_id: a for a in agents}
    assignments: list[Assignment] = []
    waiting: list[tuple[str, Band]] = []
    for ticket in rank_tickets(tickets, now):
        points = priority(ticket, now)
        best = rank_agents(ticket, list(pool.values()))
        if not best:
            waiting.append((ticket.ticket_id, band(points)))
            continue
        chosen = pool[best[0].agent_id]
        pool[chosen.agent_id] = replace(chosen, load=chosen.load + 1)
        assignments.append(Assignment(ticket.ticket_id, chosen.agent_id, points))
    return Plan(assignments, waiting)
