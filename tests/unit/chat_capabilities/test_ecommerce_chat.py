"""E-commerce chat capabilities over the real tracking service with fake OMS, carrier and stores."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from local.carrier_service import DEMO_ANCHOR, demo_orders, demo_shipments
from tests.fakes.breaker_store import InMemoryBreakerStore
from tests.fakes.chat_context import context, customer_turn
from tests.fakes.tracking_cache_store import InMemoryTrackingCacheStore
from tests.fakes.tracking_sources import FakeCarrier, FakeClock, FakeOrders
from tridesk.core import capabilities
from tridesk.core.tenants import Tenant
from tridesk.ecommerce import chat
from tridesk.ecommerce.tracking.breaker import BreakerConfig, BreakerRegistry
from tridesk.ecommerce.tracking.freshness import FreshnessPolicy
from tridesk.ecommerce.tracking.l1 import L1Cache
from tridesk.ecommerce.tracking.service import TrackingService

SHOP = Tenant("demo-ecommerce", "Demo shop", "ecommerce")
ZHANG = {"app_user_id": "cust-zhangwei"}
LINA = {"app_user_id": "cust-lina"}


class World:
    def __init__(self) -> None:
        self.clock = FakeClock(DEMO_ANCHOR.timestamp() + 120)
        self.orders = FakeOrders(demo_orders())
        self.carrier = FakeCarrier(demo_shipments())
        store = InMemoryTrackingCacheStore(clock=self.clock)
        breakers = BreakerRegistry(InMemoryBreakerStore(), BreakerConfig(min_requests=50, sync_interval_s=0),
                                   clock=self.clock)
        self.service = TrackingService(
            orders=self.orders, carrier=self.carrier, store=store, breakers=breakers,
            policy=FreshnessPolicy(settled_ttl_s=3600, in_transit_ttl_s=60, l1_ttl_s=5, overrides={}),
            l1=L1Cache(64, clock=self.clock), clock=self.clock, sleep=self.clock.advance,
        )


@pytest.fixture
def world() -> Iterator[World]:
    w = World()
    chat.use_tracking(w.service)
    yield w
    chat.use_tracking(None)


def ask(intent: str, text: str, ids=ZHANG, **kw):
    return chat.CAPABILITIES[intent](context(SHOP, intent, text, channel_ids=ids, **kw))


# ---------------------------------------------------------------------------------- order status
def test_order_status_answers_from_the_tracking_service_in_both_languages(world: World) -> None:
    reply = ask("order_status", "我的快递怎么还没到 ECD20261111002")
    assert reply.resolved is True and reply.action == "ecommerce.order_status.found"
    zh = reply.text.zh
    assert "ECD20261111002" in zh and "运输中" in zh and "ZTO78120345561" in zh
    assert "北京转运中心" in zh and "预计送达" in zh
    en = reply.text.en
    assert "In transit" in en and "Arrived at the Beijing transit center" in en and "Estimated delivery" in en
    [card] = reply.cards
    assert card["type"] == "tracking" and card["order_id"] == "ECD20261111002" and card["status"] == "in_transit"
    assert card["events"][0]["description"] == "快件已到达【北京转运中心】"  # newest first, in the reply's language
    assert world.orders.calls == 1 and world.carrier.calls == 1


def test_a_settled_order_has_no_eta_and_an_unshipped_one_says_so(world: World) -> None:
    signed = ask("order_status", "where is my order ECD20261111001", lang="en")
    assert "Signed for" in signed.text.en and "Estimated delivery" not in signed.text.en
    unshipped = ask("order_status", "ECD20261111008发货了吗", ids={"app_user_id": "cust-emily"})
    assert "待发货" in unshipped.text.zh and "等待仓库发货" in unshipped.text.zh and unshipped.resolved is True


def test_another_customers_order_is_not_revealed(world: World) -> None:
    reply = ask("order_status", "ECD20261111005 到哪了", ids=ZHANG)  # cust-lina's held parcel
    assert reply.resolved is False and reply.action == "ecommerce.order_status.not_found"
    assert list(reply.cards) == []
    assert "没有找到订单 ECD20261111005" in reply.text.zh
    assert "Wuhan" not in reply.text.en and "武汉" not in reply.text.zh and "滞留" not in reply.text.zh
    assert ask("order_status", "ECD20261111999 到哪了").text.zh == reply.text.zh.replace("005", "999")


def test_the_order_id_comes_from_earlier_in_the_conversation(world: World) -> None:
    history = [customer_turn("订单ECD20261111003", 0), customer_turn("嗯", 1)]
    reply = ask("order_status", "现在到哪了", history=history)
    assert [c["order_id"] for c in reply.cards] == ["ECD20261111003"]
    assert "派送中" in reply.text.zh


def test_without_an_order_id_it_asks_and_a_waybill_is_not_looked_up(world: World) -> None:
    asked = ask("order_status", "我的快递到哪了")
    assert asked.resolved is False and "订单号" in asked.text.zh and "order number" in asked.text.en
    waybill = ask("order_status", "SF1400270151928 到哪了")
    assert waybill.resolved is False and "SF1400270151928" in waybill.text.zh and "快递单号" in waybill.text.zh
    assert world.orders.calls == 0


def test_a_caller_without_the_app_identity_sees_no_order(world: World) -> None:
    reply = ask("order_status", "ECD20261111002 到哪了", ids={"openid": "o-mini-1"})
    assert reply.resolved is False and reply.action == "ecommerce.order_status.not_linked"
    assert world.orders.calls == 0


def test_the_oms_identity_is_a_tenant_setting(world: World) -> None:
    tenant = Tenant("demo-ecommerce", "Shop", "ecommerce", settings={"oms_customer_identity": "unionid"})
    ctx = context(tenant, "order_status", "ECD20261111002", channel_ids={"app_user_id": "x-1", "unionid": "cust-zhangwei"})
    assert chat.order_status(ctx).resolved is True


def test_a_sick_upstream_gives_the_polite_checking_reply(world: World) -> None:
    world.orders.fail = True
    reply = ask("order_status", "ECD20261111002 到哪了")
    assert reply.resolved is False and reply.action == "ecommerce.order_status.degraded"
    assert "正在为您查询订单 ECD20261111002" in reply.text.zh and "follow up" in reply.text.en
    assert reply.cards[0]["source"] == "degraded"


def test_a_logistics_complaint_apologises_and_flags_an_exception(world: World) -> None:
    reply = ask("logistics_complaint", "快递一直不动，太慢了 ECD20261111005", ids=LINA)
    assert reply.text.zh.startswith("非常抱歉") and "滞留" in reply.text.zh and "暴雨" in reply.text.zh
    assert reply.resolved is False and reply.action == "ecommerce.logistics.exception"
    assert "sorry" in reply.text.en.lower() and "Held" in reply.text.en


def test_several_orders_in_one_message(world: World) -> None:
    reply = ask("order_status", "ECD20261111001 和 ECD20261111002 都到哪了")
    assert [c["order_id"] for c in reply.cards] == ["ECD20261111001", "ECD20261111002"]
    assert reply.resolved is True and reply.text.zh.count("订单 ECD") == 2


# ---------------------------------------------------------------------------------- promotions
@pytest.mark.parametrize(
    ("text", "add", "pay"),
    [
        ("满300减50 能用吗 我买了280", "20.00", "250.00"),
        ("I have 280 in my cart, can I use the 50 off 300 coupon?", "20.00", "250.00"),
        ("满200减30，我买了2件一共185.5元", "14.50", "170.00"),  # 2 is a count, not the amount
    ],
)
def test_a_threshold_question_computes_the_gap(text: str, add: str, pay: str) -> None:
    reply = ask("promotion_question", text, lang="en" if text[0].isascii() else "zh")
    assert reply.resolved is True and reply.action == "ecommerce.promotion.gap"
    assert f"{add}" in reply.text.zh and f"{add}" in reply.text.en
    assert pay in reply.text.zh and pay in reply.text.en
    card = reply.cards[0]
    assert card["usable"] is False and f"{card['add_to_unlock']:.2f}" == add
    assert "-" not in reply.text.zh  # never a negative amount


def test_the_gap_reply_says_whether_topping_up_costs_more() -> None:
    costs = ask("promotion_question", "满300减10 我买了280")  # pays 290 for 300 of goods
    assert "比现在多付 10.00 元" in costs.text.zh and "10.00 more than now" in costs.text.en
    worth = ask("promotion_question", "满200减30 我买了185.5")  # 200 - 30 = 170 < 185.50
    assert "少付 15.50 元" in worth.text.zh and "15.50 less" in worth.text.en
    even = ask("promotion_question", "满300减20 我买了280")
    assert "一样多" in even.text.zh and "the same" in even.text.en


def test_a_threshold_met_is_usable_and_a_repeat_rule_shows_the_next_step() -> None:
    met = ask("promotion_question", "满300减50，我买了320元能用吗")
    assert met.resolved is True and "立减 50.00 元，实付 270.00 元" in met.text.zh
    every = ask("promotion_question", "每满200减20，我买了450元")
    assert "立减 40.00 元" in every.text.zh and "再凑 150.00 元还能再减 20.00 元" in every.text.zh
    assert every.cards[0]["repeat"] is True


def test_a_rule_without_an_amount_is_explained_and_no_rule_gets_the_guide() -> None:
    rule = ask("promotion_question", "满300减50是什么意思")
    assert rule.resolved is None and "300.00" in rule.text.zh and "50.00" in rule.text.en
    general = ask("promotion_question", "优惠券怎么用")
    assert general.resolved is False and "满减券" in general.text.zh and "calculator" in general.text.en


def test_absurd_amounts_get_the_guide_not_an_error() -> None:
    for text in ("满999999999减50 我买了280", "满300减50 我买了99999999999"):
        reply = ask("promotion_question", text)
        assert reply.action == "ecommerce.promotion.explained" and reply.resolved is False


# ---------------------------------------------------------------------------------- returns, payments
def test_return_refund_explains_the_steps_tailored_to_the_order(world: World) -> None:
    asked = ask("return_refund", "我要退货")
    assert asked.resolved is False and asked.action == "ecommerce.return.ask_order_id" and "订单号" in asked.text.zh
    signed = ask("return_refund", "ECD20261111001 我要退货")
    assert signed.resolved is False and "申请售后" in signed.text.zh and "After-sales" in signed.text.en
    assert signed.cards[0]["status"] == "signed"
    unshipped = ask("return_refund", "ECD20261111008 不想要了，退款", ids={"app_user_id": "cust-emily"})
    assert "取消订单" in unshipped.text.zh and "Cancel order" in unshipped.text.en
    others = ask("return_refund", "ECD20261111008 退款")  # not zhangwei's order
    assert others.action == "ecommerce.return.order_not_found" and list(others.cards) == []


def test_payment_problem_collects_the_order_and_amount() -> None:
    partial = ask("payment_problem", "付款失败了")
    assert partial.resolved is False and "订单号和扣款金额" in partial.text.zh
    full = ask("payment_problem", "订单ECD20261111002扣了我两次 536元")
    assert full.resolved is False and "ECD20261111002" in full.text.zh and "536.00" in full.text.en
    assert "订单号和扣款金额" not in full.text.zh


def test_registration_covers_the_ecommerce_intents() -> None:
    was = capabilities.handler_for("ecommerce", "order_status")
    capabilities.unregister("ecommerce")
    assert capabilities.handler_for("ecommerce", "order_status") is None
    chat.register()
    try:
        served = capabilities.registered()["ecommerce"]
        assert set(served) == {"order_status", "logistics_complaint", "promotion_question", "return_refund",
                               "payment_problem"}
        assert capabilities.handler_for("ecommerce", "order_status") is chat.order_status
    finally:
        if was is None:
            capabilities.unregister("ecommerce")


# ---------------------------------------------------------------------------------- through the chat turn
def test_a_chat_turn_reaches_the_capability_with_the_callers_app_identity(world: World, monkeypatch) -> None:
    from tests.fakes.conversation import FakeIdentityStore, FakeTicketStore, FakeTurnStore, ListQueue
    from tridesk.core.conversation import ConversationService
    from tridesk.core.tickets import TicketDesk

    monkeypatch.setenv("TRIDESK_IDENTITY_PEPPER", "unit")
    was = capabilities.handler_for("ecommerce", "order_status")
    chat.register()
    try:
        svc = ConversationService(FakeIdentityStore(), FakeTurnStore(), TicketDesk(FakeTicketStore(), ListQueue()))
        out = svc.chat(SHOP, {"channel": "app", "identity": ZHANG, "text": "我的快递怎么还没到 ECD20261111002"})
        assert out["intent"] in ("order_status", "logistics_complaint")
        assert out["slots"]["order_id"] == "ECD20261111002"
        assert out["reply"]["resolved"] is True and out["reply"]["cards"][0]["status"] == "in_transit"
        assert out["customer_id"].startswith("c-") and "cust-zhangwei" not in str(out["slots"])
        # the same person from the mini-program without the app id: nothing is revealed
        mini = svc.chat(SHOP, {"channel": "miniprogram", "identity": {"openid": "o-zhang-1"},
                               "text": "订单ECD20261111002到哪了"})
        assert mini["reply"]["resolved"] is False and mini["reply"]["cards"] == []
    finally:
        if was is None:
            capabilities.unregister("ecommerce")
