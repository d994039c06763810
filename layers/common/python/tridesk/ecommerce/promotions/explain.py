"""The bilingual "three-step money-saving method", wasted coupons and add-on hints for a plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tridesk.core.i18n import BiText
from tridesk.ecommerce.promotions.models import Cart, Coupon, format_yuan
from tridesk.ecommerce.promotions.pricing import PricedPlan, coupon_value, eligible_amount

STEP_SPLIT_ONE = BiText("第一步：所有商品放在同一单结算（{items}）。", "Step 1: check out everything in one order ({items}).")
STEP_SPLIT_MANY = BiText("第一步：分成{n}单结算：{orders}。", "Step 1: split the cart into {n} orders: {orders}.")
ORDER_ITEMS = BiText("第{k}单 {items}", "order {k}: {items}")
STEP_COUPONS = BiText("第二步：{uses}。", "Step 2: {uses}.")
STEP_NO_COUPON = BiText("第二步：没有可用的优惠券。", "Step 2: no coupon applies to this cart.")
COUPON_USE = BiText("第{k}单用{coupons}", "in order {k} use {coupons}")
COUPON_SAVES = BiText("{label}，省{amount}元", "{label}, saving {amount}")
STEP_TOTAL = BiText(
    "第三步：原价{before}元，实付{after}元，共省{saving}元。",
    "Step 3: you pay {after} instead of {before}, saving {saving}.",
)
STEP_HINT = BiText("另外：{hint}", " Also: {hint}")

LABEL_THRESHOLD = BiText("满{threshold}减{amount}券{id}", "coupon {id} ({amount} off {threshold})")
LABEL_REPEAT = BiText("每满{threshold}减{amount}券{id}", "coupon {id} ({amount} off every {threshold})")
LABEL_PERCENT = BiText("{rate}%折扣券{id}", "coupon {id} ({rate}% off)")
LABEL_PERCENT_CAP = BiText("{rate}%折扣券{id}（最高减{cap}）", "coupon {id} ({rate}% off, up to {cap})")
LABEL_DIRECT = BiText("立减{amount}券{id}", "coupon {id} ({amount} off)")

SCOPE_ANY = BiText("任意商品", "any item")
SCOPE_STORE = BiText("店铺{v}", "store {v}")
SCOPE_CATEGORY = BiText("品类{v}", "category {v}")
SCOPE_SKU = BiText("商品{v}", "item {v}")
SCOPE_TAG = BiText("标签{v}", "tag {v}")
SEP = BiText("、", ", ")

HINT_UNLOCK = BiText(
    "在第{k}单再买{add}元的{scope}，即可使用{label}。",
    "add {add} more from {scope} to order {k} to use {label}.",
)
HINT_UNLOCK_NEW = BiText("再买{add}元的{scope}，即可使用{label}。", "add {add} more from {scope} to use {label}.")
HINT_REPEAT = BiText(
    "在第{k}单再买{add}元的{scope}，{label}可再减{amount}元。",
    "add {add} more from {scope} to order {k} and {label} takes another {amount} off.",
)

REASONS = {
    "new_user_only": BiText("仅限新用户", "for new customers only"),
    "out_of_scope": BiText("购物车里没有适用商品", "no item in the cart is in its scope"),
    "threshold_not_met": BiText("未达到使用门槛", "its threshold is not reached"),
    "stack_group": BiText("与同组更优惠的券不能叠加", "a better coupon of the same stacking group is used"),
    "no_value": BiText("在本购物车上不省钱", "saves nothing on this cart"),
    "not_needed": BiText("订单已免单，无需再用", "the order is already free without it"),
}


def fill(template: BiText, **values: object) -> BiText:
    """Format both languages; a ``BiText`` value contributes the text of the same language."""
    zh = {k: v.zh if isinstance(v, BiText) else v for k, v in values.items()}
    en = {k: v.en if isinstance(v, BiText) else v for k, v in values.items()}
    return BiText(template.zh.format(**zh), template.en.format(**en))


@dataclass(frozen=True, slots=True)
class Hint:
    """The smallest add-on that unlocks a coupon (or one more repeat of it)."""

    coupon: str
    order: int | None
    add: int
    text: BiText


def coupon_label(coupon: Coupon) -> BiText:
    """A coupon named the way a shopper reads it."""
    if coupon.kind == "threshold":
        template = LABEL_REPEAT if coupon.repeat else LABEL_THRESHOLD
        return template.format(id=coupon.id, threshold=format_yuan(coupon.threshold), amount=format_yuan(coupon.amount))
    if coupon.kind == "percent":
        rate = f"{float(coupon.rate * 100):g}"
        if coupon.cap is None:
            return LABEL_PERCENT.format(id=coupon.id, rate=rate)
        return LABEL_PERCENT_CAP.format(id=coupon.id, rate=rate, cap=format_yuan(coupon.cap))
    return LABEL_DIRECT.format(id=coupon.id, amount=format_yuan(coupon.amount))


def scope_text(coupon: Coupon) -> BiText:
    parts: list[BiText] = []
    for template, values in (
        (SCOPE_STORE, coupon.scope.stores),
        (SCOPE_CATEGORY, coupon.scope.categories),
        (SCOPE_SKU, coupon.scope.skus),
        (SCOPE_TAG, coupon.scope.tags),
    ):
        if values:
            parts.append(template.format(v="/".join(sorted(values))))
    if not parts:
        return SCOPE_ANY
    return BiText(SEP.zh.join(p.zh for p in parts), SEP.en.join(p.en for p in parts))


def _join(texts: Sequence[BiText]) -> BiText:
    return BiText(SEP.zh.join(t.zh for t in texts), SEP.en.join(t.en for t in texts))


def wasted(cart: Cart, plan: PricedPlan) -> list[dict[str, str]]:
    """Each coupon the plan leaves unused, with the reason a shopper would understand."""
    used = {c for order in plan.orders for c in order.coupons}
    whole = list(cart.items)
    out = []
    for coupon in cart.coupons:
        if coupon.index in used:
            continue
        eligible = eligible_amount(coupon, whole)
        if coupon.new_user_only and not cart.is_new:
            reason = "new_user_only"
        elif eligible <= 0:
            reason = "out_of_scope"
        elif coupon.kind == "threshold" and eligible < coupon.threshold:
            reason = "threshold_not_met"
        elif coupon_value(coupon, eligible, cart.is_new) <= 0:
            reason = "no_value"
        elif any(order.pay == 0 for order in plan.orders):
            reason = "not_needed"
        else:
            reason = "stack_group"
        out.append({"coupon": coupon.id, "reason": reason})
    return out


def hints(cart: Cart, plan: PricedPlan, limit: int = 3) -> list[Hint]:
    """Smallest add-ons that unlock an unused threshold coupon or one more repeat of a used one."""
    found: list[Hint] = []
    used = {c for order in plan.orders for c in order.coupons}
    for coupon in cart.coupons:
        if coupon.kind != "threshold" or coupon.threshold <= 0 or coupon.amount <= 0:
            continue
        if coupon.new_user_only and not cart.is_new:
            continue
        label = coupon_label(coupon)
        scope = scope_text(coupon)
        best: Hint | None = None
        for k, order in enumerate(plan.orders, start=1):
            eligible = eligible_amount(coupon, [cart.items[i] for i in order.items])
            if coupon.index in order.coupons and coupon.repeat:
                add = (eligible // coupon.threshold + 1) * coupon.threshold - eligible
                text = fill(HINT_REPEAT, k=k, add=format_yuan(add), scope=scope, label=label,
                                          amount=format_yuan(coupon.amount))
            elif coupon.index not in used and 0 < eligible < coupon.threshold:
                add = coupon.threshold - eligible
                text = fill(HINT_UNLOCK, k=k, add=format_yuan(add), scope=scope, label=label)
            else:
                continue
            if best is None or add < best.add:
                best = Hint(coupon.id, k, add, text)
        if best is None and coupon.index not in used and not any(
            eligible_amount(coupon, [cart.items[i] for i in order.items]) for order in plan.orders
        ):
            best = Hint(coupon.id, None, coupon.threshold,
                        fill(HINT_UNLOCK_NEW, add=format_yuan(coupon.threshold), scope=scope, label=label))
        if best is not None:
            found.append(best)
    found.sort(key=lambda h: (h.add, h.coupon))
    return found[:limit]


def steps(cart: Cart, plan: PricedPlan, top_hints: Sequence[Hint], lang: str) -> list[str]:
    """Three plain steps: which items in which order, which coupons where, what it all saves."""
    orders = plan.orders
    if len(orders) <= 1:
        skus = SEP.get(lang).join(cart.items[i].sku for o in orders for i in o.items)
        first = STEP_SPLIT_ONE.format(items=skus)
    else:
        parts = [
            ORDER_ITEMS.format(k=k, items="/".join(cart.items[i].sku for i in o.items))
            for k, o in enumerate(orders, start=1)
        ]
        first = STEP_SPLIT_MANY.format(n=len(orders), orders=_join(parts).get(lang))
    uses = []
    for k, order in enumerate(orders, start=1):
        if not order.coupons:
            continue
        named = [
            COUPON_SAVES.format(label=coupon_label(cart.coupons[c]).get(lang), amount=format_yuan(v))
            for c, v in zip(order.coupons, order.values, strict=True)
        ]
        uses.append(COUPON_USE.format(k=k, coupons=_join(named).get(lang)))
    second = STEP_COUPONS.format(uses=_join(uses).get(lang)) if uses else STEP_NO_COUPON
    third = STEP_TOTAL.format(
        before=format_yuan(plan.total_before),
        after=format_yuan(plan.total_after),
        saving=format_yuan(plan.saving),
    )
    text = third.get(lang)
    if top_hints:
        text += STEP_HINT.format(hint=top_hints[0].text.get(lang)).get(lang)
    return [first.get(lang), second.get(lang), text]


def wasted_entries(cart: Cart, plan: PricedPlan, lang: str) -> list[dict[str, str]]:
    """Unused coupons for the response: id, machine reason and its text in ``lang``."""
    return [
        {"coupon": w["coupon"], "reason": w["reason"], "message": REASONS[w["reason"]].get(lang)}
        for w in wasted(cart, plan)
    ]
