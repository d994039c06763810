"""Handoff decision and the summary card."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tridesk.core.errors import ValidationError
from tridesk.core.handoff import CARD_LABELS, CustomerProfile, Turn, build_summary_card, decide_handoff
from tridesk.core.intents import detect

T0 = datetime(2024, 6, 1, 10, 0, tzinfo=timezone.utc)


def customer(text: str, channel: str, minute: int) -> Turn:
    found = detect(text)
    return Turn("customer", text, channel, T0 + timedelta(minutes=minute), found.name, found.confidence,
                found.slots, found.sentiment)


def bot(text: str, channel: str, minute: int, *, resolved: bool, action: str | None = None,
        intent: str | None = None) -> Turn:
    return Turn("bot", text, channel, T0 + timedelta(minutes=minute), intent=intent, resolved=resolved, action=action)


def three_failed_turns() -> list[Turn]:
    return [
        customer("我要退货，订单E202405180012345", "app", 0),
        bot("请问是哪件商品？", "app", 1, resolved=False, action="ecommerce.return_request"),
        customer("连衣裙，退款三百元什么时候到", "miniprogram", 5),
        bot("正在查询退款进度……暂未查到", "miniprogram", 6, resolved=False, action="ecommerce.refund_status"),
        customer("还是没查到吗，订单202406010000123456也要退", "miniprogram", 9),
        bot("抱歉，暂时无法处理", "miniprogram", 10, resolved=False, action="ecommerce.refund_status"),
    ]


def test_three_unresolved_bot_replies_hand_over() -> None:
    turns = three_failed_turns()
    assert decide_handoff(turns[:4]).handoff is False
    decision = decide_handoff(turns)
    assert decision.handoff and decision.reason == "unresolved_turns" and decision.unresolved_streak == 3
    assert decision.message("en") and decision.message("zh") != decision.message("en")


def test_a_resolved_reply_or_an_agent_resets_the_streak() -> None:
    turns = three_failed_turns()
    turns.insert(3, bot("已为您提交退货", "app", 5, resolved=True))
    assert decide_handoff(turns).handoff is False
    with_agent = three_failed_turns()[:4] + [Turn("agent", "我来处理", "app", T0, None)] + three_failed_turns()[4:]
    assert decide_handoff(with_agent).unresolved_streak == 1


def test_asking_for_a_human_hands_over_at_once() -> None:
    decision = decide_handoff([customer("转人工", "web", 0)])
    assert decision.handoff and decision.reason == "human_requested"


def test_an_upset_customer_is_handed_over() -> None:
    decision = decide_handoff([customer("你们这服务太差了，气死我了！！", "app", 0)])
    assert decision.handoff and decision.reason == "negative_sentiment"


def test_no_second_handoff_while_a_ticket_is_open() -> None:
    assert decide_handoff([customer("转人工", "web", 0)], open_ticket=True).handoff is False


def test_summary_card_is_complete() -> None:
    # GIVEN a return asked about in the app and again from the mini-program, three failed replies
    turns = three_failed_turns()
    profile = CustomerProfile("cus-1", name="王女士", vip=True, tier="gold")
    # WHEN the card is built for the handoff
    card = build_summary_card(profile, turns, reason=decide_handoff(turns).reason)
    # THEN the agent sees everything without asking again
    assert card.customer.customer_id == "cus-1"
    assert card.channels == ["app", "miniprogram"]
    assert "return_refund" in card.intents
    assert card.order_ids == ["E202405180012345", "202406010000123456"]
    assert card.facts["amount"] == ["300.00"] and card.facts["product"] == ["连衣裙"]
    assert [b["action"] for b in card.bot_tried] == [
        "ecommerce.return_request", "ecommerce.refund_status", "ecommerce.refund_status"]
    assert not any(b["resolved"] for b in card.bot_tried)
    assert card.reason == "unresolved_turns"
    assert card.last_customer_message == turns[4].text
    assert card.turn_count == 6 and card.sentiment in ("neutral", "negative")
    assert card.to_dict()["customer"]["vip"] is True


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_card_renders_with_labels_in_both_languages(lang: str) -> None:
    card = build_summary_card(CustomerProfile("cus-1", vip=True), three_failed_turns(), "unresolved_turns")
    shown = card.render(lang)
    assert shown["title"] == CARD_LABELS["title"].get(lang)
    labels = {f["key"]: f for f in shown["fields"]}
    assert {"customer", "channels", "intents", "order_ids", "facts", "bot_tried", "sentiment", "reason"} <= set(labels)
    assert all(f["label"] == CARD_LABELS[f["key"]].get(lang) for f in shown["fields"])
    assert "E202405180012345" in labels["order_ids"]["value"]
    assert ("退货退款" if lang == "zh" else "Return / refund") in labels["intents"]["value"]


def test_summary_needs_turns() -> None:
    with pytest.raises(ValidationError) as err:
        build_summary_card(CustomerProfile("c"), [])
    assert err.value.field == "turns"
