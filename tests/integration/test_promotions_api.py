"""The promotion routes on the local stack: a split that beats one order, 400s with the field, both languages."""

from __future__ import annotations

import requests

from tridesk.ecommerce.promotions.models import parse_request
from tridesk.ecommerce.promotions.pricing import price_response

TENANT = {"X-Tenant-Id": "demo-ecommerce"}

# two store coupons of one stacking group: one order can use only one of them, two orders both
SPLIT_CART = {
    "items": [
        {"sku": "A-tea", "price": 120, "qty": 1, "store": "A", "category": "food", "tags": []},
        {"sku": "A-cup", "price": 85, "qty": 1, "store": "A", "category": "home", "tags": []},
        {"sku": "B-lamp", "price": 210, "qty": 1, "store": "B", "category": "home", "tags": []},
    ],
    "coupons": [
        {"id": "A200-20", "kind": "threshold", "threshold": 200, "amount": 20, "stack_group": "store",
         "scope": {"stores": ["A"], "categories": [], "skus": []}},
        {"id": "B200-25", "kind": "threshold", "threshold": 200, "amount": 25, "stack_group": "store",
         "scope": {"stores": ["B"]}},
    ],
    "user": {"is_new": False},
    "max_orders": 2,
}


def post(stack, path, body, **headers):
    return requests.post(f"{stack.api_url}{path}", json=body, headers={**TENANT, **headers}, timeout=30)


def test_splitting_beats_one_order_and_the_answer_reprices_exactly(stack):
    answer = post(stack, "/v1/promotions/optimize", {**SPLIT_CART, "lang": "en"})
    assert answer.status_code == 200
    body = answer.json()
    # two orders, one store coupon each: 45 off instead of the 25 one order allows
    assert body["optimal"] is True
    assert (body["total_before"], body["total_after"], body["saving"]) == (415.0, 370.0, 45.0)
    assert sorted(sorted(order["items"]) for order in body["orders"]) == [["A-cup", "A-tea"], ["B-lamp"]]
    priced = price_response(parse_request(SPLIT_CART), body)
    assert priced.total_after == 37000
    assert len(body["steps"]) == 3 and body["steps"][0].startswith("Step 1: split the cart into 2 orders")


def test_steps_follow_the_language(stack):
    zh = post(stack, "/v1/promotions/optimize", SPLIT_CART).json()  # the demo tenant speaks Chinese
    en = post(stack, "/v1/promotions/optimize", SPLIT_CART, **{"Accept-Language": "en-US"}).json()
    assert zh["steps"][0].startswith("第一步：分成2单结算")
    assert "省45.00元" in zh["steps"][2]
    assert en["steps"][2] == "Step 3: you pay 370.00 instead of 415.00, saving 45.00."
    assert zh["total_after"] == en["total_after"] == 370.0


def test_invalid_input_is_a_400_naming_the_field(stack):
    bad_price = {**SPLIT_CART, "items": [{**SPLIT_CART["items"][0], "price": -3}]}
    cases = [
        (bad_price, "items[0].price"),
        ({**SPLIT_CART, "coupons": [{"id": "x", "kind": "bogus"}]}, "coupons[0].kind"),
        ({**SPLIT_CART, "max_orders": 0}, "max_orders"),
        ({"coupons": []}, "items"),
        ({**SPLIT_CART, "lang": "fr"}, "lang"),
    ]
    for body, field in cases:
        answer = post(stack, "/v1/promotions/optimize", body)
        assert answer.status_code == 400, body
        assert answer.json()["error"]["field"] == field


def test_rules_check_reports_conflicts_and_coverage(stack):
    body = {
        "coupons": [
            {"id": "t100", "kind": "threshold", "threshold": 100, "amount": 10},
            {"id": "t300", "kind": "threshold", "threshold": 300, "amount": 20},
            {"id": "ghost", "kind": "direct", "amount": 5, "scope": {"stores": ["Z"]}},
        ],
        "carts": [{"items": SPLIT_CART["items"], "max_orders": 1}],
        "lang": "en",
    }
    answer = post(stack, "/v1/promotions/rules/check", body)
    assert answer.status_code == 200
    report = answer.json()
    types = {c["type"]: c["coupons"] for c in report["conflicts"]}
    assert set(types["tier_inversion"]) == {"t100", "t300"}
    assert types["unusable_scope"] == ["ghost"]
    assert report["coverage"]["carts"] == 1
    assert report["coverage"]["fired"]["t300"] == 1 and "ghost" in report["coverage"]["never_fired"]
    missing = post(stack, "/v1/promotions/rules/check", {"coupons": "no"})
    assert missing.status_code == 400 and missing.json()["error"]["field"] == "coupons"
