"""Channel addresses of the demo customers, so the outbox's notifications reach the local providers.

``demo-ecommerce``'s tracking customers (``local.carrier_service``): ``cust-zhangwei`` has the app
(push token) and a verified phone, ``cust-lina`` follows the mini-program (openid) and has a phone,
``cust-emily`` has the app only. ``cust-load`` (benchmarks) has no address on purpose: its
notifications are recorded as failed ``no_address``.
"""

from __future__ import annotations

from typing import Any

TENANT = "demo-ecommerce"
ADDRESSES: dict[str, dict[str, str]] = {
    "cust-zhangwei": {"app_push": "push-tok-zhangwei-0001", "sms": "13800002046"},
    "cust-lina": {"wechat_template": "oLinaDemoOpenid0002", "sms": "13900007781"},
    "cust-emily": {"app_push": "push-tok-emily-0003"},
}


def seed(stack: Any) -> None:
    from tridesk.core.notify_delivery_store import DynamoRecipientDirectory

    directory = DynamoRecipientDirectory()
    for customer, channels in ADDRESSES.items():
        for channel, address in channels.items():
            directory.put(TENANT, customer, channel, address)
