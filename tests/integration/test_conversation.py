"""The conversation core through the API on the local stack: OneID, memory, handoff, routing."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests


def _phone() -> str:
    return "139" + str(uuid.uuid4().int)[:8]


def _uid(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


class Api:
    def __init__(self, base: str, tenant: str) -> None:
        self.base = base
        self.headers = {"X-Tenant-Id": tenant}

    def post(self, path: str, body: Any = None, expect: int | None = 200) -> Any:
        response = requests.post(f"{self.base}{path}", json=body, headers=self.headers, timeout=30)
        if expect is not None:
            assert response.status_code == expect, (path, response.status_code, response.text)
        return response

    def put(self, path: str, body: Any) -> dict[str, Any]:
        response = requests.put(f"{self.base}{path}", json=body, headers=self.headers, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def get(self, path: str, params: dict[str, Any] | None = None, expect: int = 200) -> Any:
        response = requests.get(f"{self.base}{path}", params=params, headers=self.headers, timeout=30)
        assert response.status_code == expect, (path, response.status_code, response.text)
        return response.json()

    def chat(self, channel: str, identity: dict[str, Any], text: str, **extra: Any) -> dict[str, Any]:
        return self.post("/v1/chat", {"channel": channel, "identity": identity, "text": text, **extra}).json()


def _tenant(stack, industry: str) -> str:
    tenant_id = f"conv-{industry[:3]}-{uuid.uuid4().hex[:8]}"
    result = stack.run_state_machine(
        "ProvisionTenantStateMachine", {"tenant": {"tenant_id": tenant_id, "name": "Conv test", "industry": industry}}
    )
    assert result["status"] == "SUCCEEDED", result
    return tenant_id


@pytest.fixture(scope="module")
def shop(stack) -> Api:
    return Api(stack.api_url, "demo-ecommerce")


def _history(api: Api, customer_id: str, limit: int = 100) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        page = api.get(f"/v1/customers/{customer_id}/history", params)
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return items


# ---------------------------------------------------------------------------------- OneID
def test_two_channels_racing_on_one_verified_phone_end_with_one_customer(shop):
    for _ in range(4):
        # GIVEN the same person reaching us first from the app and the mini-program at once
        phone = _phone()
        app = {"app_user_id": _uid("u"), "phone": phone, "phone_verified": True}
        mini = {"openid": _uid("o"), "phone": phone, "phone_verified": True}
        barrier = threading.Barrier(2)

        def first_contact(channel: str, identity: dict[str, Any], barrier=barrier) -> dict[str, Any]:
            barrier.wait()
            return shop.chat(channel, identity, "你好")

        with ThreadPoolExecutor(2) as pool:
            a, b = pool.map(lambda args: first_contact(*args), [("app", app), ("miniprogram", mini)])
        # THEN both turns belong to one customer, and each channel id alone resolves to it
        assert a["customer_id"] == b["customer_id"]
        for channel, ident in (("app", {"app_user_id": app["app_user_id"]}), ("miniprogram", {"openid": mini["openid"]})):
            resolved = shop.post("/v1/identities/resolve", {"channel": channel, "identity": ident}).json()
            assert resolved["customer_id"] == a["customer_id"]
            assert resolved["created"] is False


def test_unverified_phone_never_links_customers(shop):
    phone = _phone()
    owner = shop.chat("app", {"app_user_id": _uid("u"), "phone": phone, "phone_verified": True}, "你好")
    stranger = shop.chat("web", {"cookie_id": _uid("ck"), "phone": phone}, "hello")
    assert stranger["customer_id"] != owner["customer_id"]


def test_merge_on_shared_verified_phone_and_unmerge_keeps_each_side(shop):
    # GIVEN a customer known in the app and a separate mini-program customer
    phone = _phone()
    app = {"app_user_id": _uid("u"), "phone": phone, "phone_verified": True}
    openid = _uid("o")
    a = shop.chat("app", app, "我的订单E20240511000123到哪了")
    b = shop.chat("miniprogram", {"openid": openid}, "你好")
    assert a["customer_id"] != b["customer_id"]
    # WHEN the mini-program customer verifies the same phone
    merged = shop.post(
        "/v1/identities/resolve",
        {"channel": "miniprogram", "identity": {"openid": openid, "phone": phone, "phone_verified": True}},
    ).json()
    # THEN they are merged into the phone's owner, with one history across both channels
    assert merged["customer_id"] == a["customer_id"]
    assert merged["home_id"] == b["customer_id"]
    assert [m["absorbed_id"] for m in merged["merged"]] == [b["customer_id"]]
    again = shop.chat("miniprogram", {"openid": openid}, "还是没收到货")
    assert again["customer_id"] == a["customer_id"]
    joined = _history(shop, a["customer_id"])
    assert {t["channel"] for t in joined} == {"app", "miniprogram"} and len(joined) == 6
    assert _history(shop, b["customer_id"]) == joined  # an absorbed id shows the group's history

    # WHEN the merge is undone
    undone = shop.post(f"/v1/customers/{b['customer_id']}/unmerge").json()
    assert undone["detached_from"] == a["customer_id"] and undone["merge"]["status"] == "undone"
    # THEN each side keeps its own turns, and the same evidence does not merge them again
    assert {t["channel"] for t in _history(shop, a["customer_id"])} == {"app"}
    mine = _history(shop, b["customer_id"])
    assert {t["channel"] for t in mine} == {"miniprogram"} and len(mine) == 4
    back = shop.chat("miniprogram", {"openid": openid, "phone": phone, "phone_verified": True}, "你好")
    assert back["customer_id"] == b["customer_id"]
    assert shop.chat("app", app, "你好")["customer_id"] == a["customer_id"]
    assert shop.post(f"/v1/customers/{b['customer_id']}/unmerge", expect=409).json()["error"]["code"] == "not_merged"
    shop.post("/v1/customers/c-00000000000000000000/unmerge", expect=404)


# ---------------------------------------------------------------------------------- memory
def test_history_across_channels_newest_first_and_paginated(shop):
    phone = _phone()
    app = {"app_user_id": _uid("u"), "phone": phone, "phone_verified": True}
    web = {"cookie_id": _uid("ck"), "phone": phone, "phone_verified": True}
    said = []
    for i, (channel, ident) in enumerate([("app", app), ("web", web), ("app", app), ("web", web), ("app", app)]):
        text = f"第{i}个问题：订单E2024051100{i:04d}什么时候发货"
        reply = shop.chat(channel, ident, text)
        said.append(text)
    customer_id = reply["customer_id"]
    pages = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = shop.get(f"/v1/customers/{customer_id}/history", params)
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    items = [t for p in pages for t in p]
    assert [len(p) for p in pages] == [3, 3, 3, 1]
    assert len({t["turn_id"] for t in items}) == 10
    keys = [(t["at"], t["turn_id"]) for t in items]
    assert keys == sorted(keys, reverse=True)
    assert [t["text"] for t in items if t["role"] == "customer"] == list(reversed(said))
    assert {t["channel"] for t in items} == {"app", "web"}
    assert all(t["intent"] for t in items if t["role"] == "customer")
    shop.get(f"/v1/customers/{customer_id}/history", {"cursor": "not-a-cursor"}, expect=400)
    shop.get(f"/v1/customers/{customer_id}/history", {"limit": 0}, expect=400)
    shop.get("/v1/customers/c-ffffffffffffffffffff/history", expect=404)


# ---------------------------------------------------------------------------------- handoff
def test_three_unresolved_turns_hand_over_with_a_complete_summary_card(stack):
    # GIVEN an education tenant (no capability answers returns there) and a customer on two channels
    api = Api(stack.api_url, _tenant(stack, "education"))
    phone = _phone()
    app = {"app_user_id": _uid("u"), "phone": phone, "phone_verified": True}
    mini = {"openid": _uid("o"), "phone": phone, "phone_verified": True}
    first = api.chat("app", app, "我要退货，订单号E2024051100012345，退款300元")
    second = api.chat("miniprogram", mini, "退款什么时候到账？订单E2024051100012345")
    assert first["handoff"] is None and second["handoff"] is None
    assert first["reply"]["resolved"] is False and second["reply"]["resolved"] is False
    # WHEN the third reply does not help either
    third = api.chat("app", app, "请问退货退款怎么办理")
    # THEN the conversation goes to a human with a complete summary card
    handoff = third["handoff"]
    assert handoff is not None and handoff["new"] is True and handoff["reason"] == "unresolved_turns"
    assert handoff["status"] == "waiting"  # the tenant has no agents yet
    ticket = api.get(f"/v1/tickets/{handoff['ticket_id']}", {"lang": "en"})
    card = ticket["summary"]
    assert card["customer"]["customer_id"] == first["customer_id"]
    assert card["channels"] == ["app", "miniprogram"]
    assert "return_refund" in card["intents"]
    assert card["order_ids"] == ["E2024051100012345"]
    assert card["facts"]["amount"] == ["300.00"]
    assert len(card["bot_tried"]) == 3 and not any(b["resolved"] for b in card["bot_tried"])
    assert card["reason"] == "unresolved_turns" and card["last_customer_message"] == "请问退货退款怎么办理"
    assert card["sentiment"] in ("neutral", "positive", "negative") and card["turn_count"] == 6
    assert ticket["card"]["title"] == "Handoff summary"
    assert {f["key"] for f in ticket["card"]["fields"]} >= {"customer", "channels", "order_ids", "bot_tried", "reason"}
    # AND a further message keeps the open ticket instead of opening another
    more = api.chat("app", app, "在吗")
    assert more["handoff"]["ticket_id"] == handoff["ticket_id"] and more["handoff"]["new"] is False

    # WHEN an agent with the skill comes online, takes it, answers and closes it
    api.put("/v1/agents/agent-a", {"skills": ["returns"], "capacity": 2, "status": "offline"})
    online = api.post("/v1/agents/agent-a/status", {"status": "online"}).json()
    assert online["assigned"] == [{"ticket_id": handoff["ticket_id"], "agent_id": "agent-a"}]
    api.post(f"/v1/tickets/{handoff['ticket_id']}/messages", {"text": "您好，我来处理您的退款。"})
    closed = api.post(f"/v1/tickets/{handoff['ticket_id']}/close", {"resolved": True}).json()
    assert closed["status"] == "closed" and closed["resolved"] is True
    agent = api.put("/v1/agents/agent-a", {"skills": ["returns"], "capacity": 2, "status": "online"})
    assert agent["load"] == 0 and agent["handled"] == 1 and agent["resolved"] == 1
    # THEN the agent's reply is in the customer's history, and the statistics count it all
    roles = [t["role"] for t in _history(api, first["customer_id"])]
    assert roles.count("agent") == 1 and roles.count("customer") == 4
    stats = api.get("/v1/stats", {"hours": 1})
    assert stats["handoffs"] == 1 and stats["customer_turns"] == 4 and stats["agent_replies"] == 1
    assert stats["handoff_rate"] is not None and 0 < stats["handoff_rate"] <= 1
    assert stats["tickets"]["closed"] == 1 and stats["time_to_first_reply_ms"]["p50"] is not None


def test_human_please_and_an_upset_customer_hand_over_at_once(shop):
    asked = shop.chat("app", {"app_user_id": _uid("u")}, "转人工")
    assert asked["intent"] == "human_please" and asked["handoff"]["reason"] == "human_requested"
    upset = shop.chat("web", {"cookie_id": _uid("ck")}, "你们的服务太差了，我非常生气，我要投诉！")
    assert upset["handoff"] is not None and upset["handoff"]["reason"] == "negative_sentiment"


# ---------------------------------------------------------------------------------- routing
def _ticket_for(api: Api, text: str, identity: dict[str, Any]) -> str:
    api.chat("app", identity, text)
    handoff = api.chat("app", identity, "转人工")["handoff"]
    assert handoff is not None and handoff["status"] == "waiting"
    return handoff["ticket_id"]


def test_routing_serves_vip_then_urgency_within_capacity(stack):
    from dataclasses import replace

    from tridesk.core.identity_store import DynamoIdentityStore

    tenant = _tenant(stack, "ecommerce")
    api = Api(stack.api_url, tenant)
    for agent_id, vip in (("desk-vip", True), ("desk-1", False)):
        api.put(f"/v1/agents/{agent_id}", {"skills": ["returns", "promotions", "orders"], "capacity": 1, "vip": vip})
    # GIVEN a VIP asking about promotions, a return, and a plain promotion question, all waiting
    vip_ident = {"app_user_id": _uid("u")}
    vip_id = api.post("/v1/identities/resolve", {"channel": "app", "identity": vip_ident}).json()["customer_id"]
    store = DynamoIdentityStore()
    store.put_customer(tenant, replace(store.get_customer(tenant, vip_id), vip=True, tier="gold"))
    plain = _ticket_for(api, "最近有什么优惠活动吗", {"app_user_id": _uid("u")})
    refund = _ticket_for(api, "我要退货退款，订单E2024051100099999", {"app_user_id": _uid("u")})
    vip = _ticket_for(api, "最近有什么优惠活动吗", vip_ident)
    tickets = {t: api.get(f"/v1/tickets/{t}") for t in (plain, refund, vip)}
    assert tickets[vip]["vip"] and tickets[vip]["band"] == "high"
    assert tickets[refund]["priority"] > tickets[plain]["priority"]
    # WHEN the VIP desk comes online, then the other desk (one seat each)
    first = api.post("/v1/agents/desk-vip/status", {"status": "online"}).json()["assigned"]
    second = api.post("/v1/agents/desk-1/status", {"status": "online"}).json()["assigned"]
    # THEN the VIP goes first (to the VIP desk), the return before the question, and nobody over capacity
    assert first == [{"ticket_id": vip, "agent_id": "desk-vip"}]
    assert second == [{"ticket_id": refund, "agent_id": "desk-1"}]
    assert api.get(f"/v1/tickets/{plain}")["status"] == "waiting"
    # AND a freed seat takes the waiting ticket
    api.post(f"/v1/tickets/{refund}/close", {"resolved": True})
    assert api.get(f"/v1/tickets/{plain}")["agent_id"] == "desk-1"


def test_concurrent_assignment_never_double_assigns_nor_exceeds_capacity(stack):
    from tridesk.core.tickets import TicketDesk
    from tridesk.core.tickets_store import DynamoTicketStore, SqsWaitQueue

    tenant = _tenant(stack, "ecommerce")
    api = Api(stack.api_url, tenant)
    agents = {f"ag-{i}": 2 for i in range(3)}
    for agent_id, capacity in agents.items():
        api.put(f"/v1/agents/{agent_id}", {"skills": ["returns"], "capacity": capacity})
    with ThreadPoolExecutor(4) as pool:
        tickets = list(pool.map(lambda i: _ticket_for(api, "我要退款", {"app_user_id": _uid("u")}), range(9)))
    # WHEN agents come online while the dispatcher works the same tickets, all at once
    desk = TicketDesk(DynamoTicketStore(), SqsWaitQueue())
    barrier = threading.Barrier(len(agents) + len(tickets))

    def online(agent_id: str) -> list[tuple[str, str]]:
        barrier.wait()
        body = api.post(f"/v1/agents/{agent_id}/status", {"status": "online"}).json()
        return [(a["ticket_id"], a["agent_id"]) for a in body["assigned"]]

    def dispatch(ticket_id: str) -> list[tuple[str, str]]:
        barrier.wait()
        outcome = desk.dispatch(tenant, ticket_id)
        return [(ticket_id, outcome.agent_id)] if outcome.outcome == "assigned" else []

    with ThreadPoolExecutor(len(agents) + len(tickets)) as pool:
        jobs = [pool.submit(online, a) for a in agents] + [pool.submit(dispatch, t) for t in tickets]
        claims = [c for job in jobs for c in job.result()]
    # THEN every success claimed a different ticket, each agent holds exactly its load, within capacity
    assert len(claims) == len({t for t, _ in claims}) == sum(agents.values())
    stored = {t: api.get(f"/v1/tickets/{t}") for t in tickets}
    for ticket_id, agent_id in claims:
        assert stored[ticket_id]["agent_id"] == agent_id and stored[ticket_id]["status"] == "assigned"
    assert sum(1 for t in stored.values() if t["status"] == "waiting") == len(tickets) - sum(agents.values())
    for agent_id, capacity in agents.items():
        held = sum(1 for t in stored.values() if t["agent_id"] == agent_id)
        agent = api.put(f"/v1/agents/{agent_id}", {"skills": ["returns"], "capacity": capacity, "status": "online"})
        assert agent["load"] == held == capacity


# ---------------------------------------------------------------------------------- finance hook
def test_finance_replies_pass_the_compliance_scan(stack):
    from tridesk.core import capabilities

    api = Api(stack.api_url, "demo-finance")
    api.chat("app", {"app_user_id": _uid("u")}, "你好")  # the chat routes register the industries
    previous = capabilities.handler_for("finance", "wealth_product_question")
    try:
        capabilities.register_capability(
            "finance",
            "wealth_product_question",
            lambda ctx: capabilities.Reply(
                capabilities.BiText("这款理财产品保本保息，稳赚不赔，收益率5%。", "This product is guaranteed, no risk at all."),
                resolved=True,
                action="finance.wealth_info",
            ),
        )
        answer = api.chat("app", {"app_user_id": _uid("u")}, "你们那个90天的理财产品收益怎么样", lang="zh")
    finally:
        capabilities.unregister("finance")
        import tridesk.finance.chat  # noqa: F401 - restores the compliance check

        capabilities.register_reply_check("finance", "compliance.scan", tridesk.finance.chat.compliance_check)
        if previous is not None and previous is not capabilities.handler_for("*", "wealth_product_question"):
            capabilities.register_capability("finance", "wealth_product_question", previous)
    assert answer["intent"] == "wealth_product_question"
    assert "稳赚不赔" not in answer["reply"]["text"]
    assert answer["handoff"] is not None and answer["handoff"]["reason"] == "reply_blocked"


# ---------------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    "body, field",
    [
        ({"channel": "app", "identity": {"app_user_id": "u-12345"}, "text": ""}, "text"),
        ({"channel": "app", "identity": {"app_user_id": "u-12345"}, "text": "   "}, "text"),
        ({"channel": "app", "identity": {"app_user_id": "u-12345"}}, "text"),
        ({"channel": "app", "identity": {}, "text": "你好"}, "identity"),
        ({"channel": "app", "identity": "u-12345", "text": "你好"}, "identity"),
        ({"channel": "app", "identity": {"phone": "13800138000"}, "text": "你好"}, "identity"),
        ({"channel": "app", "identity": {"phone": "12345", "phone_verified": True}, "text": "你好"}, "identity.phone"),
        ({"channel": "app", "identity": {"email": "not-an-email", "email_verified": True}, "text": "hi"}, "identity.email"),
        ({"channel": "app", "identity": {"app_user_id": "u-1", "shoe_size": "42"}, "text": "hi"}, "identity.shoe_size"),
        ({"channel": "fax", "identity": {"app_user_id": "u-12345"}, "text": "hi"}, "channel"),
        ({"channel": "app", "identity": {"app_user_id": "u-12345"}, "text": "hi", "session_id": "bad id!"}, "session_id"),
    ],
)
def test_bad_identities_and_empty_texts_are_400(shop, body, field):
    response = shop.post("/v1/chat", body, expect=400)
    assert response.json()["error"]["field"] == field
