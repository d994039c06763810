"""DynamoDB adapters of notification delivery: the outbox ledger and the customers' channel addresses.

Both live in the notifications table (``NOTIFICATIONS_TABLE``):

- an outbox record (``{tenant}#cust#{customer}`` / ``n#{key}``, written by ``OutboxNotifier``)
  carries its delivery state: ``status`` (pending, sending, sent, failed), ``attempts``,
  ``lease_until``, ``receipt_id``/``sent_at`` or ``failure``/``failure_permanent``/``failed_at``,
  ``last_error``; while not final it also carries ``due_bucket``/``due_at``, the keys of the sparse
  index ``due`` that the sweep reads (a final record leaves the index);
- an address (``{tenant}#addr#{customer}`` / ``ch#{channel}``): the push token, openid or phone a
  channel delivers to, in clear because a provider needs it (the table is encrypted at rest; logs
  and answers only ever show ``masked``). OneID keeps identities as keyed digests and cannot
  serve here; the channel back ends register deliverable addresses with :meth:`put`.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from tridesk.core import dynamo
from tridesk.core.notify import ADDRESS_KINDS, Recipient
from tridesk.core.errors import UpstreamError, ValidationError
from tridesk.core.i18n import BiText
from tridesk.core.identity import normalise_phone
from tridesk.core.notify import CHANNELS, Notification
from tridesk.core.notify_dispatch import Claim, OutboxRef

TABLE = "notifications"
UPSTREAM = "notifications"
DUE_INDEX = "due"
DUE_BUCKET = "pending"


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat()


def _key(ref: OutboxRef) -> dict[str, Any]:
    return dynamo.dump({"pk": ref.pk, "sk": ref.sk})


class DynamoOutboxLedger:
    """``OutboxLedger`` on the notifications table (conditional updates, fenced by the attempt number)."""

    def _table(self) -> str:
        return dynamo.table(TABLE)

    def _update(self, ref: OutboxRef, expression: str, condition: str, values: dict[str, Any],
                names: dict[str, str] | None = None, returns: str = "NONE") -> dict[str, Any] | None:
        """One conditional update; None when the condition failed."""
        try:
            response = dynamo.client().update_item(
                TableName=self._table(), Key=_key(ref), UpdateExpression=expression, ConditionExpression=condition,
                ExpressionAttributeNames={"#st": "status", **(names or {})},
                ExpressionAttributeValues=dynamo.dump_values(values), ReturnValues=returns,
            )
        except ClientError as exc:
            if dynamo.condition_failed(exc):
                return None
            raise UpstreamError(UPSTREAM, f"update failed: {exc.response.get('Error', {}).get('Code')}") from exc
        except BotoCoreError as exc:
            raise UpstreamError(UPSTREAM, f"update failed: {type(exc).__name__}") from exc
        return dynamo.load(response.get("Attributes")) or {}

    def get(self, ref: OutboxRef) -> dict[str, Any] | None:
        try:
            response = dynamo.client().get_item(TableName=self._table(), Key=_key(ref), ConsistentRead=True)
        except (ClientError, BotoCoreError) as exc:
            raise UpstreamError(UPSTREAM, f"get failed: {type(exc).__name__}") from exc
        return dynamo.load(response.get("Item"))

    def claim(self, ref: OutboxRef, now: float, lease_s: float) -> Claim:
        item = self._update(
            ref,
            "SET #st = :sending, attempts = if_not_exists(attempts, :zero) + :one, lease_until = :lease, "
            "claimed_at = :now",
            "attribute_exists(pk) AND (attribute_not_exists(#st) OR #st = :pending)",
            {":sending": "sending", ":pending": "pending", ":zero": 0, ":one": 1, ":lease": now + lease_s,
             ":now": _iso(now)},
            returns="ALL_NEW",
        )
        if item is not None:
            attempt = int(item["attempts"])
            try:
                notification = to_notification(item)
            except (KeyError, TypeError, ValueError, ValidationError):
                self.mark_failed(ref, attempt, "malformed_record", permanent=True, now=now)
                return Claim("failed", attempt=attempt)
            return Claim("claimed", notification, attempt, float(item["lease_until"]))
        current = self.get(ref)
        if current is None:
            return Claim("missing")
        status, attempt = current.get("status"), int(current.get("attempts") or 0)
        if status in ("sent", "failed"):
            return Claim(status, attempt=attempt)
        lease = float(current.get("lease_until") or 0)
        if status == "sending" and lease > now:
            return Claim("busy", attempt=attempt, lease_until=lease)
        if status == "sending":
            return Claim("lost", attempt=attempt, lease_until=lease)
        return Claim("busy", attempt=attempt)  # released between our two reads: its holder retries

    def mark_sent(self, ref: OutboxRef, attempt: int, receipt_id: str, now: float) -> bool:
        return self._update(
            ref, "SET #st = :sent, receipt_id = :r, sent_at = :now REMOVE lease_until, due_bucket, due_at",
            "attempts = :n", {":sent": "sent", ":r": receipt_id, ":now": _iso(now), ":n": attempt},
        ) is not None

    def mark_failed(self, ref: OutboxRef, attempt: int, reason: str, *, permanent: bool, now: float) -> bool:
        return self._update(
            ref, "SET #st = :failed, failure = :why, failure_permanent = :p, failed_at = :now "
                 "REMOVE lease_until, due_bucket, due_at",
            "attempts = :n AND #st = :sending",
            {":failed": "failed", ":why": reason[:300], ":p": permanent, ":now": _iso(now), ":n": attempt,
             ":sending": "sending"},
        ) is not None

    def release(self, ref: OutboxRef, attempt: int, reason: str, due_at: float) -> bool:
        return self._update(
            ref, "SET #st = :pending, last_error = :why, due_bucket = :b, due_at = :due REMOVE lease_until",
            "attempts = :n AND #st = :sending",
            {":pending": "pending", ":why": reason[:300], ":b": DUE_BUCKET, ":due": due_at, ":n": attempt,
             ":sending": "sending"},
        ) is not None

    def give_up_lost(self, ref: OutboxRef, lease_until: float, now: float) -> bool:
        """A worker died mid-send: whether the customer got it is unknown, so it is never sent again."""
        return self._update(
            ref, "SET #st = :failed, failure = :why, failure_permanent = :p, failed_at = :now "
                 "REMOVE lease_until, due_bucket, due_at",
            "#st = :sending AND lease_until = :lease",
            {":failed": "failed", ":why": "outcome_unknown", ":p": True, ":now": _iso(now), ":sending": "sending",
             ":lease": lease_until},
        ) is not None

    def due(self, now: float, limit: int) -> list[OutboxRef]:
        try:
            response = dynamo.client().query(
                TableName=self._table(), IndexName=DUE_INDEX, Limit=limit,
                KeyConditionExpression="due_bucket = :b AND due_at <= :now",
                ExpressionAttributeValues=dynamo.dump_values({":b": DUE_BUCKET, ":now": now}),
            )
        except (ClientError, BotoCoreError) as exc:
            raise UpstreamError(UPSTREAM, f"query failed: {type(exc).__name__}") from exc
        items = [dynamo.load(i) or {} for i in response.get("Items", [])]
        return [OutboxRef(i["pk"], i["sk"]) for i in items if "pk" in i and "sk" in i]


def to_notification(item: dict[str, Any]) -> Notification:
    return Notification(
        tenant=item["tenant"], customer_id=item["customer_id"], key=item["key"], kind=item["kind"],
        text=BiText(item["text_zh"], item["text_en"]), lang=item.get("lang"), channel=item["channel"],
        data=json.loads(item["data"]) if item.get("data") else {},
    )


def address_pk(tenant: str, customer_id: str) -> str:
    return f"{tenant}#addr#{customer_id}"


def normalise_address(channel: str, address: str) -> str:
    """The address as a provider expects it; ``ValidationError`` when it cannot be one."""
    if channel not in CHANNELS:
        raise ValidationError(f"channel must be one of {', '.join(CHANNELS)}", field="channel")
    value = address.strip() if isinstance(address, str) else ""
    if channel == "sms":
        phone = normalise_phone(value)
        if phone is None:
            raise ValidationError("phone must be a mainland mobile number or +E.164", field="address")
        return phone
    limit = 512 if channel == "app_push" else 128
    if not 4 <= len(value) <= limit or any(c.isspace() for c in value):
        raise ValidationError(f"{ADDRESS_KINDS[channel]} must be 4-{limit} characters without spaces", field="address")
    return value


class DynamoRecipientDirectory:
    """``RecipientDirectory`` on the notifications table (see the module doc)."""

    def _table(self) -> str:
        return dynamo.table(TABLE)

    def put(self, tenant: str, customer_id: str, channel: str, address: str, *, now: float | None = None) -> Recipient:
        recipient = Recipient(channel, normalise_address(channel, address))  # type: ignore[arg-type]
        at = datetime.now(timezone.utc).isoformat() if now is None else _iso(now)
        item = {"pk": address_pk(tenant, customer_id), "sk": f"ch#{channel}", "tenant": tenant,
                "customer_id": customer_id, "channel": channel, "address": recipient.address,
                "masked": recipient.masked, "updated_at": at}
        try:
            dynamo.client().put_item(TableName=self._table(), Item=dynamo.dump(item))
        except (ClientError, BotoCoreError) as exc:
            raise UpstreamError(UPSTREAM, f"put failed: {type(exc).__name__}") from exc
        return recipient

    def forget(self, tenant: str, customer_id: str, channel: str) -> None:
        try:
            dynamo.client().delete_item(TableName=self._table(),
                                        Key=dynamo.dump({"pk": address_pk(tenant, customer_id), "sk": f"ch#{channel}"}))
        except (ClientError, BotoCoreError) as exc:
            raise UpstreamError(UPSTREAM, f"delete failed: {type(exc).__name__}") from exc

    def addresses(self, tenant: str, customer_id: str) -> list[tuple[Recipient, str]]:
        """Every channel address a customer registered, with when it was last set, by channel."""
        try:
            response = dynamo.client().query(
                TableName=self._table(), ConsistentRead=True,
                KeyConditionExpression="pk = :pk AND begins_with(sk, :ch)",
                ExpressionAttributeValues=dynamo.dump({":pk": address_pk(tenant, customer_id), ":ch": "ch#"}))
        except (ClientError, BotoCoreError) as exc:
            raise UpstreamError(UPSTREAM, f"query failed: {type(exc).__name__}") from exc
        found = [dynamo.load(i) for i in response.get("Items", [])]
        return sorted(((Recipient(i["channel"], i["address"]), str(i.get("updated_at") or ""))  # type: ignore[arg-type]
                       for i in found if i.get("address") and i.get("channel") in CHANNELS),
                      key=lambda pair: pair[0].channel)

    def address(self, tenant: str, customer_id: str, channel: str) -> Recipient | None:
        try:
            response = dynamo.client().get_item(
                TableName=self._table(), ConsistentRead=True,
                Key=dynamo.dump({"pk": address_pk(tenant, customer_id), "sk": f"ch#{channel}"}))
        except (ClientError, BotoCoreError) as exc:
            raise UpstreamError(UPSTREAM, f"get failed: {type(exc).__name__}") from exc
        item = dynamo.load(response.get("Item"))
        if not item or not item.get("address"):
            return None
        return Recipient(channel, item["address"])  # type: ignore[arg-type]
