"""DynamoDB adapter for the activity log (table ``ACTIVITY_TABLE``)."""

from __future__ import annotations

import json
from datetime import timedelta

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import PutError

from tridesk.core.activity import DomainEvent
from tridesk.core.storage import TriDeskModel

RETENTION = timedelta(days=400)


class ActivityRecord(TriDeskModel):
    """One domain event of one tenant."""

    table_key = "activity"

    class Meta:
        table_name = None

    tenant_id = UnicodeAttribute(hash_key=True)
    event_id = UnicodeAttribute(range_key=True)
    type = UnicodeAttribute()
    occurred_at = UTCDateTimeAttribute()
    detail = UnicodeAttribute()
    expires_at = TTLAttribute(null=True)


class DynamoActivityLog:
    """ActivityLog on DynamoDB: a conditional put makes redelivery harmless."""

    def record(self, event: DomainEvent) -> bool:
        item = ActivityRecord(
            tenant_id=event.tenant_id,
            event_id=event.event_id,
            type=event.type,
            occurred_at=event.occurred_at,
            detail=json.dumps(dict(event.detail), ensure_ascii=False, sort_keys=True),
            expires_at=event.occurred_at + RETENTION,
        )
        try:
            item.save(condition=ActivityRecord.event_id.does_not_exist())
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def list(self, tenant_id: str, limit: int = 50) -> list[DomainEvent]:
        from tridesk.core.activity import parse_event

        return [
            parse_event(
                {
                    "event_id": r.event_id,
                    "tenant_id": r.tenant_id,
                    "type": r.type,
                    "occurred_at": r.occurred_at.isoformat(),
                    "detail": json.loads(r.detail),
                }
            )
            for r in ActivityRecord.query(tenant_id, limit=limit)
        ]
