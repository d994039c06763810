"""Invalid requests are rejected with the offending field."""

from __future__ import annotations

import pytest

from tridesk.core.errors import ConflictError, ValidationError
from tridesk.ecommerce.promotions import optimize

ITEM = {"sku": "a", "price": 10, "qty": 1, "store": "A", "category": "food", "tags": []}
COUPON = {"id": "c", "kind": "direct", "amount": 5}


def body(**changes):
    payload = {"items": [dict(ITEM)], "coupons": [dict(COUPON)], "user": {"is_new": False}, "max_orders": 1}
    payload.update(changes)
    return payload


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (body(items=[dict(ITEM), {**ITEM, "price": -1}]), "items[1].price"),
        (body(items=[{**ITEM, "qty": 0}]), "items[0].qty"),
        (body(items=[{**ITEM, "qty": 1.5}]), "items[0].qty"),
        (body(items=[{**ITEM, "price": "abc"}]), "items[0].price"),
        (body(items=[{k: v for k, v in ITEM.items() if k != "sku"}]), "items[0].sku"),
        (body(items=[{k: v for k, v in ITEM.items() if k != "price"}]), "items[0].price"),
        (body(coupons=[{**COUPON, "kind": "bogus"}]), "coupons[0].kind"),
        (body(coupons=[{"id": "t", "kind": "threshold", "threshold": -1, "amount": 5}]), "coupons[0].threshold"),
        (body(items=[{**ITEM, "price": "12.5"}]), "items[0].price"),
        (body(items=[{**ITEM, "sku": 7}]), "items[0].sku"),
        (body(items=[{**ITEM, "qty": 100_001}]), "items[0].qty"),
        (body(coupons=[{"id": "p", "kind": "percent", "rate": "0.1"}]), "coupons[0].rate"),
        (body(coupons=[{"id": "p", "kind": "percent", "rate": 1.5}]), "coupons[0].rate"),
        (body(coupons=[{"kind": "direct", "amount": 5}]), "coupons[0].id"),
        (body(coupons=[{**COUPON, "max_uses": 0}]), "coupons[0].max_uses"),
        (body(items=[dict(ITEM)] * 501), "items"),
        (body(coupons=[{**COUPON, "id": f"c{i}"} for i in range(201)]), "coupons"),
        (body(max_orders=0), "max_orders"),
        (body(user={"is_new": "yes"}), "user.is_new"),
        (body(items=None), "items"),
    ],
)
def test_invalid_input_names_the_field(payload, field):
    with pytest.raises(ValidationError) as caught:
        optimize(payload)
    assert caught.value.field == field
    assert caught.value.to_body()["error"]["field"] == field


def test_optional_fields_may_be_null_or_absent():
    payload = {
        "items": [{"sku": "a", "price": 99.9, "qty": 2, "store": None, "category": None, "tags": None}],
        "coupons": [
            {"id": "p", "kind": "percent", "rate": 0.1, "cap": None, "scope": None, "stack_group": None,
             "repeat": None, "new_user_only": None, "max_uses": None, "threshold": None, "amount": None},
        ],
        "user": None,
        "max_orders": None,
        "lang": None,
    }
    answer = optimize(payload)
    assert answer["total_after"] == 179.82
    assert isinstance(answer["solve_ms"], float)


def test_duplicate_coupon_ids_conflict():
    # the plan names coupons by id, so two coupons with one id cannot both be answered for
    with pytest.raises(ConflictError) as caught:
        optimize(body(coupons=[dict(COUPON), dict(COUPON)]))
    assert caught.value.field == "coupons[1].id"
    assert caught.value.status == 409


def test_a_threshold_coupon_without_threshold_has_none_and_cannot_repeat():
    payload = body(
        items=[{**ITEM, "price": 30, "qty": 2}],
        coupons=[{"id": "t", "kind": "threshold", "amount": 5, "repeat": True}, {"id": "p", "kind": "percent"}],
    )
    answer = optimize(payload)
    # 5 off once (no threshold to repeat on), and a percent coupon without a rate saves nothing
    assert answer["total_after"] == 55.0
    assert answer["orders"][0]["coupons"] == ["t"]
