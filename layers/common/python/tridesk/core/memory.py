"""Conversation memory: every turn (customer, bot, agent) with its channel, time and intent.

Turns are stored under the customer that owns the channel identity they came from (its
*home*), so a merge joins histories without copying anything and an un-merge splits them
back. A history is the newest-first merge of its members' partitions; the cursor is opaque
(the sort key of the last turn returned) and pages stay exact across partitions.
"""

from __future__ import annotations

import heapq
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from tridesk.core.errors import ValidationError
from tridesk.core.handoff import Role, Turn

MAX_PAGE = 100
DEFAULT_PAGE = 20
SESSION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
CURSOR = re.compile(r"^7423(?:[0-9a-f]{2}){0,200}$")


def turn_sort_key(at: datetime, turn_id: str) -> str:
    """``t#<UTC time, microseconds>#<id>``: sorts by time, ties broken by id, comparable across partitions."""
    return f"t#{at.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}#{turn_id}"


@dataclass(frozen=True, slots=True)
class StoredTurn:
    """One stored message; ``customer_id`` is the home partition it lives in."""

    turn_id: str
    customer_id: str
    session_id: str
    role: Role
    channel: str
    text: str
    at: datetime
    lang: str = "zh"
    intent: str | None = None
    confidence: float | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    sentiment: str | None = None
    resolved: bool | None = None
    action: str | None = None
    ticket_id: str | None = None
    agent_id: str | None = None

    @property
    def sort_key(self) -> str:
        return turn_sort_key(self.at, self.turn_id)

    def as_turn(self) -> Turn:
        """The handoff module's view of this message."""
        return Turn(
            role=self.role,
            text=self.text,
            channel=self.channel,
            at=self.at,
            intent=self.intent,
            confidence=self.confidence,
            slots=dict(self.slots),
            sentiment=self.sentiment,
            resolved=self.resolved,
            action=self.action,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "turn_id": self.turn_id,
            "customer_id": self.customer_id,
            "session_id": self.session_id,
            "role": self.role,
            "channel": self.channel,
            "text": self.text,
            "at": self.at.isoformat(),
            "lang": self.lang,
            "intent": self.intent,
            "confidence": self.confidence,
            "sentiment": self.sentiment,
            "resolved": self.resolved,
            "action": self.action,
            "ticket_id": self.ticket_id,
            "agent_id": self.agent_id,
        }


def new_turn_id() -> str:
    return uuid.uuid4().hex[:16]


def new_session_id() -> str:
    return f"s-{uuid.uuid4().hex[:20]}"


@dataclass(frozen=True, slots=True)
class SessionInfo:
    session_id: str
    customer_id: str
    channel: str
    started_at: datetime
    new: bool


class TurnStore(Protocol):
    def append(self, tenant_id: str, turns: Sequence[StoredTurn]) -> None: ...

    def newest(self, tenant_id: str, customer_id: str, before: str | None, limit: int) -> list[StoredTurn]:
        """Up to ``limit`` turns of one partition, newest first, with sort keys below ``before``."""
        ...

    def touch_session(self, tenant_id: str, session_id: str, customer_id: str, channel: str, at: datetime) -> SessionInfo:
        """Create the session on its first turn; return it (``new`` tells which)."""
        ...

    def between(self, tenant_id: str, start: datetime, end: datetime, limit: int) -> tuple[list[StoredTurn], bool]:
        """A tenant's turns in ``[start, end)``, oldest first, and whether ``limit`` cut them."""
        ...


@dataclass(frozen=True, slots=True)
class HistoryPage:
    items: list[StoredTurn]
    next_cursor: str | None


def encode_cursor(sort_key: str) -> str:
    """Opaque to clients: the hex of the last turn's sort key (``7423...``)."""
    return sort_key.encode("utf-8").hex()


def decode_cursor(cursor: str | None) -> str | None:
    """The sort key below which the next page starts; any well-formed cursor is a valid position."""
    if cursor is None:
        return None
    if not CURSOR.match(cursor):
        raise ValidationError("cursor is not one this API returned", field="cursor")
    return bytes.fromhex(cursor).decode("utf-8", errors="replace")


def parse_limit(raw: Any, default: int = DEFAULT_PAGE) -> int:
    if raw is None:
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError(f"limit must be an integer from 1 to {MAX_PAGE}", field="limit") from None
    if not 1 <= value <= MAX_PAGE:
        raise ValidationError(f"limit must be an integer from 1 to {MAX_PAGE}", field="limit")
    return value


def history(store: TurnStore, tenant_id: str, members: Sequence[str], cursor: str | None, limit: int) -> HistoryPage:
    """Newest-first page over every member's partition (exact: each partition gives its ``limit + 1`` newest)."""
    before = decode_cursor(cursor)
    streams = [store.newest(tenant_id, m, before, limit + 1) for m in dict.fromkeys(members)]
    merged = heapq.merge(*streams, key=lambda t: t.sort_key, reverse=True)
    items: list[StoredTurn] = []
    more = False
    for turn in merged:
        if len(items) == limit:
            more = True
            break
        items.append(turn)
    return HistoryPage(items, encode_cursor(items[-1].sort_key) if more and items else None)


def recent(store: TurnStore, tenant_id: str, members: Sequence[str], limit: int = 30,
           since: datetime | None = None) -> list[StoredTurn]:
    """The latest turns across members, oldest first (what handoff rules and the summary card read)."""
    page = history(store, tenant_id, members, None, limit)
    turns = [t for t in page.items if since is None or t.at > since]
    return list(reversed(turns))


def after(at: datetime, previous: datetime | None) -> datetime:
    """A time strictly after ``previous`` (a bot reply always sorts after what it answers)."""
    if previous is not None and at <= previous:
        return previous + timedelta(microseconds=1)
    return at
