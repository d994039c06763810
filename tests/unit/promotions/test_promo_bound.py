"""The combinatorial bound: never below what brute force achieves, and a plan reaching it is returned proven."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tridesk.ecommerce.promotions import optimize, parse_request
from tridesk.ecommerce.promotions.bound import Bounder, certify, min_reach
from tridesk.ecommerce.promotions.pricing import exhaustive, price_response
from tridesk.ecommerce.promotions.solver import solve, usable_coupons

from tests.unit.promotions.test_promo_property import carts


def _bounder(cart):
    lines = [i for i, item in enumerate(cart.items) if item.value > 0]
    return Bounder(cart, usable_coupons(cart), lines)


def test_min_reach_is_the_smallest_subset_sum_at_or_above_the_target():
    assert min_reach([150, 150, 150], 200) == 300
    assert min_reach([120, 85, 30], 200) == 205
    assert min_reach([50, 60], 200) is None
    assert min_reach([70, 40], 0) == 40


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(carts(), st.integers(1, 3))
def test_bound_is_never_below_the_brute_force_optimum(payload, orders):
    # GIVEN a cart allowed any number of orders up to `orders`
    cart = replace(parse_request(payload), max_orders=orders)
    # THEN no split saves more than the bound for that many orders
    best = exhaustive(cart)
    assert _bounder(cart).upper_bound(orders) >= cart.total - best.total_after


# three store coupons of one stacking group, each alone in its store: the bound (sum of the three)
# is reached by three orders, and two orders cannot reach it, so the plan is certified
THREE_STORES = {
    "items": [
        {"sku": "a", "price": 210, "store": "A"},
        {"sku": "b", "price": 220, "store": "B"},
        {"sku": "c", "price": 230, "store": "C"},
    ],
    "coupons": [
        {"id": f"{s}200-{v}", "kind": "threshold", "threshold": 200, "amount": v, "stack_group": "store",
         "scope": {"stores": [s]}}
        for s, v in (("A", 20), ("B", 25), ("C", 30))
    ],
    "max_orders": 3,
    "lang": "en",
}


def test_a_plan_reaching_the_bound_is_proven_without_the_mip():
    cart = parse_request(THREE_STORES)
    bounder = _bounder(cart)
    assert bounder.upper_bound(3) == 7500 and bounder.upper_bound(2) == 5500
    assert certify(bounder, 7500, 3, 3) and not certify(bounder, 5500, 2, 3)
    solution = solve(cart)
    assert solution.optimal and solution.method == "heuristic" and len(solution.orders) == 3
    answer = optimize(THREE_STORES)
    assert answer["optimal"] and answer["saving"] == 75.0
    assert price_response(cart, answer).total_after == exhaustive(cart).total_after


def test_without_the_bound_the_same_cart_goes_through_the_mip():
    solution = solve(parse_request(THREE_STORES), bound=False)
    assert solution.optimal and solution.method == "mip-highs"


def test_highs_stops_as_soon_as_the_caller_settles_and_reports_the_bound_it_settled_on():
    from tridesk.ecommerce.promotions.solver import _order_cap, _solve_highs, build_model

    cart = parse_request({**THREE_STORES, "coupons": THREE_STORES["coupons"] + [
        {"id": "P", "kind": "threshold", "threshold": 300, "amount": 40, "repeat": True, "max_uses": 2,
         "stack_group": "platform"}]})
    lines = [i for i, item in enumerate(cart.items) if item.value > 0]
    coupons = usable_coupons(cart)
    model, _ = build_model(cart, coupons, lines, _order_cap(cart, coupons, len(lines)))
    seen: list[list[float]] = []
    bounds: list[float] = []

    def settle_after_first(dual):
        bounds.append(dual)
        return bool(seen)

    # GIVEN a caller that settles once it has seen one solution
    x, _, dual, stats = _solve_highs(model, 5.0, lambda x: seen.append(list(x)), settle_after_first)
    # THEN HiGHS was stopped there, and the bound it stopped on is the one returned
    assert seen and x and stats["stopped"] == 1.0 and dual == bounds[-1]

    # a caller that never settles: HiGHS proves the optimum itself, with the same objective
    x2, finished, dual2, stats2 = _solve_highs(model, 5.0, None, lambda dual: False)
    assert finished and "stopped" not in stats2
    objective = sum(c * v for c, v in zip(model.cost, x2, strict=True))
    assert dual2 <= objective + 1e-6 and objective - dual2 <= 0.5


# two "every 200 minus 20" platform coupons on a 670 cart: three full thresholds at most, so 60;
# sharing the supply by rate would pay 20/200 of the 70 left over as well (67)
PLATFORM_REPEATS = {
    "items": [{"sku": "s0", "price": 250, "store": "A"}, {"sku": "s1", "price": 300, "store": "A"},
              {"sku": "s2", "price": 120, "store": "A"}],
    "coupons": [
        {"id": "P0", "kind": "threshold", "threshold": 200, "amount": 20, "repeat": True, "max_uses": 1,
         "stack_group": "platform"},
        {"id": "P1", "kind": "threshold", "threshold": 200, "amount": 20, "repeat": True, "max_uses": 2,
         "stack_group": "platform"},
    ],
    "max_orders": 2,
}


def test_repeat_coupons_of_one_scope_are_bounded_by_whole_thresholds():
    cart = parse_request(PLATFORM_REPEATS)
    best = cart.total - exhaustive(cart).total_after
    assert best == 6000
    assert _bounder(cart).upper_bound(2) == best
    solution = solve(cart)
    assert solution.optimal and solution.method in {"heuristic", "single"}


@st.composite
def repeat_groups(draw: st.DrawFn) -> dict:
    """Carts where one stack group holds several repeat thresholds of one scope, with fixed
    thresholds of that group and of other groups beside them (the platform-coupon case)."""
    items = [
        {"sku": f"s{i}", "price": draw(st.integers(1, 40000)) / 100, "qty": draw(st.integers(1, 2)),
         "store": draw(st.sampled_from(["A", "B"]))}
        for i in range(draw(st.integers(1, 6)))
    ]
    scope = draw(st.sampled_from([None, {"stores": ["A"]}]))
    coupons = []
    for j in range(draw(st.integers(1, 5))):
        repeat = draw(st.booleans())
        coupons.append({
            "id": f"c{j}", "kind": "threshold", "repeat": repeat,
            "threshold": draw(st.sampled_from([50, 100, 150, 199.5, 200, 300])),
            "amount": draw(st.integers(1, 60)),
            "scope": scope if repeat else draw(st.sampled_from([None, {"stores": ["A"]}, {"stores": ["B"]}])),
            "stack_group": draw(st.sampled_from(["p", "p", "q", None])),
            "max_uses": draw(st.integers(1, 3)),
        })
    return {"items": items, "coupons": coupons, "max_orders": draw(st.integers(1, 3))}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(repeat_groups(), st.integers(1, 3))
def test_repeat_knapsack_bound_is_never_below_the_brute_force_optimum(payload, orders):
    cart = replace(parse_request(payload), max_orders=orders)
    best = exhaustive(cart)
    assert _bounder(cart).upper_bound(orders) >= cart.total - best.total_after
    answer = optimize({**payload, "max_orders": orders})
    paid = price_response(cart, answer)
    assert answer["optimal"] and (paid.total_after, len(paid.orders)) == (best.total_after, len(best.orders))
