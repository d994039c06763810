"""Demo data of the conversation core: agents and a VIP customer for each demo tenant.

Agents come with skills, a VIP desk, capacities and a resolution history, so routing has real
choices to make; the VIP customer (app user ``u-vip-1001``, verified phone 13800001001) shows
VIP-first routing.
"""

from __future__ import annotations

from typing import Any

from local import moto_atomic

# Installed on import: the stack imports every demo module before it seeds any, so every
# area's seeding (and the queue poller's writes) already runs with atomic conditional writes.
moto_atomic.install()

AGENTS: dict[str, list[dict[str, Any]]] = {
    "demo-ecommerce": [
        {"agent_id": "agent-li", "name": "李娜", "skills": ["orders", "logistics", "returns", "complaints"],
         "capacity": 3, "vip": True, "history": {"returns": (46, 50), "logistics": (38, 45)}},
        {"agent_id": "agent-wang", "name": "王强", "skills": ["orders", "logistics", "promotions", "payments"],
         "capacity": 4, "vip": False, "history": {"logistics": (30, 40), "payments": (18, 20)}},
        {"agent_id": "agent-chen", "name": "Chen Yu", "skills": ["returns", "payments", "complaints"],
         "capacity": 2, "vip": False, "langs": ["en", "zh"], "history": {"returns": (20, 30)}},
    ],
    "demo-finance": [
        {"agent_id": "agent-zhao", "name": "赵敏", "skills": ["wealth", "payments", "security", "complaints"],
         "capacity": 3, "vip": True, "history": {"wealth": (58, 60), "security": (19, 20)}},
        {"agent_id": "agent-sun", "name": "孙磊", "skills": ["payments", "security", "complaints"],
         "capacity": 4, "vip": False, "history": {"payments": (40, 50)}},
    ],
    "demo-education": [
        {"agent_id": "agent-zhou", "name": "周老师", "skills": ["courses", "learning", "complaints"],
         "capacity": 5, "vip": True, "history": {"learning": (35, 40)}},
        {"agent_id": "agent-wu", "name": "Wu Lei", "skills": ["courses", "payments"],
         "capacity": 5, "vip": False, "langs": ["en", "zh"], "history": {"courses": (25, 30)}},
    ],
}
VIP_CUSTOMER = {"app_user_id": "u-vip-1001", "phone": "13800001001", "phone_verified": True}


def seed(stack: Any) -> None:
    from dataclasses import replace

    from tridesk.core.identity import OneId, parse_identity
    from tridesk.core.identity_store import DynamoIdentityStore
    from tridesk.core.tickets import parse_agent
    from tridesk.core.tickets_store import DynamoTicketStore

    moto_atomic.install()
    tickets = DynamoTicketStore()
    identities = DynamoIdentityStore()
    for tenant_id, agents in AGENTS.items():
        for spec in agents:
            body = {k: v for k, v in spec.items() if k not in ("agent_id", "history")}
            tickets.put_agent(tenant_id, parse_agent(spec["agent_id"], {**body, "status": "online"}))
            tickets.seed_history(tenant_id, spec["agent_id"], spec["history"])
        who = OneId(identities).resolve(tenant_id, parse_identity(tenant_id, VIP_CUSTOMER, "app"))
        identities.put_customer(tenant_id, replace(who.profile, name="VIP 张先生", vip=True, tier="gold"))
