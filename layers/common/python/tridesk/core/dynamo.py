"""Small helpers for the DynamoDB adapters that use the low-level client (conditions, transactions).

Items go in and out as plain dicts; numbers come back as ``int`` or ``float`` (never ``Decimal``),
and a failed condition is told apart by its error code, never by its message.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from tridesk.core import aws
from tridesk.core.settings import get_settings

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def client() -> Any:
    return aws.client("dynamodb")


def table(name: str) -> str:
    """The physical table name of ``name`` (``table("identities")`` reads ``IDENTITIES_TABLE``)."""
    return get_settings().table(name)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, set):
        return {_plain(v) for v in value}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _wire(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wire(v) for v in value]
    return value


def dump(item: Mapping[str, Any]) -> dict[str, Any]:
    """A plain dict as a DynamoDB item (None values are left out)."""
    return {k: _serializer.serialize(_wire(v)) for k, v in item.items() if v is not None}


def dump_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """``ExpressionAttributeValues`` from plain values."""
    return {k: _serializer.serialize(_wire(v)) for k, v in values.items()}


def load(item: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not item:
        return None
    return {k: _plain(_deserializer.deserialize(v)) for k, v in item.items()}


def condition_failed(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def transaction_cancelled(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") == "TransactionCanceledException"
