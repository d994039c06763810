"""How the MIP path proves a plan: the percent floors relaxed first, HiGHS's dual bound checked
against the best plan known, one order less when only the tie-break is open, the exact model last."""

from __future__ import annotations

import pytest

from tridesk.ecommerce.promotions import parse_request
from tridesk.ecommerce.promotions import solver
from tridesk.ecommerce.promotions.pricing import exhaustive
from tridesk.ecommerce.promotions.solver import PROOF_MARGIN, _Best, _unreachable, plan_discount, solve


def _item(sku, price, qty, store, category):
    return {"sku": sku, "price": price, "qty": qty, "store": store, "category": category}


# the relaxed floors prove the discount; only "could one order do as well?" is left open
NEEDS_FEWER = {
    "items": [_item("s0", 15.9, 1, "B", "sport"), _item("s1", 258.5, 3, "A", "home"),
              _item("s2", 284.99, 2, "B", "baby"), _item("s3", 166, 1, "B", "home")],
    "coupons": [
        {"id": "C00", "scope": {"stores": ["B"]}, "kind": "threshold", "threshold": 99, "amount": 50,
         "stack_group": "store"},
        {"id": "C01", "scope": {"stores": ["B"]}, "kind": "percent", "rate": 0.07, "cap": 20,
         "stack_group": "category", "max_uses": 2},
        {"id": "C02", "scope": {"categories": ["home"]}, "kind": "percent", "rate": 0.05, "stack_group": "g"},
        {"id": "C03", "scope": {"categories": ["food"]}, "kind": "percent", "rate": 0.1, "cap": 20,
         "stack_group": "category"},
    ],
    "user": {"is_new": True}, "max_orders": 2,
}

# the relaxed floors leave more than a cent open: the exact model decides
NEEDS_EXACT = {
    "items": [_item("s0", 220.9, 1, "A", "food"), _item("s1", 7, 1, "B", "sport"),
              _item("s2", 149.99, 1, "B", "food")],
    "coupons": [
        {"id": "C00", "kind": "percent", "rate": 0.07, "stack_group": "g"},
        {"id": "C01", "kind": "percent", "rate": 0.33, "cap": 30, "stack_group": "platform", "max_uses": 3},
        {"id": "C02", "scope": {"stores": ["B"]}, "kind": "percent", "rate": 0.05, "stack_group": "store"},
        {"id": "C03", "scope": {"skus": ["s0"]}, "kind": "direct", "amount": 10},
    ],
    "user": {"is_new": True}, "max_orders": 2,
}


@pytest.fixture
def highs_calls(monkeypatch):
    """Each HiGHS solve as (columns, whether the percent coupons' values are integer)."""
    calls: list[tuple[int, bool]] = []
    layouts = {}
    build, run = solver.build_model, solver._solve_highs

    def building(*args, **kwargs):
        model, layout = build(*args, **kwargs)
        layouts[id(model)] = layout
        return model, layout

    def recording(model, *args):
        percent = layouts[id(model)].percent
        assert percent, "these carts have percent coupons"
        calls.append((len(model.lower), all(model.integer[j] for j in percent)))
        return run(model, *args)

    monkeypatch.setattr(solver, "build_model", building)
    monkeypatch.setattr(solver, "_solve_highs", recording)
    return calls


def _agrees_with_brute_force(payload, solution):
    cart = parse_request(payload)
    best = exhaustive(cart)
    paid = cart.total - plan_discount(cart, solution.orders)
    return (paid, len(solution.orders)) == (best.total_after, len(best.orders))


def test_a_tie_break_left_open_by_the_relaxation_is_settled_with_one_order_less(highs_calls):
    solution = solve(parse_request(NEEDS_FEWER), bound=False)
    assert solution.optimal and _agrees_with_brute_force(NEEDS_FEWER, solution)
    # the relaxed model of two orders, then the relaxed model of one order (half the columns)
    assert len(highs_calls) == 2
    (full, full_exact), (small, small_exact) = highs_calls
    assert small < full and not full_exact and not small_exact


def test_when_the_relaxed_floors_leave_a_cent_open_the_exact_model_decides(highs_calls):
    solution = solve(parse_request(NEEDS_EXACT), bound=False)
    assert solution.optimal and _agrees_with_brute_force(NEEDS_EXACT, solution)
    assert len(highs_calls) == 2
    (first, first_exact), (second, second_exact) = highs_calls
    assert first == second and not first_exact and second_exact


def _best(discount, orders, model_orders=3):
    cart = parse_request({"items": [_item("s0", 10, 1, "A", "x")], "coupons": [], "max_orders": model_orders})
    best = _Best(cart, [([0], [])], model_orders, None)
    best.key = (discount, -orders)
    return best


def test_a_dual_bound_proves_the_best_plan_only_when_no_better_plan_fits_above_it():
    # m = 3: objective -(4 * discount) + orders; best plan saves 100 with 2 orders (objective -398)
    best = _best(100, 2)
    # a plan saving 100 with one order has objective -399: a bound of -398.95 rules it out
    assert best.proven_by(-(398 + 1 - PROOF_MARGIN) + 0.05)
    # a bound of -399 leaves it possible
    assert not best.proven_by(-399.0)
    # a single-order best plan: only plans saving 101 (objective <= -401) must be ruled out
    single = _best(100, 1)
    assert single.proven_by(-400.5) and not single.proven_by(-401.0)


def test_unreachable_is_exactly_the_objective_of_the_least_such_plan():
    # with 2 orders, a plan saving 50 has objective at least -(3 * 50) + 0 ... at most -150 + 2 = -148
    assert _unreachable(-148 + PROOF_MARGIN + 0.01, 2, 50)
    assert not _unreachable(-148.0, 2, 50)


def test_a_cutoff_nothing_can_beat_comes_back_as_the_bound():
    from tridesk.ecommerce.promotions.solver import _order_cap, _solve_highs, build_model, usable_coupons

    cart = parse_request(NEEDS_FEWER)
    lines = [i for i, item in enumerate(cart.items) if item.value > 0]
    coupons = usable_coupons(cart)
    model, _ = build_model(cart, coupons, lines, _order_cap(cart, coupons, len(lines)))
    x, _, optimum, _ = _solve_highs(model, 5.0)
    objective = sum(c * v for c, v in zip(model.cost, x, strict=True))
    # GIVEN a cutoff below the optimum: nothing is below it
    x, _, dual, _ = _solve_highs(model, 5.0, None, None, objective - 10)
    # THEN the cutoff is the bound reported
    assert dual >= objective - 10 and optimum <= objective + 1e-6
