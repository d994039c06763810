"""The exact optimiser as a CP-SAT model (OR-Tools): the same semantics as the MIP of ``solver.py``.

Everything is integer cents, so the model is pure integer: lines grouped by (coupon signature,
line value) into integer counts per order, a boolean per coupon use, eligible amounts as linear
expressions, thresholds as enforced inequalities (no big-M), repeat counts and percent floors as
integers bounded by their eligible amount, the lexicographic objective as one integer objective.
``optimal`` is true only when CP-SAT reports OPTIMAL. docs/promotions.md has the measurements.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from tridesk.ecommerce.promotions.models import Cart, Coupon
from tridesk.ecommerce.promotions.pricing import coupon_value, eligible_amount

Plan = list[tuple[list[int], list[int]]]


def available() -> bool:
    """Whether OR-Tools is importable (it is optional: HiGHS is the fallback)."""
    try:
        from ortools.sat.python import cp_model  # noqa: F401
    except ImportError:
        return False
    return True


def _canonical(plan: Plan, ranked: Sequence[int]) -> Plan:
    """The plan's orders in the model's symmetry-breaking order: by their best-ranked single-use coupon."""
    rank = {index: r for r, index in enumerate(ranked)}
    far = len(ranked)
    return sorted(plan, key=lambda entry: min((rank.get(c, far) for c in entry[1]), default=far))


def solve_cpsat(cart: Cart, coupons: Sequence[Coupon], items: Sequence[int], orders: int, *,
                time_limit: float, hint: Plan | None = None, upper_bound: int | None = None,
                workers: int = 1) -> tuple[Plan, bool, dict[str, float]]:
    """The least-paying, fewest-orders plan of ``items`` over at most ``orders`` orders.

    ``coupons`` are the usable coupons (each worth something on the whole cart), ``hint`` a valid
    plan (item indexes, coupon indexes) to start from and ``upper_bound`` a proven bound on the
    discount of any plan (bound.py). Returns the plan (empty when none was found in time), whether
    CP-SAT proved it optimal, and statistics.
    """
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    m = orders
    model = cp_model.CpModel()
    signature: dict[tuple[tuple[int, ...], int], list[int]] = {}
    for i in items:
        item = cart.items[i]
        sig = tuple(k for k, c in enumerate(coupons) if c.scope.matches(item))
        signature.setdefault((sig, item.value), []).append(i)
    keys = sorted(signature, key=lambda key: (-key[1], key[0]))
    groups = [signature[key] for key in keys]
    values = [key[1] for key in keys]
    in_scope: list[list[int]] = [[] for _ in coupons]
    for g, (sig, _) in enumerate(keys):
        for k in sig:
            in_scope[k].append(g)
    total = sum(values[g] * len(groups[g]) for g in range(len(groups)))
    lines = len(items)

    w = [[model.new_int_var(0, len(groups[g]), "") for _ in range(m)] for g in range(len(groups))]
    z = [model.new_bool_var("") for _ in range(m)]
    for g in range(len(groups)):
        model.add(sum(w[g]) == len(groups[g]))
    subtotal = [sum(values[g] * w[g][o] for g in range(len(groups))) for o in range(m)]
    for o in range(m):
        model.add(sum(w[g][o] for g in range(len(groups))) <= lines * z[o])
        model.add(sum(w[g][o] for g in range(len(groups))) >= 1).only_enforce_if(z[o])
        if o:
            model.add_implication(z[o], z[o - 1])

    y: dict[tuple[int, int], cp_model.IntVar] = {}
    aux: dict[tuple[int, int], cp_model.IntVar] = {}
    gains: list[list] = [[] for _ in range(m)]
    for k, c in enumerate(coupons):
        scope_total = sum(values[g] * len(groups[g]) for g in in_scope[k])
        smallest = min(values[g] for g in in_scope[k])
        spread = []
        for o in range(m):
            yv = model.new_bool_var("")
            y[k, o] = yv
            model.add_implication(yv, z[o])
            elig = sum(values[g] * w[g][o] for g in in_scope[k])
            if c.kind == "threshold" and c.repeat:
                most = scope_total // c.threshold
                t = model.new_int_var(0, most, "")
                aux[k, o] = t
                model.add(c.threshold * t <= elig)
                model.add(t <= most * yv)
                model.add(t >= 1).only_enforce_if(yv)
                gains[o].append(c.amount * t)
                spread.append(t)
            elif c.kind == "percent":
                p, q = c.rate.numerator, c.rate.denominator
                most = scope_total * p // q if c.cap is None else min(c.cap, scope_total * p // q)
                d = model.new_int_var(0, most, "")
                aux[k, o] = d
                model.add(q * d <= p * elig)
                model.add(d <= most * yv)
                model.add(d >= 1).only_enforce_if(yv)
                gains[o].append(d)
                spread.append(d)
            else:
                need = max(c.threshold, smallest) if c.kind == "threshold" else smallest
                model.add(elig >= need).only_enforce_if(yv)
                gains[o].append(c.amount * yv)
        if spread and c.kind == "threshold":
            model.add(sum(spread) <= scope_total // c.threshold)
        elif spread:
            most = scope_total * c.rate.numerator // c.rate.denominator
            if c.cap is not None:
                most = min(most, c.cap * min(c.max_uses, m))
            model.add(sum(spread) <= most)
        if c.max_uses < m:
            model.add(sum(y[k, o] for o in range(m)) <= c.max_uses)
    by_group: dict[str, list[int]] = {}
    for k, c in enumerate(coupons):
        by_group.setdefault(c.group_key, []).append(k)
    for members in by_group.values():
        if len(members) > 1:
            for o in range(m):
                model.add_at_most_one(y[k, o] for k in members)

    discount = [model.new_int_var(0, total, "") for _ in range(m)]
    for o in range(m):
        model.add(discount[o] <= sum(gains[o]))
        model.add(discount[o] <= subtotal[o])
    saved = sum(discount)
    if upper_bound is not None:
        model.add(saved <= upper_bound)

    # symmetry between orders: the single-use coupons ranked by their value on the whole cart;
    # the j-th may only open orders 0..j, and order o >= 1 only after order o-1 holds an earlier one
    whole = [cart.items[i] for i in items]
    ranked = sorted((k for k, c in enumerate(coupons) if c.max_uses == 1),
                    key=lambda k: -coupon_value(coupons[k], eligible_amount(coupons[k], whole), cart.is_new))
    for j, k in enumerate(ranked):
        for o in range(m):
            if o > j:
                model.add(y[k, o] == 0)
            elif o >= 1:
                model.add(y[k, o] <= sum(y[h, o - 1] for h in ranked[:j]))

    weight = m + 1
    model.maximize(weight * saved - sum(z))

    if hint:
        _add_hint(model, cart, coupons, hint, _canonical(hint, [coupons[k].index for k in ranked]), groups,
                  values, in_scope, w, z, y, aux, discount)
    stats: dict[str, float] = {"build_ms": (time.perf_counter() - started) * 1000}
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, float(time_limit))
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    stats["solve_ms"] = solver.wall_time * 1000
    stats["branches"] = float(solver.num_branches)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return [], False, stats
    plan: Plan = [([], []) for _ in range(m)]
    for g, members in enumerate(groups):
        pending = list(members)
        for o in range(m):
            for _ in range(solver.value(w[g][o])):
                plan[o][0].append(pending.pop(0))
    for (k, o), var in y.items():
        if solver.boolean_value(var):
            plan[o][1].append(coupons[k].index)
    return [entry for entry in plan if entry[0]], status == cp_model.OPTIMAL, stats


def _add_hint(model, cart: Cart, coupons: Sequence[Coupon], hint: Plan, ordered: Plan,  # noqa: ANN001
              groups: list[list[int]], values: list[int], in_scope: list[list[int]], w, z, y, aux,
              discount) -> None:
    """Hint every variable from a valid plan (orders in canonical order, then padded with empty ones)."""
    del hint
    position = {coupon.index: k for k, coupon in enumerate(coupons)}
    group_of = {i: g for g, members in enumerate(groups) for i in members}
    m = len(z)
    for o in range(m):
        entry = ordered[o] if o < len(ordered) else ([], [])
        counts = [0] * len(groups)
        for i in entry[0]:
            counts[group_of[i]] += 1
        model.add_hint(z[o], bool(entry[0]))
        for g in range(len(groups)):
            model.add_hint(w[g][o], counts[g])
        used = {position[c] for c in entry[1] if c in position}
        gain = 0
        for k, c in enumerate(coupons):
            on = k in used
            model.add_hint(y[k, o], on)
            elig = sum(values[g] * counts[g] for g in in_scope[k])
            value = coupon_value(c, elig, cart.is_new) if on else 0
            if (k, o) in aux:
                model.add_hint(aux[k, o], value // c.amount if c.kind == "threshold" else value)
            gain += value
        model.add_hint(discount[o], min(gain, sum(values[g] * counts[g] for g in range(len(groups)))))
