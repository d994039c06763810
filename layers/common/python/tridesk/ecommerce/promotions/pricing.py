"""The independent checker: what a given plan pays under the exact semantics, in integer cents.

Nothing here knows about the solver. ``price_plan`` validates and prices a plan, ``best_coupons``
finds the best coupons for a fixed split of the cart, and ``exhaustive`` tries every split of a
small cart: together they are the reference every optimiser answer is compared with.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from tridesk.ecommerce.promotions.models import Cart, Coupon, Item


class PlanError(ValueError):
    """A plan breaks a rule of the semantics (so it cannot be priced)."""


def eligible_amount(coupon: Coupon, items: Sequence[Item]) -> int:
    """Sum of price*qty of the lines inside the coupon's scope, before any discount."""
    return sum(item.value for item in items if coupon.scope.matches(item))


def applies(coupon: Coupon, eligible: int, is_new: bool) -> bool:
    """Whether the coupon may be used in an order with this eligible amount."""
    if eligible <= 0 or (coupon.new_user_only and not is_new):
        return False
    return not (coupon.kind == "threshold" and eligible < coupon.threshold)


def coupon_value(coupon: Coupon, eligible: int, is_new: bool) -> int:
    """Cents off that the coupon gives on this eligible amount (0 when it does not apply)."""
    if not applies(coupon, eligible, is_new):
        return 0
    if coupon.kind == "threshold":
        if coupon.repeat:
            return (eligible // coupon.threshold) * coupon.amount
        return coupon.amount
    if coupon.kind == "percent":
        off = eligible * coupon.rate.numerator // coupon.rate.denominator
        return off if coupon.cap is None else min(off, coupon.cap)
    return coupon.amount


@dataclass(frozen=True, slots=True)
class PricedOrder:
    """One checkout of a plan, priced."""

    items: tuple[int, ...]
    coupons: tuple[int, ...]
    subtotal: int
    values: tuple[int, ...]
    discount: int

    @property
    def pay(self) -> int:
        return self.subtotal - self.discount


@dataclass(frozen=True, slots=True)
class PricedPlan:
    """A whole plan, priced: totals in cents."""

    orders: tuple[PricedOrder, ...]
    total_before: int

    @property
    def total_after(self) -> int:
        return sum(order.pay for order in self.orders)

    @property
    def saving(self) -> int:
        return self.total_before - self.total_after


def price_order(cart: Cart, items: Sequence[int], coupons: Sequence[int]) -> PricedOrder:
    """Price one order; raise ``PlanError`` if one of its coupons does not apply."""
    lines = [cart.items[i] for i in items]
    subtotal = sum(item.value for item in lines)
    groups: set[str] = set()
    values = []
    for c in coupons:
        coupon = cart.coupons[c]
        if coupon.group_key in groups:
            raise PlanError(f"two coupons of stack group {coupon.stack_group!r} in one order")
        groups.add(coupon.group_key)
        eligible = eligible_amount(coupon, lines)
        if not applies(coupon, eligible, cart.is_new):
            raise PlanError(f"coupon {coupon.id!r} does not apply to its order")
        values.append(coupon_value(coupon, eligible, cart.is_new))
    discount = min(subtotal, sum(values))
    return PricedOrder(tuple(items), tuple(coupons), subtotal, tuple(values), discount)


def price_plan(cart: Cart, orders: Sequence[tuple[Sequence[int], Sequence[int]]]) -> PricedPlan:
    """Validate and price a plan given as (item indexes, coupon indexes) per order."""
    if len(orders) > cart.max_orders:
        raise PlanError(f"{len(orders)} orders, at most {cart.max_orders} allowed")
    seen: list[int] = []
    uses = [0] * len(cart.coupons)
    priced = []
    for items, coupons in orders:
        if not items:
            raise PlanError("empty order")
        seen.extend(items)
        for c in coupons:
            uses[c] += 1
        priced.append(price_order(cart, items, coupons))
    if sorted(seen) != list(range(len(cart.items))):
        raise PlanError("every item line must be in exactly one order")
    for coupon, used in zip(cart.coupons, uses, strict=True):
        if used > coupon.max_uses:
            raise PlanError(f"coupon {coupon.id!r} used {used} times, at most {coupon.max_uses}")
    return PricedPlan(tuple(priced), cart.total)


def price_response(cart: Cart, response: dict) -> PricedPlan:
    """Re-price an ``optimize`` response from its skus and coupon ids."""
    free: dict[str, list[int]] = {}
    for item in cart.items:
        free.setdefault(item.sku, []).append(item.index)
    by_id = {coupon.id: coupon.index for coupon in cart.coupons}
    orders = []
    for order in response["orders"]:
        try:
            items = [free[sku].pop(0) for sku in order["items"]]
            coupons = [by_id[cid] for cid in order["coupons"]]
        except (KeyError, IndexError) as exc:
            raise PlanError(f"unknown or repeated item or coupon: {exc}") from exc
        orders.append((items, coupons))
    return price_plan(cart, orders)


def _order_options(cart: Cart, items: Sequence[int]) -> tuple[int, list[tuple[tuple[int, ...], int]]]:
    """Subtotal and every useful coupon set (one per stack group) of one order, with its raw value."""
    lines = [cart.items[i] for i in items]
    subtotal = sum(item.value for item in lines)
    by_group: dict[str, list[tuple[int, int]]] = {}
    for coupon in cart.coupons:
        value = coupon_value(coupon, eligible_amount(coupon, lines), cart.is_new)
        if value > 0:
            by_group.setdefault(coupon.group_key, []).append((coupon.index, value))
    options: list[tuple[tuple[int, ...], int]] = [((), 0)]
    for members in by_group.values():
        options = options + [(chosen + (c,), total + v) for chosen, total in options for c, v in members]
    return subtotal, options


def best_coupons(cart: Cart, partition: Sequence[Sequence[int]]) -> tuple[int, list[tuple[int, ...]]]:
    """Best total discount and coupons per order for a fixed split, by search over coupon uses."""
    per_order = [_order_options(cart, items) for items in partition]
    limits = tuple(coupon.max_uses for coupon in cart.coupons)

    @lru_cache(maxsize=None)
    def best(o: int, used: tuple[int, ...]) -> tuple[int, tuple[tuple[int, ...], ...]]:
        if o == len(per_order):
            return 0, ()
        subtotal, options = per_order[o]
        top = (-1, ())
        for chosen, raw in options:
            if any(used[c] >= limits[c] for c in chosen):
                continue
            after = list(used)
            for c in chosen:
                after[c] += 1
            rest, plan = best(o + 1, tuple(after))
            total = min(subtotal, raw) + rest
            if total > top[0]:
                top = (total, (chosen, *plan))
        return top

    total, plan = best(0, tuple(0 for _ in cart.coupons))
    return total, list(plan)


def set_partitions(n: int, max_blocks: int) -> Iterator[list[list[int]]]:
    """Every split of ``range(n)`` into at most ``max_blocks`` non-empty blocks, each once."""
    labels = [0] * n

    def walk(i: int, blocks: int) -> Iterator[list[list[int]]]:
        if i == n:
            parts: list[list[int]] = [[] for _ in range(blocks)]
            for item, label in enumerate(labels):
                parts[label].append(item)
            yield parts
            return
        for label in range(min(blocks + 1, max_blocks)):
            labels[i] = label
            yield from walk(i + 1, max(blocks, label + 1))

    if n == 0:
        yield []
        return
    yield from walk(0, 0)


def exhaustive(cart: Cart) -> PricedPlan:
    """The optimal plan by brute force: least total, then fewest orders. Small carts only."""
    best_key: tuple[int, int] | None = None
    best_plan: list[tuple[list[int], tuple[int, ...]]] = []
    for partition in set_partitions(len(cart.items), cart.max_orders):
        discount, coupons = best_coupons(cart, partition)
        key = (cart.total - discount, len(partition))
        if best_key is None or key < best_key:
            best_key = key
            best_plan = list(zip(partition, coupons, strict=True))
    return price_plan(cart, best_plan)
