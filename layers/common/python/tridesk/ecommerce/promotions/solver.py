"""The exact optimiser: a mixed integer program of the promotion semantics, solved by HiGHS.

The model is built once as plain arrays (``Model``) and handed either to highspy directly (the
fast path, in-process) or to PuLP (the portable path: PuLP's HiGHS, or CBC when HiGHS is
missing). docs/promotions.md explains the formulation and why it is fast.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

from tridesk.ecommerce.promotions.bound import Bounder, certify, min_reach
from tridesk.ecommerce.promotions.heuristic import heuristic_plan
from tridesk.ecommerce.promotions.models import Cart, Coupon
from tridesk.ecommerce.promotions.pricing import PlanError, coupon_value, eligible_amount, price_order

Plan = list[tuple[list[int], list[int]]]


@dataclass(slots=True)
class Solution:
    """A plan as (item indexes, coupon indexes) per order, and how it was found."""

    orders: Plan
    optimal: bool
    method: str
    solve_ms: float = 0.0
    stats: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class Model:
    """A MIP in row form: minimise cost.x subject to row_lo <= A x <= row_hi, bounds, integrality."""

    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    row_lo: list[float] = field(default_factory=list)
    row_hi: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)

    def var(self, lo: float, hi: float, cost: float = 0.0, integer: bool = True) -> int:
        self.lower.append(lo)
        self.upper.append(hi)
        self.cost.append(cost)
        self.integer.append(integer)
        return len(self.lower) - 1

    def row(self, terms: Sequence[tuple[int, float]], lo: float, hi: float) -> None:
        self.starts.append(len(self.index))
        for j, a in terms:
            self.index.append(j)
            self.value.append(a)
        self.row_lo.append(lo)
        self.row_hi.append(hi)


INF = float("inf")
_DEBUG = False
WATCHDOG_NONZEROS = 20_000
MAX_NONZEROS = 400_000
PROOF_MARGIN = 0.1  # how far below the next better plan's objective a dual bound must be to prove


@dataclass(slots=True)
class _Layout:
    """Where each decision lives in the model, to decode a result."""

    orders: int
    groups: list[list[int]]
    w: list[list[int]]
    z: list[int]
    y: dict[tuple[int, int], int]
    aux: dict[tuple[int, int], int]
    d: list[int]
    percent: list[int] = field(default_factory=list)


def usable_coupons(cart: Cart) -> list[Coupon]:
    """Coupons that give something somewhere: a coupon worthless on the whole cart is worthless on any part."""
    lines = [item for item in cart.items if item.value > 0]
    return [c for c in cart.coupons if coupon_value(c, eligible_amount(c, lines), cart.is_new) > 0]


def _order_cap(cart: Cart, coupons: Sequence[Coupon], lines: int) -> int:
    """Orders worth opening: each order of a least, fewest-orders plan uses at least one coupon."""
    uses = sum(min(c.max_uses, cart.max_orders) for c in coupons)
    return max(1, min(cart.max_orders, lines, uses))


def splitting_cannot_help(coupons: Sequence[Coupon]) -> bool:
    """True when one order is provably best: every coupon single-use and alone in its stack group."""
    groups = [c.group_key for c in coupons]
    return all(c.max_uses == 1 for c in coupons) and len(set(groups)) == len(groups)


def best_single_order(cart: Cart, items: Sequence[int], coupons: Sequence[Coupon]) -> list[int]:
    """The best coupons for one fixed order: the most valuable coupon of each stack group."""
    lines = [cart.items[i] for i in items]
    best: dict[str, tuple[int, int]] = {}
    for c in coupons:
        v = coupon_value(c, eligible_amount(c, lines), cart.is_new)
        if v > 0 and v > best.get(c.group_key, (0, -1))[0]:
            best[c.group_key] = (v, c.index)
    return [index for _, index in best.values()]


def build_model(cart: Cart, coupons: Sequence[Coupon], items: Sequence[int], orders: int,
                symmetry: str = "coupons") -> tuple[Model, _Layout]:
    """The MIP: lines grouped by (coupon signature, value), orbitopal order symmetry breaking.

    ``symmetry="coupons"`` (the default, measured faster) orders the orders by their single-use
    coupons, most valuable first (a packing orbitope on the coupon-to-order matrix: the k-th coupon
    may only open order k, so the most valuable coupon's link to its order is exact);
    ``symmetry="items"`` is the earlier scheme, an orbitope on the single lines sorted by value.
    """
    m = orders
    model = Model()
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

    z = [model.var(0, 1, 1.0) for _ in range(m)]
    w = [[model.var(0, len(groups[g])) for _ in range(m)] for g in range(len(groups))]
    singles = [g for g in range(len(groups)) if len(groups[g]) == 1] if symmetry == "items" else []
    for rank, g in enumerate(singles):
        for o in range(rank + 1, m):
            model.upper[w[g][o]] = 0
    for g in range(len(groups)):
        model.row([(w[g][o], 1.0) for o in range(m)], len(groups[g]), len(groups[g]))
    lines = len(items)
    for o in range(m):
        terms = [(w[g][o], 1.0) for g in range(len(groups)) if model.upper[w[g][o]] > 0]
        model.row(terms + [(z[o], -float(lines))], -INF, 0)
    for o in range(1, m):
        model.row([(z[o], 1.0), (z[o - 1], -1.0)], -INF, 0)
        for rank, g in enumerate(singles[1:], start=1):
            if rank >= o:
                model.row([(w[g][o], 1.0)] + [(w[h][o - 1], -1.0) for h in singles[:rank]], -INF, 0)

    weight = float(m + 1)
    d = [model.var(0, INF, -weight, integer=False) for _ in range(m)]
    y: dict[tuple[int, int], int] = {}
    aux: dict[tuple[int, int], int] = {}
    value_terms: list[list[tuple[int, float]]] = [[] for _ in range(m)]
    need: dict[tuple[int, int], tuple[int, float]] = {}
    percent: list[int] = []
    for k, c in enumerate(coupons):
        total = sum(values[g] * len(groups[g]) for g in in_scope[k])
        smallest = float(min(values[g] for g in in_scope[k]))
        if c.kind == "threshold" and not c.repeat and c.threshold > 0:
            # the least sum of whole in-scope lines that reaches the threshold (coefficient strengthening)
            reach = min_reach([values[g] for g in in_scope[k] for _ in groups[g]], c.threshold)
            smallest = float(reach if reach is not None else c.threshold)
        spread: list[int] = []
        for o in range(m):
            elig = [(w[g][o], -float(values[g])) for g in in_scope[k] if model.upper[w[g][o]] > 0]
            if not elig:
                continue
            yv = model.var(0, 1)
            y[k, o] = yv
            if c.kind == "threshold" and c.repeat:
                most = total // c.threshold
                t = model.var(0, most)
                aux[k, o] = t
                model.row([(t, float(c.threshold))] + elig, -INF, 0)
                model.row([(t, 1.0), (yv, -float(most))], -INF, 0)
                value_terms[o].append((t, float(c.amount)))
                need[k, o] = (t, float(c.threshold))
                spread.append(t)
            elif c.kind == "percent":
                p, q = c.rate.numerator, c.rate.denominator
                most = total * p // q if c.cap is None else min(c.cap, total * p // q)
                dv = model.var(0, most)
                aux[k, o] = dv
                percent.append(dv)
                model.row([(dv, float(q))] + [(j, a * p) for j, a in elig], -INF, 0)
                model.row([(dv, 1.0), (yv, -float(most))], -INF, 0)
                value_terms[o].append((dv, 1.0))
                need[k, o] = (dv, q / p)
                spread.append(dv)
            elif c.kind == "threshold" and c.threshold > 0:
                model.row([(yv, max(float(c.threshold), smallest))] + elig, -INF, 0)
                value_terms[o].append((yv, float(c.amount)))
                need[k, o] = (yv, max(float(c.threshold), smallest))
            else:
                model.row([(yv, 1.0)] + [(j, -1.0) for j, _ in elig], -INF, 0)
                value_terms[o].append((yv, float(c.amount)))
                need[k, o] = (yv, smallest)
        if spread and c.kind == "threshold":
            model.row([(j, 1.0) for j in spread], -INF, total // c.threshold)
        elif spread:
            most = total * c.rate.numerator // c.rate.denominator
            if c.cap is not None:
                most = min(most, c.cap * min(c.max_uses, m))
            model.row([(j, 1.0) for j in spread], -INF, most)
    for o in range(m):
        model.row([(d[o], 1.0)] + [(j, -a) for j, a in value_terms[o]], -INF, 0)
        model.row([(d[o], 1.0)] + [(w[g][o], -float(values[g])) for g in range(len(groups))], -INF, 0)
        by_group: dict[str, list[int]] = {}
        for k, c in enumerate(coupons):
            if (k, o) in y:
                by_group.setdefault(c.group_key, []).append(k)
        for members in by_group.values():
            if len(members) > 1:
                model.row([(y[k, o], 1.0) for k in members], -INF, 1)
                scope_groups = sorted({g for k in members for g in in_scope[k]})
                model.row(
                    [need[k, o] for k in members]
                    + [(w[g][o], -float(values[g])) for g in scope_groups if model.upper[w[g][o]] > 0],
                    -INF,
                    0,
                )
    for k, c in enumerate(coupons):
        used = [y[k, o] for o in range(m) if (k, o) in y]
        if c.max_uses < len(used):
            model.row([(j, 1.0) for j in used], -INF, c.max_uses)
    if symmetry == "coupons":
        ranked = sorted(
            (k for k, c in enumerate(coupons) if c.max_uses == 1),
            key=lambda k: -coupon_value(coupons[k], eligible_amount(coupons[k], [cart.items[i] for i in items]), cart.is_new),
        )
        for j, k in enumerate(ranked):
            for o in range(m):
                if (k, o) not in y:
                    continue
                if o > j:
                    model.upper[y[k, o]] = 0
                elif o >= 1:
                    earlier = [(y[h, o - 1], -1.0) for h in ranked[:j] if (h, o - 1) in y]
                    model.row([(y[k, o], 1.0)] + earlier, -INF, 0)
    return model, _Layout(m, groups, w, z, y, aux, d, percent)


def _decode(layout: _Layout, x: Sequence[float], coupons: Sequence[Coupon]) -> Plan:
    orders: Plan = [([], []) for _ in range(layout.orders)]
    for g, members in enumerate(layout.groups):
        pending = list(members)
        for o in range(layout.orders):
            for _ in range(int(round(x[layout.w[g][o]]))):
                if pending:
                    orders[o][0].append(pending.pop(0))
        orders[0][0].extend(pending)
    for (k, o), j in layout.y.items():
        if x[j] > 0.5:
            orders[o][1].append(coupons[k].index)
    return [entry for entry in orders if entry[0]]


def _solve_highs(model: Model, time_limit: float,
                 on_solution: Callable[[Sequence[float]], None] | None = None,
                 settled: Callable[[float], bool] | None = None,
                 cutoff: float | None = None, restart: bool = False) -> tuple[list[float], bool, float, dict[str, float]]:
    """Solve with highspy in-process: (solution, HiGHS proved it optimal, dual bound, stats).

    ``on_solution`` sees every improving solution; ``settled(dual_bound)`` is asked as the search
    goes and stops it when the best plan known is proven by that bound (HiGHS would otherwise go on
    closing gaps that do not matter to the caller). ``cutoff`` (HiGHS's ``objective_bound``) prunes
    every node that cannot go below it. The dual bound is a lower bound on the objective
    (minimised) of every solution of this model below the cutoff, -inf when none is known."""
    import highspy
    import numpy as np

    h = highspy.Highs()
    h.setOptionValue("output_flag", _DEBUG)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.5)
    h.setOptionValue("threads", 1)
    # HiGHS's own primal heuristics off: our heuristic already found the plan HiGHS has to beat (it
    # cannot be handed over: see docs/promotions.md), and on the 40 target carts they cost more than
    # they found: all of them off, sum of solve times 11.7-11.8 s against 14.5-15.0 s, p95 925-931 ms
    # against 1123-1152 ms, 40/40 proven against 39/40 (two runs each, same carts; p50 unchanged).
    h.setOptionValue("mip_heuristic_effort", 0.0)
    for heuristic in ("feasibility_jump", "rins", "rens", "root_reduced_cost", "zi_round", "shifting"):
        h.setOptionValue(f"mip_heuristic_run_{heuristic}", False)
    # No restart after the root (HiGHS presolves the reduced model again when root fixings are many) unless asked:
    # on two sets of target carts, 40 (seed 7) and 60 (seed 11), two runs each in one session, p50 72 vs 106 ms and
    # 82-83 vs 123-125 ms, sum of solve times 5.77 vs 6.82-6.89 s and 8.48-8.67 vs 10.26-10.89 s, every cart proven.
    # The exact model with integer percent floors asks for it: without a restart 2 of 3,000 percent-heavy small carts
    # ran into the time limit there (thousands of conflicts on the floors' wide coefficients), 47 ms with it.
    h.setOptionValue("mip_allow_restart", bool(restart))
    lp = highspy.HighsLp()
    n = len(model.lower)
    lp.num_col_ = n
    lp.num_row_ = len(model.row_lo)
    lp.col_cost_ = np.asarray(model.cost, dtype=np.float64)
    lp.col_lower_ = np.asarray(model.lower, dtype=np.float64)
    lp.col_upper_ = np.asarray(model.upper, dtype=np.float64)
    lp.row_lower_ = np.asarray(model.row_lo, dtype=np.float64)
    lp.row_upper_ = np.asarray(model.row_hi, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = len(model.row_lo)
    lp.a_matrix_.start_ = np.asarray(model.starts + [len(model.index)], dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(model.index, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(model.value, dtype=np.float64)
    lp.integrality_ = [highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous for flag in model.integer]
    h.passModel(lp)
    if cutoff is not None:
        h.setOptionValue("objective_bound", float(cutoff))
    watchdog = len(model.index) > WATCHDOG_NONZEROS
    stopped: list[float] = []
    if watchdog or on_solution is not None or settled is not None:
        # HiGHS checks its time limit rarely on big models: interrupt it from its own callbacks;
        # and stop it as soon as the caller's best plan is proven by HiGHS's dual bound.
        deadline = time.perf_counter() + time_limit
        improving = highspy.cb.HighsCallbackType.kCallbackMipImprovingSolution
        mip_interrupt = highspy.cb.HighsCallbackType.kCallbackMipInterrupt

        def interrupt(kind, message, data_out, data_in, user_data):  # noqa: ANN001, ARG001
            if kind == improving:
                if on_solution is not None:
                    on_solution(list(data_out.mip_solution))
                return
            if data_in is None:
                return
            if not stopped and kind == mip_interrupt and settled is not None and settled(data_out.mip_dual_bound):
                stopped.append(data_out.mip_dual_bound)
            if stopped or (watchdog and time.perf_counter() > deadline):
                data_in.user_interrupt = True

        h.setCallback(interrupt, None)
        kinds = ["kCallbackMipInterrupt"]
        if watchdog:
            kinds += ["kCallbackSimplexInterrupt", "kCallbackIpmInterrupt"]
        if on_solution is not None:
            kinds.append("kCallbackMipImprovingSolution")
        for kind in kinds:
            h.startCallback(getattr(highspy.cb.HighsCallbackType, kind))
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    stats = {"nodes": float(info.mip_node_count)}
    dual = stopped[0] if stopped else float(info.mip_dual_bound)
    if cutoff is not None and status in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kObjectiveBound):
        dual = max(dual, float(cutoff))  # nothing below the cutoff: that is the bound
    if stopped:
        stats["stopped"] = 1.0
    if info.primal_solution_status == 0:
        return [], False, dual, stats
    x = list(h.getSolution().col_value)
    return x, status == highspy.HighsModelStatus.kOptimal, dual, stats


def _solve_pulp(model: Model, time_limit: float) -> tuple[list[float], bool, dict[str, float]]:
    """Solve through PuLP: its HiGHS when present, CBC otherwise."""
    import pulp

    prob = pulp.LpProblem("promotions", pulp.LpMinimize)
    cols = [
        pulp.LpVariable(
            f"x{j}",
            lowBound=model.lower[j],
            upBound=None if model.upper[j] == INF else model.upper[j],
            cat=pulp.LpInteger if model.integer[j] else pulp.LpContinuous,
        )
        for j in range(len(model.lower))
    ]
    prob += pulp.lpSum(c * v for c, v in zip(model.cost, cols, strict=True) if c)
    ends = model.starts[1:] + [len(model.index)]
    for r, (s, e) in enumerate(zip(model.starts, ends, strict=True)):
        expr = pulp.lpSum(model.value[t] * cols[model.index[t]] for t in range(s, e))
        if model.row_lo[r] == model.row_hi[r]:
            prob += expr == model.row_lo[r]
        else:
            if model.row_hi[r] != INF:
                prob += expr <= model.row_hi[r]
            if model.row_lo[r] != -INF:
                prob += expr >= model.row_lo[r]
    available = pulp.listSolvers(onlyAvailable=True)
    if "HiGHS" in available:
        solver = pulp.HiGHS(msg=False, timeLimit=time_limit, gapRel=0.0, gapAbs=0.5)
    else:
        solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, gapRel=0.0, gapAbs=0.5)
    prob.solve(solver)
    if prob.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        return [], False, {}
    x = [float(v.varValue or 0.0) for v in cols]
    return x, prob.status == pulp.LpStatusOptimal and prob.sol_status == pulp.LpSolutionOptimal, {}


def tidy(cart: Cart, plan: Plan) -> Plan:
    """Drop coupons an order does not need (worthless, or surplus once its subtotal is covered),
    then fold away orders left without coupons: neither step can raise the total."""
    cleaned: Plan = []
    for items, chosen in plan:
        lines = [cart.items[i] for i in items]
        subtotal = sum(item.value for item in lines)
        valued = []
        for c in chosen:
            coupon = cart.coupons[c]
            value = coupon_value(coupon, eligible_amount(coupon, lines), cart.is_new)
            if value > 0:
                valued.append((value, c))
        valued.sort()
        total = sum(v for v, _ in valued)
        keep = []
        for value, c in valued:
            if total - value >= subtotal:
                total -= value
            else:
                keep.append(c)
        cleaned.append((list(items), sorted(keep, key=lambda c: chosen.index(c))))
    if len(cleaned) > 1:
        bare = [entry for entry in cleaned if not entry[1]]
        rest = [entry for entry in cleaned if entry[1]]
        if bare:
            if not rest:
                rest = [bare.pop()]
            for items, _ in bare:
                rest[0][0].extend(items)
            cleaned = rest
    return cleaned


def _valid(cart: Cart, plan: Plan) -> Plan:
    """Repair a decoded plan so that the checker accepts it (drops coupons that do not apply)."""
    fixed: Plan = []
    uses: dict[int, int] = {}
    for items, chosen in plan:
        keep: list[int] = []
        for c in chosen:
            if uses.get(c, 0) >= cart.coupons[c].max_uses:
                continue
            try:
                price_order(cart, items, keep + [c])
            except PlanError:
                continue
            keep.append(c)
            uses[c] = uses.get(c, 0) + 1
        fixed.append((items, keep))
    return fixed


def plan_discount(cart: Cart, plan: Plan) -> int:
    return sum(price_order(cart, items, chosen).discount for items, chosen in plan)


def _key(cart: Cart, plan: Plan) -> tuple[int, int]:
    """Larger is better: the discount, then fewer orders."""
    return plan_discount(cart, plan), -len(plan)


def solve(cart: Cart, *, backend: str = "highs", heuristic_s: float = 0.02, symmetry: str = "coupons",
          bound: bool = True, staged: bool = True) -> Solution:
    """The least-paying plan (then fewest orders); ``optimal`` only when proven.

    With ``bound`` (the default) the combinatorial bound of ``bound.py`` is computed first: a
    heuristic plan that reaches it is returned proven without building the MIP, and an improving
    solution of HiGHS that reaches it stops the search. ``staged`` (the default) solves the MIP with
    the percent floors relaxed first and a cutoff at the best plan known (see ``_Best``);
    ``staged=False`` hands HiGHS the exact model alone. ``bound=False, staged=False`` is the plain
    MIP. The benchmark compares them."""
    started = time.perf_counter()
    priced = [i for i, item in enumerate(cart.items) if item.value > 0]
    free = [i for i, item in enumerate(cart.items) if item.value <= 0]
    coupons = usable_coupons(cart)
    orders = _order_cap(cart, coupons, len(priced))
    single = [(priced, best_single_order(cart, priced, coupons))] if priced else []
    stats: dict[str, float] = {"coupons": len(coupons), "orders": orders}
    if not priced:
        plan: Plan = [(free, [])] if free else []
        return Solution(plan, True, "empty", (time.perf_counter() - started) * 1000, stats)
    if orders == 1 or splitting_cannot_help(coupons):
        plan = tidy(cart, single)
        plan[0][0].extend(free)
        return Solution(plan, True, "single", (time.perf_counter() - started) * 1000, stats)
    bounder = Bounder(cart, coupons, priced) if bound else None
    enough: Callable[[int, int], bool] | None = None
    if bounder is not None:
        def enough(discount: int, count: int) -> bool:
            return certify(bounder, discount, count, orders)
    incumbent = tidy(cart, _valid(cart, heuristic_plan(cart, coupons, priced, orders, budget_s=heuristic_s,
                                                       peel_budget_s=0.1 * cart.time_limit_s, enough=enough)))
    if _key(cart, incumbent) < _key(cart, single):
        incumbent = tidy(cart, single)
    stats["heuristic_ms"] = (time.perf_counter() - started) * 1000
    if bounder is not None:
        stats["bound_gap"] = bounder.upper_bound(orders) - _key(cart, incumbent)[0]
        if certify(bounder, _key(cart, incumbent)[0], len(incumbent), orders):
            # the heuristic's plan reaches the combinatorial bound: proven without a solver
            plan = tidy(cart, incumbent)
            plan[0][0].extend(free)
            return Solution(plan, True, "heuristic", (time.perf_counter() - started) * 1000, stats)
    model, layout = build_model(cart, coupons, priced, orders, symmetry)
    stats["columns"] = len(model.lower)
    stats["rows"] = len(model.row_lo)
    stats["build_ms"] = (time.perf_counter() - started) * 1000
    if len(model.index) > MAX_NONZEROS:
        # too big to prove within any time limit the API allows: the heuristic's plan, unproven
        plan = tidy(cart, incumbent)
        plan[0][0].extend(free)
        return Solution(plan, False, "heuristic", (time.perf_counter() - started) * 1000, stats)
    best = _Best(cart, incumbent, orders, bounder)
    proven = False
    method = "mip-highs"

    def run(model: Model, layout: _Layout, settled: Callable[[float], bool]) -> tuple[bool, float, tuple[int, int] | None]:
        remaining = max(0.05, cart.time_limit_s - (time.perf_counter() - started))
        # a restart only for a model whose percent floors are integer (see _solve_highs)
        restart = any(model.integer[j] for j in layout.percent)
        x, finished, dual, info = _solve_highs(model, remaining, lambda x: best.offer(_decode(layout, x, coupons)),
                                               settled, best.cutoff(layout.orders) if staged else None, restart)
        for key, value in info.items():
            stats[key] = stats.get(key, 0.0) + value
        stats["phases"] = stats.get("phases", 0.0) + 1
        return finished, dual, best.offer(_decode(layout, x, coupons)) if x else None

    try:
        if backend != "highs":
            raise ImportError
        # First with the percent coupons' floors relaxed (their value as a fraction of a cent: HiGHS
        # no longer branches to settle sub-cent fractions that cannot change the answer); when its
        # bound proves the discount but not that fewer orders cannot reach it, the same relaxation
        # with one order less; only then the exact model (docs/promotions.md).
        for exact in ([False, True] if layout.percent and staged else [True]):
            for j in layout.percent:
                model.integer[j] = exact
            finished, dual, final = run(model, layout, best.proven_by)
            # HiGHS's own proof holds for the exact model only, and for the plan it ends with
            proven = best.proven_by(dual) or (exact and finished and final is not None and final >= best.key)
            if proven or time.perf_counter() - started >= cart.time_limit_s:
                break
            fewer = -best.key[1] - 1
            if not exact and fewer >= 1 and _unreachable(dual, orders, best.key[0] + 1):
                target = best.key
                small, small_layout = build_model(cart, coupons, priced, fewer, symmetry)
                for j in small_layout.percent:
                    small.integer[j] = False
                _, dual, _ = run(small, small_layout, partial(_unreachable, orders=fewer, discount=target[0]))
                # the discount was proven above; now no plan with fewer orders reaches it either
                proven = best.key == target and _unreachable(dual, fewer, target[0])
                if proven or time.perf_counter() - started >= cart.time_limit_s:
                    break
    except ImportError:
        method = "mip-pulp"
        remaining = max(0.05, cart.time_limit_s - (time.perf_counter() - started))
        x, finished, info = _solve_pulp(model, remaining)
        stats.update(info)
        final = best.offer(_decode(layout, x, coupons)) if x else None
        proven = finished and final is not None and final >= best.key
    plan = tidy(cart, best.plan)
    plan[0][0].extend(free)
    return Solution(plan, proven, method, (time.perf_counter() - started) * 1000, stats)


class _Best:
    """The best plan known while the solver runs, and whether a dual bound proves it.

    The objective minimised is ``-(m+1) * discount + orders`` (``m`` the model's orders); every
    plan's objective is an integer. A dual bound ``L`` (no solution of the model is below it,
    and the model relaxes the semantics) proves the best plan (discount ``V``, ``k`` orders) when
    no better plan fits above it: one saving more has objective at most ``-(m+1)(V+1) + m``, one
    saving as much with fewer orders at most ``-(m+1)V + k - 1``. The second case can also be
    ruled out by the combinatorial bound of ``k - 1`` orders. ``PROOF_MARGIN`` keeps the proof
    clear of the bound's floating-point error (HiGHS prunes its own nodes at about 1e-6)."""

    def __init__(self, cart: Cart, plan: Plan, orders: int, bounder: Bounder | None) -> None:
        self.cart = cart
        self.plan = plan
        self.key = _key(cart, plan)
        self.orders = orders
        self.bounder = bounder

    def offer(self, decoded: Plan) -> tuple[int, int] | None:
        """Keep a decoded solution if it is better; its key (None when it cannot be repaired)."""
        try:
            plan = tidy(self.cart, _valid(self.cart, decoded))
            key = _key(self.cart, plan)
        except PlanError:
            return None
        if key > self.key:
            self.plan, self.key = plan, key
        return key

    def cutoff(self, orders: int) -> float:
        """HiGHS's objective bound for a model of ``orders`` orders: only solutions that could beat
        the best plan are worth its search (a better plan's objective is at most
        ``-(orders+1) * V + k - 1``; every check of a dual bound below stays under this cutoff)."""
        return -((orders + 1) * self.key[0] + self.key[1] + 1) + 2 * PROOF_MARGIN

    def proven_by(self, dual: float) -> bool:
        discount, count = self.key[0], -self.key[1]
        if self.bounder is not None and certify(self.bounder, discount, count, self.orders):
            return True
        if -dual < (self.orders + 1) * discount - count + 1 - PROOF_MARGIN:
            return True
        fewer_ruled_out = count <= 1 or (self.bounder is not None and self.bounder.upper_bound(count - 1) < discount)
        return fewer_ruled_out and _unreachable(dual, self.orders, discount + 1)


def _unreachable(dual: float, orders: int, discount: int) -> bool:
    """True when ``dual`` (a dual bound of a model with ``orders`` orders) shows that no plan of at
    most that many orders saves ``discount`` or more: such a plan's objective is at most
    ``-(orders+1) * discount + orders``."""
    return -dual < (orders + 1) * discount - orders - PROOF_MARGIN
