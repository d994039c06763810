"""The capability registry: what the bot can do, per (industry, intent), and the checks every reply passes.

Industries register themselves (``tridesk.<industry>.chat`` modules, imported by the API's chat
routes); core never imports an industry. Until one registers a handler for an intent, the
customer reads a clear bilingual "not yet available" reply, which counts as unresolved.

- ``register_capability(industry, intent, handler)``: ``handler(ctx) -> Reply``; industry
  ``"*"`` serves every tenant (core's greeting and fallback replies).
- ``register_reply_check(industry, check)``: ``check(text, ctx) -> CheckOutcome`` runs on every
  reply of that industry's tenants before it is sent (finance: the compliance scan). ``fix``
  sends ``text`` instead; ``block`` sends a safe fallback and hands the conversation over.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from tridesk.core.i18n import BiText
from tridesk.core.intents import Intent
from tridesk.core.intents.labels import intent_label
from tridesk.core.memory import StoredTurn
from tridesk.core.tenants import Tenant

ANY_INDUSTRY = "*"
Verdict = Literal["pass", "fix", "block"]


@dataclass(frozen=True)
class ChatContext:
    """What a capability knows about the turn it answers."""

    tenant: Tenant
    customer_id: str
    session_id: str
    channel: str
    text: str
    lang: str
    intent: Intent
    history: Sequence[StoredTurn] = ()
    vip: bool = False
    #: the channel ids the caller presented on this turn, in clear (app_user_id, openid, unionid,
    #: cookie_id; never phone or e-mail): how an industry links the OneID customer to its own
    #: systems (the OMS customer, the student). Never stored or logged.
    channel_ids: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    """A bot reply: bilingual text, optional cards, whether it solved the customer's need.

    ``resolved``: True answered, False could not help (counts towards a handoff), None neither
    (a greeting). ``action`` names what was tried, for the summary card.
    """

    text: BiText
    cards: Sequence[Mapping[str, Any]] = ()
    resolved: bool | None = None
    action: str | None = None


@dataclass(frozen=True)
class CheckOutcome:
    verdict: Verdict
    text: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


Handler = Callable[[ChatContext], Reply]
ReplyCheck = Callable[[str, ChatContext], CheckOutcome]

NOT_YET_AVAILABLE = BiText(
    "抱歉，“{label}”服务暂未开通。您可以换个问题，或回复“人工”转接人工客服。",
    'Sorry, "{label}" is not available yet. You can ask something else, or reply "agent" to talk to a person.',
)
NOT_UNDERSTOOD = BiText(
    "抱歉，我没有理解您的意思。能换个说法吗？比如“我的订单到哪了”。回复“人工”可转接人工客服。",
    'Sorry, I did not understand. Could you put it another way, e.g. "where is my order"? Reply "agent" for a person.',
)
GREETING = BiText("您好！我是智能客服，请问有什么可以帮您？", "Hello! I am the virtual assistant. How can I help you?")
HANDING_OVER = BiText("正在为您转接人工客服，请稍候。", "Connecting you to a human agent, please hold on.")
BLOCKED_FALLBACK = BiText(
    "这个问题需要由专业人员为您解答，已为您转接人工客服，请稍候。",
    "A qualified specialist needs to answer this. We are connecting you to a human agent.",
)

_lock = threading.Lock()
_handlers: dict[tuple[str, str], Handler] = {}
_checks: dict[str, list[tuple[str, ReplyCheck]]] = {}


def register_capability(industry: str, intent: str, handler: Handler) -> None:
    """Serve ``intent`` for tenants of ``industry`` (re-registering replaces: imports may repeat)."""
    with _lock:
        _handlers[(industry, intent)] = handler


def register_reply_check(industry: str, name: str, check: ReplyCheck) -> None:
    """Run ``check`` on every reply to tenants of ``industry``; ``name`` makes registration idempotent."""
    with _lock:
        checks = [c for c in _checks.get(industry, []) if c[0] != name]
        checks.append((name, check))
        _checks[industry] = checks


def unregister(industry: str) -> None:
    """Forget an industry's handlers and checks (tests)."""
    with _lock:
        for key in [k for k in _handlers if k[0] == industry]:
            del _handlers[key]
        _checks.pop(industry, None)


def registered() -> dict[str, list[str]]:
    """``{industry: [intents]}`` currently served."""
    with _lock:
        out: dict[str, list[str]] = {}
        for industry, intent in sorted(_handlers):
            out.setdefault(industry, []).append(intent)
        return out


def handler_for(industry: str, intent: str) -> Handler | None:
    with _lock:
        return _handlers.get((industry, intent)) or _handlers.get((ANY_INDUSTRY, intent))


def reply_checks(industry: str) -> list[ReplyCheck]:
    with _lock:
        return [c for _, c in _checks.get(industry, [])] + [c for _, c in _checks.get(ANY_INDUSTRY, [])]


def not_available(intent: str) -> Reply:
    label = BiText(intent_label(intent, "zh"), intent_label(intent, "en"))
    text = BiText(NOT_YET_AVAILABLE.zh.format(label=label.zh), NOT_YET_AVAILABLE.en.format(label=label.en))
    return Reply(text, resolved=False, action="not_available")


def dispatch(ctx: ChatContext) -> Reply:
    """The reply of the capability registered for the tenant's industry and the intent."""
    handler = handler_for(ctx.tenant.industry, ctx.intent.name)
    if handler is None:
        return not_available(ctx.intent.name)
    return handler(ctx)


def _greeting(ctx: ChatContext) -> Reply:
    return Reply(GREETING, resolved=None, action="core.greeting")


def _unknown(ctx: ChatContext) -> Reply:
    return Reply(NOT_UNDERSTOOD, resolved=False, action="core.clarify")


def _human(ctx: ChatContext) -> Reply:
    return Reply(HANDING_OVER, resolved=None, action="core.handoff")


register_capability(ANY_INDUSTRY, "greeting", _greeting)
register_capability(ANY_INDUSTRY, "unknown", _unknown)
register_capability(ANY_INDUSTRY, "human_please", _human)
