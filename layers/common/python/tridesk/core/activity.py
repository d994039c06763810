"""Domain events ("tenant.provisioned", "ticket.created", ...) and the per-tenant activity log.

Events travel on the events queue; the consumer records each exactly once (a conditional
write keyed by the event id), so a redelivered message changes nothing.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol

from tridesk.core.errors import ValidationError
from tridesk.core.tenants import TENANT_ID

EVENT_TYPE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
EVENT_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened to a tenant, told once."""

    event_id: str
    tenant_id: str
    type: str
    occurred_at: datetime
    detail: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "tenant_id": self.tenant_id,
            "type": self.type,
            "occurred_at": self.occurred_at.isoformat(),
            "detail": dict(self.detail),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)


def new_event(tenant_id: str, type_: str, detail: Mapping[str, Any] | None = None) -> DomainEvent:
    return DomainEvent(
        event_id=str(uuid.uuid4()),
        tenant_id=tenant_id,
        type=type_,
        occurred_at=datetime.now(timezone.utc),
        detail=dict(detail or {}),
    )


def parse_event(data: Any) -> DomainEvent:
    """Validate a queued event; ValidationError names the offending field."""
    if not isinstance(data, Mapping):
        raise ValidationError("event must be an object", field=None)
    for name, pattern in (("event_id", EVENT_ID), ("tenant_id", TENANT_ID), ("type", EVENT_TYPE)):
        value = data.get(name)
        if not isinstance(value, str) or not pattern.match(value):
            raise ValidationError(f"{name} is missing or malformed", field=name)
    raw_time = data.get("occurred_at")
    try:
        occurred_at = datetime.fromisoformat(str(raw_time).replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError("occurred_at must be an ISO 8601 time", field="occurred_at") from None
    if occurred_at.tzinfo is None:
        raise ValidationError("occurred_at must carry a time zone", field="occurred_at")
    detail = data.get("detail") or {}
    if not isinstance(detail, Mapping):
        raise ValidationError("detail must be an object", field="detail")
    return DomainEvent(data["event_id"], data["tenant_id"], data["type"], occurred_at, dict(detail))


class ActivityLog(Protocol):
    """Stores events once."""

    def record(self, event: DomainEvent) -> bool:
        """Store the event; False when it was already stored."""
        ...
