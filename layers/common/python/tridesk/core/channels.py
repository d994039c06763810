"""Channel adapters: the HTTP clients that hand a notification to a push service, WeChat or an SMS gateway.

One port, :class:`ChannelSender` (``send(notification, recipient) -> receipt id``), three adapters:

- :class:`AppPushSender`  ``POST /push/v1/messages`` (a push provider's HTTP API, bearer key);
- :class:`WeChatSender`   ``GET /cgi-bin/token`` (access token, cached until shortly before it
  expires) and ``POST /cgi-bin/message/subscribe/send?access_token=...``; an expired or invalid
  token is refreshed once and the message retried, a refused subscription is permanent;
- :class:`SmsSender`      ``POST /sms/v1/send``: one language, the tenant's signature; splitting a
  long text is the gateway's job.

Requests go through ``tridesk.core.http.JsonHttp`` (the one HTTP client of the adapters): every call
has connect/read timeouts and a total deadline; timeouts, dropped connections and 5xx answers are
retried with full-jitter exponential backoff, each request carrying the notification's
request id (``X-Request-Id``, ``request_id``) so a provider that received a timed-out attempt can
drop the repeat. What cannot succeed by retrying (unknown address, refused subscription, a 4xx)
raises :class:`DeliveryFailed`; the rest raises ``UpstreamError`` (transient). Contract:
docs/adapters/channels.md. Addresses never reach a log line in clear (``Recipient.masked``).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import urllib3

from tridesk.core.errors import UpstreamError
from tridesk.core.http import AmbiguousOutcome, HttpAnswer, HttpConfig, JsonHttp  # noqa: F401 - re-exported
from tridesk.core.notify import (  # noqa: F401 - the port, re-exported next to its adapters
    ADDRESS_KINDS,
    Channel,
    ChannelSender,
    DeliveryFailed,
    Notification,
    Recipient,
)

def request_id(notification: Notification) -> str:
    """A stable id of one notification for the providers' duplicate detection (no personal data)."""
    n = notification
    raw = f"{n.tenant}|{n.customer_id}|{n.key}|{n.channel}".encode()
    return "n-" + hashlib.sha256(raw).hexdigest()[:32]


#: the channel providers' patience (a notification can wait a little longer than a customer's question)
CHANNEL_HTTP: dict[str, Any] = {"connect_timeout_s": 0.5, "read_timeout_s": 2.0, "backoff_base_s": 0.1,
                                "deadline_s": 6.0}


def _error_code(body: Any) -> str:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return str(body["error"].get("code") or "rejected")
    return "rejected"


def _map_rest_answer(channel: str, answer: HttpAnswer, id_field: str) -> str:
    """The receipt of a REST provider's answer; 429 is transient, other 4xx permanent."""
    if answer.status == 429:
        raise UpstreamError(channel, "rate limited")
    if not 200 <= answer.status < 300:
        raise DeliveryFailed(channel, _error_code(answer.body), f"HTTP {answer.status}")
    receipt = answer.body.get(id_field) if isinstance(answer.body, dict) else None
    if not isinstance(receipt, str) or not receipt:
        raise UpstreamError(channel, f"answer has no {id_field}", retryable=False)
    return receipt


# ---------------------------------------------------------------------------------------------- adapters
TITLES: dict[str, tuple[str, str]] = {
    "tracking_update": ("物流更新", "Delivery update"),
    "tracking_not_found": ("订单查询结果", "About your order"),
    "tracking_still_checking": ("物流仍在核实", "Still checking your parcel"),
}
DEFAULT_TITLE = ("消息提醒", "Notification")


def title_of(notification: Notification) -> str:
    zh, en = TITLES.get(notification.kind, DEFAULT_TITLE)
    if notification.lang == "en":
        return en
    return zh if notification.lang == "zh" else f"{zh} {en}"


class AppPushSender:
    """App push: ``POST /push/v1/messages`` with ``Authorization: Bearer <key>``."""

    channel: Channel = "app_push"

    def __init__(self, http: JsonHttp, api_key: str) -> None:
        self.http = http
        self._auth = {"Authorization": f"Bearer {api_key}"}

    def send(self, notification: Notification, recipient: Recipient) -> str:
        rid = request_id(notification)
        answer = self.http.request("POST", "/push/v1/messages", headers={**self._auth, "X-Request-Id": rid}, body={
            "request_id": rid,
            "token": recipient.address,
            "title": title_of(notification),
            "body": notification.rendered(),
            "data": {"kind": notification.kind, **{k: str(v) for k, v in notification.data.items()}},
        })
        return _map_rest_answer(self.channel, answer, "message_id")


class SmsSender:
    """SMS gateway: ``POST /sms/v1/send``; one language (``lang``, Chinese when unknown), the tenant's signature."""

    channel: Channel = "sms"

    def __init__(self, http: JsonHttp, api_key: str, signature: Callable[[str], str]) -> None:
        self.http = http
        self._auth = {"Authorization": f"Bearer {api_key}"}
        self._signature = signature

    def send(self, notification: Notification, recipient: Recipient) -> str:
        rid = request_id(notification)
        lang = notification.lang or "zh"
        answer = self.http.request("POST", "/sms/v1/send", headers={**self._auth, "X-Request-Id": rid}, body={
            "request_id": rid,
            "phone": recipient.address,
            "sign_name": self._signature(notification.tenant),
            "lang": lang,
            "text": notification.text.get(lang),
        })
        return _map_rest_answer(self.channel, answer, "sms_id")


#: WeChat errcodes: an access token that expired or is not valid (refresh once, retry)
WECHAT_TOKEN_ERRORS = frozenset({40001, 40014, 42001})
#: errcodes that retrying cannot fix (refused subscription, bad openid, template or data)
WECHAT_PERMANENT = {43101: "subscription_refused", 40003: "invalid_openid", 40037: "invalid_template",
                    47003: "invalid_template_data", 43108: "subscription_refused"}
#: errcodes worth another try later (system busy, API quota reached)
WECHAT_TRANSIENT = frozenset({-1, 45009, 45011})


@dataclass(frozen=True, slots=True)
class WeChatApp:
    app_id: str
    app_secret: str
    template_id: str
    page: str = "pages/orders/detail"
    token_margin_s: float = 300.0


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class WeChatSender:
    """WeChat subscribe (template) messages to an ``openid``; the access token is cached per app.

    Template fields: ``thing1`` the title, ``thing2`` the text (both at most 20 characters, WeChat's
    limit for ``thing`` fields), ``character_string3`` the order id when the notification has one.
    """

    channel: Channel = "wechat_template"

    def __init__(self, http: JsonHttp, app: WeChatApp, *, template_for: Callable[[Notification], str] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.http = http
        self.app = app
        self._template_for = template_for or (lambda n: app.template_id)
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._token_until = 0.0
        self.token_fetches = 0

    def access_token(self, *, refresh: bool = False, stale: str | None = None) -> str:
        """The cached token, fetched when missing, near expiry, or when ``stale`` is the one held."""
        with self._lock:
            if refresh and stale is not None and self._token != stale:
                refresh = False  # another thread already refreshed it
            if not refresh and self._token is not None and self._clock() < self._token_until:
                return self._token
            answer = self.http.request("GET", "/cgi-bin/token", query={
                "grant_type": "client_credential", "appid": self.app.app_id, "secret": self.app.app_secret})
            body = answer.body if isinstance(answer.body, dict) else {}
            token, expires = body.get("access_token"), body.get("expires_in")
            if answer.status != 200 or not isinstance(token, str) or not isinstance(expires, int):
                code = body.get("errcode")
                # a wrong app id or secret is configuration, not the customer: retried until fixed
                raise UpstreamError(self.channel, f"access token refused (errcode {code})")
            self.token_fetches += 1
            self._token = token
            self._token_until = self._clock() + max(0.0, expires - self.app.token_margin_s)
            return token

    def send(self, notification: Notification, recipient: Recipient) -> str:
        lang = notification.lang or "zh"
        data = {"thing1": {"value": _clip(title_of(notification), 20)},
                "thing2": {"value": _clip(notification.text.get(lang), 20)}}
        order_id = notification.data.get("order_id")
        if order_id:
            data["character_string3"] = {"value": _clip(str(order_id), 32)}
        body = {"touser": recipient.address, "template_id": self._template_for(notification),
                "page": self.app.page, "data": data, "lang": "en_US" if lang == "en" else "zh_CN"}
        rid = request_id(notification)
        token = self.access_token()
        for refreshed in (False, True):
            try:
                # WeChat drops no repeated requests: a send that may have arrived is not repeated
                answer = self.http.request("POST", "/cgi-bin/message/subscribe/send", query={"access_token": token},
                                           headers={"X-Request-Id": rid}, body=body, idempotent=False)
            except AmbiguousOutcome as exc:
                raise DeliveryFailed(self.channel, "outcome_unknown", str(exc)) from None
            reply = answer.body if isinstance(answer.body, dict) else {}
            code = reply.get("errcode", -2 if answer.status != 200 else 0)
            if code == 0:
                return str(reply.get("msgid") or rid)
            if code in WECHAT_TOKEN_ERRORS and not refreshed:
                token = self.access_token(refresh=True, stale=token)
                continue
            if code in WECHAT_PERMANENT:
                raise DeliveryFailed(self.channel, WECHAT_PERMANENT[code], f"errcode {code}")
            if code in WECHAT_TRANSIENT or code in WECHAT_TOKEN_ERRORS or answer.status == 429:
                raise UpstreamError(self.channel, f"errcode {code}")
            raise DeliveryFailed(self.channel, f"errcode_{code}", str(reply.get("errmsg") or ""))
        raise UpstreamError(self.channel, "access token rejected after refresh")  # pragma: no cover


# ---------------------------------------------------------------------------------------------- wiring
@dataclass(frozen=True, slots=True)
class ChannelSettings:
    """The providers of one deployment (``TRIDESK_*`` variables set by template.yaml)."""

    push_url: str
    push_api_key: str
    wechat_url: str
    wechat_app_id: str
    wechat_app_secret: str
    wechat_template_id: str
    sms_url: str
    sms_api_key: str
    sms_signature: str

    @classmethod
    def from_settings(cls) -> ChannelSettings:
        from tridesk.core.settings import get_settings

        s = get_settings()
        return cls(
            push_url=s.option("push_url", "https://push.example.com"),
            push_api_key=s.option("push_api_key", ""),
            wechat_url=s.option("wechat_url", "https://api.weixin.qq.com"),
            wechat_app_id=s.option("wechat_app_id", ""),
            wechat_app_secret=s.option("wechat_app_secret", ""),
            wechat_template_id=s.option("wechat_template_id", ""),
            sms_url=s.option("sms_url", "https://sms.example.com"),
            sms_api_key=s.option("sms_api_key", ""),
            sms_signature=s.option("sms_signature", "TriDesk"),
        )


def tenant_setting(tenant_settings: Callable[[str], Mapping[str, Any]], name: str,
                   default: str) -> Callable[[str], str]:
    """``settings.notify.<name>`` of a tenant's configuration, else ``default``."""

    def lookup(tenant: str) -> str:
        notify = (tenant_settings(tenant) or {}).get("notify")
        value = notify.get(name) if isinstance(notify, Mapping) else None
        return value if isinstance(value, str) and value else default

    return lookup


def build_senders(cfg: ChannelSettings, *, tenant_settings: Callable[[str], Mapping[str, Any]] | None = None,
                  pool: urllib3.PoolManager | None = None, **http: Any) -> dict[str, ChannelSender]:
    """The three adapters of a deployment; ``tenant_settings(tenant)`` gives per-tenant overrides
    (``settings.notify.sms_signature`` and ``settings.notify.wechat_template_id``)."""
    settings_of = tenant_settings or (lambda tenant: {})
    template = tenant_setting(settings_of, "wechat_template_id", cfg.wechat_template_id)
    patience = {**CHANNEL_HTTP, **http}
    return {
        "app_push": AppPushSender(JsonHttp("app_push", HttpConfig(cfg.push_url, **patience), pool=pool),
                                  cfg.push_api_key),
        "wechat_template": WeChatSender(
            JsonHttp("wechat_template", HttpConfig(cfg.wechat_url, **patience), pool=pool),
            WeChatApp(cfg.wechat_app_id, cfg.wechat_app_secret, cfg.wechat_template_id),
            template_for=lambda n: template(n.tenant)),
        "sms": SmsSender(JsonHttp("sms", HttpConfig(cfg.sms_url, **patience), pool=pool), cfg.sms_api_key,
                         tenant_setting(settings_of, "sms_signature", cfg.sms_signature)),
    }
