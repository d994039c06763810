"""Each promotion rule alone and combined, checked against the independent checker."""

from __future__ import annotations

from typing import Any

from tridesk.ecommerce.promotions import optimize, parse_request, solve
from tridesk.ecommerce.promotions.pricing import exhaustive, price_plan, price_response


def item(sku: str, price: float, store: str = "A", category: str = "food", qty: int = 1) -> dict[str, Any]:
    return {"sku": sku, "price": price, "qty": qty, "store": store, "category": category, "tags": []}


def run(items: list[dict], coupons: list[dict], **extra: Any) -> dict[str, Any]:
    payload = {"items": items, "coupons": coupons, "user": {"is_new": False}, "max_orders": 1, "lang": "en"}
    payload.update(extra)
    answer = optimize(payload)
    cart = parse_request(payload)
    priced = price_response(cart, answer)
    assert priced.total_after == round(answer["total_after"] * 100)
    assert answer["optimal"] is True
    return answer


def used(answer: dict) -> list[list[str]]:
    return [order["coupons"] for order in answer["orders"]]


def test_threshold_applies_only_when_reached():
    # GIVEN a 200-20 coupon
    coupon = {"id": "T", "kind": "threshold", "threshold": 200, "amount": 20}
    # WHEN the cart reaches it exactly, and when it misses by a cent
    hit = run([item("a", 150), item("b", 50)], [coupon])
    miss = run([item("a", 150), item("b", 49.99)], [coupon])
    # THEN only the first saves
    assert hit["total_after"] == 180.0 and used(hit) == [["T"]]
    assert miss["saving"] == 0 and used(miss) == [[]]


def test_repeat_threshold_counts_every_full_threshold():
    coupon = {"id": "R", "kind": "threshold", "threshold": 100, "amount": 15, "repeat": True}
    answer = run([item("a", 120, qty=3)], [coupon])
    assert answer["saving"] == 45.0


def test_percent_floors_to_the_cent_and_respects_cap():
    uncapped = {"id": "P", "kind": "percent", "rate": 0.15, "cap": None}
    capped = {"id": "P", "kind": "percent", "rate": 0.15, "cap": 10}
    assert run([item("a", 33.33)], [uncapped])["saving"] == 4.99
    assert run([item("a", 100)], [capped])["saving"] == 10.0


def test_direct_coupon_needs_an_item_in_scope():
    direct = {"id": "D", "kind": "direct", "amount": 5, "scope": {"skus": ["b"]}}
    assert run([item("a", 30), item("b", 20)], [direct])["saving"] == 5.0
    assert run([item("a", 30)], [direct])["saving"] == 0


def test_scope_lists_must_all_match():
    # GIVEN a coupon for store A *and* category home
    coupon = {"id": "S", "kind": "threshold", "threshold": 100, "amount": 10,
              "scope": {"stores": ["A"], "categories": ["home"], "skus": []}}
    # WHEN 100 is reached only by mixing store B home and store A food
    answer = run([item("a", 60, "A", "home"), item("b", 60, "B", "home"), item("c", 60, "A", "food")], [coupon])
    # THEN the coupon does not apply
    assert answer["saving"] == 0
    assert run([item("a", 60, "A", "home"), item("d", 40, "A", "home")], [coupon])["saving"] == 10.0


def test_one_coupon_per_stack_group_per_order_and_null_groups_stack():
    coupons = [
        {"id": "G1", "kind": "direct", "amount": 10, "stack_group": "g"},
        {"id": "G2", "kind": "direct", "amount": 12, "stack_group": "g"},
        {"id": "N1", "kind": "direct", "amount": 3, "stack_group": None},
        {"id": "N2", "kind": "direct", "amount": 4},
    ]
    answer = run([item("a", 100)], coupons)
    assert sorted(used(answer)[0]) == ["G2", "N1", "N2"]
    assert answer["saving"] == 19.0


def test_new_user_coupon_only_for_new_users():
    coupon = {"id": "NEW", "kind": "direct", "amount": 8, "new_user_only": True}
    assert run([item("a", 50)], [coupon])["saving"] == 0
    assert run([item("a", 50)], [coupon], user={"is_new": True})["saving"] == 8.0


def test_splitting_beats_one_order_when_coupons_share_a_group():
    # GIVEN two store coupons in one stacking group, each reachable by its own store
    items = [item("a1", 120, "A"), item("a2", 90, "A"), item("b1", 160, "B")]
    coupons = [
        {"id": "A200", "kind": "threshold", "threshold": 200, "amount": 20, "scope": {"stores": ["A"]},
         "stack_group": "store"},
        {"id": "B150", "kind": "threshold", "threshold": 150, "amount": 15, "scope": {"stores": ["B"]},
         "stack_group": "store"},
    ]
    # WHEN one order is allowed, and then two
    one = run(items, coupons, max_orders=1)
    two = run(items, coupons, max_orders=2)
    # THEN two orders save both coupons
    assert one["saving"] == 20.0
    assert two["saving"] == 35.0 and len(two["orders"]) == 2
    assert sorted(sorted(o["items"]) for o in two["orders"]) == [["a1", "a2"], ["b1"]]


def test_max_uses_lets_a_coupon_serve_several_orders():
    items = [item("a", 100, "A"), item("b", 100, "B")]
    coupons = [
        {"id": "P", "kind": "threshold", "threshold": 100, "amount": 10, "max_uses": 2},
        {"id": "Q", "kind": "threshold", "threshold": 200, "amount": 5, "stack_group": "x"},
    ]
    answer = run(items, coupons, max_orders=2)
    assert answer["saving"] == 20.0
    assert all(order["coupons"] == ["P"] for order in answer["orders"])


def test_equal_totals_prefer_fewer_orders():
    answer = run([item("a", 50), item("b", 70)], [{"id": "D", "kind": "direct", "amount": 5}], max_orders=3)
    assert len(answer["orders"]) == 1


def test_order_discount_never_exceeds_subtotal():
    coupons = [{"id": "BIG", "kind": "direct", "amount": 50}, {"id": "S", "kind": "direct", "amount": 2}]
    answer = run([item("a", 30)], coupons)
    assert answer["total_after"] == 0 and answer["orders"][0]["discount"] == 30.0
    assert answer["orders"][0]["coupons"] == ["BIG"]


def test_orders_list_only_coupons_with_eligible_items():
    items = [item("a", 250, "A"), item("b", 20, "B")]
    coupons = [{"id": "A", "kind": "threshold", "threshold": 200, "amount": 20, "scope": {"stores": ["A"]}}]
    for order in run(items, coupons, max_orders=2)["orders"]:
        if "A" in order["coupons"]:
            assert "a" in order["items"]


def test_zero_price_lines_and_empty_cart():
    answer = run([item("gift", 0), item("a", 100)], [{"id": "D", "kind": "direct", "amount": 5}])
    assert answer["total_after"] == 95.0
    assert sorted(answer["orders"][0]["items"]) == ["a", "gift"]
    empty = run([], [{"id": "D", "kind": "direct", "amount": 5}])
    assert empty["orders"] == [] and empty["total_after"] == 0


def test_all_rules_combined_match_exhaustive_search():
    items = [item("a", 129, "A", "home"), item("b", 79.9, "A", "food"), item("c", 150, "B", "home"),
             item("d", 35.5, "B", "food", qty=2), item("e", 210, "C", "digital")]
    coupons = [
        {"id": "A150", "kind": "threshold", "threshold": 150, "amount": 15, "scope": {"stores": ["A"]},
         "stack_group": "store"},
        {"id": "B200", "kind": "threshold", "threshold": 200, "amount": 25, "scope": {"stores": ["B"]},
         "stack_group": "store"},
        {"id": "P100", "kind": "threshold", "threshold": 100, "amount": 10, "repeat": True, "stack_group": "platform"},
        {"id": "HOME", "kind": "percent", "rate": 0.1, "cap": 20, "scope": {"categories": ["home"]}},
        {"id": "NEW", "kind": "direct", "amount": 10, "new_user_only": True, "stack_group": "platform"},
    ]
    payload = {"items": items, "coupons": coupons, "user": {"is_new": True}, "max_orders": 3}
    answer = run(items, coupons, user={"is_new": True}, max_orders=3)
    best = exhaustive(parse_request(payload))
    assert round(answer["total_after"] * 100) == best.total_after
    assert len(answer["orders"]) == len(best.orders)


def test_pulp_path_agrees_with_highspy():
    # GIVEN a cart where splitting pays
    payload = {
        "items": [item("a1", 120, "A"), item("a2", 90, "A"), item("b1", 160, "B")],
        "coupons": [
            {"id": "A200", "kind": "threshold", "threshold": 200, "amount": 20, "scope": {"stores": ["A"]},
             "stack_group": "store"},
            {"id": "B150", "kind": "threshold", "threshold": 150, "amount": 15, "scope": {"stores": ["B"]},
             "stack_group": "store"},
            {"id": "P", "kind": "threshold", "threshold": 100, "amount": 5, "repeat": True},
        ],
        "max_orders": 2,
    }
    cart = parse_request(payload)
    # WHEN solved through highspy and through PuLP
    fast, portable = solve(cart), solve(cart, backend="pulp")
    # THEN both prove the same total
    assert portable.method == "mip-pulp" and portable.optimal and fast.optimal
    assert price_plan(cart, fast.orders).total_after == price_plan(cart, portable.orders).total_after
