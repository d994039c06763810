"""A combinatorial upper bound on what any plan can save: proves a plan optimal without a solver.

Every coupon of one stack group is used in distinct orders, and distinct orders hold disjoint
lines, so a group's coupon uses draw on disjoint parts of their scopes. ``upper_bound(m)`` bounds
the discount of every plan with at most ``m`` orders by the sum, over stack groups, of the best
the group could give alone (``group_bound``), and by the cart's total:

- a use pattern is how many orders each coupon of the group is used in (at most ``m`` in all,
  each within ``max_uses``);
- it is feasible only if, for every subset of its coupons, the smallest whole-line amounts their
  uses need fit into the union of their scopes (a use of a threshold coupon needs the smallest
  sum of in-scope lines reaching the threshold, a subset-sum over the lines; any other coupon
  needs one line), and several uses must be coverable by disjoint sets of whole lines
  (``covers``, a small bin-covering search);
- threshold and direct coupons give their amount per use; a repeat or percent coupon gives at
  most its value on the part of its scope the others' needs leave, and the group's variable
  coupons together at most the greedy (by rate) share of the supply they compete for.

The bound ignores how groups share lines between orders, so it can be loose; when it equals the
value of a known plan, that plan is optimal (``certify``). Valid for any cart; measured in
docs/promotions.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations
from math import gcd

from tridesk.ecommerce.promotions.models import Cart, Coupon


def min_reach(values: Sequence[int], target: int) -> int | None:
    """The smallest sum of a subset of ``values`` that is at least ``target`` (None if none is)."""
    positive = [v for v in values if v > 0]
    if not positive:
        return None
    if target <= 0:
        return min(positive)
    if sum(positive) < target:
        return None
    limit = target + max(positive)
    if limit > MAX_BITS:
        return target  # a lower bound of the true need is still safe where it is used
    mask = (1 << (limit + 1)) - 1
    bits = 1
    for v in positive:
        bits = (bits | (bits << v)) & mask
    bits >>= target
    return target + (bits & -bits).bit_length() - 1


COVER_NODES = 4_000  # steps of one bin-covering search before it answers "maybe"
COVER_BUDGET = 60_000  # steps of all bin-covering searches of one cart
MAX_BITS = 4_000_000  # subset sums are computed exactly up to 40,000 yuan of threshold
MAX_PATTERNS = 4_000  # use patterns enumerated per stack group; beyond, a coarser bound
MAX_KNAPSACK = 5_000  # capacity of the repeat-threshold knapsack, in units of the thresholds' gcd
MAX_SUBSETS = 10  # uses whose every subset is checked against its scopes


class _Undecided(Exception):
    """The bin-covering search ran out of steps."""


class _Use:
    """One usable coupon with its scope (a bitmask over lines), scope amount and per-use need
    (``floor``: the eligible amount it needs to apply; ``need``: the least whole-line sum reaching it)."""

    __slots__ = ("coupon", "scope", "amount", "need", "floor", "variable", "rate")

    def __init__(self, coupon: Coupon, scope: int, amount: int, need: int) -> None:
        self.coupon = coupon
        self.floor = max(1, coupon.threshold if coupon.kind == "threshold" else 1)
        self.scope = scope
        self.amount = amount
        self.need = need
        self.variable = coupon.kind == "percent" or (coupon.kind == "threshold" and coupon.repeat)
        if coupon.kind == "percent":
            self.rate = coupon.rate
        elif self.variable:
            self.rate = Fraction(coupon.amount, coupon.threshold)
        else:
            self.rate = Fraction(0)

    def most(self, supply: int, uses: int) -> int:
        """The most this coupon can give over ``uses`` orders whose in-scope lines sum to ``supply``."""
        c = self.coupon
        if c.kind == "percent":
            off = supply * c.rate.numerator // c.rate.denominator
            return off if c.cap is None else min(off, uses * c.cap)
        return c.amount * (supply // c.threshold)


class Bounder:
    """Upper bounds on the discount of plans with at most m orders, for one cart and its usable coupons."""

    def __init__(self, cart: Cart, coupons: Sequence[Coupon], lines: Sequence[int]) -> None:
        self.values = [cart.items[i].value for i in lines]
        self.total = sum(self.values)
        self.groups: dict[str, list[_Use]] = {}
        for c in coupons:
            scope = 0
            in_scope = []
            for bit, i in enumerate(lines):
                if c.scope.matches(cart.items[i]):
                    scope |= 1 << bit
                    in_scope.append(self.values[bit])
            threshold = c.threshold if c.kind == "threshold" else 0
            need = min_reach(in_scope, threshold)
            if need is None:  # cannot apply anywhere (usable coupons always can; kept for safety)
                continue
            self.groups.setdefault(c.group_key, []).append(_Use(c, scope, sum(in_scope), need))
        self._amounts: dict[int, int] = {}
        self._cache: dict[int, int] = {}
        self._patterns: dict[tuple[int, tuple[int, ...]], int] = {}
        self._covers: dict[tuple[tuple[int, int], ...], bool] = {}
        self._cover_steps = COVER_BUDGET

    def _amount(self, mask: int) -> int:
        found = self._amounts.get(mask)
        if found is None:
            found = sum(v for bit, v in enumerate(self.values) if mask >> bit & 1)
            self._amounts[mask] = found
        return found

    def group_bound(self, members: Sequence[_Use], m: int) -> int:
        """The most one stack group can give over at most ``m`` orders (one of its coupons per order)."""
        vectors = _count_vectors([min(u.coupon.max_uses, m) for u in members], m, MAX_PATTERNS)
        if vectors is None:
            return self._coarse_bound(members, m)
        best = 0
        for counts in vectors:
            best = max(best, self.pattern_value(members, counts))
        return best

    def _coarse_bound(self, members: Sequence[_Use], m: int) -> int:
        """For groups too large to enumerate: each order holds at most one coupon of the group, and
        one use of a coupon gives at most its amount (or its value on its whole scope)."""
        per_use = []
        for u in members:
            value = u.most(u.amount, 1) if u.variable else u.coupon.amount
            per_use.extend([value] * min(u.coupon.max_uses, m))
        per_use.sort(reverse=True)
        return sum(per_use[:m])

    def pattern_value(self, members: Sequence[_Use], counts: tuple[int, ...]) -> int:
        """The most a group gives when its j-th coupon is used in ``counts[j]`` orders; -1 when no
        split of the lines can feed those uses (whole lines, divisible between coupons)."""
        key = (id(members), counts)
        found = self._patterns.get(key)
        if found is not None:
            return found
        used = [(u, n) for u, n in zip(members, counts, strict=True) if n]
        if not used:
            value = 0
        elif not self._feasible(used):
            value = -1
        else:
            value = sum(n * u.coupon.amount for u, n in used if not u.variable)
            variable = [(u, n) for u, n in used if u.variable]
            if variable:
                value += self._variable_bound(used, variable)
        self._patterns[key] = value
        return value

    def _feasible(self, used: Sequence[tuple[_Use, int]]) -> bool:
        sizes = range(1, len(used) + 1) if len(used) <= MAX_SUBSETS else (1, len(used))
        for size in sizes:
            for subset in combinations(used, size):
                union = 0
                need = 0
                for u, n in subset:
                    union |= u.scope
                    need += n * u.need
                if need > self._amount(union):
                    return False
        if sum(n for _, n in used) > 1:
            return self.covers(tuple((u.scope, u.floor) for u, n in used for _ in range(n)))
        return True

    def covers(self, demands: Sequence[tuple[int, int]]) -> bool:
        """Whether disjoint sets of whole lines can give each demand (scope mask, amount) at least its
        amount: a small bin-covering search over the lines of their scopes, largest first. Answers
        True (feasible, the weak side) when it has not decided within ``COVER_NODES`` steps, or
        once the cart's ``COVER_BUDGET`` is spent."""
        key = tuple(sorted(demands))
        found = self._covers.get(key)
        if found is not None:
            return found
        union = 0
        for scope, _ in key:
            union |= scope
        bits = sorted((bit for bit in range(len(self.values)) if union >> bit & 1), key=lambda b: -self.values[b])
        k = len(key)
        deficit = [amount for _, amount in key]
        # what each demand and all of them together can still get from the lines not yet placed
        supply = [[0] * (len(bits) + 1) for _ in range(k)]
        total = [0] * (len(bits) + 1)
        for t in range(len(bits) - 1, -1, -1):
            v = self.values[bits[t]]
            total[t] = total[t + 1] + v
            for d in range(k):
                supply[d][t] = supply[d][t + 1] + (v if key[d][0] >> bits[t] & 1 else 0)
        steps = [0]
        if self._cover_steps <= 0:
            return True

        def walk(t: int) -> bool:
            steps[0] += 1
            self._cover_steps -= 1
            if steps[0] > COVER_NODES or self._cover_steps <= 0:
                raise _Undecided
            open_ = [d for d in range(k) if deficit[d] > 0]
            if not open_:
                return True
            if sum(deficit[d] for d in open_) > total[t] or any(deficit[d] > supply[d][t] for d in open_):
                return False
            bit = bits[t]
            v = self.values[bit]
            tried: set[tuple[int, int]] = set()
            for d in sorted(open_, key=lambda d: -deficit[d]):
                if not key[d][0] >> bit & 1 or (key[d][0], deficit[d]) in tried:
                    continue
                tried.add((key[d][0], deficit[d]))  # identical open demands: try one of them
                deficit[d] -= v
                ok = walk(t + 1)
                deficit[d] += v
                if ok:
                    return True
            return walk(t + 1)

        try:
            found = walk(0)
        except _Undecided:
            found = True
        self._covers[key] = found
        return found

    def _variable_bound(self, used: Sequence[tuple[_Use, int]], variable: Sequence[tuple[_Use, int]]) -> int:
        """The most the group's repeat and percent coupons give together.

        Each gives at most ``alone`` (its value on its scope less what the other uses of the group
        need inside it) and at most ``rate * s`` on the supply ``s`` its uses receive; supplies are
        disjoint, so every subset of them fits in the union of its scopes. That is a linear programme
        over a polymatroid (the union amount is submodular) with box limits, which the greedy by
        decreasing rate solves exactly."""
        alone = []
        for u, n in variable:
            others = sum(k * w.need for w, k in used if w is not u and w.scope & ~u.scope == 0)
            alone.append(u.most(max(0, self._amount(u.scope) - others), n))
        if len(variable) == 1:
            return alone[0]
        ranked = sorted(range(len(variable)), key=lambda j: variable[j][0].rate, reverse=True)
        supply: dict[int, Fraction] = {}
        value = Fraction(0)
        for j in ranked:
            u = variable[j][0]
            if u.rate <= 0 or alone[j] <= 0:
                continue
            room = Fraction(alone[j]) / u.rate
            done = list(supply)
            for size in range(len(done) + 1):
                for subset in combinations(done, size):
                    union = u.scope
                    taken = Fraction(0)
                    for i in subset:
                        union |= variable[i][0].scope
                        taken += supply[i]
                    room = min(room, self._amount(union) - taken)
            room = max(room, Fraction(0))
            supply[j] = room
            value += room * u.rate
        best = min(sum(alone), int(value))
        whole = self._repeat_knapsack(used, variable, alone)
        return best if whole is None else min(best, whole)

    def _repeat_knapsack(self, used: Sequence[tuple[_Use, int]], variable: Sequence[tuple[_Use, int]],
                         alone: Sequence[int]) -> int | None:
        """A tighter bound when the variable coupons are all repeat thresholds of one scope (a
        platform's "every 300 minus 30" coupons): their uses sit in distinct orders, so their
        supplies are disjoint parts of the scope less what the group's fixed uses inside it need,
        and each gives ``amount * floor(supply / threshold)`` at most. The most that fits is a
        bounded integer knapsack (counts of full thresholds), where the rate bound above would
        also pay for a fraction of a threshold. None when it does not apply."""
        scope = variable[0][0].scope
        if any(u.coupon.kind != "threshold" or u.scope != scope for u, _ in variable):
            return None
        fixed = sum(n * u.need for u, n in used if not u.variable and u.scope & ~scope == 0)
        capacity = self._amount(scope) - fixed
        if capacity <= 0:
            return 0
        unit = 0
        for u, _ in variable:
            unit = gcd(unit, u.coupon.threshold)
        size = capacity // unit
        if size > MAX_KNAPSACK:
            return None
        table = [0] * (size + 1)  # table[w]: the most with thresholds of total weight <= w*unit
        for (u, _), most in zip(variable, alone, strict=True):
            weight = u.coupon.threshold // unit
            count = min(most // u.coupon.amount, size // weight) if u.coupon.amount > 0 else 0
            chunk = 1
            while count > 0:  # binary splitting of the bounded count into 0/1 items
                take = min(chunk, count)
                count -= take
                shift, gain = take * weight, take * u.coupon.amount
                for w in range(size, shift - 1, -1):
                    if table[w - shift] + gain > table[w]:
                        table[w] = table[w - shift] + gain
                chunk *= 2
        return table[size]

    def upper_bound(self, m: int) -> int:
        """No plan with at most ``m`` orders saves more than this (in cents)."""
        if m <= 0:
            return 0
        found = self._cache.get(m)
        if found is None:
            found = min(self.total, sum(self.group_bound(members, m) for members in self.groups.values()))
            self._cache[m] = found
        return found


def _count_vectors(limits: Sequence[int], total: int, most: int) -> list[tuple[int, ...]] | None:
    """Every vector ``0 <= v[j] <= limits[j]`` with ``sum(v) <= total``; None when more than ``most``."""
    vectors: list[tuple[int, ...]] = [()]
    for limit in limits:
        vectors = [v + (n,) for v in vectors for n in range(min(limit, total - sum(v)) + 1)]
        if len(vectors) > most:
            return None
    return vectors


def certify(bounder: Bounder, discount: int, orders: int, max_orders: int) -> bool:
    """True when a plan saving ``discount`` with ``orders`` orders is provably best: nothing with at
    most ``max_orders`` orders saves more, and nothing with fewer orders saves as much."""
    if discount < bounder.upper_bound(max_orders):
        return False
    return orders <= 1 or bounder.upper_bound(orders - 1) < discount
