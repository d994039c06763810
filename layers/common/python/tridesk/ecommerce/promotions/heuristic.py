"""A fast primal heuristic: a good plan in a few milliseconds, which the MIP must then beat.

Orders start as one; coupons that compete for a stack group (or may be used more than once)
get their own order peeled off with just enough of their scope to reach the threshold; then
single-line moves improve the split while they pay. Coupons per split are chosen greedily
(most valuable first, one per stack group, within max_uses). The plan is valid, not proven.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from tridesk.ecommerce.promotions.models import Cart, Coupon
from tridesk.ecommerce.promotions.pricing import coupon_value

Plan = list[tuple[list[int], list[int]]]


class _State:
    """Orders as item lists plus each coupon's eligible amount per order, updated incrementally."""

    def __init__(self, cart: Cart, coupons: Sequence[Coupon], items: Sequence[int], orders: int) -> None:
        self.cart = cart
        self.coupons = list(coupons)
        self.sig = {i: [k for k, c in enumerate(coupons) if c.scope.matches(cart.items[i])] for i in items}
        self.where = {i: 0 for i in items}
        self.m = orders
        self.elig = [[0] * len(coupons) for _ in range(orders)]
        self.sub = [0] * orders
        for i in items:
            self._add(i, 0)

    def _add(self, i: int, o: int, sign: int = 1) -> None:
        value = sign * self.cart.items[i].value
        self.sub[o] += value
        row = self.elig[o]
        for k in self.sig[i]:
            row[k] += value

    def move(self, i: int, o: int) -> int:
        old = self.where[i]
        self._add(i, old, -1)
        self._add(i, o)
        self.where[i] = o
        return old

    def assign(self) -> tuple[int, list[list[int]]]:
        """Greedy coupons for the current split; the discount it achieves (clamped per order)."""
        cart = self.cart
        offers = []
        for o in range(self.m):
            if self.sub[o] <= 0:
                continue
            row = self.elig[o]
            for k, c in enumerate(self.coupons):
                if row[k] > 0:
                    v = coupon_value(c, row[k], cart.is_new)
                    if v > 0:
                        offers.append((v, k, o))
        offers.sort(reverse=True)
        uses = [0] * len(self.coupons)
        taken: set[tuple[str, int]] = set()
        chosen: list[list[int]] = [[] for _ in range(self.m)]
        raw = [0] * self.m
        for v, k, o in offers:
            c = self.coupons[k]
            if uses[k] >= c.max_uses or (c.group_key, o) in taken or raw[o] >= self.sub[o]:
                continue
            uses[k] += 1
            taken.add((c.group_key, o))
            chosen[o].append(k)
            raw[o] += v
        return sum(min(r, s) for r, s in zip(raw, self.sub, strict=True)), chosen

    def score(self) -> tuple[int, int]:
        discount, _ = self.assign()
        return discount, -sum(1 for s in self.sub if s > 0)

    def plan(self) -> Plan:
        _, chosen = self.assign()
        orders: list[list[int]] = [[] for _ in range(self.m)]
        for i, o in self.where.items():
            orders[o].append(i)
        return [(orders[o], [self.coupons[k].index for k in chosen[o]]) for o in range(self.m) if orders[o]]


def _peel(state: _State, k: int, target: int) -> list[int]:
    """Lines of coupon k's scope, still in order 0, whose sum just reaches ``target`` (smallest first fit)."""
    pool = sorted((i for i, o in state.where.items() if o == 0 and k in state.sig[i]),
                  key=lambda i: state.cart.items[i].value)
    for i in pool:
        if state.cart.items[i].value >= target:
            return [i]
    picked: list[int] = []
    total = 0
    for i in reversed(pool):
        if total >= target:
            break
        picked.append(i)
        total += state.cart.items[i].value
    return picked if total >= target else []


def heuristic_plan(cart: Cart, coupons: Sequence[Coupon], items: Sequence[int], orders: int,
                   budget_s: float = 0.01, peel_budget_s: float = 0.5) -> Plan:
    """A good valid plan for at most ``orders`` orders: peeling stops after ``peel_budget_s``,
    the local search after ``budget_s`` more (so a huge cart cannot eat the solver's time)."""
    started = time.perf_counter()
    peel_deadline = started + peel_budget_s
    state = _State(cart, coupons, items, orders)
    best = state.score()
    groups: dict[str, int] = {}
    for c in coupons:
        groups[c.group_key] = groups.get(c.group_key, 0) + 1
    movers = [k for k, c in enumerate(coupons) if groups[c.group_key] > 1 or c.max_uses > 1]
    for o in range(1, orders):
        found = None
        for k in movers:
            if time.perf_counter() > peel_deadline:
                break
            c = coupons[k]
            need = c.threshold if c.kind == "threshold" else 1
            lines = _peel(state, k, max(need, 1))
            if not lines or len(lines) == sum(1 for v in state.where.values() if v == 0):
                continue
            for i in lines:
                state.move(i, o)
            score = state.score()
            if score > best:
                best, found = score, lines
            for i in lines:
                state.move(i, 0)
        if found is None:
            break
        for i in found:
            state.move(i, o)
    deadline = max(time.perf_counter(), started) + budget_s
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for i in list(state.where):
            old = state.where[i]
            for o in range(orders):
                if o == old:
                    continue
                state.move(i, o)
                score = state.score()
                if score > best:
                    best, old, improved = score, o, True
                else:
                    state.move(i, old)
            if time.perf_counter() > deadline:
                break
    return state.plan()
