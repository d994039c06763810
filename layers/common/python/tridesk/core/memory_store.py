"""DynamoDB adapter of the conversation memory (table ``CONVERSATIONS_TABLE``, keys ``pk``/``sk``).

- turn    ``<tenant>#cust#<home customer>`` / ``t#<time>#<turn id>``; ``tenant_id`` feeds the
          ``by_tenant`` index (tenant_id, sk) that the statistics read by time window
- session ``<tenant>#session#<session id>`` / ``session``: owner, channel, start, turn count
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tridesk.core import dynamo
from tridesk.core.memory import SessionInfo, StoredTurn, turn_sort_key

TABLE = "conversations"
BY_TENANT = "by_tenant"


def turn_pk(tenant_id: str, customer_id: str) -> str:
    return f"{tenant_id}#cust#{customer_id}"


def _item(tenant_id: str, turn: StoredTurn) -> dict[str, Any]:
    return {
        "pk": turn_pk(tenant_id, turn.customer_id),
        "sk": turn.sort_key,
        "tenant_id": tenant_id,
        "turn_id": turn.turn_id,
        "customer_id": turn.customer_id,
        "session_id": turn.session_id,
        "role": turn.role,
        "channel": turn.channel,
        "text": turn.text,
        "at": turn.at.isoformat(),
        "lang": turn.lang,
        "intent": turn.intent,
        "confidence": turn.confidence,
        "slots": json.dumps(turn.slots, ensure_ascii=False, sort_keys=True) if turn.slots else None,
        "sentiment": turn.sentiment,
        "resolved": turn.resolved,
        "action": turn.action,
        "ticket_id": turn.ticket_id,
        "agent_id": turn.agent_id,
    }


def _turn(item: dict[str, Any]) -> StoredTurn:
    return StoredTurn(
        turn_id=item["turn_id"],
        customer_id=item["customer_id"],
        session_id=item["session_id"],
        role=item["role"],
        channel=item["channel"],
        text=item["text"],
        at=datetime.fromisoformat(item["at"]),
        lang=item.get("lang", "zh"),
        intent=item.get("intent"),
        confidence=item.get("confidence"),
        slots=json.loads(item["slots"]) if item.get("slots") else {},
        sentiment=item.get("sentiment"),
        resolved=item.get("resolved"),
        action=item.get("action"),
        ticket_id=item.get("ticket_id"),
        agent_id=item.get("agent_id"),
    )


class DynamoTurnStore:
    """TurnStore on DynamoDB."""

    def _table(self) -> str:
        return dynamo.table(TABLE)

    def append(self, tenant_id: str, turns: Sequence[StoredTurn]) -> None:
        table = self._table()
        requests = [{"PutRequest": {"Item": dynamo.dump(_item(tenant_id, t))}} for t in turns]
        for start in range(0, len(requests), 25):
            pending = {table: requests[start : start + 25]}
            while pending:
                response = dynamo.client().batch_write_item(RequestItems=pending)
                pending = response.get("UnprocessedItems") or {}

    def newest(self, tenant_id: str, customer_id: str, before: str | None, limit: int) -> list[StoredTurn]:
        values = {":pk": turn_pk(tenant_id, customer_id), ":lo": "t#"}
        condition = "pk = :pk AND begins_with(sk, :lo)"
        if before is not None:
            values = {":pk": values[":pk"], ":lo": "t#", ":hi": before}
            condition = "pk = :pk AND sk BETWEEN :lo AND :hi"
        found: list[StoredTurn] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table(),
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": dynamo.dump_values(values),
            "ScanIndexForward": False,
            "Limit": limit + 1,
        }
        while len(found) < limit:
            response = dynamo.client().query(**kwargs)
            for raw in response.get("Items", []):
                item = dynamo.load(raw) or {}
                if before is not None and item["sk"] >= before:
                    continue  # BETWEEN is inclusive; the cursor's own turn was on the last page
                found.append(_turn(item))
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        return found[:limit]

    def touch_session(self, tenant_id: str, session_id: str, customer_id: str, channel: str, at: datetime) -> SessionInfo:
        response = dynamo.client().update_item(
            TableName=self._table(),
            Key=dynamo.dump({"pk": f"{tenant_id}#session#{session_id}", "sk": "session"}),
            UpdateExpression="SET customer_id = if_not_exists(customer_id, :c), channel = if_not_exists(channel, :ch),"
            " started_at = if_not_exists(started_at, :at), last_at = :at ADD turns :one",
            ExpressionAttributeValues=dynamo.dump_values(
                {":c": customer_id, ":ch": channel, ":at": at.isoformat(), ":one": 1}
            ),
            ReturnValues="ALL_NEW",
        )
        item = dynamo.load(response["Attributes"]) or {}
        return SessionInfo(
            session_id=session_id,
            customer_id=item["customer_id"],
            channel=item["channel"],
            started_at=datetime.fromisoformat(item["started_at"]),
            new=int(item.get("turns", 1)) == 1,
        )

    def between(self, tenant_id: str, start: datetime, end: datetime, limit: int) -> tuple[list[StoredTurn], bool]:
        kwargs: dict[str, Any] = {
            "TableName": self._table(),
            "IndexName": BY_TENANT,
            "KeyConditionExpression": "tenant_id = :t AND sk BETWEEN :lo AND :hi",
            "ExpressionAttributeValues": dynamo.dump_values(
                {":t": tenant_id, ":lo": turn_sort_key(start, ""), ":hi": turn_sort_key(end, "")}
            ),
        }
        found: list[StoredTurn] = []
        while True:
            response = dynamo.client().query(**kwargs)
            found.extend(_turn(dynamo.load(raw) or {}) for raw in response.get("Items", []))
            if len(found) >= limit:
                return found[:limit], True
            if "LastEvaluatedKey" not in response:
                return found, False
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
