"""The chat turn end to end over fakes: capability dispatch, reply checks, handoff, memory, stats."""

from __future__ import annotations

import pytest

from tests.fakes.conversation import FakeIdentityStore, FakeTicketStore, FakeTurnStore, ListQueue
from tridesk.core import capabilities
from tridesk.core.capabilities import CheckOutcome, Reply
from tridesk.core.conversation import ConversationService
from tridesk.core.errors import ValidationError
from tridesk.core.i18n import BiText
from tridesk.core.tenants import Tenant
from tridesk.core.tickets import TicketDesk

SHOP = Tenant("unit-shop", "Shop", "ecommerce")
APP = {"app_user_id": "u-unit-1"}


@pytest.fixture
def svc(monkeypatch) -> ConversationService:
    monkeypatch.setenv("TRIDESK_IDENTITY_PEPPER", "unit")
    return ConversationService(FakeIdentityStore(), FakeTurnStore(), TicketDesk(FakeTicketStore(), ListQueue()))


@pytest.fixture
def clean_registry():
    # tridesk.ecommerce.chat registers the real capabilities when imported (by other tests or the
    # in-process API): these tests need the industry empty, and put it back as they found it
    before = {i: capabilities.handler_for("ecommerce", i) for i in capabilities.registered().get("ecommerce", [])}
    capabilities.unregister("ecommerce")
    yield
    capabilities.unregister("ecommerce")
    for intent, handler in before.items():
        if handler is not None:
            capabilities.register_capability("ecommerce", intent, handler)


def chat(svc, text, identity=APP, channel="app", **extra):
    return svc.chat(SHOP, {"channel": channel, "identity": identity, "text": text, **extra})


def test_unregistered_capability_answers_not_yet_available_in_both_languages(svc, clean_registry):
    zh = chat(svc, "我要退货，订单E2024051100012345")
    en = chat(svc, "I want to return my order E2024051100012345 and get a refund", lang="en")
    assert zh["reply"]["resolved"] is False and "暂未开通" in zh["reply"]["text"]
    assert en["reply"]["resolved"] is False and "not available yet" in en["reply"]["text"]


def test_a_registered_capability_answers_and_a_fix_check_rewrites(svc, clean_registry):
    capabilities.register_capability(
        "ecommerce", "order_status",
        lambda ctx: Reply(BiText("订单已发货。", "Shipped."), cards=[{"type": "order"}], resolved=True, action="t"),
    )
    capabilities.register_reply_check("ecommerce", "fix", lambda text, ctx: CheckOutcome("fix", text + "（已核实）"))
    out = chat(svc, "我的订单E2024051100012345到哪了")
    assert out["intent"] == "order_status"
    assert out["reply"] == {"text": "订单已发货。（已核实）", "cards": [{"type": "order"}], "resolved": True}
    assert out["handoff"] is None


def test_a_blocked_reply_is_replaced_and_handed_over(svc, clean_registry):
    capabilities.register_capability(
        "ecommerce", "order_status", lambda ctx: Reply(BiText("保证明天到", "Guaranteed"), resolved=True)
    )
    capabilities.register_reply_check("ecommerce", "block", lambda text, ctx: CheckOutcome("block"))
    out = chat(svc, "我的订单E2024051100012345到哪了")
    assert "保证" not in out["reply"]["text"] and out["handoff"]["reason"] == "reply_blocked"


def test_three_unresolved_replies_hand_over_once_with_the_card(svc, clean_registry):
    outs = [chat(svc, "我要退货，订单E2024051100012345")]
    for text in ("退款300元什么时候到", "怎么退货"):
        outs.append(chat(svc, text, session_id=outs[0]["session_id"]))
    assert [o["handoff"] is not None for o in outs] == [False, False, True]
    card = outs[-1]["handoff"]["card"]
    assert card["type"] == "handoff_summary"
    ticket = svc.ticket(SHOP, outs[-1]["handoff"]["ticket_id"], "zh")
    assert ticket["summary"]["order_ids"] == ["E2024051100012345"] and len(ticket["summary"]["bot_tried"]) == 3
    follow = chat(svc, "在吗", session_id=outs[0]["session_id"])
    assert follow["handoff"]["new"] is False
    stats = svc.stats(SHOP, 1)
    assert stats["handoffs"] == 1 and stats["customer_turns"] == 4 and stats["bot_replies"] == 4
    assert stats["handoff_rate"] == 1.0 and stats["time_to_first_reply_ms"]["p50"] is not None


def test_history_pages_are_exact_and_newest_first(svc, clean_registry):
    for i in range(4):
        chat(svc, f"你好{i}")
    customer = chat(svc, "你好")["customer_id"]
    first = svc.history(SHOP, customer, None, 4)
    rest = svc.history(SHOP, customer, first["next_cursor"], 10)
    texts = [t["text"] for t in first["items"] + rest["items"]]
    assert len(texts) == 10 and rest["next_cursor"] is None
    assert [t for t in texts if t.startswith("你好")][:2] == ["你好", "你好3"]
    with pytest.raises(ValidationError):
        svc.history(SHOP, customer, "garbage", 5)


@pytest.mark.parametrize("text", ["", "   ", None, "x" * 2001])
def test_empty_or_oversized_texts_are_rejected(svc, text):
    with pytest.raises(ValidationError) as err:
        svc.chat(SHOP, {"channel": "app", "identity": APP, "text": text})
    assert err.value.field == "text"
