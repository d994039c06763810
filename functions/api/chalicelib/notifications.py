"""Where a customer's notifications go: the app's push token, the WeChat openid, the phone.

The app, the mini-program or the web registers the address of a channel for the customer named in
``X-Customer-Id`` (as the tracking route does); the follow-ups and updates the service sends on its
own initiative reach the customer there (docs/adapters/channels.md). Addresses are answered masked:
nobody reads a full phone number or token back through the API.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.http import Call, json_route
from tridesk.core.errors import NotFoundError, ValidationError
from tridesk.core.lazy import per_container
from tridesk.core.notify import CHANNELS
from tridesk.core.notify_delivery_store import DynamoRecipientDirectory

bp = Blueprint(__name__)
directory = per_container(DynamoRecipientDirectory)


def _channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise NotFoundError(f"no such channel; one of {', '.join(CHANNELS)}", field="channel")
    return channel


@json_route(bp, "/v1/notification-addresses", customer=True)
def list_notification_addresses(call: Call) -> dict[str, Any]:
    """The customer's registered channels, addresses masked."""
    assert call.customer_id is not None
    found = directory().addresses(call.tenant_id, call.customer_id)
    return {"addresses": [{"channel": r.channel, "address": r.masked, "updated_at": at} for r, at in found]}


@json_route(bp, "/v1/notification-addresses/{channel}", ("PUT",), body=True, customer=True)
def put_notification_address(call: Call, channel: str) -> dict[str, Any]:
    """Register (or replace) the address of one channel: ``{"address": "..."}``."""
    assert call.customer_id is not None and call.body is not None
    address = call.body.get("address")
    if not isinstance(address, str):
        raise ValidationError("address must be a string", field="address")
    unknown = set(call.body) - {"address"}
    if unknown:
        raise ValidationError(f"unknown field {sorted(unknown)[0]!r}", field=sorted(unknown)[0])
    recipient = directory().put(call.tenant_id, call.customer_id, _channel(channel), address)
    return {"channel": recipient.channel, "address": recipient.masked}


@json_route(bp, "/v1/notification-addresses/{channel}", ("DELETE",), customer=True)
def delete_notification_address(call: Call, channel: str) -> dict[str, Any]:
    """Forget the address of one channel (nothing more is sent there); forgetting twice is fine."""
    assert call.customer_id is not None
    directory().forget(call.tenant_id, call.customer_id, _channel(channel))
    return {"channel": channel, "deleted": True}
