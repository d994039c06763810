"""Property tests: every answer re-prices exactly, never costs more than no coupons, and matches brute force."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tridesk.ecommerce.promotions import optimize, parse_request
from tridesk.ecommerce.promotions.pricing import exhaustive, price_response

STORES = ["A", "B"]
CATEGORIES = ["food", "home"]


@st.composite
def carts(draw: st.DrawFn) -> dict:
    n = draw(st.integers(0, 5))
    items = [
        {
            "sku": f"s{i}",
            "price": draw(st.integers(0, 30000)) / 100,
            "qty": draw(st.integers(1, 3)),
            "store": draw(st.sampled_from(STORES)),
            "category": draw(st.sampled_from(CATEGORIES)),
        }
        for i in range(n)
    ]
    coupons = []
    for j in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["threshold", "percent", "direct"]))
        scope = draw(
            st.sampled_from(
                [None, {"stores": ["A"]}, {"categories": ["home"]}, {"skus": ["s0", "s1"]},
                 {"stores": ["B"], "categories": ["food"]}]
            )
        )
        coupon = {
            "id": f"c{j}",
            "kind": kind,
            "scope": scope,
            "stack_group": draw(st.sampled_from([None, "g", "h"])),
            "new_user_only": draw(st.booleans()),
            "max_uses": draw(st.sampled_from([None, 1, 2])),
        }
        if kind == "threshold":
            coupon["threshold"] = draw(st.integers(1, 400))
            coupon["amount"] = draw(st.integers(1, 60))
            coupon["repeat"] = draw(st.booleans())
        elif kind == "percent":
            coupon["rate"] = draw(st.sampled_from([0.05, 0.1, 0.15, 0.29, 0.5]))
            coupon["cap"] = draw(st.sampled_from([None, 5, 20]))
        else:
            coupon["amount"] = draw(st.integers(1, 150))
        coupons.append(coupon)
    return {
        "items": items,
        "coupons": coupons,
        "user": {"is_new": draw(st.booleans())},
        "max_orders": draw(st.integers(1, 3)),
        "lang": draw(st.sampled_from(["zh", "en"])),
    }


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(carts())
def test_answer_is_priced_exactly_and_is_optimal(payload):
    # WHEN the optimiser answers
    answer = optimize(payload)
    cart = parse_request(payload)
    # THEN the independent checker pays exactly the reported total, never more than without coupons
    priced = price_response(cart, answer)
    assert priced.total_after == round(answer["total_after"] * 100)
    assert priced.total_after <= cart.total
    assert round(answer["saving"] * 100) == cart.total - priced.total_after
    for order, got in zip(priced.orders, answer["orders"], strict=True):
        assert round(got["pay"] * 100) == order.pay and round(got["discount"] * 100) == order.discount
    # AND brute force finds nothing cheaper, nor as cheap with fewer orders
    best = exhaustive(cart)
    assert answer["optimal"] is True
    assert (priced.total_after, len(priced.orders)) == (best.total_after, len(best.orders))
    assert len(answer["steps"]) == 3
