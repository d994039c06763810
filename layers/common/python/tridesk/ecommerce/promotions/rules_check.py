"""The rule sandbox for operations: conflicts in a set of promotion rules and their coverage.

``check_rules`` serves ``POST /v1/promotions/rules/check``. Conflicts: duplicate ids, threshold
tiers where a higher tier gives less per yuan, coupons that can never save anything or whose
scope matches nothing known, and stacking loops (``stack_with`` declarations that chain two
coupons of one stack group together). Coverage: which rules fired on the sample carts.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import replace
from fractions import Fraction
from typing import Any

from tridesk.core.errors import ValidationError
from tridesk.core.i18n import BiText, parse_lang
from tridesk.ecommerce.promotions.models import (
    MAX_COUPONS,
    Cart,
    Coupon,
    Item,
    format_yuan,
    parse_coupon,
    parse_items,
)
from tridesk.ecommerce.promotions.solver import best_single_order, solve, usable_coupons

MAX_CARTS = 200

MESSAGES = {
    "duplicate_id": BiText("券ID {id} 重复出现{n}次", "coupon id {id} appears {n} times"),
    "tier_inversion": BiText(
        "阶梯券 {high}（满{ht}减{ha}）比 {low}（满{lt}减{la}）门槛更高却每元优惠更少",
        "tier {high} ({ha} off {ht}) asks more than {low} ({la} off {lt}) but gives less per yuan",
    ),
    "never_saves": BiText("券 {id} 的优惠额为零，永远不会省钱", "coupon {id} is worth nothing and can never save"),
    "unusable_scope": BiText(
        "券 {id} 的适用范围不包含任何已知商品", "coupon {id}'s scope matches no known item"
    ),
    "stacking_loop": BiText(
        "券 {a} 与 {b} 同属叠加组 {group}，却经由 {path} 声明可叠加",
        "coupons {a} and {b} share stacking group {group} but are declared stackable via {path}",
    ),
}


def _conflict(kind: str, coupons: list[str], lang: str, **values: object) -> dict[str, Any]:
    return {"type": kind, "coupons": coupons, "message": MESSAGES[kind].format(**values).get(lang)}


def _tiers(coupons: list[Coupon], lang: str) -> list[dict[str, Any]]:
    families: dict[tuple[Any, ...], list[Coupon]] = {}
    for c in coupons:
        if c.kind == "threshold" and not c.repeat and c.threshold > 0:
            key = (c.scope, c.stack_group, c.new_user_only)
            families.setdefault(key, []).append(c)
    found = []
    for members in families.values():
        members.sort(key=lambda c: (c.threshold, c.amount))
        for low, high in zip(members, members[1:]):
            if high.threshold == low.threshold:
                continue
            if Fraction(high.amount, high.threshold) < Fraction(low.amount, low.threshold):
                found.append(
                    _conflict(
                        "tier_inversion", [low.id, high.id], lang,
                        low=low.id, lt=format_yuan(low.threshold), la=format_yuan(low.amount),
                        high=high.id, ht=format_yuan(high.threshold), ha=format_yuan(high.amount),
                    )
                )
    return found


def _worthless(c: Coupon) -> bool:
    if c.kind == "percent":
        return c.rate == 0 or c.cap == 0
    return c.amount == 0


def _loops(coupons: list[Coupon], stack_with: dict[str, list[str]], lang: str) -> list[dict[str, Any]]:
    by_id = {c.id: c for c in coupons}
    graph: dict[str, set[str]] = {c.id: set() for c in coupons}
    for a, others in stack_with.items():
        for b in others:
            if a in graph and b in graph:
                graph[a].add(b)
                graph[b].add(a)
    found = []
    seen_pairs: set[tuple[str, str]] = set()
    for c in coupons:
        if c.stack_group is None:
            continue
        parent: dict[str, str | None] = {c.id: None}
        queue = deque([c.id])
        while queue:
            node = queue.popleft()
            for nxt in sorted(graph[node]):
                if nxt in parent:
                    continue
                parent[nxt] = node
                queue.append(nxt)
                other = by_id[nxt]
                pair = tuple(sorted((c.id, nxt)))
                if other.stack_group == c.stack_group and pair not in seen_pairs:
                    seen_pairs.add(pair)  # type: ignore[arg-type]
                    path = [nxt]
                    while parent[path[-1]] is not None:
                        path.append(parent[path[-1]] or "")
                    found.append(
                        _conflict("stacking_loop", list(pair), lang, a=pair[0], b=pair[1],
                                  group=c.stack_group, path=" - ".join(reversed(path)))
                    )
    return found


def _carts(raw: Any, coupons: tuple[Coupon, ...]) -> list[Cart]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ValidationError("must be a list", field="carts")
    if len(raw) > MAX_CARTS:
        raise ValidationError(f"at most {MAX_CARTS} carts", field="carts")
    carts = []
    for n, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise ValidationError("must be an object", field=f"carts[{n}]")
        items = parse_items(entry.get("items"), path=f"carts[{n}].items")
        user = entry.get("user")
        if user is not None and not isinstance(user, dict):
            raise ValidationError("must be an object", field=f"carts[{n}].user")
        is_new = (user or {}).get("is_new")
        if is_new is not None and not isinstance(is_new, bool):
            raise ValidationError("must be true or false", field=f"carts[{n}].user.is_new")
        is_new = bool(is_new)
        max_orders = entry.get("max_orders")
        max_orders = 1 if max_orders is None else max_orders
        if isinstance(max_orders, float) and max_orders.is_integer():
            max_orders = int(max_orders)
        if isinstance(max_orders, bool) or not isinstance(max_orders, int) or not 1 <= max_orders <= 10:
            raise ValidationError("must be an integer from 1 to 10", field=f"carts[{n}].max_orders")
        carts.append(Cart(items=items, coupons=coupons, is_new=is_new, max_orders=max_orders, time_limit_s=1.0))
    return carts


def check_rules(payload: Any, *, budget_s: float = 30.0) -> dict[str, Any]:
    """Conflicts among promotion rules, and which rules fire on the sample carts.

    The sample carts share ``budget_s`` seconds of solving (at most 1 s each); a cart solved
    without proof still counts what its best plan used.
    """
    if not isinstance(payload, dict):
        raise ValidationError("must be an object", field="body")
    lang = parse_lang(payload.get("lang"))
    raw = payload.get("coupons")
    if not isinstance(raw, list):
        raise ValidationError("must be a list", field="coupons")
    if len(raw) > MAX_COUPONS:
        raise ValidationError(f"at most {MAX_COUPONS} coupons", field="coupons")
    parsed = [parse_coupon(entry, j) for j, entry in enumerate(raw)]
    stack_with: dict[str, list[str]] = {}
    for j, entry in enumerate(raw):
        declared = entry.get("stack_with")
        if declared is not None:
            if not isinstance(declared, list) or not all(isinstance(v, str) for v in declared):
                raise ValidationError("must be a list of coupon ids", field=f"coupons[{j}].stack_with")
            stack_with.setdefault(parsed[j].id, []).extend(declared)

    conflicts: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for c in parsed:
        counts[c.id] = counts.get(c.id, 0) + 1
    for cid, n in counts.items():
        if n > 1:
            conflicts.append(_conflict("duplicate_id", [cid], lang, id=cid, n=n))
    unique: list[Coupon] = []
    seen: set[str] = set()
    for c in parsed:
        if c.id not in seen:
            seen.add(c.id)
            unique.append(c)
    unique = [
        Coupon(**{**{f: getattr(c, f) for f in c.__dataclass_fields__}, "index": k}) for k, c in enumerate(unique)
    ]
    conflicts.extend(_tiers(unique, lang))
    for c in unique:
        if _worthless(c):
            conflicts.append(_conflict("never_saves", [c.id], lang, id=c.id))
    conflicts.extend(_loops(unique, stack_with, lang))

    coupons = tuple(unique)
    carts = _carts(payload.get("carts"), coupons)
    catalog = payload.get("catalog")
    known: list[Item] = list(parse_items(catalog, path="catalog")) if catalog is not None else []
    for cart in carts:
        known.extend(cart.items)
    if known:
        for c in coupons:
            if not _worthless(c) and not any(c.scope.matches(item) for item in known):
                conflicts.append(_conflict("unusable_scope", [c.id], lang, id=c.id))

    fired = {c.id: 0 for c in coupons}
    deadline = time.perf_counter() + budget_s
    for n, cart in enumerate(carts):
        share = (deadline - time.perf_counter()) / (len(carts) - n)
        if share < 0.05:
            # out of time: what a single checkout would use (cheap, and still a valid plan)
            everything = list(range(len(cart.items)))
            plans = [(everything, best_single_order(cart, everything, usable_coupons(cart)))]
        else:
            plans = solve(replace(cart, time_limit_s=min(cart.time_limit_s, share))).orders
        for _, chosen in plans:
            for k in chosen:
                fired[coupons[k].id] += 1
    return {
        "ok": not conflicts,
        "conflicts": conflicts,
        "coverage": {
            "carts": len(carts),
            "fired": fired,
            "never_fired": [cid for cid, n in fired.items() if n == 0] if carts else [],
        },
    }
