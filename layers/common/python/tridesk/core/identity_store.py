"""DynamoDB adapter of OneID (table ``IDENTITIES_TABLE``, keys ``pk``/``sk``).

Items (every key starts with the tenant, so no tenant ever reads another's):

- key      ``<tenant>#key#<kind>#<hmac>`` / ``key``        home customer of one channel identity
- customer ``<tenant>#cust#<customer id>`` / ``profile``    merged_into, members, no_merge_with, VIP...
- merge    ``<tenant>#cust#<absorbed id>`` / ``merge#<id>`` who absorbed whom, when, undone when

Claims use ``attribute_not_exists(pk)``; merges and un-merges are one TransactWriteItems each.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from tridesk.core import dynamo
from tridesk.core.identity import CustomerRecord, IdentityKey, MergeRecord

TABLE = "identities"


def key_pk(tenant_id: str, key_id: str) -> str:
    return f"{tenant_id}#key#{key_id}"


def customer_pk(tenant_id: str, customer_id: str) -> str:
    return f"{tenant_id}#cust#{customer_id}"


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def to_customer(item: dict[str, Any]) -> CustomerRecord:
    return CustomerRecord(
        customer_id=item["customer_id"],
        created_at=datetime.fromisoformat(item["created_at"]),
        merged_into=item.get("merged_into"),
        members=frozenset(item.get("members") or ()),
        no_merge_with=frozenset(item.get("no_merge_with") or ()),
        name=item.get("name"),
        vip=bool(item.get("vip", False)),
        tier=item.get("tier"),
        contacts=tuple(item.get("contacts") or ()),
        open_ticket_id=item.get("open_ticket_id"),
        last_handoff_at=_time(item.get("last_handoff_at")),
    )


class DynamoIdentityStore:
    """IdentityStore on DynamoDB."""

    def _table(self) -> str:
        return dynamo.table(TABLE)

    def get_keys(self, tenant_id: str, key_ids: Sequence[str]) -> dict[str, str]:
        if not key_ids:
            return {}
        table = self._table()
        wanted = {key_pk(tenant_id, k): k for k in dict.fromkeys(key_ids)}
        request = {table: {"Keys": [dynamo.dump({"pk": pk, "sk": "key"}) for pk in wanted], "ConsistentRead": True}}
        found: dict[str, str] = {}
        while request:
            response = dynamo.client().batch_get_item(RequestItems=request)
            for raw in response.get("Responses", {}).get(table, []):
                item = dynamo.load(raw) or {}
                found[wanted[item["pk"]]] = item["customer_id"]
            request = response.get("UnprocessedKeys") or {}
        return found

    def claim_key(self, tenant_id: str, key: IdentityKey, customer_id: str, at: datetime) -> bool:
        item = {
            "pk": key_pk(tenant_id, key.key_id),
            "sk": "key",
            "customer_id": customer_id,
            "kind": key.kind,
            "masked": key.masked,
            "verified": key.verified,
            "created_at": at.isoformat(),
        }
        try:
            dynamo.client().put_item(
                TableName=self._table(), Item=dynamo.dump(item), ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as exc:
            if dynamo.condition_failed(exc):
                return False
            raise
        return True

    def create_customer(self, tenant_id: str, record: CustomerRecord) -> None:
        self.put_customer(tenant_id, record, new=True)

    def put_customer(self, tenant_id: str, record: CustomerRecord, *, new: bool = False) -> None:
        item = {
            "pk": customer_pk(tenant_id, record.customer_id),
            "sk": "profile",
            "customer_id": record.customer_id,
            "tenant_id": tenant_id,
            "created_at": record.created_at.isoformat(),
            "merged_into": record.merged_into,
            "members": set(record.members) or None,
            "no_merge_with": set(record.no_merge_with) or None,
            "name": record.name,
            "vip": record.vip,
            "tier": record.tier,
            "contacts": list(record.contacts) or None,
            "open_ticket_id": record.open_ticket_id,
        }
        extra = {"ConditionExpression": "attribute_not_exists(pk)"} if new else {}
        dynamo.client().put_item(TableName=self._table(), Item=dynamo.dump(item), **extra)

    def drop_customer(self, tenant_id: str, customer_id: str) -> None:
        try:
            dynamo.client().delete_item(
                TableName=self._table(),
                Key=dynamo.dump({"pk": customer_pk(tenant_id, customer_id), "sk": "profile"}),
                ConditionExpression="attribute_not_exists(members) AND attribute_not_exists(merged_into)",
            )
        except ClientError as exc:
            if not dynamo.condition_failed(exc):
                raise

    def get_customer(self, tenant_id: str, customer_id: str) -> CustomerRecord | None:
        response = dynamo.client().get_item(
            TableName=self._table(),
            Key=dynamo.dump({"pk": customer_pk(tenant_id, customer_id), "sk": "profile"}),
            ConsistentRead=True,
        )
        item = dynamo.load(response.get("Item"))
        return to_customer(item) if item else None

    def merge(self, tenant_id: str, record: MergeRecord) -> bool:
        table = self._table()
        absorbed = dynamo.dump({"pk": customer_pk(tenant_id, record.absorbed_id), "sk": "profile"})
        survivor = dynamo.dump({"pk": customer_pk(tenant_id, record.survivor_id), "sk": "profile"})
        merge_item = {
            "pk": customer_pk(tenant_id, record.absorbed_id),
            "sk": f"merge#{record.merge_id}",
            "merge_id": record.merge_id,
            "survivor_id": record.survivor_id,
            "absorbed_id": record.absorbed_id,
            "key_kind": record.key_kind,
            "at": record.at.isoformat(),
            "status": "active",
        }
        items = [
            {
                "Update": {
                    "TableName": table,
                    "Key": absorbed,
                    "UpdateExpression": "SET merged_into = :s, merge_id = :m",
                    "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(merged_into)"
                    " AND NOT contains(no_merge_with, :s)",
                    "ExpressionAttributeValues": dynamo.dump_values({":s": record.survivor_id, ":m": record.merge_id}),
                }
            },
            {
                "Update": {
                    "TableName": table,
                    "Key": survivor,
                    "UpdateExpression": "ADD members :a",
                    "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(merged_into)"
                    " AND NOT contains(no_merge_with, :x)",
                    "ExpressionAttributeValues": dynamo.dump_values({":a": {record.absorbed_id}, ":x": record.absorbed_id}),
                }
            },
            {"Put": {"TableName": table, "Item": dynamo.dump(merge_item), "ConditionExpression": "attribute_not_exists(pk)"}},
        ]
        try:
            dynamo.client().transact_write_items(TransactItems=items)
        except ClientError as exc:
            if dynamo.transaction_cancelled(exc):
                return False
            raise
        return True

    def unmerge(self, tenant_id: str, absorbed_id: str, survivor_id: str, at: datetime) -> MergeRecord | None:
        client = dynamo.client()
        table = self._table()
        key = dynamo.dump({"pk": customer_pk(tenant_id, absorbed_id), "sk": "profile"})
        profile = dynamo.load(client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")) or {}
        merge_id = profile.get("merge_id")
        if profile.get("merged_into") != survivor_id or not merge_id:
            return None
        merge_key = dynamo.dump({"pk": customer_pk(tenant_id, absorbed_id), "sk": f"merge#{merge_id}"})
        items = [
            {
                "Update": {
                    "TableName": table,
                    "Key": key,
                    "UpdateExpression": "REMOVE merged_into, merge_id ADD no_merge_with :s",
                    "ConditionExpression": "merged_into = :sid AND merge_id = :m",
                    "ExpressionAttributeValues": dynamo.dump_values(
                        {":s": {survivor_id}, ":sid": survivor_id, ":m": merge_id}
                    ),
                }
            },
            {
                "Update": {
                    "TableName": table,
                    "Key": dynamo.dump({"pk": customer_pk(tenant_id, survivor_id), "sk": "profile"}),
                    "UpdateExpression": "DELETE members :a ADD no_merge_with :a",
                    "ExpressionAttributeValues": dynamo.dump_values({":a": {absorbed_id}}),
                }
            },
            {
                "Update": {
                    "TableName": table,
                    "Key": merge_key,
                    "UpdateExpression": "SET #st = :undone, undone_at = :at",
                    "ConditionExpression": "#st = :active",
                    "ExpressionAttributeNames": {"#st": "status"},
                    "ExpressionAttributeValues": dynamo.dump_values(
                        {":undone": "undone", ":active": "active", ":at": at.isoformat()}
                    ),
                }
            },
        ]
        try:
            client.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if dynamo.transaction_cancelled(exc):
                return None
            raise
        merged = dynamo.load(client.get_item(TableName=table, Key=merge_key, ConsistentRead=True).get("Item")) or {}
        return MergeRecord(
            merge_id=merge_id,
            survivor_id=survivor_id,
            absorbed_id=absorbed_id,
            key_kind=merged.get("key_kind", ""),
            at=datetime.fromisoformat(merged["at"]) if merged.get("at") else at,
            status="undone",
            undone_at=at,
        )

    # ------------------------------------------------------------------ handoff bookkeeping
    def open_ticket(self, tenant_id: str, customer_id: str, ticket_id: str, at: datetime) -> str | None:
        """Mark the customer's open ticket; returns the already open one when another turn won."""
        try:
            dynamo.client().update_item(
                TableName=self._table(),
                Key=dynamo.dump({"pk": customer_pk(tenant_id, customer_id), "sk": "profile"}),
                UpdateExpression="SET open_ticket_id = :t, last_handoff_at = :at",
                ConditionExpression="attribute_exists(pk) AND attribute_not_exists(open_ticket_id)",
                ExpressionAttributeValues=dynamo.dump_values({":t": ticket_id, ":at": at.isoformat()}),
            )
        except ClientError as exc:
            if not dynamo.condition_failed(exc):
                raise
            current = self.get_customer(tenant_id, customer_id)
            return current.open_ticket_id if current and current.open_ticket_id else ticket_id
        return None

    def close_ticket(self, tenant_id: str, customer_id: str, ticket_id: str) -> None:
        try:
            dynamo.client().update_item(
                TableName=self._table(),
                Key=dynamo.dump({"pk": customer_pk(tenant_id, customer_id), "sk": "profile"}),
                UpdateExpression="REMOVE open_ticket_id",
                ConditionExpression="open_ticket_id = :t",
                ExpressionAttributeValues=dynamo.dump_values({":t": ticket_id}),
            )
        except ClientError as exc:
            if not dynamo.condition_failed(exc):
                raise
