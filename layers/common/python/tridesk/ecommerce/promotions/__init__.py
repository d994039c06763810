"""The promotion calculator: the cheapest way to pay for a cart, proven, and explained.

``optimize`` serves ``POST /v1/promotions/optimize`` and ``check_rules`` serves
``POST /v1/promotions/rules/check``; both take and return plain JSON-shaped dicts and raise
``tridesk.core.errors.ValidationError`` (with the field path) on invalid input.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from tridesk.ecommerce.promotions.explain import hints, steps, wasted_entries
from tridesk.ecommerce.promotions.models import Cart, cents_to_yuan, parse_request
from tridesk.ecommerce.promotions.pricing import PricedPlan, price_plan
from tridesk.ecommerce.promotions.rules_check import check_rules
from tridesk.ecommerce.promotions.solver import Solution, solve

__all__ = ["optimize", "check_rules", "parse_request", "solve", "render"]


def render(cart: Cart, solution: Solution, priced: PricedPlan) -> dict[str, Any]:
    """The response of the contract (money in yuan, two decimals), plus ``wasted`` and ``hints``."""
    top = hints(cart, priced)
    orders = []
    for order in priced.orders:
        orders.append(
            {
                "items": [cart.items[i].sku for i in order.items],
                "subtotal": cents_to_yuan(order.subtotal),
                "coupons": [cart.coupons[c].id for c in order.coupons],
                "discount": cents_to_yuan(order.discount),
                "pay": cents_to_yuan(order.pay),
                "coupon_savings": {
                    cart.coupons[c].id: cents_to_yuan(v) for c, v in zip(order.coupons, order.values, strict=True)
                },
            }
        )
    return {
        "total_before": cents_to_yuan(priced.total_before),
        "total_after": cents_to_yuan(priced.total_after),
        "saving": cents_to_yuan(priced.saving),
        "orders": orders,
        "steps": steps(cart, priced, top, cart.lang),
        "optimal": solution.optimal,
        "solve_ms": round(solution.solve_ms, 2),
        "wasted": wasted_entries(cart, priced, cart.lang),
        "hints": [
            {"coupon": h.coupon, "order": h.order, "add": cents_to_yuan(h.add), "text": h.text.get(cart.lang)}
            for h in top
        ],
        "method": solution.method,
    }


def optimize(payload: Any, *, max_time_s: float | None = None) -> dict[str, Any]:
    """Validate a cart and its coupons, find the least-paying split, and explain it.

    ``max_time_s`` caps the solver's time limit whatever the request asks (the API passes a cap
    that keeps a call well inside API Gateway's 29 s); past it the answer says ``optimal: false``.
    """
    cart = parse_request(payload)
    if max_time_s is not None and cart.time_limit_s > max_time_s:
        cart = replace(cart, time_limit_s=max_time_s)
    started = time.perf_counter()
    solution = solve(cart)
    solution.solve_ms = (time.perf_counter() - started) * 1000
    priced = price_plan(cart, solution.orders)
    return render(cart, solution, priced)
