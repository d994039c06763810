"""The conversation core: one chat turn end to end, histories, tickets, agents and statistics.

``ConversationService.chat`` resolves the caller (OneID), detects the intent, dispatches to
the capability registered for the tenant's industry, passes the reply through the industry's
checks, records both turns, and hands over to a human (ticket with a summary card, routed)
when the rules say so. Every public method takes plain values and returns JSON-able dicts;
the API routes only call them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from aws_lambda_powertools.metrics import MetricUnit

from tridesk.core import capabilities, intents
from tridesk.core.capabilities import BLOCKED_FALLBACK, ChatContext, Reply
from tridesk.core.errors import ConflictError, NotFoundError, ValidationError
from tridesk.core.handoff import (
    CustomerProfile,
    HandoffDecision,
    Turn,
    build_summary_card,
    card_from_dict,
    decide_handoff,
)
from tridesk.core.i18n import BiText, parse_lang
from tridesk.core.identity import IdentityStore, OneId, channel_ids, parse_identity, valid_customer_id
from tridesk.core.lazy import per_container
from tridesk.core.memory import (
    SESSION_ID,
    StoredTurn,
    TurnStore,
    after,
    history,
    new_session_id,
    new_turn_id,
    parse_limit,
    recent,
)
from tridesk.core.observability import log_extra, logger, metrics
from tridesk.core.tenants import Tenant
from tridesk.core.tickets import TicketDesk, TicketRecord, new_ticket_id, ticket_from_card

MAX_TEXT_CHARS = intents.MAX_TEXT_CHARS
RECENT_TURNS = 30
DEFAULT_STATS_HOURS = 24
MAX_STATS_HOURS = 168
MAX_STATS_TURNS = 20_000
CAPABILITY_FAILED = BiText(
    "抱歉，该服务暂时繁忙，请稍后再试，或回复“人工”转接人工客服。",
    'Sorry, this service is busy right now. Please try again later, or reply "agent" for a person.',
)


class CustomerBook(IdentityStore, Protocol):
    """The identity store plus the customer's open-ticket marker (at most one open handoff)."""

    def open_ticket(self, tenant_id: str, customer_id: str, ticket_id: str, at: datetime) -> str | None: ...

    def close_ticket(self, tenant_id: str, customer_id: str, ticket_id: str) -> None: ...


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _text(body: Mapping[str, Any], name: str = "text") -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{name} must be a non-empty string", field=name)
    if len(value) > MAX_TEXT_CHARS:
        raise ValidationError(f"{name} is longer than {MAX_TEXT_CHARS} characters", field=name)
    return value.strip()


def _lang(body: Mapping[str, Any]) -> str | None:
    value = body.get("lang")
    if value is None:
        return None
    if value not in ("zh", "en"):
        raise ValidationError("lang must be zh or en", field="lang")
    return str(value)


def _catalogue(tenant: Tenant, name: str) -> list[str] | None:
    values = tenant.settings.get(name)
    return [str(v) for v in values] if isinstance(values, list) else None


def _percentiles(values: Sequence[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p90": None, "avg": None}
    ordered = sorted(values)

    def rank(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, max(0, int(q * len(ordered) + 0.999999) - 1))], 1)

    return {"p50": rank(0.5), "p90": rank(0.9), "avg": round(sum(ordered) / len(ordered), 1)}


def since_last_handoff(turns: Sequence[StoredTurn]) -> list[StoredTurn]:
    """The turns after the bot reply that last opened a ticket: a new handoff judges only what came since."""
    marks = [i for i, t in enumerate(turns) if t.role == "bot" and t.ticket_id]
    return list(turns[marks[-1] + 1 :]) if marks else list(turns)


class ConversationService:
    """Chat, memory, tickets and agents over their stores (DynamoDB in production, fakes in tests)."""

    def __init__(
        self,
        customers: CustomerBook,
        turns: TurnStore,
        desk: TicketDesk,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.customers = customers
        self.oneid = OneId(customers, clock=clock)
        self.turns = turns
        self.desk = desk
        self.clock = clock

    # ------------------------------------------------------------------ identities
    def resolve(self, tenant: Tenant, body: Mapping[str, Any]) -> dict[str, Any]:
        channel = body.get("channel")
        identity = parse_identity(tenant.tenant_id, body.get("identity"), channel if isinstance(channel, str) else "")
        return self.oneid.resolve(tenant.tenant_id, identity).to_dict()

    def unmerge(self, tenant: Tenant, customer_id: str) -> dict[str, Any]:
        if not valid_customer_id(customer_id):
            raise NotFoundError("unknown customer", field="customer_id")
        record = self.oneid.unmerge(tenant.tenant_id, customer_id)
        logger.info("customers unmerged", extra={"merge_id": record.merge_id, "tenant_id": tenant.tenant_id})
        return {"customer_id": customer_id, "detached_from": record.survivor_id, "merge": record.to_dict()}

    def history(self, tenant: Tenant, customer_id: str, cursor: str | None, limit: Any) -> dict[str, Any]:
        if not valid_customer_id(customer_id):
            raise NotFoundError("unknown customer", field="customer_id")
        size = parse_limit(limit)
        root, members = self.oneid.group(tenant.tenant_id, customer_id)
        page = history(self.turns, tenant.tenant_id, members, cursor, size)
        return {
            "customer_id": root.customer_id,
            "members": list(members),
            "items": [t.to_dict() for t in page.items],
            "next_cursor": page.next_cursor,
        }

    # ------------------------------------------------------------------ chat
    def chat(self, tenant: Tenant, body: Mapping[str, Any]) -> dict[str, Any]:
        """One customer message in, one bot reply out (and maybe a handoff)."""
        started = time.perf_counter()
        channel = body.get("channel")
        if not isinstance(channel, str):
            raise ValidationError("channel is required", field="channel")
        text = _text(body)
        asked_lang = _lang(body)
        session_id = body.get("session_id")
        if session_id is not None and (not isinstance(session_id, str) or not SESSION_ID.match(session_id)):
            raise ValidationError("session_id must be 1-128 letters, digits or ._:-", field="session_id")
        identity = parse_identity(tenant.tenant_id, body.get("identity"), channel)
        tenant_id = tenant.tenant_id

        who = self.oneid.resolve(tenant_id, identity)
        received = self.clock()
        session = self.turns.touch_session(tenant_id, session_id or new_session_id(), who.customer_id, channel, received)
        if session.customer_id not in who.members:
            raise ConflictError("session_id belongs to another customer", field="session_id", code="session_conflict")
        intent = intents.detect(
            text, asked_lang, products=_catalogue(tenant, "products"), courses=_catalogue(tenant, "courses")
        )
        lang = parse_lang(asked_lang or intent.lang)
        profile = who.profile
        prior = since_last_handoff(recent(self.turns, tenant_id, who.members, RECENT_TURNS))
        said = StoredTurn(
            turn_id=new_turn_id(),
            customer_id=who.home_id,
            session_id=session.session_id,
            role="customer",
            channel=channel,
            text=text,
            at=after(received, prior[-1].at if prior else None),
            lang=lang,
            intent=intent.name,
            confidence=intent.confidence,
            slots=dict(intent.slots),
            sentiment=intent.sentiment,
        )
        ctx = ChatContext(tenant, who.customer_id, session.session_id, channel, text, lang, intent, prior, profile.vip,
                          channel_ids=channel_ids(body.get("identity")))
        reply = self._answer(ctx)
        out_text, cards, forced = self._checked(reply, ctx)

        turns = [t.as_turn() for t in prior] + [said.as_turn()]
        resolved = False if forced else reply.resolved
        bot_probe = Turn(
            role="bot", text=out_text, channel=channel, at=said.at, intent=intent.name,
            resolved=resolved, action=reply.action,
        )
        open_ticket = profile.open_ticket_id is not None
        if forced and not open_ticket:
            decision = HandoffDecision(True, "reply_blocked", 0)
        else:
            decision = decide_handoff(turns + [bot_probe], open_ticket=open_ticket)

        handoff: dict[str, Any] | None = None
        ticket_id: str | None = None
        if decision.handoff and decision.reason is not None:
            card = build_summary_card(
                CustomerProfile(who.customer_id, profile.name, profile.vip, profile.tier),
                turns + [bot_probe],
                decision.reason,
            )
            ticket_id = new_ticket_id(received)
            already = self.customers.open_ticket(tenant_id, who.customer_id, ticket_id, received)
            if already is None:
                ticket = self.desk.open(
                    ticket_from_card(
                        tenant_id, ticket_id, card, created_at=received, lang=lang, channel=channel,
                        session_id=session.session_id, home_id=who.home_id,
                    )
                )
                handoff = self._handoff_view(ticket, new=True)
                handoff["card"] = card.render(lang)
                cards = [*cards, card.render(lang)]
                message = decision.message(lang) or ""
                if decision.reason in ("human_requested", "reply_blocked"):
                    out_text = message
                else:
                    out_text = f"{out_text}\n{message}"
                metrics.add_metric(name="Handoffs", unit=MetricUnit.Count, value=1)
            else:
                ticket_id = already
                open_ticket = True
        if handoff is None and open_ticket:
            current = self.desk.store.get_ticket(tenant_id, ticket_id or profile.open_ticket_id or "")
            if current is not None and current.status != "closed":
                handoff = self._handoff_view(current, new=False)

        answered = after(received + timedelta(seconds=time.perf_counter() - started), said.at)
        bot = StoredTurn(
            turn_id=new_turn_id(),
            customer_id=who.home_id,
            session_id=session.session_id,
            role="bot",
            channel=channel,
            text=out_text,
            at=answered,
            lang=lang,
            intent=intent.name,
            resolved=resolved,
            action=reply.action,
            ticket_id=handoff["ticket_id"] if handoff and handoff.get("new") else None,
        )
        self.turns.append(tenant_id, [said, bot])
        self._measure(reply, resolved, session.new, (answered - said.at).total_seconds() * 1000)
        logger.info(
            "chat turn",
            extra=log_extra(tenant_id=tenant_id, intent=intent.name, confidence=intent.confidence,
                            resolved=resolved, handoff=bool(handoff and handoff.get("new")), channel=channel),
        )
        return {
            "session_id": session.session_id,
            "customer_id": who.customer_id,
            "intent": intent.name,
            "confidence": intent.confidence,
            "sentiment": intent.sentiment,
            "slots": dict(intent.slots),
            "lang": lang,
            "reply": {"text": out_text, "cards": [dict(c) for c in cards], "resolved": resolved},
            "handoff": handoff,
        }

    def _answer(self, ctx: ChatContext) -> Reply:
        try:
            return capabilities.dispatch(ctx)
        except (ValidationError, NotFoundError):
            raise
        except Exception:  # a broken capability must not lose the customer: reply and count it unresolved
            logger.exception("capability failed", extra={"intent": ctx.intent.name, "industry": ctx.tenant.industry})
            return Reply(CAPABILITY_FAILED, resolved=False, action="capability_error")

    def _checked(self, reply: Reply, ctx: ChatContext) -> tuple[str, list[dict[str, Any]], bool]:
        """Run the industry's reply checks: pass, fix (send the fixed text) or block (fallback + handoff)."""
        text = reply.text.get(ctx.lang)
        cards = [dict(c) for c in reply.cards]
        for check in capabilities.reply_checks(ctx.tenant.industry):
            outcome = check(text, ctx)
            if outcome.verdict == "block":
                metrics.add_metric(name="RepliesBlocked", unit=MetricUnit.Count, value=1)
                return BLOCKED_FALLBACK.get(ctx.lang), [], True
            if outcome.verdict == "fix" and outcome.text:
                metrics.add_metric(name="RepliesFixed", unit=MetricUnit.Count, value=1)
                text = outcome.text
        return text, cards, False

    def _measure(self, reply: Reply, resolved: bool | None, first: bool, reply_ms: float) -> None:
        metrics.add_metric(name="BotReplies", unit=MetricUnit.Count, value=1)
        if resolved is True:
            metrics.add_metric(name="BotRepliesResolved", unit=MetricUnit.Count, value=1)
        elif resolved is False:
            metrics.add_metric(name="BotRepliesUnresolved", unit=MetricUnit.Count, value=1)
        if first:
            metrics.add_metric(name="TimeToFirstReply", unit=MetricUnit.Milliseconds, value=round(reply_ms, 1))

    def _handoff_view(self, ticket: TicketRecord, *, new: bool) -> dict[str, Any]:
        view = ticket.to_dict(self.clock())
        return {
            "ticket_id": ticket.ticket_id,
            "reason": ticket.reason,
            "status": ticket.status,
            "agent_id": ticket.agent_id,
            "priority": view["priority"],
            "band": view["band"],
            "new": new,
            "card": None,
        }

    # ------------------------------------------------------------------ tickets
    def ticket(self, tenant: Tenant, ticket_id: str, lang: str) -> dict[str, Any]:
        found = self.desk.get(tenant.tenant_id, ticket_id)
        return found.to_dict(self.clock(), card_from_dict(found.summary).render(lang))

    def close_ticket(self, tenant: Tenant, ticket_id: str, body: Mapping[str, Any], lang: str) -> dict[str, Any]:
        resolved = body.get("resolved")
        if not isinstance(resolved, bool):
            raise ValidationError("resolved must be true or false", field="resolved")
        closed = self.desk.close(tenant.tenant_id, ticket_id, resolved)
        self.customers.close_ticket(tenant.tenant_id, closed.customer_id, ticket_id)
        return closed.to_dict(self.clock(), card_from_dict(closed.summary).render(lang))

    def agent_message(self, tenant: Tenant, ticket_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """An agent's reply to the customer of an assigned ticket, stored in the customer's history."""
        text = _text(body)
        ticket = self.desk.get(tenant.tenant_id, ticket_id)
        if ticket.status != "assigned" or ticket.agent_id is None:
            raise ConflictError("only an assigned ticket takes agent messages", field="ticket_id", code="ticket_not_assigned")
        now = self.clock()
        turn = StoredTurn(
            turn_id=new_turn_id(),
            customer_id=ticket.home_id or ticket.customer_id,
            session_id=ticket.session_id or new_session_id(),
            role="agent",
            channel=ticket.channel or "app",
            text=text,
            at=now,
            lang=ticket.lang,
            ticket_id=ticket_id,
            agent_id=ticket.agent_id,
        )
        self.turns.append(tenant.tenant_id, [turn])
        self.desk.store.mark_agent_reply(tenant.tenant_id, ticket_id, now)
        return turn.to_dict()

    # ------------------------------------------------------------------ statistics
    def stats(self, tenant: Tenant, hours: Any) -> dict[str, Any]:
        """Bot resolution, handoff rate, time to first reply and ticket figures over the last ``hours``."""
        window = DEFAULT_STATS_HOURS
        if hours is not None:
            try:
                window = int(hours)
            except (TypeError, ValueError):
                raise ValidationError(f"hours must be an integer from 1 to {MAX_STATS_HOURS}", field="hours") from None
            if not 1 <= window <= MAX_STATS_HOURS:
                raise ValidationError(f"hours must be an integer from 1 to {MAX_STATS_HOURS}", field="hours")
        end = self.clock()
        start = end - timedelta(hours=window)
        turns, truncated = self.turns.between(tenant.tenant_id, start, end + timedelta(seconds=1), MAX_STATS_TURNS)
        sessions: dict[str, list[StoredTurn]] = {}
        for turn in turns:
            sessions.setdefault(turn.session_id, []).append(turn)
        bot = [t for t in turns if t.role == "bot"]
        judged = [t for t in bot if t.resolved is not None]
        handed: set[str] = set()
        solved = 0
        first_reply_ms: list[float] = []
        for session_id, items in sessions.items():
            items.sort(key=lambda t: t.sort_key)
            if any(t.role == "bot" and t.ticket_id for t in items):
                handed.add(session_id)
            else:
                last_bot = next((t for t in reversed(items) if t.role == "bot"), None)
                if last_bot is not None and last_bot.resolved is not False:
                    solved += 1
            first_said = next((t for t in items if t.role == "customer"), None)
            if first_said is not None:
                reply = next((t for t in items if t.role != "customer" and t.at >= first_said.at), None)
                if reply is not None:
                    first_reply_ms.append((reply.at - first_said.at).total_seconds() * 1000)
        with_bot = sum(1 for items in sessions.values() if any(t.role == "bot" for t in items))
        tickets = self.desk.store.tickets_between(tenant.tenant_id, start, end, MAX_STATS_TURNS)
        by_status = {"waiting": 0, "assigned": 0, "closed": 0}
        to_assign: list[float] = []
        for ticket in tickets:
            by_status[ticket.status] = by_status.get(ticket.status, 0) + 1
            if ticket.assigned_at is not None:
                to_assign.append((ticket.assigned_at - ticket.created_at).total_seconds())
        closed = [t for t in tickets if t.status == "closed" and t.resolved is not None]
        return {
            "tenant_id": tenant.tenant_id,
            "window": {"start": start.isoformat(), "end": end.isoformat(), "hours": window},
            "sessions": len(sessions),
            "customer_turns": sum(1 for t in turns if t.role == "customer"),
            "bot_replies": len(bot),
            "agent_replies": sum(1 for t in turns if t.role == "agent"),
            "bot_resolution_rate": round(solved / with_bot, 4) if with_bot else None,
            "reply_resolution_rate": round(sum(1 for t in judged if t.resolved) / len(judged), 4) if judged else None,
            "handoffs": len(handed),
            "handoff_rate": round(len(handed) / with_bot, 4) if with_bot else None,
            "time_to_first_reply_ms": _percentiles(first_reply_ms),
            "tickets": {
                **by_status,
                "time_to_assign_s": _percentiles(to_assign),
                "agent_resolution_rate": round(sum(1 for t in closed if t.resolved) / len(closed), 4) if closed else None,
            },
            "truncated": truncated,
        }

    # ------------------------------------------------------------------ agents
    def put_agent(self, tenant: Tenant, agent_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return self.desk.put_agent(tenant.tenant_id, agent_id, dict(body)).to_dict()

    def agent_status(self, tenant: Tenant, agent_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        agent, assigned = self.desk.set_status(tenant.tenant_id, agent_id, dict(body))
        return {"agent": agent.to_dict(), "assigned": [{"ticket_id": t, "agent_id": a} for t, a in assigned]}


@per_container
def service() -> ConversationService:
    """The container's service on DynamoDB and SQS, made on first use."""
    from tridesk.core.identity_store import DynamoIdentityStore
    from tridesk.core.memory_store import DynamoTurnStore
    from tridesk.core.tickets_store import DynamoTicketStore, SqsWaitQueue

    return ConversationService(
        DynamoIdentityStore(), DynamoTurnStore(), TicketDesk(DynamoTicketStore(), SqsWaitQueue())
    )
