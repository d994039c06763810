"""Messages the service sends to a customer on its own initiative (a kept promise, an update).

The port every area uses to reach a customer outside a request: ``Notifier.notify(notification)``.

Contract (every implementation keeps it):

- **At most once per key.** ``Notification.key`` names the reason for the message (e.g. the
  follow-up promise it keeps), unique within a tenant and customer. ``notify`` returns True when
  this call delivered (or durably queued) the message and False when a message with that key was
  already delivered: redeliveries, retries and concurrent workers never reach a customer twice.
  The key is claimed with a conditional write *before* the channel is called, so a crash between
  the two loses the message rather than sending it twice (a customer forgives a lost "your parcel
  is out for delivery" more easily than a flood of them).
- **Bilingual.** ``text`` holds both languages. ``lang`` is the customer's language when known;
  None sends both, Chinese first (``render``).
- **Transient trouble raises ``UpstreamError``** (the caller retries, e.g. through its queue);
  nothing else is raised for a well-formed notification.

Channels (``Channel``), as a production dispatcher delivers them:

- ``app_push``: a push to the customer's app (APNs / FCM / the vendors' push services in China):
  a title and ``render(text, lang)`` as the body; tapping opens the order.
- ``wechat_template``: a WeChat template (subscribe) message to the customer's ``openid`` for the
  tenant's official account or mini-program; needs an approved template whose fields receive the
  rendered text and ``data`` (order id, status); only sent while the customer's subscription allows.
- ``sms``: a text to the customer's verified phone, in one language (``lang``, Chinese when
  unknown), under the tenant's registered SMS signature; long texts are split by the gateway.

Implementations: ``tridesk.core.notify_store.OutboxNotifier`` records each notification in the
notifications table (the outbox, and the record of what was said); the dispatcher
(``tridesk.core.notify_dispatch``, Lambda ``functions/notify_dispatcher``) drains it through the
delivery port defined at the end of this module (``ChannelSender``, ``Recipient``,
``DeliveryFailed``), whose HTTP adapters are in ``tridesk.core.channels``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from tridesk.core.errors import ValidationError
from tridesk.core.i18n import BiText
from tridesk.core.identity import mask

Channel = Literal["app_push", "wechat_template", "sms"]
CHANNELS: tuple[Channel, ...] = ("app_push", "wechat_template", "sms")


@dataclass(frozen=True, slots=True)
class Notification:
    """One message to one customer; ``key`` makes it idempotent (see the module doc)."""

    tenant: str
    customer_id: str
    key: str
    kind: str
    text: BiText
    lang: str | None = None
    channel: Channel = "app_push"
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("tenant", "customer_id", "key", "kind"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value or len(value) > 256:
                raise ValidationError(f"notification {name} must be a non-empty string", field=name)
        if self.channel not in CHANNELS:
            raise ValidationError(f"channel must be one of {', '.join(CHANNELS)}", field="channel")
        if self.lang not in (None, "zh", "en"):
            raise ValidationError("lang must be zh, en or null", field="lang")

    def rendered(self) -> str:
        return render(self.text, self.lang)


@dataclass(frozen=True, slots=True)
class Delivery:
    """A recorded notification (what the outbox holds)."""

    notification: Notification
    created_at: datetime


def render(text: BiText, lang: str | None) -> str:
    """The text a channel sends: the customer's language, or both (Chinese first) when unknown."""
    if lang in ("zh", "en"):
        return text.get(lang)
    return f"{text.zh}\n{text.en}"


class Notifier(Protocol):
    """Delivers notifications at most once per (tenant, customer, key); see the module doc."""

    def notify(self, notification: Notification) -> bool: ...


# -- the delivery port: what a channel dispatcher needs (adapters: tridesk.core.channels) ------------

#: how the three channels name the address they deliver to
ADDRESS_KINDS: dict[str, str] = {"app_push": "push_token", "wechat_template": "openid", "sms": "phone"}


class DeliveryFailed(Exception):
    """The channel refused the message for good (no address, refused subscription, bad request).

    ``reason`` is a short stable code recorded on the notification; retrying cannot help.
    """

    def __init__(self, channel: str, reason: str, message: str = "") -> None:
        super().__init__(f"{channel}: {reason}{': ' + message if message else ''}")
        self.channel = channel
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where one customer receives one channel: a push token, an openid or a phone (in clear)."""

    channel: Channel
    address: str

    @property
    def masked(self) -> str:
        """The address as it may appear in logs and records (``138****5678``, ``oA…9x``)."""
        return mask("phone" if self.channel == "sms" else ADDRESS_KINDS[self.channel], self.address)

    def __repr__(self) -> str:  # never print an address in clear
        return f"Recipient({self.channel}, {self.masked})"


class ChannelSender(Protocol):
    """Hands one notification to its channel; returns the provider's receipt (message) id."""

    channel: Channel

    def send(self, notification: Notification, recipient: Recipient) -> str: ...
