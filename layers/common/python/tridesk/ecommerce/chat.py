"""E-commerce in the conversation core: order status, logistics complaints, promotions, returns, payments.

Registered with core's capability registry when the API's chat routes import this module.

**Who is asking, for the OMS.** The OneID customer (``c-...``) is TriDesk's; the OMS knows its own
customer ids (``cust-zhangwei``). The link is the channel id the tenant's app logs its users in
with: the identity the tenant's setting ``oms_customer_identity`` names (default ``app_user_id``)
*is* the OMS customer id, as the channel's back end asserts it on every turn
(``ChatContext.channel_ids``). A turn without it (a mini-program user who never logged in to the
app) cannot see orders: the bot asks them to ask from the app, and reveals nothing. Orders are
looked up through the tracking service (L1, shared cache, OMS and carrier behind breakers), whose
owner check makes another customer's order and an unknown order the same polite "not found".

**Order ids** come from the message's slots (the OMS format, ``ECD20261111002``), else from the
customer's earlier turns in this conversation (the newest one mentioned). A waybill number
(``SF1400270151928``) is not an order id: the bot asks for the order id instead.

Replies are bilingual; the tracking card (``{"type": "tracking", ...}``) is the body of
``GET /v1/orders/{order_id}/tracking`` in the reply's language.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from tridesk.core.capabilities import ChatContext, Reply, register_capability
from tridesk.core.errors import NotFoundError, ValidationError
from tridesk.core.i18n import BiText
from tridesk.core.observability import logger
from tridesk.ecommerce.promotions.explain import hints
from tridesk.ecommerce.promotions.models import Cart, Item, format_yuan, parse_coupon
from tridesk.ecommerce.promotions.pricing import applies, coupon_value, price_plan
from tridesk.ecommerce.tracking.models import (
    EXCEPTION_STATUSES,
    SETTLED_STATUSES,
    Tracking,
    TrackingStatus,
)

INDUSTRY = "ecommerce"
OMS_IDENTITY_SETTING = "oms_customer_identity"
DEFAULT_OMS_IDENTITY = "app_user_id"
MAX_ORDERS_PER_REPLY = 3
MAX_CART_CENTS = 10_000_000_000  # the promotion calculator's own ceiling (100 million yuan)
#: the time zone tracking times are shown in (the tenant's ``timezone_offset_hours`` setting overrides)
DEFAULT_UTC_OFFSET_HOURS = 8


class TrackingLookup(Protocol):
    """What the capabilities need of ``tridesk.ecommerce.tracking.service.TrackingService``."""

    def get(self, tenant: str, customer_id: str, order_id: str) -> Tracking: ...


_tracking: TrackingLookup | None = None
_factory: Callable[[], TrackingLookup] | None = None
_lock = threading.Lock()


def _default_factory() -> TrackingLookup:
    from tridesk.ecommerce.tracking.wiring import tracking_service

    return tracking_service()


def tracking() -> TrackingLookup:
    """This container's tracking service for chat, built on first use (never at import)."""
    global _tracking
    if _tracking is None:
        with _lock:
            if _tracking is None:
                _tracking = (_factory or _default_factory)()
    return _tracking


def use_tracking(service: TrackingLookup | Callable[[], TrackingLookup] | None) -> None:
    """Plug a tracking service (or a factory of one) in; None goes back to the deployed wiring (tests)."""
    global _tracking, _factory
    with _lock:
        if service is None or hasattr(service, "get"):
            _tracking, _factory = service, None  # type: ignore[assignment]
        else:
            _tracking, _factory = None, service


# ---------------------------------------------------------------------------------------------- texts

ASK_ORDER_ID = BiText(
    "请告诉我您的订单号（在 App「我的订单」中可以看到，形如 ECD20261111002），我马上为您查询。",
    'Please tell me your order number (under "My orders" in the app, like ECD20261111002) and I will look it up.',
)
WAYBILL_NOT_ORDER = BiText(
    "您发来的 {number} 是快递单号。为保护您的隐私，请提供订单号（在 App「我的订单」中，形如 ECD20261111002），我来为您查询。",
    "{number} is a tracking (waybill) number. To protect your privacy, please give me the order number "
    '(under "My orders" in the app, like ECD20261111002) and I will look it up.',
)
LOG_IN_FIRST = BiText(
    "为保护您的隐私，订单信息需要在您登录的 App 账号中查询。请在 App 内联系客服，或回复“人工”转接人工客服。",
    'To protect your privacy, orders can only be looked up from the app account you are logged in to. '
    'Please ask from the app, or reply "agent" to talk to a person.',
)
NOT_FOUND = BiText(
    "抱歉，在您的账号下没有找到订单 {order_id}。请核对订单号（注意不是快递单号），或回复“人工”转接人工客服。",
    "Sorry, I could not find order {order_id} in your account. Please check the number (it is not the "
    'tracking number), or reply "agent" to talk to a person.',
)
HEAD = BiText("订单 {order_id}{parcel}：{status}。", "Order {order_id}{parcel}: {status}.")
PARCEL = BiText("（{carrier} {number}）", " ({carrier} {number})")
LATEST = BiText("最新动态：{time} {location}，{description}。", "Latest: {time}, {location}: {description}.")
ETA = BiText("预计送达：{eta}。", "Estimated delivery: {eta}.")
NO_ETA = BiText("承运商暂未给出预计送达时间。", "The carrier has not given a delivery estimate yet.")
NOT_SHIPPED = BiText("订单已付款，正在等待仓库发货，发货后您会收到通知。",
                     "The order is paid and waiting to leave the warehouse; you will be notified when it ships.")
EXCEPTION_NOTE = BiText(
    "这个包裹出现了异常，我们已记录，专员会跟进处理；如需马上处理请回复“人工”。",
    'Something went wrong with this parcel; we have noted it and a specialist will follow up. Reply "agent" '
    "for help right away.",
)
SORRY = BiText("非常抱歉让您久等了。", "We are very sorry for the wait.")
AS_OF = BiText("（{age_text}）", " ({age_text})")


def _offset(ctx: ChatContext) -> timezone:
    raw = ctx.tenant.settings.get("timezone_offset_hours", DEFAULT_UTC_OFFSET_HOURS)
    try:
        hours = float(raw)
    except (TypeError, ValueError):
        hours = DEFAULT_UTC_OFFSET_HOURS
    return timezone(timedelta(hours=hours))


def _when(value: datetime, tz: timezone) -> BiText:
    local = value.astimezone(tz)
    return BiText(f"{local.month}月{local.day}日 {local:%H:%M}", f"{local.day} {local:%b %H:%M}")


def oms_customer_id(ctx: ChatContext) -> str | None:
    """The OMS customer id of the caller: the channel id the tenant names (see the module doc)."""
    kind = ctx.tenant.settings.get(OMS_IDENTITY_SETTING) or DEFAULT_OMS_IDENTITY
    value = ctx.channel_ids.get(str(kind))
    return value or None


def order_ids_in_context(ctx: ChatContext) -> list[str]:
    """Order ids of this message; else the newest one the customer mentioned earlier in the conversation."""
    ids = list(ctx.intent.slots.get("order_ids") or [])
    if not ids and ctx.intent.slots.get("order_id"):
        ids = [str(ctx.intent.slots["order_id"])]
    if ids:
        return ids[:MAX_ORDERS_PER_REPLY]
    for turn in reversed(list(ctx.history)):
        if turn.role != "customer":
            continue
        earlier = turn.slots.get("order_ids") or ([turn.slots["order_id"]] if turn.slots.get("order_id") else [])
        if earlier:
            return [str(earlier[-1])]
    return []


def _tracking_text(found: Tracking, tz: timezone) -> BiText:
    """Status, latest event and ETA of one order in both languages."""
    parcel = (PARCEL.format(carrier=found.carrier, number=found.tracking_number)
              if found.carrier and found.tracking_number else BiText("", ""))
    parts = [BiText(HEAD.zh.format(order_id=found.order_id, parcel=parcel.zh, status=found.status.text.zh),
                    HEAD.en.format(order_id=found.order_id, parcel=parcel.en, status=found.status.text.en))]
    if found.events:
        last = found.events[-1]
        when = _when(last.time, tz)
        parts.append(BiText(
            LATEST.zh.format(time=when.zh, location=last.location.zh, description=last.description.zh),
            LATEST.en.format(time=when.en, location=last.location.en, description=last.description.en),
        ))
    if found.status == TrackingStatus.AWAITING_SHIPMENT:
        parts.append(NOT_SHIPPED)
    elif found.status not in SETTLED_STATUSES and found.status not in EXCEPTION_STATUSES:
        if found.estimated_delivery is not None:
            eta = _when(found.estimated_delivery, tz)
            parts.append(BiText(ETA.zh.format(eta=eta.zh), ETA.en.format(eta=eta.en)))
        else:
            parts.append(NO_ETA)
    return BiText("".join(p.zh for p in parts), " ".join(p.en for p in parts))


@dataclass(frozen=True)
class _Looked:
    order_id: str
    text: BiText
    card: dict[str, Any] | None
    outcome: str  # found, exception, degraded, not_found


def _look_up(ctx: ChatContext, customer: str, order_id: str) -> _Looked:
    try:
        found = tracking().get(ctx.tenant.tenant_id, customer, order_id, lang=ctx.lang)
    except (NotFoundError, ValidationError):
        return _Looked(order_id, NOT_FOUND.format(order_id=order_id), None, "not_found")
    card = {"type": "tracking", **found.to_dict(ctx.lang)}
    if found.source == "degraded":
        message = found.message or BiText("", "")
        if found.events:  # stale data with its age: show it, then the promise
            body = _tracking_text(found, _offset(ctx))
            return _Looked(order_id, BiText(message.zh + body.zh, message.en + " " + body.en), card, "degraded")
        return _Looked(order_id, message, card, "degraded")
    text = _tracking_text(found, _offset(ctx))
    if found.status in EXCEPTION_STATUSES:
        return _Looked(order_id, BiText(text.zh + EXCEPTION_NOTE.zh, text.en + " " + EXCEPTION_NOTE.en), card,
                       "exception")
    return _Looked(order_id, text, card, "found")


def _join(texts: Sequence[BiText]) -> BiText:
    return BiText("\n".join(t.zh for t in texts), "\n".join(t.en for t in texts))


def answer_orders(ctx: ChatContext, *, complaint: bool = False) -> Reply:
    """Order status (or a logistics complaint) from the tracking service, for the caller's own orders."""
    kind = "logistics" if complaint else "order_status"
    ids = order_ids_in_context(ctx)
    if not ids:
        waybill = ctx.intent.slots.get("tracking_number")
        if waybill:
            return Reply(WAYBILL_NOT_ORDER.format(number=waybill), resolved=False, action=f"ecommerce.{kind}.ask_order_id")
        return Reply(ASK_ORDER_ID, resolved=False, action=f"ecommerce.{kind}.ask_order_id")
    customer = oms_customer_id(ctx)
    if customer is None:
        return Reply(LOG_IN_FIRST, resolved=False, action=f"ecommerce.{kind}.not_linked")
    looked = [_look_up(ctx, customer, oid) for oid in ids]
    texts = [x.text for x in looked]
    if complaint and any(x.outcome in ("found", "exception", "degraded") for x in looked):
        texts.insert(0, SORRY)
    cards = [x.card for x in looked if x.card is not None]
    outcomes = {x.outcome for x in looked}
    resolved = outcomes == {"found"}
    worst = next(o for o in ("not_found", "degraded", "exception", "found") if o in outcomes)
    logger.info("chat order lookup", extra={"orders": len(ids), "outcome": worst, "intent": ctx.intent.name})
    return Reply(_join(texts), cards, resolved=resolved, action=f"ecommerce.{kind}.{worst}")


def order_status(ctx: ChatContext) -> Reply:
    return answer_orders(ctx)


def logistics_complaint(ctx: ChatContext) -> Reply:
    return answer_orders(ctx, complaint=True)


# ---------------------------------------------------------------------------------------------- promotions

_NUM = r"(\d+(?:\.\d{1,2})?)"
_CUR = r"\s*(?:元|块钱|块|yuan|rmb|¥|\$)?\s*"
_RULES = (
    # 满300减50, 每满200减20, 满300-50
    re.compile(rf"(?P<every>每)?满\s*[¥$]?{_NUM}{_CUR}[减\-－]\s*[¥$]?{_NUM}"),
    # 300减50
    re.compile(rf"(?<![A-Za-z0-9.])[¥$]?{_NUM}{_CUR}减\s*[¥$]?{_NUM}"),
    # 50 off 300, $50 off orders over $300, 20 off every 200
    re.compile(rf"[¥$]?{_NUM}{_CUR}off\s+(?:(?:orders?|purchases?|spend(?:ing)?)\s+)?"
               rf"(?:(?P<every>every|each|per)\s+|(?:over|above|of|from|at least)\s+)?[¥$]?{_NUM}",
               re.IGNORECASE),
    # spend 300 get/save 50 (off)
    re.compile(rf"spend\s+[¥$]?{_NUM}{_CUR}(?:and\s+)?(?:get|save|take)\s+[¥$]?{_NUM}", re.IGNORECASE),
)
_COUNT_AFTER = re.compile(r"^\s*(?:件|个|单|张|次|天|号|月|日|年|items?|pcs|pieces?|days?|orders?)", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![A-Za-z0-9.:/-])[¥$]?(\d+(?:\.\d{1,2})?)(?![0-9:/-])")  # not dates, times

RULE_EXPLAINED = BiText(
    "「{label}」的意思是：同一订单里适用商品满 {threshold} 元，立减 {amount} 元{repeat_zh}。"
    "告诉我您购物车的金额（例如“我买了280”），我帮您算还差多少、能省多少。",
    '"{label}" means: when the eligible items in one order reach {threshold}, {amount} comes off{repeat_en}. '
    'Tell me your cart total (e.g. "my cart is 280") and I will work out how much more you need and what you save.',
)
GAP = BiText(
    "您现在的 {have} 元还差 {add} 元才能用「{label}」。再凑 {add} 元，满 {reach} 元后立减 {off} 元，实付 {pay} 元。",
    'Your {have} is {add} short of "{label}". Add {add} more: at {reach} you get {off} off and pay {pay}.',
)
GAP_COSTS = BiText("比现在多付 {extra} 元，多得 {add} 元的商品。", "That is {extra} more than now, for {add} more of goods.")
GAP_EVEN = BiText("和现在付的一样多，却多得 {add} 元的商品。", "You pay the same as now and get {add} more of goods.")
GAP_WORTH = BiText("凑单后反而比现在少付 {saved} 元，很划算。", "That is {saved} less than you pay now: worth it.")
USABLE = BiText("可以用！{have} 元满足「{label}」，立减 {off} 元，实付 {pay} 元。",
                'Yes! {have} qualifies for "{label}": {off} off, you pay {pay}.')
NEXT_REPEAT = BiText("再凑 {add} 元还能再减 {amount} 元。", "Add {add} more and another {amount} comes off.")
PROMO_GENERAL = BiText(
    "常见的优惠有三种：满减券（如满300减50，同一订单满额立减）、折扣券（如85折，可能有最高减免）和无门槛立减券；"
    "同一叠加组的券不能同时用。把优惠规则和您的金额告诉我（例如“满300减50，我买了280”），我帮您算；"
    "多件商品、多张券怎么拆单最省，可以用下单页的“优惠计算器”。需要人工帮忙请回复“人工”。",
    "Coupons come in three kinds: spend-and-save (e.g. 50 off 300, taken off one order once it reaches the threshold), "
    "percentage off (e.g. 15% off, sometimes capped) and direct discounts; coupons of the same stacking group do not "
    'combine. Tell me the rule and your amount (e.g. "50 off 300, my cart is 280") and I will work it out; the '
    '"best price" calculator at checkout splits a multi-item cart across coupons for you. Reply "agent" for a person.',
)


def _yuan(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if value > 0 else None


@dataclass(frozen=True)
class PromotionAsk:
    """What a promotion question says: a spend-and-save rule and/or the customer's amount (yuan)."""

    threshold: Decimal | None = None
    amount: Decimal | None = None
    every: bool = False
    have: Decimal | None = None


def parse_promotion(text: str, amount_cents: int | None = None) -> PromotionAsk:
    """The first spend-and-save rule in ``text`` and the customer's amount (the other number, not a count)."""
    threshold = off = None
    every = False
    spans: list[tuple[int, int]] = []
    for i, pattern in enumerate(_RULES):
        m = pattern.search(text)
        if m is None:
            continue
        nums = [g for g in m.groups() if g is not None and re.fullmatch(r"\d+(?:\.\d{1,2})?", g)]
        a, b = _yuan(nums[0]), _yuan(nums[1])
        if a is None or b is None:
            continue
        threshold, off = (b, a) if i == 2 else (a, b)
        every = bool(m.groupdict().get("every"))
        spans.append(m.span())
        break
    if threshold is not None and off is not None and off >= threshold:
        threshold = off = None  # "满50减300" is no rule a shop runs: read nothing rather than nonsense
        spans = []
    have: Decimal | None = None
    for m in _NUMBER.finditer(text):
        if any(s <= m.start() < e for s, e in spans) or _COUNT_AFTER.match(text[m.end():]):
            continue
        have = _yuan(m.group(1))
        if have is not None:
            break
    if have is None and amount_cents:
        have = Decimal(amount_cents) / 100
    return PromotionAsk(threshold, off, every, have)


def _fmt(value: Decimal | int) -> str:
    cents = value if isinstance(value, int) else int((value * 100).to_integral_value())
    return format_yuan(cents)


def promotion_question(ctx: ChatContext) -> Reply:
    """Compute the gap to a spend-and-save threshold, or explain how coupons work."""
    ask = parse_promotion(ctx.text, ctx.intent.slots.get("amount_cents"))
    if ask.threshold is None or ask.amount is None:
        return Reply(PROMO_GENERAL, resolved=False, action="ecommerce.promotion.explained")
    label_zh = f"{'每' if ask.every else ''}满{ask.threshold.normalize():f}减{ask.amount.normalize():f}"
    label_en = f"{ask.amount.normalize():f} off {'every ' if ask.every else ''}{ask.threshold.normalize():f}"
    try:
        coupon = parse_coupon({"id": "chat", "kind": "threshold", "threshold": ask.threshold, "amount": ask.amount,
                               "repeat": ask.every}, 0)
    except ValidationError:  # amounts no coupon can have: a chat message is never a 400
        return Reply(PROMO_GENERAL, resolved=False, action="ecommerce.promotion.explained")
    if ask.have is None:
        return Reply(
            BiText(RULE_EXPLAINED.zh.format(label=label_zh, threshold=_fmt(coupon.threshold), amount=_fmt(coupon.amount),
                                            repeat_zh="，每满一次减一次" if ask.every else ""),
                   RULE_EXPLAINED.en.format(label=label_en, threshold=_fmt(coupon.threshold), amount=_fmt(coupon.amount),
                                            repeat_en=" for every full step" if ask.every else "")),
            resolved=None, action="ecommerce.promotion.rule_explained",
        )
    have = int((ask.have * 100).to_integral_value())
    if have > MAX_CART_CENTS:
        return Reply(PROMO_GENERAL, resolved=False, action="ecommerce.promotion.explained")
    cart = Cart(items=(Item(index=0, sku="cart", price=have, qty=1),), coupons=(coupon,))
    usable = applies(coupon, have, False)
    plan = price_plan(cart, [([0], [0] if usable else [])])
    gap = next((h.add for h in hints(cart, plan) if h.coupon == coupon.id), None)
    card: dict[str, Any] = {
        "type": "promotion", "rule": {"zh": label_zh, "en": label_en}.get(ctx.lang, label_zh),
        "threshold": coupon.threshold / 100, "amount_off": coupon.amount / 100, "repeat": coupon.repeat,
        "cart_total": have / 100, "usable": usable, "discount": plan.saving / 100, "pay": plan.total_after / 100,
        "add_to_unlock": None if gap is None else gap / 100,
    }
    if usable:
        off = coupon_value(coupon, have, False)
        parts = [BiText(USABLE.zh.format(have=_fmt(have), label=label_zh, off=_fmt(off), pay=_fmt(plan.total_after)),
                        USABLE.en.format(have=_fmt(have), label=label_en, off=_fmt(off), pay=_fmt(plan.total_after)))]
        if coupon.repeat and gap is not None:
            parts.append(NEXT_REPEAT.format(add=_fmt(gap), amount=_fmt(coupon.amount)))
        text = BiText("".join(p.zh for p in parts), " ".join(p.en for p in parts))
        return Reply(text, [card], resolved=True, action="ecommerce.promotion.usable")
    assert gap is not None  # below a positive threshold the hint is the missing amount
    reach = have + gap
    pay_after = reach - coupon_value(coupon, reach, False)
    extra = pay_after - have
    values = {"have": _fmt(have), "add": _fmt(gap), "reach": _fmt(reach), "off": _fmt(coupon.amount),
              "pay": _fmt(pay_after)}
    if extra > 0:
        tail = GAP_COSTS.format(extra=_fmt(extra), add=_fmt(gap))
    elif extra == 0:
        tail = GAP_EVEN.format(add=_fmt(gap))
    else:
        tail = GAP_WORTH.format(saved=_fmt(-extra))
    text = BiText(GAP.zh.format(label=label_zh, **values) + tail.zh,
                  GAP.en.format(label=label_en, **values) + " " + tail.en)
    return Reply(text, [card], resolved=True, action="ecommerce.promotion.gap")


# ---------------------------------------------------------------------------------------------- returns, payments

RETURN_STEPS = BiText(
    "退货退款流程：1）在 App「我的订单」中打开订单{order}，点“申请售后”；2）选择“退货退款”或“仅退款”，写明原因并上传照片；"
    "3）审核通过后（通常 24 小时内），按页面地址寄回，商品保持完好、配件齐全（签收 7 天内支持无理由退货）；"
    "4）仓库签收后 1-3 个工作日原路退款。",
    'Returns and refunds: 1) open order{order} under "My orders" in the app and tap "After-sales"; '
    '2) choose "Return and refund" or "Refund only", give the reason and add photos; 3) once approved (usually '
    "within 24 hours) send it back to the address shown, complete and undamaged (no-reason returns within 7 days "
    "of delivery); 4) the refund goes back to your payment method 1-3 working days after the warehouse receives it.",
)
RETURN_NOT_SHIPPED = BiText("订单{order}还没有发货，直接在订单页“取消订单”即可，款项会立即原路退回。",
                            'Order{order} has not shipped yet: just tap "Cancel order" and the payment goes straight back.')
RETURN_IN_TRANSIT = BiText("订单{order}正在配送中：可以拒收，或签收后再申请退货。",
                           "Order{order} is on its way: you can refuse the delivery, or return it after it arrives.")
RETURN_ASK = BiText("请告诉我要退的订单号，我帮您确认能否退、怎么退。", "Tell me the order number and I will check how to return it.")
PAYMENT_STEPS = BiText(
    "支付问题请这样处理：1）在 App「我的订单」中查看订单{order}的支付状态；2）如果显示“待支付”但已扣款，通常是银行入账延迟，"
    "15 分钟内会自动更新，超时未成功的款项会在 1-3 个工作日内原路退回；3）重复扣款会自动退还多扣的部分{amount}；"
    "4）仍有问题请回复“人工”，我们会带着这些信息为您转接专员。",
    'For payment problems: 1) check the payment status of order{order} under "My orders"; 2) if it says "awaiting '
    "payment\" but you were charged, the bank's confirmation is usually late and it updates within 15 minutes; a "
    "payment that does not go through is returned within 1-3 working days; 3) a double charge is refunded "
    'automatically{amount}; 4) if it is still wrong, reply "agent" and a specialist takes over with these details.',
)
PAYMENT_ASK = BiText("为了帮您核对，请告诉我订单号和扣款金额。", "To check it, please tell me the order number and the amount charged.")


def _order_phrase(ids: Sequence[str]) -> BiText:
    return BiText(f" {ids[0]} ", f" {ids[0]}") if ids else BiText("", "")


def return_refund(ctx: ChatContext) -> Reply:
    """Explain the return steps (tailored to the order's shipping state when it can be seen); unresolved."""
    ids = order_ids_in_context(ctx)
    phrase = _order_phrase(ids)
    steps = BiText(RETURN_STEPS.zh.format(order=phrase.zh), RETURN_STEPS.en.format(order=phrase.en))
    if not ids:
        return Reply(BiText(RETURN_ASK.zh + steps.zh, RETURN_ASK.en + " " + steps.en), resolved=False,
                     action="ecommerce.return.ask_order_id")
    parts = [steps]
    cards: list[dict[str, Any]] = []
    customer = oms_customer_id(ctx)
    if customer is not None:
        try:
            found = tracking().get(ctx.tenant.tenant_id, customer, ids[0], lang=ctx.lang)
        except (NotFoundError, ValidationError):
            return Reply(NOT_FOUND.format(order_id=ids[0]), resolved=False, action="ecommerce.return.order_not_found")
        if found.source != "degraded":
            cards.append({"type": "tracking", **found.to_dict(ctx.lang)})
            if found.status == TrackingStatus.AWAITING_SHIPMENT:
                parts = [BiText(RETURN_NOT_SHIPPED.zh.format(order=phrase.zh), RETURN_NOT_SHIPPED.en.format(order=phrase.en))]
            elif found.status not in SETTLED_STATUSES and found.status not in EXCEPTION_STATUSES:
                parts.insert(0, BiText(RETURN_IN_TRANSIT.zh.format(order=phrase.zh),
                                       RETURN_IN_TRANSIT.en.format(order=phrase.en)))
    text = BiText("".join(p.zh for p in parts), " ".join(p.en for p in parts))
    return Reply(text, cards, resolved=False, action="ecommerce.return.guided")


def payment_problem(ctx: ChatContext) -> Reply:
    """Explain what to check for a payment problem, collecting the order id and amount; unresolved."""
    ids = order_ids_in_context(ctx)
    amount = ctx.intent.slots.get("amount")
    phrase = _order_phrase(ids)
    money = BiText(f"（{amount} 元）", f" ({amount})") if amount else BiText("", "")
    text = BiText(PAYMENT_STEPS.zh.format(order=phrase.zh, amount=money.zh),
                  PAYMENT_STEPS.en.format(order=phrase.en, amount=money.en))
    if not ids or not amount:
        text = BiText(PAYMENT_ASK.zh + text.zh, PAYMENT_ASK.en + " " + text.en)
    return Reply(text, resolved=False, action="ecommerce.payment.guided" if ids else "ecommerce.payment.ask_order_id")


CAPABILITIES: dict[str, Callable[[ChatContext], Reply]] = {
    "order_status": order_status,
    "logistics_complaint": logistics_complaint,
    "promotion_question": promotion_question,
    "return_refund": return_refund,
    "payment_problem": payment_problem,
}


def register() -> None:
    """Put the e-commerce capabilities into core's registry (idempotent; runs on import)."""
    for intent, handler in CAPABILITIES.items():
        register_capability(INDUSTRY, intent, handler)


register()
