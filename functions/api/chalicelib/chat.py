"""Conversation routes: chat, OneID, history, tickets, agents, statistics.

Industries plug their capabilities and reply checks into core's registry from their own
``tridesk.<industry>.chat`` modules; this module imports whichever exist (core never does),
once, before the first chat turn.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from typing import Any
from urllib.parse import unquote

from chalice import Blueprint

from chalicelib.http import Call, json_route
from tridesk.core.conversation import service
from tridesk.core.tenants import INDUSTRIES

bp = Blueprint(__name__)
_registered = False
_lock = threading.Lock()


def register_industries() -> list[str]:
    """Import every ``tridesk.<industry>.chat`` registration module present in the layer."""
    global _registered
    loaded: list[str] = []
    with _lock:
        if _registered:
            return loaded
        for industry in INDUSTRIES:
            name = f"tridesk.{industry}.chat"
            if importlib.util.find_spec(name) is not None:
                importlib.import_module(name)
                loaded.append(name)
        _registered = True
    return loaded


@json_route(bp, "/v1/chat", ("POST",), body=True)
def post_chat(call: Call) -> dict[str, Any]:
    """One customer message: OneID, intent, the industry's capability, memory, handoff."""
    assert call.tenant is not None and call.body is not None
    register_industries()
    return service().chat(call.tenant, call.body)


@json_route(bp, "/v1/identities/resolve", ("POST",), body=True)
def post_resolve(call: Call) -> dict[str, Any]:
    """The customer behind channel identities (linking and merging as OneID's rules say)."""
    assert call.tenant is not None and call.body is not None
    return service().resolve(call.tenant, call.body)


@json_route(bp, "/v1/customers/{customer_id}/history")
def get_history(call: Call, customer_id: str) -> dict[str, Any]:
    """Every turn across channels and merged identities, newest first, paginated."""
    assert call.tenant is not None
    return service().history(call.tenant, unquote(customer_id), call.query.get("cursor"), call.query.get("limit"))


@json_route(bp, "/v1/customers/{customer_id}/unmerge", ("POST",))
def post_unmerge(call: Call, customer_id: str) -> dict[str, Any]:
    """Undo the merge of this customer into another; both keep their own history."""
    assert call.tenant is not None
    return service().unmerge(call.tenant, unquote(customer_id))


@json_route(bp, "/v1/tickets/{ticket_id}")
def get_ticket(call: Call, ticket_id: str) -> dict[str, Any]:
    """A handoff ticket with its summary card, priority and assignment."""
    assert call.tenant is not None
    return service().ticket(call.tenant, unquote(ticket_id), call.lang)


@json_route(bp, "/v1/tickets/{ticket_id}/close", ("POST",), body=True)
def post_close_ticket(call: Call, ticket_id: str) -> dict[str, Any]:
    """Close a ticket (resolved or not): frees the agent's seat and counts the outcome."""
    assert call.tenant is not None and call.body is not None
    return service().close_ticket(call.tenant, unquote(ticket_id), call.body, call.lang)


@json_route(bp, "/v1/tickets/{ticket_id}/messages", ("POST",), body=True)
def post_agent_message(call: Call, ticket_id: str) -> dict[str, Any]:
    """The assigned agent's reply to the customer, kept in the customer's history."""
    assert call.tenant is not None and call.body is not None
    return service().agent_message(call.tenant, unquote(ticket_id), call.body)


@json_route(bp, "/v1/agents/{agent_id}", ("PUT",), body=True)
def put_agent(call: Call, agent_id: str) -> dict[str, Any]:
    """Create or update an agent (skills, capacity, VIP desk, languages); load and history are kept."""
    assert call.tenant is not None and call.body is not None
    return service().put_agent(call.tenant, unquote(agent_id), call.body)


@json_route(bp, "/v1/agents/{agent_id}/status", ("POST",), body=True)
def post_agent_status(call: Call, agent_id: str) -> dict[str, Any]:
    """online / busy / away / offline; coming online takes waiting tickets at once, best first."""
    assert call.tenant is not None and call.body is not None
    return service().agent_status(call.tenant, unquote(agent_id), call.body)


@json_route(bp, "/v1/stats")
def get_stats(call: Call) -> dict[str, Any]:
    """Bot resolution rate, handoff rate, time to first reply and tickets over the last ``hours`` (24)."""
    assert call.tenant is not None
    return service().stats(call.tenant, call.query.get("hours"))
