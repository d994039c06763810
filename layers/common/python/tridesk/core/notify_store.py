"""DynamoDB outbox of customer notifications (table ``NOTIFICATIONS_TABLE``, keys ``pk``/``sk``).

Item: ``pk`` = ``{tenant}#cust#{customer}``, ``sk`` = ``n#{key}``; the texts in both languages, the
channel, the language, ``data`` (JSON) and ``created_at``; ``retain_until`` is the table's TTL
attribute (90 days by default). The conditional put ``attribute_not_exists(pk)`` is what makes
``notify`` at most once per key (``tridesk.core.notify``). A record starts ``pending`` (with the
``due_bucket``/``due_at`` keys of the sweep's index); the table's stream feeds the notify-dispatcher
function, which delivers it once through its channel and records the outcome
(``tridesk.core.notify_dispatch``). ``deliveries`` reads a customer's notifications back (tests, an
agent's view of what the customer was told).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime, timezone

from botocore.exceptions import BotoCoreError
from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, PynamoDBException

from tridesk.core.errors import UpstreamError
from tridesk.core.i18n import BiText
from tridesk.core.notify import Delivery, Notification
from tridesk.core.storage import TriDeskModel

UPSTREAM = "notifications"
RETAIN_S = 90 * 86400
#: a pending record the stream did not get delivered is picked up by the sweep after this long
SWEEP_GRACE_S = 120


class NotificationRecord(TriDeskModel):
    """One notification in the outbox (see the module doc)."""

    table_key = "notifications"

    class Meta:
        table_name = None
        connect_timeout_seconds = 1
        read_timeout_seconds = 3
        max_retry_attempts = 2

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    tenant = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    key = UnicodeAttribute()
    kind = UnicodeAttribute()
    channel = UnicodeAttribute()
    lang = UnicodeAttribute(null=True)
    text_zh = UnicodeAttribute()
    text_en = UnicodeAttribute()
    data = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    retain_until = NumberAttribute()
    # delivery state (tridesk.core.notify_delivery_store)
    status = UnicodeAttribute(null=True)
    attempts = NumberAttribute(null=True)
    due_bucket = UnicodeAttribute(null=True)
    due_at = NumberAttribute(null=True)


def outbox_pk(tenant: str, customer_id: str) -> str:
    return f"{tenant}#cust#{customer_id}"


class OutboxNotifier:
    """``Notifier`` that records each notification once in the outbox table."""

    def __init__(self, *, retain_s: int = RETAIN_S, clock: Callable[[], float] = time.time) -> None:
        self._retain_s = retain_s
        self._clock = clock

    def notify(self, notification: Notification) -> bool:
        now = self._clock()
        n = notification
        item = NotificationRecord(
            outbox_pk(n.tenant, n.customer_id),
            f"n#{n.key}",
            tenant=n.tenant,
            customer_id=n.customer_id,
            key=n.key,
            kind=n.kind,
            channel=n.channel,
            lang=n.lang,
            text_zh=n.text.zh,
            text_en=n.text.en,
            data=json.dumps(dict(n.data), ensure_ascii=False, sort_keys=True) if n.data else None,
            created_at=datetime.fromtimestamp(now, timezone.utc).isoformat(),
            retain_until=int(now) + self._retain_s,
            status="pending",
            attempts=0,
            due_bucket="pending",
            due_at=int(now) + SWEEP_GRACE_S,
        )
        try:
            item.save(condition=NotificationRecord.pk.does_not_exist())
        except PutError as exc:
            if getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException":
                return False
            raise UpstreamError(UPSTREAM, f"put failed: {exc.cause_response_code}") from exc
        except (PynamoDBException, BotoCoreError) as exc:
            raise UpstreamError(UPSTREAM, f"put failed: {type(exc).__name__}") from exc
        return True

    def deliveries(self, tenant: str, customer_id: str, limit: int = 100) -> list[Delivery]:
        """A customer's notifications, oldest key first (``sk`` order), at most ``limit``."""
        try:
            items = list(NotificationRecord.query(outbox_pk(tenant, customer_id), limit=limit,
                                                  consistent_read=True))
        except (PynamoDBException, BotoCoreError) as exc:
            raise UpstreamError(UPSTREAM, f"query failed: {type(exc).__name__}") from exc
        return [
            Delivery(
                Notification(
                    tenant=i.tenant, customer_id=i.customer_id, key=i.key, kind=i.kind,
                    text=BiText(i.text_zh, i.text_en), lang=i.lang, channel=i.channel,  # type: ignore[arg-type]
                    data=json.loads(i.data) if i.data else {},
                ),
                datetime.fromisoformat(i.created_at),
            )
            for i in items
        ]
