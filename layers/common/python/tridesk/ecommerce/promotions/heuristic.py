"""A fast primal heuristic: a good plan in a few milliseconds, which the MIP must then beat.

Orders start as one; coupons that compete for a stack group (or may be used more than once)
get their own order peeled off with just enough of their scope to reach the threshold; then a
local search (single-line moves, two-line swaps, and seeded kicks that move a few lines or one
store's or category's lines to another order) improves the split within a time budget. Each
split is scored with its best coupons: stack groups are independent but for the clamp to the
subtotal, so each group's coupons are matched to the orders exactly (few orders) or greedily.
The plan is valid, not proven; the solver stops the search once the bound certifies it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence

from tridesk.ecommerce.promotions.models import Cart, Coupon
from tridesk.ecommerce.promotions.pricing import coupon_value

Plan = list[tuple[list[int], list[int]]]
Offer = tuple[int, int]  # (value in cents, coupon position)

MEMO_SIZE = 50_000  # per-group answers remembered per cart
MAX_KICKS = 200  # perturbations in a row without improvement before the local search gives up
EXACT_ORDERS = 4  # up to this many orders, one stack group's coupons are matched to orders exactly


def _best_matching(offers: Sequence[Sequence[Offer]], limits: Sequence[int]) -> list[Offer | None]:
    """The most valuable choice of at most one offer per order, each coupon within its uses
    (a depth-first search over the orders; ``offers[o]`` is order ``o``'s list, best first)."""
    m = len(offers)
    used: dict[int, int] = {}
    current: list[Offer | None] = [None] * m
    best: list[Offer | None] = [None] * m
    best_value = [-1]
    # what the orders from o on could add at most: their best offers
    rest = [0] * (m + 1)
    for o in range(m - 1, -1, -1):
        rest[o] = rest[o + 1] + (offers[o][0][0] if offers[o] else 0)

    def walk(o: int, value: int) -> None:
        if value + rest[o] <= best_value[0]:
            return
        if o == m:
            best_value[0] = value
            best[:] = current
            return
        for offer in offers[o]:
            k = offer[1]
            if used.get(k, 0) < limits[k]:
                used[k] = used.get(k, 0) + 1
                current[o] = offer
                walk(o + 1, value + offer[0])
                used[k] -= 1
        current[o] = None
        walk(o + 1, value)

    walk(0, 0)
    return best


def _greedy_matching(offers: Sequence[Sequence[Offer]], limits: Sequence[int]) -> list[Offer | None]:
    """Most valuable offers first, one per order, each coupon within its uses."""
    ranked = sorted(((v, k, o) for o, mine in enumerate(offers) for v, k in mine), reverse=True)
    used: dict[int, int] = {}
    picks: list[Offer | None] = [None] * len(offers)
    for v, k, o in ranked:
        if picks[o] is None and used.get(k, 0) < limits[k]:
            used[k] = used.get(k, 0) + 1
            picks[o] = (v, k)
    return picks


class _State:
    """Orders as item lists plus each coupon's eligible amount per order, updated incrementally."""

    def __init__(self, cart: Cart, coupons: Sequence[Coupon], items: Sequence[int], orders: int) -> None:
        self.cart = cart
        self.coupons = list(coupons)
        self.sig = {i: [k for k, c in enumerate(coupons) if c.scope.matches(cart.items[i])] for i in items}
        by_group: dict[str, list[int]] = {}
        for k, c in enumerate(coupons):
            by_group.setdefault(c.group_key, []).append(k)
        self.groups = list(by_group.values())
        self.limits = [c.max_uses for c in coupons]
        self.group_of = [0] * len(coupons)
        for g, members in enumerate(self.groups):
            for k in members:
                self.group_of[k] = g
        self._picks: list[list[Offer | None] | None] = [None] * len(self.groups)
        self._memo: dict[tuple[int, tuple[int, ...]], list[Offer | None]] = {}
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
            self._picks[self.group_of[k]] = None
        if self.sub[o] == 0 or self.sub[o] == value:  # the order opened or emptied
            self._picks = [None] * len(self.groups)

    def move(self, i: int, o: int) -> int:
        old = self.where[i]
        self._add(i, old, -1)
        self._add(i, o)
        self.where[i] = o
        return old

    def assign(self) -> tuple[int, list[list[int]]]:
        """Coupons for the current split and the discount they achieve (clamped per order).

        Stack groups are independent but for the clamp to the subtotal, so each group is solved
        alone: with few orders exactly (every order tries its ``m`` best coupons of the group,
        which is enough since the other orders block at most ``m - 1``), else greedily."""
        chosen: list[list[int]] = [[] for _ in range(self.m)]
        raw = [0] * self.m
        for g in range(len(self.groups)):
            picks = self._picks[g]
            if picks is None:
                picks = self._picks[g] = self._solve_group(g)
            for o, entry in enumerate(picks):
                if entry is not None:
                    chosen[o].append(entry[1])
                    raw[o] += entry[0]
        return sum(min(r, s) for r, s in zip(raw, self.sub, strict=True)), chosen

    def _solve_group(self, g: int) -> list[Offer | None]:
        members = self.groups[g]
        key = (g, tuple(self.elig[o][k] if self.sub[o] > 0 else 0 for o in range(self.m) for k in members))
        found = self._memo.get(key)
        if found is not None:
            return found
        exact = self.m <= EXACT_ORDERS
        offers: list[list[Offer]] = []
        for o in range(self.m):
            row = self.elig[o]
            mine = []
            if self.sub[o] > 0:
                for k in members:
                    if row[k] > 0:
                        v = coupon_value(self.coupons[k], row[k], self.cart.is_new)
                        if v > 0:
                            mine.append((v, k))
            mine.sort(reverse=True)
            offers.append(mine[: self.m] if exact else mine)
        found = _best_matching(offers, self.limits) if exact else _greedy_matching(offers, self.limits)
        if len(self._memo) > MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = found
        return found

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
                   budget_s: float = 0.01, peel_budget_s: float = 0.5,
                   enough: Callable[[int, int], bool] | None = None) -> Plan:
    """A good valid plan for at most ``orders`` orders: peeling stops after ``peel_budget_s``,
    the local search after ``budget_s`` more (so a huge cart cannot eat the solver's time), or
    as soon as ``enough(discount, orders)`` says the plan cannot be beaten (the bound's test)."""
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
    best = _descend(state, best, deadline)
    if enough is not None and enough(best[0], -best[1]):
        return state.plan()
    # iterated local search: shake the best split (a few lines, or one store's or category's
    # lines, to another order), descend again, keep the result when it is better
    rng = random.Random(len(items) * 7919 + orders)
    keep = dict(state.where)
    lines = list(state.where)
    clusters = _clusters(cart, lines)
    stale = 0
    while orders > 1 and stale < MAX_KICKS and time.perf_counter() < deadline:
        stale += 1
        if rng.random() < 0.5:
            for i in rng.sample(lines, min(len(lines), rng.randint(2, 4))):
                state.move(i, rng.randrange(orders))
        else:
            o = rng.randrange(orders)
            for i in rng.choice(clusters):
                state.move(i, o)
        found = _descend(state, state.score(), deadline)
        if found > best:
            best, keep, stale = found, dict(state.where), 0
            if enough is not None and enough(best[0], -best[1]):
                break
        else:
            for i, o in keep.items():
                if state.where[i] != o:
                    state.move(i, o)
    return state.plan()


def _descend(state: _State, best: tuple[int, int], deadline: float) -> tuple[int, int]:
    """First-improvement descent over single-line moves and two-line swaps between orders."""
    lines = list(state.where)
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for i in lines:
            old = state.where[i]
            for o in range(state.m):
                if o == old:
                    continue
                state.move(i, o)
                score = state.score()
                if score > best:
                    best, old, improved = score, o, True
                else:
                    state.move(i, old)
            if time.perf_counter() > deadline:
                return best
        if improved:
            continue
        found = _threshold_moves(state, best, deadline)
        if found > best:
            best, improved = found, True
            continue
        for a, i in enumerate(lines):
            for j in lines[a + 1:]:
                oi, oj = state.where[i], state.where[j]
                if oi == oj:
                    continue
                state.move(i, oj)
                state.move(j, oi)
                score = state.score()
                if score > best:
                    best, improved = score, True
                    break
                state.move(i, oi)
                state.move(j, oj)
            if improved or time.perf_counter() > deadline:
                break
    return best


def _threshold_moves(state: _State, best: tuple[int, int], deadline: float, tries: int = 3) -> tuple[int, int]:
    """Moves that carry an order over its next threshold of a repeat coupon: the smallest single lines,
    or pairs of lines from one other order, in the coupon's scope that fill the gap to it (what single
    moves and swaps cannot do when every line alone is too small or too big)."""
    for k, c in enumerate(state.coupons):
        if not (c.kind == "threshold" and c.repeat and c.threshold > 0):
            continue
        for b in range(state.m):
            gap = c.threshold - state.elig[b][k] % c.threshold
            by_order: dict[int, list[tuple[int, int]]] = {}
            for i, o in state.where.items():
                if o != b and k in state.sig[i]:
                    by_order.setdefault(o, []).append((state.cart.items[i].value, i))
            candidates: list[tuple[int, tuple[int, ...]]] = []
            for pool in by_order.values():
                pool.sort()
                candidates += [(v, (i,)) for v, i in pool if v >= gap][:tries]
                for x in range(len(pool)):
                    for y in range(x + 1, len(pool)):
                        total = pool[x][0] + pool[y][0]
                        if total >= gap:
                            candidates.append((total, (pool[x][1], pool[y][1])))
                            break
            for _, moved in sorted(candidates)[:tries]:
                origin = [(i, state.where[i]) for i in moved]
                for i in moved:
                    state.move(i, b)
                score = state.score()
                if score > best:
                    return score
                for i, o in origin:
                    state.move(i, o)
            if time.perf_counter() > deadline:
                return best
    return best


def _clusters(cart: Cart, lines: Sequence[int]) -> list[list[int]]:
    """Lines that coupons tend to want together: those of one store, and those of one category."""
    by: dict[tuple[str, str | None], list[int]] = {}
    for i in lines:
        item = cart.items[i]
        by.setdefault(("store", item.store), []).append(i)
        by.setdefault(("category", item.category), []).append(i)
    return list(by.values()) or [list(lines)]
