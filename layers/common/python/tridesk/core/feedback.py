"""Customer satisfaction feedback on a conversation (CSAT), published as a domain event.

A client may retry: the same ``feedback_id`` always yields the same event id, so the
activity log keeps one record.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from tridesk.core.activity import DomainEvent
from tridesk.core.errors import ValidationError

CHANNELS = ("app", "miniprogram", "web", "phone", "email")
_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_NAMESPACE = uuid.UUID("8f4c6f7e-2b1d-4d7a-9a50-5f1c2e3d4b6a")


def feedback_event(tenant_id: str, body: Mapping[str, Any]) -> DomainEvent:
    """Validate a feedback request and shape its domain event."""
    session_id = body.get("session_id")
    if not isinstance(session_id, str) or not _ID.match(session_id):
        raise ValidationError("session_id is required (1-128 letters, digits or ._:-)", field="session_id")
    rating = body.get("rating")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError("rating must be an integer from 1 to 5", field="rating")
    comment = body.get("comment")
    if comment is not None and (not isinstance(comment, str) or len(comment) > 1000):
        raise ValidationError("comment must be a text of at most 1000 characters", field="comment")
    channel = body.get("channel")
    if channel is not None and channel not in CHANNELS:
        raise ValidationError(f"channel must be one of {', '.join(CHANNELS)}", field="channel")
    feedback_id = body.get("feedback_id")
    if feedback_id is not None and (not isinstance(feedback_id, str) or not _ID.match(feedback_id)):
        raise ValidationError("feedback_id must be 1-128 letters, digits or ._:-", field="feedback_id")
    event_id = str(uuid.uuid5(_NAMESPACE, f"{tenant_id}/{feedback_id}")) if feedback_id else str(uuid.uuid4())
    return DomainEvent(
        event_id=event_id,
        tenant_id=tenant_id,
        type="conversation.feedback",
        occurred_at=datetime.now(timezone.utc),
        detail={"session_id": session_id, "rating": rating, "comment": comment, "channel": channel},
    )
