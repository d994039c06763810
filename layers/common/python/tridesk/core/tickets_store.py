"""DynamoDB and SQS adapters of the ticket desk.

- ``TICKETS_TABLE`` (tenant_id, ticket_id): ticket ids are time-ordered, so a tenant's tickets
  range-query by time; the sparse ``waiting`` index (tenant_id, waiting_since) holds only the
  tickets still waiting (the attribute is removed when one is claimed or closed).
- ``AGENTS_TABLE`` (tenant_id, agent_id): profile, ``load``, status and the resolution history,
  overall (``handled``/``resolved``) and per skill (``h_<skill>``/``r_<skill>``).
- ``TICKETS_{HIGH,NORMAL,LOW}_QUEUE_URL``: the wake-ups of waiting tickets, by priority band.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from tridesk.core import aws, dynamo
from tridesk.core.errors import ConflictError
from tridesk.core.settings import get_settings
from tridesk.core.tickets import AgentRecord, TicketRecord, new_ticket_id

TICKETS = "tickets"
AGENTS = "agents"
WAITING_INDEX = "waiting"


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _ticket_item(ticket: TicketRecord) -> dict[str, Any]:
    return {
        "tenant_id": ticket.tenant_id,
        "ticket_id": ticket.ticket_id,
        "customer_id": ticket.customer_id,
        "home_id": ticket.home_id,
        "status": ticket.status,
        "reason": ticket.reason,
        "intent": ticket.intent,
        "skill": ticket.skill,
        "vip": ticket.vip,
        "sentiment": ticket.sentiment,
        "lang": ticket.lang,
        "channel": ticket.channel,
        "session_id": ticket.session_id,
        "created_at": ticket.created_at.isoformat(),
        "waiting_since": ticket.created_at.isoformat() if ticket.status == "waiting" else None,
        "summary": json.dumps(ticket.summary, ensure_ascii=False, sort_keys=True),
    }


def _ticket(item: dict[str, Any]) -> TicketRecord:
    return TicketRecord(
        tenant_id=item["tenant_id"],
        ticket_id=item["ticket_id"],
        customer_id=item["customer_id"],
        home_id=item.get("home_id"),
        status=item["status"],
        reason=item.get("reason"),
        intent=item.get("intent", "unknown"),
        created_at=datetime.fromisoformat(item["created_at"]),
        summary=json.loads(item.get("summary") or "{}"),
        vip=bool(item.get("vip", False)),
        sentiment=item.get("sentiment", "neutral"),
        lang=item.get("lang", "zh"),
        channel=item.get("channel"),
        session_id=item.get("session_id"),
        skill=item.get("skill"),
        agent_id=item.get("agent_id"),
        assigned_at=_time(item.get("assigned_at")),
        closed_at=_time(item.get("closed_at")),
        resolved=item.get("resolved"),
        first_agent_reply_at=_time(item.get("first_agent_reply_at")),
    )


def _agent(item: dict[str, Any]) -> AgentRecord:
    per_skill = {
        key[2:]: (int(item.get(f"r_{key[2:]}", 0)), int(value))
        for key, value in item.items()
        if key.startswith("h_")
    }
    return AgentRecord(
        agent_id=item["agent_id"],
        name=item.get("name"),
        skills=frozenset(item.get("skills") or ()),
        capacity=int(item.get("capacity", 0)),
        load=max(0, int(item.get("load", 0))),
        vip=bool(item.get("vip", False)),
        status=item.get("status", "offline"),
        langs=frozenset(item.get("langs") or ("zh", "en")),
        resolved=int(item.get("resolved", 0)),
        handled=int(item.get("handled", 0)),
        resolution=per_skill,
    )


def _ok(call: Any, **kwargs: Any) -> bool:
    """Run a conditional write; False when its condition failed."""
    try:
        call(**kwargs)
    except ClientError as exc:
        if dynamo.condition_failed(exc):
            return False
        raise
    return True


class DynamoTicketStore:
    """TicketStore on DynamoDB."""

    def _tickets(self) -> str:
        return dynamo.table(TICKETS)

    def _agents(self) -> str:
        return dynamo.table(AGENTS)

    # ------------------------------------------------------------------ tickets
    def put_ticket(self, ticket: TicketRecord) -> None:
        try:
            dynamo.client().put_item(
                TableName=self._tickets(),
                Item=dynamo.dump(_ticket_item(ticket)),
                ConditionExpression="attribute_not_exists(ticket_id)",
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise ConflictError("the ticket exists", field="ticket_id") from None
            raise

    def get_ticket(self, tenant_id: str, ticket_id: str) -> TicketRecord | None:
        response = dynamo.client().get_item(
            TableName=self._tickets(),
            Key=dynamo.dump({"tenant_id": tenant_id, "ticket_id": ticket_id}),
            ConsistentRead=True,
        )
        item = dynamo.load(response.get("Item"))
        return _ticket(item) if item else None

    def waiting(self, tenant_id: str, limit: int) -> list[TicketRecord]:
        response = dynamo.client().query(
            TableName=self._tickets(),
            IndexName=WAITING_INDEX,
            KeyConditionExpression="tenant_id = :t",
            ExpressionAttributeValues=dynamo.dump_values({":t": tenant_id}),
            Limit=limit,
        )
        found = [_ticket(dynamo.load(raw) or {}) for raw in response.get("Items", [])]
        return [t for t in found if t.status == "waiting"]

    def claim_ticket(self, tenant_id: str, ticket_id: str, agent_id: str, at: datetime) -> bool:
        return _ok(
            dynamo.client().update_item,
            TableName=self._tickets(),
            Key=dynamo.dump({"tenant_id": tenant_id, "ticket_id": ticket_id}),
            UpdateExpression="SET agent_id = :a, #st = :assigned, assigned_at = :at REMOVE waiting_since",
            ConditionExpression="attribute_exists(ticket_id) AND attribute_not_exists(agent_id) AND #st = :waiting",
            ExpressionAttributeNames={"#st": "status"},
            ExpressionAttributeValues=dynamo.dump_values(
                {":a": agent_id, ":assigned": "assigned", ":waiting": "waiting", ":at": at.isoformat()}
            ),
        )

    def close_ticket(self, tenant_id: str, ticket_id: str, resolved: bool, at: datetime) -> bool:
        return _ok(
            dynamo.client().update_item,
            TableName=self._tickets(),
            Key=dynamo.dump({"tenant_id": tenant_id, "ticket_id": ticket_id}),
            UpdateExpression="SET #st = :closed, closed_at = :at, resolved = :r REMOVE waiting_since",
            ConditionExpression="attribute_exists(ticket_id) AND #st <> :closed",
            ExpressionAttributeNames={"#st": "status"},
            ExpressionAttributeValues=dynamo.dump_values({":closed": "closed", ":at": at.isoformat(), ":r": resolved}),
        )

    def mark_agent_reply(self, tenant_id: str, ticket_id: str, at: datetime) -> None:
        dynamo.client().update_item(
            TableName=self._tickets(),
            Key=dynamo.dump({"tenant_id": tenant_id, "ticket_id": ticket_id}),
            UpdateExpression="SET first_agent_reply_at = if_not_exists(first_agent_reply_at, :at)",
            ExpressionAttributeValues=dynamo.dump_values({":at": at.isoformat()}),
        )

    def tickets_between(self, tenant_id: str, start: datetime, end: datetime, limit: int) -> list[TicketRecord]:
        kwargs: dict[str, Any] = {
            "TableName": self._tickets(),
            "KeyConditionExpression": "tenant_id = :t AND ticket_id BETWEEN :lo AND :hi",
            "ExpressionAttributeValues": dynamo.dump_values(
                {":t": tenant_id, ":lo": new_ticket_id(start)[:23], ":hi": new_ticket_id(end)[:23] + "~"}
            ),
        }
        found: list[TicketRecord] = []
        while len(found) < limit:
            response = dynamo.client().query(**kwargs)
            found.extend(_ticket(dynamo.load(raw) or {}) for raw in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        return found[:limit]

    # ------------------------------------------------------------------ agents
    def list_agents(self, tenant_id: str) -> list[AgentRecord]:
        kwargs: dict[str, Any] = {
            "TableName": self._agents(),
            "KeyConditionExpression": "tenant_id = :t",
            "ExpressionAttributeValues": dynamo.dump_values({":t": tenant_id}),
            "ConsistentRead": True,
        }
        found: list[AgentRecord] = []
        while True:
            response = dynamo.client().query(**kwargs)
            found.extend(_agent(dynamo.load(raw) or {}) for raw in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return found
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def get_agent(self, tenant_id: str, agent_id: str) -> AgentRecord | None:
        response = dynamo.client().get_item(
            TableName=self._agents(),
            Key=dynamo.dump({"tenant_id": tenant_id, "agent_id": agent_id}),
            ConsistentRead=True,
        )
        item = dynamo.load(response.get("Item"))
        return _agent(item) if item else None

    def put_agent(self, tenant_id: str, agent: AgentRecord) -> AgentRecord:
        values: dict[str, Any] = {
            ":skills": sorted(agent.skills),
            ":cap": agent.capacity,
            ":vip": agent.vip,
            ":st": agent.status,
            ":langs": sorted(agent.langs),
            ":zero": 0,
        }
        expression = (
            "SET skills = :skills, #cap = :cap, vip = :vip, #st = :st, langs = :langs,"
            " #load = if_not_exists(#load, :zero), handled = if_not_exists(handled, :zero),"
            " resolved = if_not_exists(resolved, :zero)"
        )
        if agent.name is not None:
            values[":name"] = agent.name
            expression += ", #name = :name"
        names = {"#st": "status", "#load": "load", "#cap": "capacity"}
        if agent.name is not None:
            names["#name"] = "name"
        response = dynamo.client().update_item(
            TableName=self._agents(),
            Key=dynamo.dump({"tenant_id": tenant_id, "agent_id": agent.agent_id}),
            UpdateExpression=expression,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=dynamo.dump_values(values),
            ReturnValues="ALL_NEW",
        )
        return _agent(dynamo.load(response["Attributes"]) or {})

    def seed_history(self, tenant_id: str, agent_id: str, per_skill: dict[str, tuple[int, int]]) -> None:
        """Set an agent's resolution history (demo data and tests)."""
        values: dict[str, Any] = {}
        parts = []
        total_r = total_h = 0
        for i, (skill, (resolved, handled)) in enumerate(sorted(per_skill.items())):
            parts.append(f"r_{skill} = :r{i}, h_{skill} = :h{i}")
            values[f":r{i}"], values[f":h{i}"] = resolved, handled
            total_r, total_h = total_r + resolved, total_h + handled
        values[":tr"], values[":th"] = total_r, total_h
        dynamo.client().update_item(
            TableName=self._agents(),
            Key=dynamo.dump({"tenant_id": tenant_id, "agent_id": agent_id}),
            UpdateExpression="SET " + ", ".join(parts + ["resolved = :tr", "handled = :th"]),
            ExpressionAttributeValues=dynamo.dump_values(values),
        )

    def set_agent_status(self, tenant_id: str, agent_id: str, status: str) -> AgentRecord | None:
        try:
            response = dynamo.client().update_item(
                TableName=self._agents(),
                Key=dynamo.dump({"tenant_id": tenant_id, "agent_id": agent_id}),
                UpdateExpression="SET #st = :st",
                ConditionExpression="attribute_exists(agent_id)",
                ExpressionAttributeNames={"#st": "status"},
                ExpressionAttributeValues=dynamo.dump_values({":st": status}),
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if dynamo.condition_failed(exc):
                return None
            raise
        return _agent(dynamo.load(response["Attributes"]) or {})

    def reserve_agent(self, tenant_id: str, agent_id: str) -> bool:
        return _ok(
            dynamo.client().update_item,
            TableName=self._agents(),
            Key=dynamo.dump({"tenant_id": tenant_id, "agent_id": agent_id}),
            UpdateExpression="ADD #load :one",
            ConditionExpression="attribute_exists(agent_id) AND #st = :online AND #load < #cap",
            ExpressionAttributeNames={"#st": "status", "#load": "load", "#cap": "capacity"},
            ExpressionAttributeValues=dynamo.dump_values({":one": 1, ":online": "online"}),
        )

    def release_agent(self, tenant_id: str, agent_id: str, skill: str | None, resolved: bool | None) -> None:
        expression = "ADD #load :minus"
        values: dict[str, Any] = {":minus": -1, ":zero": 0}
        if resolved is not None:
            expression += ", handled :one, resolved :r"
            values.update({":one": 1, ":r": 1 if resolved else 0})
            if skill:
                expression += f", h_{skill} :one, r_{skill} :r"
        _ok(
            dynamo.client().update_item,
            TableName=self._agents(),
            Key=dynamo.dump({"tenant_id": tenant_id, "agent_id": agent_id}),
            UpdateExpression=expression,
            ConditionExpression="attribute_exists(agent_id) AND #load > :zero",
            ExpressionAttributeNames={"#load": "load"},
            ExpressionAttributeValues=dynamo.dump_values(values),
        )


class SqsWaitQueue:
    """WaitQueue on the three SQS queues of the priority bands."""

    def enqueue(self, tenant_id: str, ticket_id: str, band: str, delay_seconds: int) -> None:
        aws.client("sqs").send_message(
            QueueUrl=get_settings().queue_url(f"tickets_{band}"),
            MessageBody=json.dumps({"tenant_id": tenant_id, "ticket_id": ticket_id, "band": band}),
            DelaySeconds=max(0, min(900, delay_seconds)),
            MessageAttributes={"tenant_id": {"DataType": "String", "StringValue": tenant_id}},
        )
