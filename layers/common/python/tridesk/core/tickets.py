"""Handoff tickets and agents: opening, atomic assignment, waiting by priority band, closing.

Assignment never gives one ticket two agents and never puts an agent over capacity, with two
conditional writes instead of a lock: first the agent's seat is reserved (``load < capacity``
and online, ``load + 1``), then the ticket is claimed (still waiting and without an agent). If
the claim fails the seat is given back. A ticket nobody can take now waits: it is recorded as
waiting (the source of truth) and a wake-up message goes to the SQS queue of its priority band;
the dispatcher function retries it and re-queues it in the band its *current* priority earns,
so waiting tickets age into the high band. Agents coming online and tickets closing assign the
waiting tickets at once, best first.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal, Protocol

from tridesk.core import routing
from tridesk.core.errors import ConflictError, NotFoundError, ValidationError
from tridesk.core.handoff import SummaryCard

TicketStatus = Literal["waiting", "assigned", "closed"]
AGENT_STATUSES = ("online", "busy", "away", "offline")
AGENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
TICKET_ID = re.compile(r"^tk-\d{20}-[0-9a-f]{8}$")
SKILL = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
#: seconds before a waiting ticket is tried again, by band
RECHECK_SECONDS: dict[str, int] = {"high": 5, "normal": 15, "low": 30}
MAX_ASSIGN_ROUNDS = 4


def new_ticket_id(at: datetime) -> str:
    """Time-ordered (``tk-<yyyymmddHHMMSSffffff>-<hex>``), so a tenant's tickets range-query by time."""
    return f"tk-{at.strftime('%Y%m%d%H%M%S%f')}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class TicketRecord:
    tenant_id: str
    ticket_id: str
    customer_id: str
    status: TicketStatus
    reason: str | None
    intent: str
    created_at: datetime
    summary: dict[str, Any]
    vip: bool = False
    sentiment: str = "neutral"
    lang: str = "zh"
    channel: str | None = None
    session_id: str | None = None
    skill: str | None = None
    agent_id: str | None = None
    assigned_at: datetime | None = None
    closed_at: datetime | None = None
    resolved: bool | None = None
    first_agent_reply_at: datetime | None = None
    home_id: str | None = None

    def routing_ticket(self, any_agent: bool = False) -> routing.Ticket:
        return routing.Ticket(
            ticket_id=self.ticket_id,
            intent=self.intent,
            created_at=self.created_at,
            vip=self.vip,
            sentiment=self.sentiment,
            lang=self.lang,
            skill=self.skill,
            any_agent=any_agent,
        )

    def to_dict(self, now: datetime, card: dict[str, Any] | None = None) -> dict[str, Any]:
        points = routing.priority(self.routing_ticket(), now)
        return {
            "ticket_id": self.ticket_id,
            "customer_id": self.customer_id,
            "status": self.status,
            "reason": self.reason,
            "intent": self.intent,
            "skill": self.routing_ticket().required_skill,
            "vip": self.vip,
            "sentiment": self.sentiment,
            "lang": self.lang,
            "channel": self.channel,
            "session_id": self.session_id,
            "priority": points,
            "band": routing.band(points),
            "agent_id": self.agent_id,
            "created_at": self.created_at.isoformat(),
            "assigned_at": self.assigned_at.isoformat() if self.assigned_at else None,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "resolved": self.resolved,
            "summary": self.summary,
            "card": card,
        }


@dataclass(frozen=True)
class AgentRecord:
    agent_id: str
    skills: frozenset[str]
    capacity: int
    name: str | None = None
    load: int = 0
    vip: bool = False
    status: str = "offline"
    langs: frozenset[str] = frozenset({"zh", "en"})
    resolved: int = 0
    handled: int = 0
    resolution: dict[str, tuple[int, int]] = field(default_factory=dict)

    def routing_agent(self) -> routing.Agent:
        return routing.Agent(
            agent_id=self.agent_id,
            skills=self.skills,
            capacity=self.capacity,
            load=self.load,
            vip=self.vip,
            status=self.status,  # type: ignore[arg-type]
            langs=self.langs,
            resolved=self.resolved,
            handled=self.handled,
            resolution=self.resolution,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "agent_id": self.agent_id,
            "name": self.name,
            "skills": sorted(self.skills),
            "capacity": self.capacity,
            "load": self.load,
            "vip": self.vip,
            "status": self.status,
            "langs": sorted(self.langs),
            "resolved": self.resolved,
            "handled": self.handled,
        }


class TicketStore(Protocol):
    def put_ticket(self, ticket: TicketRecord) -> None:
        """Store a new ticket; ``ConflictError`` if one with its id exists."""
        ...

    def get_ticket(self, tenant_id: str, ticket_id: str) -> TicketRecord | None: ...

    def waiting(self, tenant_id: str, limit: int) -> list[TicketRecord]: ...

    def claim_ticket(self, tenant_id: str, ticket_id: str, agent_id: str, at: datetime) -> bool:
        """Waiting and without an agent -> assigned to ``agent_id``; False otherwise."""
        ...

    def close_ticket(self, tenant_id: str, ticket_id: str, resolved: bool, at: datetime) -> bool: ...

    def mark_agent_reply(self, tenant_id: str, ticket_id: str, at: datetime) -> None: ...

    def tickets_between(self, tenant_id: str, start: datetime, end: datetime, limit: int) -> list[TicketRecord]: ...

    def list_agents(self, tenant_id: str) -> list[AgentRecord]: ...

    def get_agent(self, tenant_id: str, agent_id: str) -> AgentRecord | None: ...

    def put_agent(self, tenant_id: str, agent: AgentRecord) -> AgentRecord:
        """Create or update the profile (skills, capacity, VIP, languages); load and history are kept."""
        ...

    def set_agent_status(self, tenant_id: str, agent_id: str, status: str) -> AgentRecord | None: ...

    def reserve_agent(self, tenant_id: str, agent_id: str) -> bool:
        """``load + 1`` if online and ``load < capacity``; False otherwise."""
        ...

    def release_agent(self, tenant_id: str, agent_id: str, skill: str | None, resolved: bool | None) -> None:
        """``load - 1`` (never below 0); with ``resolved`` given, count one handled ticket in the history."""
        ...


class WaitQueue(Protocol):
    def enqueue(self, tenant_id: str, ticket_id: str, band: str, delay_seconds: int) -> None: ...


@dataclass(frozen=True)
class DispatchOutcome:
    ticket_id: str
    outcome: Literal["assigned", "waiting", "gone"]
    agent_id: str | None = None
    band: str | None = None


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class TicketDesk:
    """Tickets and agents of every tenant over a :class:`TicketStore` and a :class:`WaitQueue`."""

    def __init__(self, store: TicketStore, queue: WaitQueue, clock: Callable[[], datetime] = _utcnow) -> None:
        self.store = store
        self.queue = queue
        self.clock = clock

    # ------------------------------------------------------------------ tickets
    def open(self, ticket: TicketRecord) -> TicketRecord:
        """Store a new waiting ticket, try to assign it now, else queue it by its band."""
        self.store.put_ticket(ticket)
        agent_id = self.assign(ticket)
        if agent_id is None:
            self._requeue(ticket)
            return ticket
        return self.store.get_ticket(ticket.tenant_id, ticket.ticket_id) or ticket

    def get(self, tenant_id: str, ticket_id: str) -> TicketRecord:
        if not TICKET_ID.match(ticket_id):
            raise NotFoundError("no such ticket", field="ticket_id")
        ticket = self.store.get_ticket(tenant_id, ticket_id)
        if ticket is None:
            raise NotFoundError("no such ticket", field="ticket_id")
        return ticket

    def _requeue(self, ticket: TicketRecord) -> str:
        points = routing.priority(ticket.routing_ticket(), self.clock())
        band = routing.band(points)
        self.queue.enqueue(ticket.tenant_id, ticket.ticket_id, band, RECHECK_SECONDS[band])
        return band

    def assign(self, ticket: TicketRecord, agents: Sequence[AgentRecord] | None = None) -> str | None:
        """Give ``ticket`` to the best agent who can take it now; None when it must wait or is taken."""
        pool = list(agents) if agents is not None else self.store.list_agents(ticket.tenant_id)
        for _ in range(MAX_ASSIGN_ROUNDS):
            wanted = ticket.routing_ticket().required_skill
            anyone = wanted is not None and not any(wanted in a.skills for a in pool)
            candidates = routing.rank_agents(ticket.routing_ticket(any_agent=anyone), [a.routing_agent() for a in pool])
            if not candidates:
                return None
            for candidate in candidates:
                if not self.store.reserve_agent(ticket.tenant_id, candidate.agent_id):
                    continue  # full or gone offline since we read it: try the next one
                if self.store.claim_ticket(ticket.tenant_id, ticket.ticket_id, candidate.agent_id, self.clock()):
                    return candidate.agent_id
                self.store.release_agent(ticket.tenant_id, candidate.agent_id, None, None)
                return None  # someone else assigned (or closed) it
            pool = self.store.list_agents(ticket.tenant_id)
        return None

    def dispatch(self, tenant_id: str, ticket_id: str) -> DispatchOutcome:
        """A queued wake-up: assign the ticket if it still waits, else re-queue it in its current band."""
        ticket = self.store.get_ticket(tenant_id, ticket_id)
        if ticket is None or ticket.status != "waiting":
            return DispatchOutcome(ticket_id, "gone", ticket.agent_id if ticket else None)
        agent_id = self.assign(ticket)
        if agent_id is not None:
            return DispatchOutcome(ticket_id, "assigned", agent_id)
        current = self.store.get_ticket(tenant_id, ticket_id)
        if current is None or current.status != "waiting":
            return DispatchOutcome(ticket_id, "gone", current.agent_id if current else None)
        return DispatchOutcome(ticket_id, "waiting", None, self._requeue(ticket))

    def assign_waiting(self, tenant_id: str, limit: int = 100) -> list[tuple[str, str]]:
        """Assign the tenant's waiting tickets, highest priority first, while agents have room."""
        now = self.clock()
        waiting = {t.ticket_id: t for t in self.store.waiting(tenant_id, limit)}
        order = routing.rank_tickets([t.routing_ticket() for t in waiting.values()], now)
        done: list[tuple[str, str]] = []
        for ranked in order:
            agents = self.store.list_agents(tenant_id)
            if not any(a.status == "online" and a.load < a.capacity for a in agents):
                break
            agent_id = self.assign(waiting[ranked.ticket_id], agents)
            if agent_id is not None:
                done.append((ranked.ticket_id, agent_id))
        return done

    def close(self, tenant_id: str, ticket_id: str, resolved: bool) -> TicketRecord:
        """Close a ticket: the agent's seat is freed and its resolution counted; waiting tickets move up."""
        ticket = self.get(tenant_id, ticket_id)
        if ticket.status == "closed":
            raise ConflictError("the ticket is already closed", field="ticket_id", code="ticket_closed")
        if not self.store.close_ticket(tenant_id, ticket_id, resolved, self.clock()):
            raise ConflictError("the ticket changed concurrently; retry", field="ticket_id")
        if ticket.agent_id is not None:
            self.store.release_agent(tenant_id, ticket.agent_id, ticket.routing_ticket().required_skill, resolved)
        self.assign_waiting(tenant_id)
        return self.store.get_ticket(tenant_id, ticket_id) or ticket

    # ------------------------------------------------------------------ agents
    def put_agent(self, tenant_id: str, agent_id: str, body: Any) -> AgentRecord:
        agent = parse_agent(agent_id, body)
        saved = self.store.put_agent(tenant_id, agent)
        if saved.status == "online":
            self.assign_waiting(tenant_id)
        return saved

    def set_status(self, tenant_id: str, agent_id: str, body: Any) -> tuple[AgentRecord, list[tuple[str, str]]]:
        status = body.get("status") if isinstance(body, dict) else None
        if status not in AGENT_STATUSES:
            raise ValidationError(f"status must be one of {', '.join(AGENT_STATUSES)}", field="status")
        if not AGENT_ID.match(agent_id):
            raise NotFoundError("no such agent", field="agent_id")
        agent = self.store.set_agent_status(tenant_id, agent_id, status)
        if agent is None:
            raise NotFoundError("no such agent", field="agent_id")
        assigned = self.assign_waiting(tenant_id) if status == "online" else []
        return self.store.get_agent(tenant_id, agent_id) or agent, assigned


def parse_agent(agent_id: str, body: Any) -> AgentRecord:
    """Validate an agent profile (``PUT /v1/agents/{id}``)."""
    if not AGENT_ID.match(agent_id):
        raise ValidationError("agent id must be 1-64 letters, digits or ._:-", field="agent_id")
    if not isinstance(body, dict):
        raise ValidationError("the body must be an object", field="body")
    skills = body.get("skills")
    if not isinstance(skills, list) or not all(isinstance(s, str) and SKILL.match(s) for s in skills) or len(skills) > 20:
        raise ValidationError("skills must be a list of at most 20 lower-case skill names", field="skills")
    capacity = body.get("capacity")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not 1 <= capacity <= 50:
        raise ValidationError("capacity must be an integer from 1 to 50", field="capacity")
    vip = body.get("vip", False)
    if not isinstance(vip, bool):
        raise ValidationError("vip must be true or false", field="vip")
    langs = body.get("langs", ["zh", "en"])
    if not isinstance(langs, list) or not langs or not all(lang in ("zh", "en") for lang in langs):
        raise ValidationError("langs must be a non-empty list of zh/en", field="langs")
    name = body.get("name")
    if name is not None and (not isinstance(name, str) or not 1 <= len(name) <= 100):
        raise ValidationError("name must be 1-100 characters", field="name")
    status = body.get("status", "offline")
    if status not in AGENT_STATUSES:
        raise ValidationError(f"status must be one of {', '.join(AGENT_STATUSES)}", field="status")
    return AgentRecord(
        agent_id=agent_id,
        skills=frozenset(skills),
        capacity=capacity,
        name=name,
        vip=vip,
        status=status,
        langs=frozenset(langs),
    )


def ticket_from_card(
    tenant_id: str,
    ticket_id: str,
    card: SummaryCard,
    *,
    created_at: datetime,
    lang: str,
    channel: str,
    session_id: str,
    home_id: str,
) -> TicketRecord:
    """The ticket a handoff opens, filled from its summary card."""
    return TicketRecord(
        tenant_id=tenant_id,
        ticket_id=ticket_id,
        customer_id=card.customer.customer_id,
        status="waiting",
        reason=card.reason,
        intent=card.primary_intent or "unknown",
        created_at=created_at,
        summary=card.to_dict(),
        vip=card.customer.vip,
        sentiment=card.worst_sentiment,
        lang=lang,
        channel=channel,
        session_id=session_id,
        home_id=home_id,
    )


def parse_wakeup(data: Any) -> tuple[str, str]:
    """``(tenant_id, ticket_id)`` of a queued wake-up; ValidationError when malformed."""
    from tridesk.core.tenants import TENANT_ID

    if not isinstance(data, dict):
        raise ValidationError("a wake-up message must be an object", field=None)
    tenant_id, ticket_id = data.get("tenant_id"), data.get("ticket_id")
    if not isinstance(tenant_id, str) or not TENANT_ID.match(tenant_id):
        raise ValidationError("tenant_id is missing or malformed", field="tenant_id")
    if not isinstance(ticket_id, str) or not TICKET_ID.match(ticket_id):
        raise ValidationError("ticket_id is missing or malformed", field="ticket_id")
    return tenant_id, ticket_id
