"""Promotion routes: the cheapest way to pay for a cart, and the rule sandbox for operations."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.http import Call, json_route
from tridesk.core.errors import ValidationError
from tridesk.ecommerce import promotions

bp = Blueprint(__name__)

# API Gateway gives up after 29 s: the solver stops well before and answers ``optimal: false``.
OPTIMIZE_MAX_S = 5.0
RULES_CHECK_MAX_S = 10.0


def _with_lang(call: Call) -> dict[str, Any]:
    """The body with the language the answer speaks (body, then ?lang, Accept-Language, tenant)."""
    assert call.body is not None
    if call.body.get("lang") not in (None, "zh", "en"):
        raise ValidationError("must be zh or en", field="lang")
    return {**call.body, "lang": call.lang}


@json_route(bp, "/v1/promotions/optimize", ("POST",), body=True)
def post_optimize(call: Call) -> dict[str, Any]:
    """Split the cart and place the coupons so that the customer pays least, with three steps."""
    return promotions.optimize(_with_lang(call), max_time_s=OPTIMIZE_MAX_S)


@json_route(bp, "/v1/promotions/rules/check", ("POST",), body=True)
def post_rules_check(call: Call) -> dict[str, Any]:
    """Conflicts among promotion rules and which of them fire on sample carts."""
    return promotions.check_rules(_with_lang(call), budget_s=RULES_CHECK_MAX_S)
