"""In-memory stores of the conversation core, with the same conditional semantics as the adapters."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from tridesk.core.errors import ConflictError
from tridesk.core.identity import CustomerRecord, IdentityKey, MergeRecord
from tridesk.core.memory import SessionInfo, StoredTurn
from tridesk.core.tickets import AgentRecord, TicketRecord


class FakeIdentityStore:
    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], str] = {}
        self.customers: dict[tuple[str, str], CustomerRecord] = {}
        self.merges: dict[str, MergeRecord] = {}
        self.lock = threading.RLock()
        self.claims = 0

    def get_keys(self, tenant_id: str, key_ids: Sequence[str]) -> dict[str, str]:
        with self.lock:
            return {k: self.keys[(tenant_id, k)] for k in key_ids if (tenant_id, k) in self.keys}

    def claim_key(self, tenant_id: str, key: IdentityKey, customer_id: str, at: datetime) -> bool:
        with self.lock:
            self.claims += 1
            if (tenant_id, key.key_id) in self.keys:
                return False
            self.keys[(tenant_id, key.key_id)] = customer_id
            return True

    def create_customer(self, tenant_id: str, record: CustomerRecord) -> None:
        with self.lock:
            assert (tenant_id, record.customer_id) not in self.customers
            self.customers[(tenant_id, record.customer_id)] = record

    def put_customer(self, tenant_id: str, record: CustomerRecord) -> None:
        with self.lock:
            self.customers[(tenant_id, record.customer_id)] = record

    def drop_customer(self, tenant_id: str, customer_id: str) -> None:
        with self.lock:
            record = self.customers.get((tenant_id, customer_id))
            if record is not None and not record.members and record.merged_into is None:
                del self.customers[(tenant_id, customer_id)]

    def get_customer(self, tenant_id: str, customer_id: str) -> CustomerRecord | None:
        with self.lock:
            return self.customers.get((tenant_id, customer_id))

    def merge(self, tenant_id: str, record: MergeRecord) -> bool:
        with self.lock:
            absorbed = self.customers.get((tenant_id, record.absorbed_id))
            survivor = self.customers.get((tenant_id, record.survivor_id))
            if absorbed is None or survivor is None or absorbed.merged_into or survivor.merged_into:
                return False
            if record.survivor_id in absorbed.no_merge_with or record.absorbed_id in survivor.no_merge_with:
                return False
            self.customers[(tenant_id, absorbed.customer_id)] = replace(absorbed, merged_into=survivor.customer_id)
            self.customers[(tenant_id, survivor.customer_id)] = replace(
                survivor, members=survivor.members | {absorbed.customer_id}
            )
            self.merges[absorbed.customer_id] = record
            return True

    def unmerge(self, tenant_id: str, absorbed_id: str, survivor_id: str, at: datetime) -> MergeRecord | None:
        with self.lock:
            absorbed = self.customers.get((tenant_id, absorbed_id))
            survivor = self.customers.get((tenant_id, survivor_id))
            if absorbed is None or survivor is None or absorbed.merged_into != survivor_id:
                return None
            self.customers[(tenant_id, absorbed_id)] = replace(
                absorbed, merged_into=None, no_merge_with=absorbed.no_merge_with | {survivor_id}
            )
            self.customers[(tenant_id, survivor_id)] = replace(
                survivor, members=survivor.members - {absorbed_id}, no_merge_with=survivor.no_merge_with | {absorbed_id}
            )
            record = replace(self.merges.pop(absorbed_id), status="undone", undone_at=at)
            return record

    def open_ticket(self, tenant_id: str, customer_id: str, ticket_id: str, at: datetime) -> str | None:
        with self.lock:
            record = self.customers[(tenant_id, customer_id)]
            if record.open_ticket_id:
                return record.open_ticket_id
            self.customers[(tenant_id, customer_id)] = replace(record, open_ticket_id=ticket_id, last_handoff_at=at)
            return None

    def close_ticket(self, tenant_id: str, customer_id: str, ticket_id: str) -> None:
        with self.lock:
            record = self.customers[(tenant_id, customer_id)]
            if record.open_ticket_id == ticket_id:
                self.customers[(tenant_id, customer_id)] = replace(record, open_ticket_id=None)


class FakeTurnStore:
    def __init__(self) -> None:
        self.turns: dict[tuple[str, str], list[StoredTurn]] = {}
        self.sessions: dict[tuple[str, str], SessionInfo] = {}
        self.lock = threading.Lock()

    def append(self, tenant_id: str, turns: Sequence[StoredTurn]) -> None:
        with self.lock:
            for turn in turns:
                self.turns.setdefault((tenant_id, turn.customer_id), []).append(turn)

    def newest(self, tenant_id: str, customer_id: str, before: str | None, limit: int) -> list[StoredTurn]:
        with self.lock:
            items = sorted(self.turns.get((tenant_id, customer_id), []), key=lambda t: t.sort_key, reverse=True)
        return [t for t in items if before is None or t.sort_key < before][:limit]

    def touch_session(self, tenant_id: str, session_id: str, customer_id: str, channel: str, at: datetime) -> SessionInfo:
        with self.lock:
            found = self.sessions.get((tenant_id, session_id))
            if found is None:
                found = SessionInfo(session_id, customer_id, channel, at, True)
                self.sessions[(tenant_id, session_id)] = replace(found, new=False)
                return found
            return found

    def between(self, tenant_id: str, start: datetime, end: datetime, limit: int) -> tuple[list[StoredTurn], bool]:
        with self.lock:
            found = sorted(
                (t for (tid, _), items in self.turns.items() if tid == tenant_id for t in items if start <= t.at < end),
                key=lambda t: t.sort_key,
            )
        return found[:limit], len(found) > limit


class FakeTicketStore:
    def __init__(self) -> None:
        self.tickets: dict[tuple[str, str], TicketRecord] = {}
        self.agents: dict[tuple[str, str], AgentRecord] = {}
        self.lock = threading.RLock()

    def put_ticket(self, ticket: TicketRecord) -> None:
        with self.lock:
            if (ticket.tenant_id, ticket.ticket_id) in self.tickets:
                raise ConflictError("the ticket exists", field="ticket_id")
            self.tickets[(ticket.tenant_id, ticket.ticket_id)] = ticket

    def get_ticket(self, tenant_id: str, ticket_id: str) -> TicketRecord | None:
        with self.lock:
            return self.tickets.get((tenant_id, ticket_id))

    def waiting(self, tenant_id: str, limit: int) -> list[TicketRecord]:
        with self.lock:
            found = [t for (tid, _), t in self.tickets.items() if tid == tenant_id and t.status == "waiting"]
        return sorted(found, key=lambda t: t.created_at)[:limit]

    def claim_ticket(self, tenant_id: str, ticket_id: str, agent_id: str, at: datetime) -> bool:
        with self.lock:
            ticket = self.tickets.get((tenant_id, ticket_id))
            if ticket is None or ticket.status != "waiting" or ticket.agent_id is not None:
                return False
            self.tickets[(tenant_id, ticket_id)] = replace(ticket, status="assigned", agent_id=agent_id, assigned_at=at)
            return True

    def close_ticket(self, tenant_id: str, ticket_id: str, resolved: bool, at: datetime) -> bool:
        with self.lock:
            ticket = self.tickets.get((tenant_id, ticket_id))
            if ticket is None or ticket.status == "closed":
                return False
            self.tickets[(tenant_id, ticket_id)] = replace(ticket, status="closed", closed_at=at, resolved=resolved)
            return True

    def mark_agent_reply(self, tenant_id: str, ticket_id: str, at: datetime) -> None:
        with self.lock:
            ticket = self.tickets[(tenant_id, ticket_id)]
            if ticket.first_agent_reply_at is None:
                self.tickets[(tenant_id, ticket_id)] = replace(ticket, first_agent_reply_at=at)

    def tickets_between(self, tenant_id: str, start: datetime, end: datetime, limit: int) -> list[TicketRecord]:
        with self.lock:
            return [t for (tid, _), t in self.tickets.items() if tid == tenant_id and start <= t.created_at <= end][:limit]

    def list_agents(self, tenant_id: str) -> list[AgentRecord]:
        with self.lock:
            return [a for (tid, _), a in self.agents.items() if tid == tenant_id]

    def get_agent(self, tenant_id: str, agent_id: str) -> AgentRecord | None:
        with self.lock:
            return self.agents.get((tenant_id, agent_id))

    def put_agent(self, tenant_id: str, agent: AgentRecord) -> AgentRecord:
        with self.lock:
            old = self.agents.get((tenant_id, agent.agent_id))
            if old is not None:
                agent = replace(agent, load=old.load, resolved=old.resolved, handled=old.handled, resolution=old.resolution)
            self.agents[(tenant_id, agent.agent_id)] = agent
            return agent

    def set_agent_status(self, tenant_id: str, agent_id: str, status: str) -> AgentRecord | None:
        with self.lock:
            agent = self.agents.get((tenant_id, agent_id))
            if agent is None:
                return None
            self.agents[(tenant_id, agent_id)] = replace(agent, status=status)
            return self.agents[(tenant_id, agent_id)]

    def reserve_agent(self, tenant_id: str, agent_id: str) -> bool:
        with self.lock:
            agent = self.agents.get((tenant_id, agent_id))
            if agent is None or agent.status != "online" or agent.load >= agent.capacity:
                return False
            self.agents[(tenant_id, agent_id)] = replace(agent, load=agent.load + 1)
            return True

    def release_agent(self, tenant_id: str, agent_id: str, skill: str | None, resolved: bool | None) -> None:
        with self.lock:
            agent = self.agents.get((tenant_id, agent_id))
            if agent is None or agent.load <= 0:
                return
            if resolved is None:
                self.agents[(tenant_id, agent_id)] = replace(agent, load=agent.load - 1)
                return
            history = dict(agent.resolution)
            if skill:
                r, h = history.get(skill, (0, 0))
                history[skill] = (r + int(resolved), h + 1)
            self.agents[(tenant_id, agent_id)] = replace(
                agent, load=agent.load - 1, handled=agent.handled + 1,
                resolved=agent.resolved + int(resolved), resolution=history,
            )


class ListQueue:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str, int]] = []

    def enqueue(self, tenant_id: str, ticket_id: str, band: str, delay_seconds: int) -> None:
        self.sent.append((tenant_id, ticket_id, band, delay_seconds))
