"""Industry capabilities through ``POST /v1/chat`` on the local stack: real tracking, learning and promotions.

The demo links (docs/conversation.md, "Capabilities"): the app user id *is* the OMS customer id in
demo-ecommerce (``cust-zhangwei``) and the student id in demo-education (``stu-xiaoming``).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from tridesk.core import capabilities
from tridesk.ecommerce.tracking.dynamo import DynamoBreakerStore
from tridesk.ecommerce.tracking.wiring import UPSTREAMS


def chat(stack, tenant: str, identity: dict[str, Any], text: str, **extra: Any) -> dict[str, Any]:
    response = requests.post(
        f"{stack.api_url}/v1/chat", headers={"X-Tenant-Id": tenant},
        json={"channel": "app", "identity": identity, "text": text, **extra}, timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


def tracking(stack, order_id: str, customer: str, lang: str) -> dict[str, Any]:
    response = requests.get(
        f"{stack.api_url}/v1/orders/{order_id}/tracking", params={"lang": lang},
        headers={"X-Tenant-Id": "demo-ecommerce", "X-Customer-Id": customer}, timeout=15,
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module", autouse=True)
def industries(stack):
    """The chat routes register the industries on the first turn; make sure they are (still) there."""
    chat(stack, "demo-ecommerce", {"app_user_id": f"u-{uuid.uuid4().hex[:8]}"}, "你好")
    from tridesk.ecommerce import chat as ecommerce
    from tridesk.education import chat as education
    from tridesk.finance import chat as finance

    for module in (ecommerce, education, finance):
        module.register()
    yield
    assert capabilities.handler_for("ecommerce", "order_status") is not None


@pytest.mark.parametrize(
    ("text", "lang", "order_id", "owner"),
    [("我的快递怎么还没到 ECD20261111010", "zh", "ECD20261111010", "cust-emily"),
     ("Where is my order ECD20261111001?", "en", "ECD20261111001", "cust-zhangwei")],
)
def test_order_status_answers_with_the_real_tracking(stack, text: str, lang: str, order_id: str, owner: str) -> None:
    # orders test_tracking.py never asks about: its "first answer is live" must stay true
    out = chat(stack, "demo-ecommerce", {"app_user_id": owner}, text)
    real = tracking(stack, order_id, owner, lang)
    assert out["intent"] in ("order_status", "logistics_complaint") and out["lang"] == lang
    assert out["slots"]["order_id"] == order_id
    reply = out["reply"]
    assert reply["resolved"] is True
    assert real["status_text"] in reply["text"] and real["events"][0]["description"] in reply["text"]
    card = reply["cards"][0]
    assert card["type"] == "tracking" and card["order_id"] == order_id
    assert (card["status"], card["tracking_number"]) == (real["status"], real["tracking_number"])
    assert card["estimated_delivery"] == real["estimated_delivery"]
    eta_said = "预计送达" in reply["text"] or "Estimated delivery" in reply["text"]
    assert eta_said is (real["status_class"] == "in_transit" and real["estimated_delivery"] is not None)


def test_another_customers_order_is_not_revealed(stack) -> None:
    # cust-zhangwei asks about cust-lina's parcel in a Wangjing locker
    out = chat(stack, "demo-ecommerce", {"app_user_id": "cust-zhangwei"}, "我的订单ECD20261111004到哪了")
    assert out["slots"]["order_id"] == "ECD20261111004"
    assert out["reply"]["resolved"] is False
    assert not any(card.get("type") == "tracking" for card in out["reply"]["cards"])
    assert "没有找到订单 ECD20261111004" in out["reply"]["text"]
    assert "望京" not in out["reply"]["text"] and "丰巢" not in out["reply"]["text"]


def test_a_sick_oms_gives_the_checking_reply(stack) -> None:
    carrier = stack.upstreams["carrier"]
    order_id = f"ECL{uuid.uuid4().int % 10**8:08d}"  # a load order nobody has asked about: not cached
    carrier.set_faults(outage=True)
    try:
        out = chat(stack, "demo-ecommerce", {"app_user_id": "cust-load"}, f"order {order_id} where is it?", lang="en")
    finally:
        carrier.reset_faults()
        store = DynamoBreakerStore()
        for name in UPSTREAMS:
            store.delete(name)
    assert out["reply"]["resolved"] is False
    assert f"We are checking the latest delivery status of order {order_id}" in out["reply"]["text"]
    assert out["reply"]["cards"][0]["source"] == "degraded"


def test_learning_progress_names_the_weak_point(stack) -> None:
    out = chat(stack, "demo-education", {"app_user_id": "stu-xiaoming"}, "我的学习进度怎么样")
    assert out["intent"] == "learning_progress"
    text = out["reply"]["text"]
    assert out["reply"]["resolved"] is True and "鸡兔同笼" in text and "简易方程" in text
    card = out["reply"]["cards"][0]
    assert card["type"] == "learning_diagnosis" and card["next_steps"][0]["point_id"] == "a.simple_equation"
    en = chat(stack, "demo-education", {"app_user_id": "stu-xiaoming"}, "How is my learning progress in math?")
    assert "Simple equations with one unknown" in en["reply"]["text"]


def test_a_promotion_threshold_question_computes_the_gap(stack) -> None:
    identity = {"app_user_id": f"u-{uuid.uuid4().hex[:10]}"}
    out = chat(stack, "demo-ecommerce", identity, "I have 280 in my cart, can I use the 50 off 300 coupon?")
    assert out["intent"] == "promotion_question" and out["reply"]["resolved"] is True
    assert "20.00 short" in out["reply"]["text"] and "pay 250.00" in out["reply"]["text"]
    assert out["reply"]["cards"][0]["add_to_unlock"] == 20.0
    zh = chat(stack, "demo-ecommerce", identity, "满300减50 能用吗 我买了280")
    assert "还差 20.00 元" in zh["reply"]["text"]


def test_a_wealth_question_is_answered_compliantly(stack) -> None:
    out = chat(stack, "demo-finance", {"app_user_id": f"u-{uuid.uuid4().hex[:10]}"}, "稳盈180天风险等级是什么")
    assert out["intent"] == "wealth_product_question" and out["handoff"] is None
    text = out["reply"]["text"]
    assert "稳盈180天" in text and "理财非存款" in text and "不构成投资建议" in text
