"""Benchmark of the promotion optimiser on random carts, small to large.

In one run: the exact optimiser against (a) exhaustive enumeration on the small carts (must agree
to the cent, and in the number of orders) and (b) the greedy "biggest coupon first" heuristic (how
much more the customer saves), with p50/p95 solve time per size, model building included; "how"
counts the methods that answered (``heuristic/proven``: the heuristic's plan certified by the
combinatorial bound, no MIP built). The last lines re-solve the first target carts (``--baseline``,
default all 40) with the current method and the earlier ones (``solve(..., staged=False)``: the
exact MIP alone; ``bound=False`` as well: the plain MIP).

    uv run python benchmarks/promotions.py            # full run (40 carts per size, a few minutes)
    uv run python benchmarks/promotions.py --quick    # short run (10 carts per size)

Every answer is re-priced by the independent checker. The time limit per cart is TIME_LIMIT_S;
past it the best plan found is returned with ``optimal: false`` (the "proven" column).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from typing import Any

from tridesk.ecommerce.promotions import optimize
from tridesk.ecommerce.promotions.models import Cart, parse_request
from tridesk.ecommerce.promotions.solver import solve
from tridesk.ecommerce.promotions.pricing import (
    coupon_value,
    eligible_amount,
    exhaustive,
    price_plan,
    price_response,
)

STORES = ["A", "B", "C", "D", "E"]
CATEGORIES = ["food", "beauty", "digital", "home", "baby", "sport"]

SIZES = {
    "small": (6, 5, 3),
    "medium": (15, 10, 2),
    "target": (30, 20, 3),
    "large": (60, 40, 4),
}
TIME_LIMIT_S = 2.0


def random_cart(rng: random.Random, n_items: int, n_coupons: int, max_orders: int) -> dict[str, Any]:
    """A cart in the request shape, with the coupon mix of a big shopping festival."""
    stores = STORES[: max(2, min(len(STORES), n_items // 6 + 1))]
    items = []
    for i in range(n_items):
        price = rng.choice([rng.randint(5, 60), rng.randint(30, 200), rng.randint(100, 500)])
        items.append(
            {
                "sku": f"SKU{i:03d}",
                "price": round(price - rng.choice([0, 0.1, 0.01, 0.5]), 2),
                "qty": rng.choice([1, 1, 1, 2, 3]),
                "store": rng.choice(stores),
                "category": rng.choice(CATEGORIES),
                "tags": [],
            }
        )
    coupons = []
    for j in range(n_coupons):
        roll = rng.random()
        coupon: dict[str, Any] = {"id": f"C{j:02d}", "scope": {"stores": [], "categories": [], "skus": []}}
        if roll < 0.35:
            threshold = rng.choice([99, 150, 199, 299, 399])
            coupon.update(kind="threshold", threshold=threshold, amount=rng.choice([10, 15, 20, 30, 50]),
                          stack_group="store", scope={"stores": [rng.choice(stores)]})
        elif roll < 0.5:
            threshold = rng.choice([200, 300, 400])
            coupon.update(kind="threshold", threshold=threshold, amount=rng.choice([20, 30, 50]),
                          repeat=rng.random() < 0.6, stack_group="platform",
                          max_uses=rng.choice([1, 1, 2, 3]))
        elif roll < 0.7:
            coupon.update(kind="percent", rate=rng.choice([0.05, 0.1, 0.15, 0.2]),
                          cap=rng.choice([None, 20, 30, 50]), stack_group="category",
                          scope={"categories": [rng.choice(CATEGORIES)]})
        elif roll < 0.85:
            sku = rng.choice(items)["sku"] if items else "SKU000"
            coupon.update(kind="direct", amount=rng.choice([3, 5, 10]), stack_group=None, scope={"skus": [sku]})
        else:
            coupon.update(kind="direct", amount=rng.choice([5, 10, 20]), stack_group="newcomer",
                          new_user_only=True, threshold=None)
        coupons.append(coupon)
    return {"items": items, "coupons": coupons, "user": {"is_new": rng.random() < 0.5},
            "max_orders": max_orders, "lang": "en", "time_limit_s": TIME_LIMIT_S}


def greedy(cart: Cart) -> int:
    """Biggest coupon first, one order: take coupons by face value while their group is free."""
    lines = list(cart.items)
    subtotal = cart.total
    taken: set[str] = set()
    total = 0
    for coupon in sorted(cart.coupons, key=lambda c: -coupon_value(c, eligible_amount(c, lines), cart.is_new)):
        value = coupon_value(coupon, eligible_amount(coupon, lines), cart.is_new)
        if value > 0 and coupon.group_key not in taken:
            taken.add(coupon.group_key)
            total += value
    return subtotal - min(subtotal, total)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def baseline(carts: list[dict[str, Any]]) -> None:
    """The same carts by the current method and the earlier ones: the exact MIP alone after the
    bound (no relaxed percent floors, no cutoff), and the plain MIP (no bound either)."""
    variants = (
        ("bound + staged MIP (current)", {}),
        ("bound + exact MIP (before)", {"staged": False}),
        ("plain MIP", {"bound": False, "staged": False}),
    )
    for label, options in variants:
        times: list[float] = []
        proven = 0
        for payload in carts:
            cart = parse_request(payload)
            started = time.perf_counter()
            proven += solve(cart, **options).optimal
            times.append((time.perf_counter() - started) * 1000)
        print(f"  {label:<30} p50 {_pct(times, 0.5):8.1f} ms  p95 {_pct(times, 0.95):8.1f} ms  "
              f"sum {sum(times) / 1000:6.2f} s  proven {proven}/{len(carts)}")


def agreement(count: int, seed: int) -> None:
    """Many more small carts (1-7 lines, 1-6 coupons, 1-3 orders; a third with random stack groups
    and max_uses up to 3) against exhaustive enumeration: total and number of orders."""
    rng = random.Random(seed)
    agree = proven = 0
    for _ in range(count):
        payload = random_cart(rng, rng.randint(1, 7), rng.randint(1, 6), rng.randint(1, 3))
        if rng.random() < 0.35:
            for coupon in payload["coupons"]:
                coupon["max_uses"] = rng.choice([1, 2, 3])
                coupon["stack_group"] = rng.choice([None, "g", "h"])
        cart = parse_request(payload)
        answer = optimize(payload)
        paid = price_response(cart, answer)
        best = exhaustive(cart)
        proven += bool(answer["optimal"])
        agree += (paid.total_after, len(paid.orders)) == (best.total_after, len(best.orders))
    print(f"exhaustive agreement on {count} more small carts: {agree}/{count} (proven {proven}/{count})")


def agreement_percent(count: int, seed: int) -> None:
    """Small carts where half the coupons are percent coupons (rates 5-33%, some capped), a third with
    random stack groups and max_uses, each solved with and without the combinatorial bound so that the
    staged MIP (relaxed percent floors, fewer orders, exact model) decides: total, orders, proof."""
    rng = random.Random(seed)
    agree = proven = mip = staged = 0
    for _ in range(count):
        payload = random_cart(rng, rng.randint(3, 8), rng.randint(2, 7), rng.randint(2, 3))
        for coupon in payload["coupons"]:
            if rng.random() < 0.5:
                coupon.update(kind="percent", rate=rng.choice([0.05, 0.1, 0.15, 0.2, 0.07, 0.33]),
                              cap=rng.choice([None, None, 20, 30]), threshold=None)
            if rng.random() < 0.3:
                coupon["max_uses"] = rng.choice([1, 2, 3])
                coupon["stack_group"] = rng.choice([None, "g", "h", "category"])
        cart = parse_request(payload)
        best = exhaustive(cart)
        for bound in (False, True):
            solution = solve(cart, bound=bound)
            paid = price_plan(cart, solution.orders).total_after
            agree += (paid, len(solution.orders)) == (best.total_after, len(best.orders))
            proven += solution.optimal
            mip += solution.method.startswith("mip")
            staged += solution.stats.get("phases", 0) > 1
    print(f"percent-heavy small carts, with and without the bound: {agree}/{2 * count} agree with exhaustive "
          f"enumeration, proven {proven}/{2 * count} ({mip} through the MIP, {staged} needing a second solve)")


def run(cases: int, sizes: list[str], seed: int, baseline_cases: int) -> None:
    rng = random.Random(seed)
    optimize(random_cart(random.Random(0), 6, 5, 2))
    print(f"{'size':<8}{'items':>6}{'cpns':>5}{'ord':>4}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
          f"{'proven':>8}{'exact':>8}{'vs greedy':>11}{'max gain':>10}")
    kept: list[dict[str, Any]] = []
    for name in sizes:
        n_items, n_coupons, max_orders = SIZES[name]
        times: list[float] = []
        proven = exact = checked = 0
        gains: list[int] = []
        methods: dict[str, int] = {}
        for _ in range(cases):
            payload = random_cart(rng, n_items, n_coupons, max_orders)
            if name == "target" and len(kept) < baseline_cases:
                kept.append(payload)
            started = time.perf_counter()
            answer = optimize(payload)
            times.append((time.perf_counter() - started) * 1000)
            cart = parse_request(payload)
            paid = price_response(cart, answer).total_after
            assert paid == round(answer["total_after"] * 100), "checker disagrees with the reported total"
            proven += bool(answer["optimal"])
            how = answer["method"] + ("/proven" if answer["optimal"] else "")
            methods[how] = methods.get(how, 0) + 1
            gains.append(greedy(cart) - paid)
            if name == "small":
                checked += 1
                best = exhaustive(cart)
                exact += (best.total_after, len(best.orders)) == (paid, len(answer["orders"]))
        exact_text = f"{exact}/{checked}" if checked else "-"
        print(f"{name:<8}{n_items:>6}{n_coupons:>5}{max_orders:>4}{cases:>5}{_pct(times, 0.5):>9.1f}"
              f"{_pct(times, 0.95):>9.1f}{max(times):>9.1f}{proven:>5}/{cases:<3}{exact_text:>7}"
              f"{statistics.mean(gains) / 100:>10.2f}y{max(gains) / 100:>9.2f}y")
        print("        how: " + ", ".join(f"{k} {v}" for k, v in sorted(methods.items())))
    if kept:
        print(f"baseline, the first {len(kept)} target carts, same run, by each method (solver only):")
        baseline(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer carts per size")
    parser.add_argument("--cases", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--baseline", type=int, default=40, help="target carts re-solved by the earlier methods")
    parser.add_argument("--exhaustive", type=int, default=1000, help="extra small carts checked against brute force")
    parser.add_argument("--percent", type=int, default=300, help="percent-heavy small carts checked against brute force")
    args = parser.parse_args()
    cases = args.cases or (10 if args.quick else 40)
    run(cases, args.sizes.split(","), args.seed, args.baseline)
    if args.exhaustive:
        agreement(args.exhaustive, args.seed)
    if args.percent:
        agreement_percent(args.percent, args.seed)


if __name__ == "__main__":
    main()
