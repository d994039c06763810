"""The three-step explanation, wasted coupons, add-on hints and the rule sandbox."""

from __future__ import annotations

import pytest

from tridesk.core.errors import ValidationError
from tridesk.ecommerce.promotions import check_rules, optimize

ITEMS = [
    {"sku": "a1", "price": 120, "qty": 1, "store": "A", "category": "home"},
    {"sku": "a2", "price": 68, "qty": 1, "store": "A", "category": "food"},
    {"sku": "b1", "price": 160, "qty": 1, "store": "B", "category": "home"},
]
COUPONS = [
    {"id": "A200", "kind": "threshold", "threshold": 200, "amount": 20, "scope": {"stores": ["A"]},
     "stack_group": "store"},
    {"id": "B150", "kind": "threshold", "threshold": 150, "amount": 15, "scope": {"stores": ["B"]},
     "stack_group": "store"},
    {"id": "NEW", "kind": "direct", "amount": 5, "new_user_only": True},
]


def payload(lang: str) -> dict:
    return {"items": ITEMS, "coupons": COUPONS, "user": {"is_new": False}, "max_orders": 2, "lang": lang}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_three_steps_in_the_requested_language(lang):
    answer = optimize(payload(lang))
    steps = answer["steps"]
    assert len(steps) == 3
    assert ("第一步" in steps[0]) == (lang == "zh")
    assert ("Step 1" in steps[0]) == (lang == "en")
    assert "B150" in steps[1]
    assert "15.00" in steps[2] and "333.00" in steps[2]


def test_wasted_coupons_and_the_smallest_add_on():
    # GIVEN store A at 188 (12 short of its 200-20 coupon) and a new-user coupon for an old customer
    answer = optimize(payload("en"))
    # THEN both unused coupons are reported with a reason
    reasons = {w["coupon"]: w["reason"] for w in answer["wasted"]}
    assert reasons == {"A200": "threshold_not_met", "NEW": "new_user_only"}
    # AND the hint names the 12.00 that would unlock A200
    hint = answer["hints"][0]
    assert hint["coupon"] == "A200" and hint["add"] == 12.0
    assert "12.00" in hint["text"] and "store A" in hint["text"]
    assert "12.00" in optimize(payload("zh"))["hints"][0]["text"]


def test_rules_check_finds_conflicts():
    rules = {
        "coupons": [
            {"id": "T1", "kind": "threshold", "threshold": 200, "amount": 30, "scope": {"stores": ["A"]},
             "stack_group": "store"},
            {"id": "T2", "kind": "threshold", "threshold": 300, "amount": 35, "scope": {"stores": ["A"]},
             "stack_group": "store", "stack_with": ["X"]},
            {"id": "X", "kind": "direct", "amount": 5, "stack_with": ["T1"]},
            {"id": "T1", "kind": "direct", "amount": 1},
            {"id": "Z", "kind": "percent", "rate": 0.1, "cap": 0},
            {"id": "GHOST", "kind": "direct", "amount": 5, "scope": {"skus": ["nope"]}},
        ],
        "carts": [{"items": ITEMS, "max_orders": 1}],
        "lang": "en",
    }
    report = check_rules(rules)
    kinds = {(c["type"], tuple(c["coupons"])) for c in report["conflicts"]}
    assert ("duplicate_id", ("T1",)) in kinds
    assert ("tier_inversion", ("T1", "T2")) in kinds
    assert ("stacking_loop", ("T1", "T2")) in kinds
    assert ("never_saves", ("Z",)) in kinds
    assert ("unusable_scope", ("GHOST",)) in kinds
    assert report["ok"] is False


def test_rules_check_coverage_over_sample_carts():
    rules = {"coupons": COUPONS, "carts": [{"items": ITEMS, "max_orders": 2},
                                            {"items": ITEMS[:2] + [{**ITEMS[0], "sku": "a3"}]}]}
    report = check_rules(rules)
    assert report["coverage"]["carts"] == 2
    assert report["coverage"]["fired"] == {"A200": 1, "B150": 1, "NEW": 0}
    assert report["coverage"]["never_fired"] == ["NEW"]
    assert report["ok"] is True


def test_rules_check_rejects_bad_rules_with_field():
    with pytest.raises(ValidationError) as caught:
        check_rules({"coupons": [{"id": "x", "kind": "nope"}]})
    assert caught.value.field == "coupons[0].kind"
