"""Chat contexts for capability tests: real slot extraction, an explicit intent, no classifier."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from tridesk.core.capabilities import ChatContext
from tridesk.core.intents import Intent
from tridesk.core.intents.slots import extract
from tridesk.core.memory import StoredTurn
from tridesk.core.tenants import Tenant


def context(
    tenant: Tenant,
    intent: str,
    text: str,
    *,
    lang: str = "zh",
    channel_ids: Mapping[str, str] | None = None,
    history: Sequence[StoredTurn] = (),
    slots: Mapping[str, Any] | None = None,
) -> ChatContext:
    found = dict(extract(text) if slots is None else slots)
    return ChatContext(
        tenant, "c-0123456789abcdef0123", "s-unit", "app", text, lang,
        Intent(intent, 0.9, found, "neutral", lang=lang), history, False,
        channel_ids=dict(channel_ids or {}),
    )


def customer_turn(text: str, n: int = 0) -> StoredTurn:
    return StoredTurn(
        turn_id=f"t-{n}", customer_id="c-0123456789abcdef0123", session_id="s-unit", role="customer",
        channel="app", text=text, at=datetime(2026, 11, 13, 12, n, tzinfo=timezone.utc), slots=extract(text),
    )
