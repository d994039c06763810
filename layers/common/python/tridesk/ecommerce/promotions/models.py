"""Typed, validated promotion requests, with all money in integer cents.

``parse_request`` turns the JSON body of ``POST /v1/promotions/optimize`` into a ``Cart``;
every malformed value raises ``ValidationError`` naming the offending field path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Literal

from tridesk.core.errors import ConflictError, ValidationError
from tridesk.core.i18n import Lang, parse_lang

Kind = Literal["threshold", "percent", "direct"]
KINDS: tuple[str, ...] = ("threshold", "percent", "direct")
MAX_ITEMS = 500
MAX_COUPONS = 200
MAX_ORDERS = 50
MAX_QTY = 100_000
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Item:
    """One cart line; it always travels whole (all of its qty) into one order."""

    index: int
    sku: str
    price: int
    qty: int
    store: str | None = None
    category: str | None = None
    tags: tuple[str, ...] = ()

    @property
    def value(self) -> int:
        return self.price * self.qty


@dataclass(frozen=True, slots=True)
class Scope:
    """Which lines a coupon sees: ``None`` or an empty list means any; all given lists must match."""

    stores: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    skus: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()

    def matches(self, item: Item) -> bool:
        if self.stores and item.store not in self.stores:
            return False
        if self.categories and item.category not in self.categories:
            return False
        if self.skus and item.sku not in self.skus:
            return False
        if self.tags and not self.tags.intersection(item.tags):
            return False
        return True

    @property
    def is_any(self) -> bool:
        return not (self.stores or self.categories or self.skus or self.tags)


@dataclass(frozen=True, slots=True)
class Coupon:
    """One coupon, in cents; ``rate`` is an exact fraction so floors are exact."""

    index: int
    id: str
    kind: Kind
    threshold: int = 0
    amount: int = 0
    rate: Fraction = Fraction(0)
    cap: int | None = None
    scope: Scope = field(default_factory=Scope)
    stack_group: str | None = None
    repeat: bool = False
    new_user_only: bool = False
    max_uses: int = 1

    @property
    def group_key(self) -> str:
        """The stacking group; a coupon without one is alone in its own group."""
        return f"g:{self.stack_group}" if self.stack_group is not None else f"c:{self.id}"


@dataclass(frozen=True, slots=True)
class Cart:
    """A validated optimisation request."""

    items: tuple[Item, ...]
    coupons: tuple[Coupon, ...]
    is_new: bool = False
    max_orders: int = 1
    lang: Lang = "zh"
    time_limit_s: float = 5.0

    @property
    def total(self) -> int:
        return sum(item.value for item in self.items)


def cents_to_yuan(cents: int) -> float:
    """Money in the contract: a number with two decimals."""
    return round(cents / 100, 2)


def format_yuan(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def _money(value: Any, path: str, *, required: bool = True) -> int | None:
    if value is None:
        if required:
            raise ValidationError("is required", field=path)
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValidationError("must be a number", field=path)
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError("must be a number", field=path) from exc
    if not amount.is_finite():
        raise ValidationError("must be a finite number", field=path)
    if amount < 0:
        raise ValidationError("must not be negative", field=path)
    if amount > Decimal("100000000"):
        raise ValidationError("is too large", field=path)
    return int((amount.quantize(_CENT, rounding=ROUND_HALF_UP) * 100).to_integral_value())


def _positive_int(value: Any, path: str, default: int | None = None) -> int:
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise ValidationError("must be a positive integer", field=path)
    if value < 1:
        raise ValidationError("must be a positive integer", field=path)
    return value


def _quantity(value: Any, path: str) -> int:
    qty = _positive_int(value, path, default=1)
    if qty > MAX_QTY:
        raise ValidationError(f"at most {MAX_QTY}", field=path)
    return qty


def _text(value: Any, path: str, *, required: bool) -> str | None:
    if value is None:
        if required:
            raise ValidationError("is required", field=path)
        return None
    if not isinstance(value, str):
        raise ValidationError("must be a string", field=path)
    text = str(value)
    if required and not text:
        raise ValidationError("must not be empty", field=path)
    return text


def _flag(value: Any, path: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValidationError("must be true or false", field=path)
    return value


def _text_list(value: Any, path: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise ValidationError("must be a list", field=path)
    return frozenset(_text(v, f"{path}[{i}]", required=True) or "" for i, v in enumerate(value))


def _mapping(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError("must be an object", field=path)
    return value


def _parse_item(raw: Any, i: int) -> Item:
    path = f"items[{i}]"
    data = _mapping(raw, path)
    tags = _text_list(data.get("tags"), f"{path}.tags")
    return Item(
        index=i,
        sku=_text(data.get("sku"), f"{path}.sku", required=True) or "",
        price=_money(data.get("price"), f"{path}.price") or 0,
        qty=_quantity(data.get("qty"), f"{path}.qty"),
        store=_text(data.get("store"), f"{path}.store", required=False),
        category=_text(data.get("category"), f"{path}.category", required=False),
        tags=tuple(sorted(tags)),
    )


def _parse_rate(value: Any, path: str) -> Fraction:
    if value is None:
        return Fraction(0)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationError("must be a number", field=path)
    try:
        rate = Fraction(Decimal(str(value)))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError("must be a number", field=path) from exc
    if not 0 <= rate <= 1:
        raise ValidationError("must be between 0 and 1 (0.15 is 15% off)", field=path)
    return rate


def _parse_coupon(raw: Any, j: int) -> Coupon:
    path = f"coupons[{j}]"
    data = _mapping(raw, path)
    coupon_id = _text(data.get("id"), f"{path}.id", required=True) or ""
    kind = data.get("kind")
    if kind not in KINDS:
        raise ValidationError(f"must be one of {', '.join(KINDS)}", field=f"{path}.kind")
    scope_raw = data.get("scope")
    scope = Scope()
    if scope_raw is not None:
        scope_data = _mapping(scope_raw, f"{path}.scope")
        scope = Scope(
            stores=_text_list(scope_data.get("stores"), f"{path}.scope.stores"),
            categories=_text_list(scope_data.get("categories"), f"{path}.scope.categories"),
            skus=_text_list(scope_data.get("skus"), f"{path}.scope.skus"),
            tags=_text_list(scope_data.get("tags"), f"{path}.scope.tags"),
        )
    repeat = _flag(data.get("repeat"), f"{path}.repeat")
    # every field is validated whatever the kind, and may be absent or null: a missing threshold
    # is no threshold, a missing amount or rate is worth nothing (the rule sandbox reports such a
    # coupon as ``never_saves``); fields of another kind are ignored
    threshold = _money(data.get("threshold"), f"{path}.threshold", required=False) or 0
    amount = _money(data.get("amount"), f"{path}.amount", required=False) or 0
    rate = _parse_rate(data.get("rate"), f"{path}.rate")
    cap = _money(data.get("cap"), f"{path}.cap", required=False)
    if kind == "threshold":
        repeat = repeat and threshold > 0  # "every 0 yuan" cannot repeat: the amount comes off once
    else:
        threshold = 0
    if kind == "percent":
        amount = 0
    else:
        rate, cap = Fraction(0), None
    stack_group = _text(data.get("stack_group"), f"{path}.stack_group", required=False)
    return Coupon(
        index=j,
        id=coupon_id,
        kind=kind,
        threshold=threshold,
        amount=amount,
        rate=rate,
        cap=cap,
        scope=scope,
        stack_group=stack_group,
        repeat=repeat and kind == "threshold",
        new_user_only=_flag(data.get("new_user_only"), f"{path}.new_user_only"),
        max_uses=_positive_int(data.get("max_uses"), f"{path}.max_uses", default=1),
    )


def parse_coupon(raw: Any, j: int) -> Coupon:
    """One coupon, validated (errors name ``coupons[j]...``); duplicates are the caller's concern."""
    return _parse_coupon(raw, j)


def parse_items(raw: Any, path: str = "items") -> tuple[Item, ...]:
    if raw is None:
        raise ValidationError("is required", field=path)
    if not isinstance(raw, list):
        raise ValidationError("must be a list", field=path)
    if len(raw) > MAX_ITEMS:
        raise ValidationError(f"at most {MAX_ITEMS} items", field=path)
    return tuple(_parse_item(entry, i) for i, entry in enumerate(raw))


def parse_coupons(raw: Any, path: str = "coupons") -> tuple[Coupon, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ValidationError("must be a list", field=path)
    if len(raw) > MAX_COUPONS:
        raise ValidationError(f"at most {MAX_COUPONS} coupons", field=path)
    coupons = tuple(_parse_coupon(entry, j) for j, entry in enumerate(raw))
    seen: set[str] = set()
    for coupon in coupons:
        if coupon.id in seen:
            raise ConflictError(f"duplicate coupon id {coupon.id!r}", field=f"{path}[{coupon.index}].id")
        seen.add(coupon.id)
    return coupons


def parse_request(payload: Any) -> Cart:
    """Validate an optimisation request; raise ``ValidationError(field=...)`` on the first bad value."""
    data = _mapping(payload, "body")
    items = parse_items(data.get("items"))
    coupons = parse_coupons(data.get("coupons"))
    user = data.get("user")
    is_new = False
    if user is not None:
        is_new = _flag(_mapping(user, "user").get("is_new"), "user.is_new")
    max_orders = _positive_int(data.get("max_orders"), "max_orders", default=1)
    if max_orders > MAX_ORDERS:
        raise ValidationError(f"at most {MAX_ORDERS}", field="max_orders")
    time_limit = data.get("time_limit_s")
    limit = 5.0
    if time_limit is not None:
        if isinstance(time_limit, bool) or not isinstance(time_limit, (int, float)) or not 0 < time_limit <= 30:
            raise ValidationError("must be a number of seconds in (0, 30]", field="time_limit_s")
        limit = float(time_limit)
    return Cart(
        items=items,
        coupons=coupons,
        is_new=is_new,
        max_orders=max_orders,
        lang=parse_lang(data.get("lang")),
        time_limit_s=limit,
    )
