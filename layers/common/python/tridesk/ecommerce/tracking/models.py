"""Orders, tracking events and the parcel status taxonomy.

Plain frozen values with explicit ``to_dict``/``from_dict`` so the same shapes travel over the
carrier/OMS HTTP contract, the push-event queue and the cache record. ``from_dict`` validates and
raises :class:`ValidationError` with the offending field path, which is how a poisoned message or a
malformed upstream answer is told apart from a good one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any, Literal

from tridesk.core.errors import ValidationError
from tridesk.core.i18n import BiText

Source = Literal["l1", "cache", "live", "degraded"]
SOURCES: tuple[Source, ...] = ("l1", "cache", "live", "degraded")

ORDER_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{3,63}$")
_TOKEN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")


class StatusClass(str, Enum):
    """How a status behaves for freshness: settled rarely changes, exceptions need the source."""

    SETTLED = "settled"
    IN_TRANSIT = "in_transit"
    EXCEPTION = "exception"


class TrackingStatus(str, Enum):
    """Normalised parcel status codes shared by every carrier adapter."""

    AWAITING_SHIPMENT = "awaiting_shipment"
    AWAITING_PICKUP = "awaiting_pickup"
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    ARRIVED_AT_STATION = "arrived_at_station"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    SIGNED = "signed"
    DELIVERY_FAILED = "delivery_failed"
    HELD = "held"
    LOST = "lost"
    DAMAGED = "damaged"
    REFUSED = "refused"
    RETURNED = "returned"
    UNKNOWN = "unknown"

    @property
    def status_class(self) -> StatusClass:
        return classify(self)

    @property
    def text(self) -> BiText:
        return STATUS_TEXT[self]

    @classmethod
    def parse(cls, value: object, *, field: str = "status") -> TrackingStatus:
        """The status for a code; an unknown code is a contract violation (``ValidationError``)."""
        if isinstance(value, TrackingStatus):
            return value
        if isinstance(value, str):
            try:
                return cls(value.strip().lower())
            except ValueError:
                pass
        raise ValidationError(f"unknown tracking status {value!r}", field=field)


SETTLED_STATUSES = frozenset({TrackingStatus.DELIVERED, TrackingStatus.SIGNED})
EXCEPTION_STATUSES = frozenset(
    {
        TrackingStatus.DELIVERY_FAILED,
        TrackingStatus.HELD,
        TrackingStatus.LOST,
        TrackingStatus.DAMAGED,
        TrackingStatus.REFUSED,
        TrackingStatus.RETURNED,
        TrackingStatus.UNKNOWN,
    }
)
IN_TRANSIT_STATUSES = frozenset(TrackingStatus) - SETTLED_STATUSES - EXCEPTION_STATUSES


def classify(status: TrackingStatus) -> StatusClass:
    """Settled, in transit or exception; ``unknown`` counts as an exception so it always goes to the source."""
    if status in SETTLED_STATUSES:
        return StatusClass.SETTLED
    if status in EXCEPTION_STATUSES:
        return StatusClass.EXCEPTION
    return StatusClass.IN_TRANSIT


STATUS_TEXT: dict[TrackingStatus, BiText] = {
    TrackingStatus.AWAITING_SHIPMENT: BiText("待发货", "Awaiting shipment"),
    TrackingStatus.AWAITING_PICKUP: BiText("待揽收", "Awaiting carrier pickup"),
    TrackingStatus.PICKED_UP: BiText("已揽收", "Picked up"),
    TrackingStatus.IN_TRANSIT: BiText("运输中", "In transit"),
    TrackingStatus.ARRIVED_AT_STATION: BiText("已到达派送网点", "Arrived at the delivery station"),
    TrackingStatus.OUT_FOR_DELIVERY: BiText("派送中", "Out for delivery"),
    TrackingStatus.DELIVERED: BiText("已投递", "Delivered"),
    TrackingStatus.SIGNED: BiText("已签收", "Signed for"),
    TrackingStatus.DELIVERY_FAILED: BiText("派送失败", "Delivery attempt failed"),
    TrackingStatus.HELD: BiText("滞留", "Held"),
    TrackingStatus.LOST: BiText("丢失", "Lost"),
    TrackingStatus.DAMAGED: BiText("破损", "Damaged"),
    TrackingStatus.REFUSED: BiText("拒收", "Refused by the recipient"),
    TrackingStatus.RETURNED: BiText("退回中", "Returned to sender"),
    TrackingStatus.UNKNOWN: BiText("状态待确认", "Status being confirmed"),
}


def validate_order_id(value: object, *, field: str = "order_id") -> str:
    """An order id as the API accepts it: 4-64 letters, digits, ``-`` or ``_``."""
    if not isinstance(value, str) or not ORDER_ID_RE.match(value):
        raise ValidationError("order id must be 4-64 letters, digits, '-' or '_'", field=field)
    return value


def validate_token(value: object, *, field: str) -> str:
    """A tenant, customer, carrier or tracking number: non-empty, no separators used in cache keys."""
    if not isinstance(value, str) or not _TOKEN_RE.match(value):
        raise ValidationError(f"{field} must be 1-128 letters, digits, '.', ':', '-' or '_'", field=field)
    return value


def parse_time(value: object, *, field: str) -> datetime:
    """An ISO-8601 timestamp with an offset (naive times are ambiguous across carriers and rejected)."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError(f"not an ISO-8601 time: {value!r}", field=field) from None
    else:
        raise ValidationError("expected an ISO-8601 time string", field=field)
    if parsed.tzinfo is None:
        raise ValidationError("time must carry a UTC offset", field=field)
    return parsed


def format_time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def utc_from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def parse_bitext(value: object, *, field: str) -> BiText:
    """``{"zh": ..., "en": ...}``; a bare string is accepted for both languages (place names, codes)."""
    if isinstance(value, BiText):
        return value
    if isinstance(value, str) and value.strip():
        return BiText(value, value)
    if isinstance(value, Mapping):
        zh, en = value.get("zh"), value.get("en")
        if isinstance(zh, str) and isinstance(en, str) and zh.strip() and en.strip():
            return BiText(zh, en)
    raise ValidationError('expected {"zh": text, "en": text}', field=field)


def bitext_dict(text: BiText) -> dict[str, str]:
    return {"zh": text.zh, "en": text.en}


def _require(data: Mapping[str, Any], key: str, prefix: str) -> Any:
    if key not in data or data[key] is None:
        raise ValidationError(f"missing field {key!r}", field=f"{prefix}{key}")
    return data[key]


def _mapping(data: object, field: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ValidationError("expected an object", field=field or None)
    return data


def _int(value: object, *, field: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValidationError(f"expected an integer >= {minimum}", field=field)
    return value


@dataclass(frozen=True, slots=True)
class OrderItem:
    """One line of an order; money in integer cents."""

    sku: str
    name: BiText
    qty: int
    unit_price_cents: int

    def to_dict(self) -> dict[str, Any]:
        return {"sku": self.sku, "name": bitext_dict(self.name), "qty": self.qty,
                "unit_price_cents": self.unit_price_cents}

    @classmethod
    def from_dict(cls, data: object, *, prefix: str = "") -> OrderItem:
        d = _mapping(data, prefix.rstrip("."))
        sku = _require(d, "sku", prefix)
        if not isinstance(sku, str) or not sku:
            raise ValidationError("expected a non-empty sku", field=f"{prefix}sku")
        return cls(
            sku=sku,
            name=parse_bitext(_require(d, "name", prefix), field=f"{prefix}name"),
            qty=_int(_require(d, "qty", prefix), field=f"{prefix}qty", minimum=1),
            unit_price_cents=_int(_require(d, "unit_price_cents", prefix), field=f"{prefix}unit_price_cents"),
        )


@dataclass(frozen=True, slots=True)
class Order:
    """An order as the OMS knows it: who owns it and which parcel carries it."""

    tenant: str
    order_id: str
    customer_id: str
    status: str
    created_at: datetime
    items: tuple[OrderItem, ...] = ()
    carrier: str | None = None
    tracking_number: str | None = None

    @property
    def total_cents(self) -> int:
        return sum(i.qty * i.unit_price_cents for i in self.items)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tenant": self.tenant,
            "order_id": self.order_id,
            "customer_id": self.customer_id,
            "status": self.status,
            "created_at": format_time(self.created_at),
            "items": [i.to_dict() for i in self.items],
            "total_cents": self.total_cents,
            "carrier": self.carrier,
            "tracking_number": self.tracking_number,
        }

    @classmethod
    def from_dict(cls, data: object, *, prefix: str = "") -> Order:
        d = _mapping(data, prefix.rstrip("."))
        items_raw = d.get("items") or []
        if not isinstance(items_raw, list):
            raise ValidationError("expected a list", field=f"{prefix}items")
        carrier = d.get("carrier")
        number = d.get("tracking_number")
        return cls(
            tenant=validate_token(_require(d, "tenant", prefix), field=f"{prefix}tenant"),
            order_id=validate_order_id(_require(d, "order_id", prefix), field=f"{prefix}order_id"),
            customer_id=validate_token(_require(d, "customer_id", prefix), field=f"{prefix}customer_id"),
            status=str(_require(d, "status", prefix)),
            created_at=parse_time(_require(d, "created_at", prefix), field=f"{prefix}created_at"),
            items=tuple(OrderItem.from_dict(x, prefix=f"{prefix}items[{i}].") for i, x in enumerate(items_raw)),
            carrier=None if carrier is None else validate_token(carrier, field=f"{prefix}carrier"),
            tracking_number=None if number is None else validate_token(number, field=f"{prefix}tracking_number"),
        )


@dataclass(frozen=True, slots=True)
class OrderRef:
    """The part of an order the tracking path needs: ownership and the parcel. Immutable once shipped."""

    tenant: str
    order_id: str
    customer_id: str
    carrier: str | None
    tracking_number: str | None

    @classmethod
    def of(cls, order: Order) -> OrderRef:
        return cls(order.tenant, order.order_id, order.customer_id, order.carrier, order.tracking_number)

    def to_dict(self) -> dict[str, Any]:
        return {"tenant": self.tenant, "order_id": self.order_id, "customer_id": self.customer_id,
                "carrier": self.carrier, "tracking_number": self.tracking_number}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OrderRef:
        return cls(data["tenant"], data["order_id"], data["customer_id"], data.get("carrier"),
                   data.get("tracking_number"))


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    """One scan of the parcel: when, what, where, and the carrier's words in both languages."""

    time: datetime
    status: TrackingStatus
    location: BiText
    description: BiText

    def to_dict(self) -> dict[str, Any]:
        return {"time": format_time(self.time), "status": self.status.value,
                "location": bitext_dict(self.location), "description": bitext_dict(self.description)}

    def to_view(self, lang: str) -> dict[str, Any]:
        return {"time": format_time(self.time), "status": self.status.value,
                "status_text": self.status.text.get(lang), "location": self.location.get(lang),
                "description": self.description.get(lang)}

    @classmethod
    def from_dict(cls, data: object, *, prefix: str = "") -> TrackingEvent:
        d = _mapping(data, prefix.rstrip("."))
        return cls(
            time=parse_time(_require(d, "time", prefix), field=f"{prefix}time"),
            status=TrackingStatus.parse(_require(d, "status", prefix), field=f"{prefix}status"),
            location=parse_bitext(_require(d, "location", prefix), field=f"{prefix}location"),
            description=parse_bitext(_require(d, "description", prefix), field=f"{prefix}description"),
        )

    @property
    def identity(self) -> tuple[datetime, TrackingStatus, str]:
        return (self.time, self.status, self.description.zh)


def sort_events(events: Iterable[TrackingEvent]) -> tuple[TrackingEvent, ...]:
    """Oldest first, duplicates (same time, status and text) dropped."""
    seen: dict[tuple[datetime, TrackingStatus, str], TrackingEvent] = {}
    for e in events:
        seen.setdefault(e.identity, e)
    return tuple(sorted(seen.values(), key=lambda e: e.time))


@dataclass(frozen=True, slots=True)
class TrackingSnapshot:
    """What the carrier says about one parcel at ``as_of`` (the carrier's clock)."""

    carrier: str
    tracking_number: str
    status: TrackingStatus
    events: tuple[TrackingEvent, ...]
    as_of: datetime
    estimated_delivery: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "carrier": self.carrier,
            "tracking_number": self.tracking_number,
            "status": self.status.value,
            "events": [e.to_dict() for e in self.events],
            "estimated_delivery": format_time(self.estimated_delivery),
            "as_of": format_time(self.as_of),
        }

    @classmethod
    def from_dict(cls, data: object, *, prefix: str = "") -> TrackingSnapshot:
        d = _mapping(data, prefix.rstrip("."))
        raw_events = _require(d, "events", prefix)
        if not isinstance(raw_events, list):
            raise ValidationError("expected a list", field=f"{prefix}events")
        events = sort_events(
            TrackingEvent.from_dict(x, prefix=f"{prefix}events[{i}].") for i, x in enumerate(raw_events)
        )
        status_raw = d.get("status")
        if status_raw is None:
            status = events[-1].status if events else TrackingStatus.AWAITING_PICKUP
        else:
            status = TrackingStatus.parse(status_raw, field=f"{prefix}status")
        eta = d.get("estimated_delivery")
        return cls(
            carrier=validate_token(_require(d, "carrier", prefix), field=f"{prefix}carrier"),
            tracking_number=validate_token(_require(d, "tracking_number", prefix),
                                           field=f"{prefix}tracking_number"),
            status=status,
            events=events,
            as_of=parse_time(_require(d, "as_of", prefix), field=f"{prefix}as_of"),
            estimated_delivery=None if eta is None else parse_time(eta, field=f"{prefix}estimated_delivery"),
        )


@dataclass(frozen=True, slots=True)
class Tracking:
    """The answer to "where is my parcel": what we know, where it came from and how old it is.

    ``source`` tells the tier (``l1``, ``cache``, ``live``) or ``degraded`` when the upstream is sick and
    the data is old or absent; ``message`` then carries the bilingual explanation and follow-up promise.
    """

    order_id: str
    status: TrackingStatus
    events: tuple[TrackingEvent, ...]
    estimated_delivery: datetime | None
    source: Source
    as_of: datetime | None
    age_seconds: float | None
    carrier: str | None = None
    tracking_number: str | None = None
    message: BiText | None = None
    follow_up_minutes: int | None = None

    @property
    def status_class(self) -> StatusClass:
        return classify(self.status)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The API body of ``GET /v1/orders/{order_id}/tracking`` in one language, newest event first."""
        return {
            "order_id": self.order_id,
            "status": self.status.value,
            "status_class": self.status_class.value,
            "status_text": self.status.text.get(lang),
            "carrier": self.carrier,
            "tracking_number": self.tracking_number,
            "events": [e.to_view(lang) for e in reversed(self.events)],
            "estimated_delivery": format_time(self.estimated_delivery),
            "source": self.source,
            "as_of": format_time(self.as_of),
            "age_seconds": None if self.age_seconds is None else round(self.age_seconds, 3),
            "message": None if self.message is None else self.message.get(lang),
            "follow_up_minutes": self.follow_up_minutes,
        }
