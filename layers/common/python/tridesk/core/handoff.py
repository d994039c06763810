"""When the bot hands a conversation to a human, and the summary card the human receives.

Pure logic over a list of :class:`Turn` (oldest first). Rules, in order: an open ticket
means no new handoff; the customer asked for a human; the customer is upset (negative
sentiment on the last message); the last ``max_unresolved`` bot replies all failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from tridesk.core.errors import ValidationError
from tridesk.core.i18n import BiText
from tridesk.core.intents.labels import UNKNOWN, intent_label

Role = Literal["customer", "bot", "agent"]
HandoffReason = Literal["human_requested", "negative_sentiment", "unresolved_turns", "reply_blocked",
                        "follow_up_overdue"]
MAX_UNRESOLVED = 3
_NOT_A_TOPIC = {UNKNOWN, "greeting", "human_please"}
_SLOT_FACTS = ("amount", "product", "course", "card_last4")


@dataclass(frozen=True, slots=True)
class Turn:
    """One message of a conversation as the memory stores it.

    ``resolved`` matters on bot turns (did that reply answer the customer?); ``action`` names
    what the bot tried (a capability such as "ecommerce.order_lookup").
    """

    role: Role
    text: str
    channel: str
    at: datetime
    intent: str | None = None
    confidence: float | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    sentiment: str | None = None
    resolved: bool | None = None
    action: str | None = None


@dataclass(frozen=True, slots=True)
class CustomerProfile:
    """What the card says about the customer (OneID supplies it)."""

    customer_id: str
    name: str | None = None
    vip: bool = False
    tier: str | None = None


@dataclass(frozen=True, slots=True)
class HandoffDecision:
    handoff: bool
    reason: HandoffReason | None = None
    unresolved_streak: int = 0

    def message(self, lang: str | None) -> str | None:
        """The sentence the customer reads when handed over."""
        return REASON_TEXT[self.reason].get(lang) if self.reason else None


REASON_TEXT: dict[HandoffReason, BiText] = {
    "human_requested": BiText("好的，正在为您转接人工客服，请稍候。", "Sure, connecting you to a human agent now."),
    "negative_sentiment": BiText(
        "非常抱歉给您带来不好的体验，已为您转接人工客服优先处理。",
        "We are sorry about this. A human agent will take over and handle it first.",
    ),
    "unresolved_turns": BiText(
        "抱歉没能帮您解决，已为您转接人工客服，您无需重复描述问题。",
        "Sorry we could not solve this. A human agent is taking over; you will not need to repeat yourself.",
    ),
    "reply_blocked": BiText(
        "这个问题需要由专业人员为您解答，已为您转接人工客服，请稍候。",
        "A qualified specialist needs to answer this. We are connecting you to a human agent.",
    ),
    "follow_up_overdue": BiText(
        "我们暂时还没能查到结果，已安排人工客服继续为您跟进，会尽快与您联系。",
        "We could not get an answer in time, so a member of our team is following up and will contact you soon.",
    ),
}

CARD_LABELS: dict[str, BiText] = {
    "title": BiText("转人工摘要", "Handoff summary"),
    "customer": BiText("客户", "Customer"),
    "vip": BiText("VIP", "VIP"),
    "channels": BiText("使用渠道", "Channels used"),
    "intents": BiText("诉求", "Intents"),
    "order_ids": BiText("订单号", "Order ids"),
    "facts": BiText("关键信息", "Key facts"),
    "bot_tried": BiText("机器人已尝试", "What the bot tried"),
    "sentiment": BiText("客户情绪", "Sentiment"),
    "reason": BiText("转人工原因", "Handoff reason"),
    "last_message": BiText("客户最后一句", "Last customer message"),
    "waiting_since": BiText("开始等待", "Waiting since"),
}
SENTIMENT_TEXT: dict[str, BiText] = {
    "negative": BiText("不满", "Upset"),
    "neutral": BiText("平稳", "Calm"),
    "positive": BiText("满意", "Satisfied"),
}
REASON_LABEL: dict[HandoffReason, BiText] = {
    "human_requested": BiText("客户要求人工", "Customer asked for a human"),
    "negative_sentiment": BiText("客户情绪不满", "Customer is upset"),
    "unresolved_turns": BiText("连续多轮未解决", "Several replies in a row did not help"),
    "reply_blocked": BiText("回复未通过合规检查", "The reply failed a compliance check"),
    "follow_up_overdue": BiText("承诺的跟进到期仍未查到结果", "A promised follow-up came due without an answer"),
}
FACT_LABELS: dict[str, BiText] = {
    "amount": BiText("金额(元)", "Amount (yuan)"),
    "product": BiText("商品/产品", "Product"),
    "course": BiText("课程", "Course"),
    "card_last4": BiText("银行卡尾号", "Card ending"),
}


def unresolved_streak(turns: Sequence[Turn]) -> int:
    """Bot replies in a row, counted back from the end, that did not resolve; an agent turn resets it."""
    streak = 0
    for turn in reversed(turns):
        if turn.role == "agent" or (turn.role == "bot" and turn.resolved):
            break
        if turn.role == "bot" and turn.resolved is False:
            streak += 1
    return streak


def decide_handoff(
    turns: Sequence[Turn], *, open_ticket: bool = False, max_unresolved: int = MAX_UNRESOLVED
) -> HandoffDecision:
    """Should the conversation go to a human now, and why."""
    streak = unresolved_streak(turns)
    if open_ticket:
        return HandoffDecision(False, None, streak)
    last = next((t for t in reversed(turns) if t.role == "customer"), None)
    if last is not None and last.intent == "human_please":
        return HandoffDecision(True, "human_requested", streak)
    if last is not None and last.sentiment == "negative":
        return HandoffDecision(True, "negative_sentiment", streak)
    if streak >= max_unresolved:
        return HandoffDecision(True, "unresolved_turns", streak)
    return HandoffDecision(False, None, streak)


@dataclass(frozen=True, slots=True)
class SummaryCard:
    """Everything the agent needs so the customer never repeats themselves."""

    customer: CustomerProfile
    channels: list[str]
    intents: list[str]
    primary_intent: str | None
    order_ids: list[str]
    facts: dict[str, list[str]]
    bot_tried: list[dict[str, Any]]
    sentiment: str
    worst_sentiment: str
    reason: HandoffReason | None
    last_customer_message: str | None
    waiting_since: datetime | None
    turn_count: int

    def to_dict(self) -> dict[str, Any]:
        """Machine form for the ticket record."""
        return {
            "customer": {
                "customer_id": self.customer.customer_id,
                "name": self.customer.name,
                "vip": self.customer.vip,
                "tier": self.customer.tier,
            },
            "channels": list(self.channels),
            "intents": list(self.intents),
            "primary_intent": self.primary_intent,
            "order_ids": list(self.order_ids),
            "facts": {k: list(v) for k, v in self.facts.items()},
            "bot_tried": [dict(b) for b in self.bot_tried],
            "sentiment": self.sentiment,
            "worst_sentiment": self.worst_sentiment,
            "reason": self.reason,
            "last_customer_message": self.last_customer_message,
            "waiting_since": self.waiting_since.isoformat() if self.waiting_since else None,
            "turn_count": self.turn_count,
        }

    def render(self, lang: str | None) -> dict[str, Any]:
        """Display form for the agent console or a chat card: a title and labelled fields."""
        c = self.customer
        who = c.name or c.customer_id
        if c.vip:
            who = f"{who} ({CARD_LABELS['vip'].get(lang)}{' ' + c.tier if c.tier else ''})"
        sep = "、" if lang != "en" else ", "
        tried = [
            f"{intent_label(b['intent'], lang) if b['intent'] else '-'}: {b['action'] or '-'}"
            f" ({'✓' if b['resolved'] else '✗'})"
            for b in self.bot_tried
        ]
        rows: list[tuple[str, str]] = [
            ("customer", who),
            ("channels", sep.join(self.channels)),
            ("intents", sep.join(intent_label(i, lang) for i in self.intents)),
            ("order_ids", sep.join(self.order_ids)),
            ("facts", "; ".join(f"{FACT_LABELS[k].get(lang)}: {sep.join(v)}" for k, v in self.facts.items())),
            ("bot_tried", "; ".join(tried)),
            ("sentiment", SENTIMENT_TEXT.get(self.sentiment, SENTIMENT_TEXT["neutral"]).get(lang)),
            ("reason", REASON_LABEL[self.reason].get(lang) if self.reason else ""),
            ("last_message", self.last_customer_message or ""),
            ("waiting_since", self.waiting_since.isoformat() if self.waiting_since else ""),
        ]
        return {
            "type": "handoff_summary",
            "title": CARD_LABELS["title"].get(lang),
            "fields": [{"key": k, "label": CARD_LABELS[k].get(lang), "value": v} for k, v in rows],
        }


def _uniq(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def build_summary_card(
    customer: CustomerProfile, turns: Sequence[Turn], reason: HandoffReason | None = None
) -> SummaryCard:
    """Summarise a conversation (oldest turn first) for the agent who takes it over."""
    if not turns:
        raise ValidationError("a summary needs at least one turn", field="turns")
    said = [t for t in turns if t.role == "customer"]
    intents = _uniq([t.intent or "" for t in said if t.intent not in _NOT_A_TOPIC])
    order_ids: list[str] = []
    facts: dict[str, list[str]] = {}
    for t in said:
        order_ids.extend(t.slots.get("order_ids") or ([t.slots["order_id"]] if t.slots.get("order_id") else []))
        for key in _SLOT_FACTS:
            if t.slots.get(key):
                facts.setdefault(key, []).append(str(t.slots[key]))
    bot_tried = []
    for i, t in enumerate(turns):
        if t.role != "bot":
            continue
        asked = next((p for p in reversed(turns[:i]) if p.role == "customer"), None)
        bot_tried.append(
            {
                "intent": t.intent or (asked.intent if asked else None),
                "action": t.action,
                "resolved": bool(t.resolved),
                "reply": t.text[:120],
            }
        )
    moods = [t.sentiment for t in said if t.sentiment]
    worst = "negative" if "negative" in moods else "neutral" if "neutral" in moods else (moods[-1] if moods else "neutral")
    return SummaryCard(
        customer=customer,
        channels=_uniq([t.channel for t in turns]),
        intents=intents,
        primary_intent=intents[-1] if intents else None,
        order_ids=_uniq(order_ids),
        facts={k: _uniq(v) for k, v in facts.items()},
        bot_tried=bot_tried,
        sentiment=moods[-1] if moods else "neutral",
        worst_sentiment=worst,
        reason=reason,
        last_customer_message=said[-1].text if said else None,
        waiting_since=turns[-1].at,
        turn_count=len(turns),
    )


def card_from_dict(data: dict[str, Any]) -> SummaryCard:
    """The card back from its stored form (``SummaryCard.to_dict``), e.g. to render it for an agent."""
    customer = data.get("customer") or {}
    waiting = data.get("waiting_since")
    return SummaryCard(
        customer=CustomerProfile(
            customer_id=customer.get("customer_id", ""),
            name=customer.get("name"),
            vip=bool(customer.get("vip")),
            tier=customer.get("tier"),
        ),
        channels=list(data.get("channels") or []),
        intents=list(data.get("intents") or []),
        primary_intent=data.get("primary_intent"),
        order_ids=list(data.get("order_ids") or []),
        facts={k: list(v) for k, v in (data.get("facts") or {}).items()},
        bot_tried=[dict(b) for b in data.get("bot_tried") or []],
        sentiment=data.get("sentiment") or "neutral",
        worst_sentiment=data.get("worst_sentiment") or "neutral",
        reason=data.get("reason"),
        last_customer_message=data.get("last_customer_message"),
        waiting_since=datetime.fromisoformat(waiting) if waiting else None,
        turn_count=int(data.get("turn_count") or 0),
    )
