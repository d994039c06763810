"""Channel adapters against the local push / WeChat / SMS providers (``local.channel_service``, loopback)."""

from __future__ import annotations

import time

import pytest

from local.channel_service import ChannelService
from tridesk.core.channels import (
    ChannelSettings,
    DeliveryFailed,
    HttpConfig,
    JsonHttp,
    Recipient,
    WeChatApp,
    WeChatSender,
    build_senders,
    request_id,
)
from tridesk.core.errors import UpstreamError
from tridesk.core.i18n import BiText
from tridesk.core.notify import Notification
from tridesk.core.observability import log_extra

TEXT = BiText("您的包裹正在派送，请保持电话畅通。", "Your parcel is out for delivery; please keep your phone on.")
PHONE, OPENID, TOKEN = "13800002046", "oDemoOpenid0001", "push-tok-0001"


@pytest.fixture
def svc():
    with ChannelService() as service:
        yield service


def _note(key: str = "k1", channel: str = "app_push", lang: str | None = None, **data: str) -> Notification:
    return Notification(tenant="demo-ecommerce", customer_id="cust-zhangwei", key=key, kind="tracking_update",
                        text=TEXT, lang=lang, channel=channel, data=data)  # type: ignore[arg-type]


def _senders(svc: ChannelService, **http):
    cfg = ChannelSettings(svc.url, svc.push_api_key, svc.url, svc.wechat_app_id, svc.wechat_app_secret,
                          svc.wechat_template_id, svc.url, svc.sms_api_key, "TriDesk")
    http = {"backoff_base_s": 0.01, "backoff_cap_s": 0.02, **http}
    signatures = {"demo-ecommerce": {"notify": {"sms_signature": "演示商城"}}}
    return build_senders(cfg, tenant_settings=lambda t: signatures.get(t, {}), **http)


def test_each_channel_delivers_and_returns_the_providers_receipt(svc):
    senders = _senders(svc)
    push = senders["app_push"].send(_note("p", lang="zh", order_id="ECD1"), Recipient("app_push", TOKEN))
    sms = senders["sms"].send(_note("s", "sms", lang="en"), Recipient("sms", PHONE))
    wx = senders["wechat_template"].send(_note("w", "wechat_template", order_id="ECD1"),
                                         Recipient("wechat_template", OPENID))
    assert push.startswith("ap-") and sms.startswith("sm-") and wx.startswith("we-")
    [p] = svc.messages("app_push")
    assert p["to"] == TOKEN and p["payload"]["body"] == TEXT.zh and p["payload"]["data"]["order_id"] == "ECD1"
    [s] = svc.messages("sms")
    # one language only (the customer's), under the tenant's signature
    assert s["payload"]["text"] == TEXT.en and s["payload"]["lang"] == "en" and s["payload"]["sign_name"] == "演示商城"
    [w] = svc.messages("wechat_template")
    assert w["payload"]["template_id"] == svc.wechat_template_id and w["payload"]["lang"] == "zh_CN"
    assert all(len(v["value"]) <= 20 for k, v in w["payload"]["data"].items() if k.startswith("thing"))


def test_sms_without_a_language_is_chinese_and_push_without_one_is_bilingual(svc):
    senders = _senders(svc)
    senders["sms"].send(_note("s"), Recipient("sms", PHONE))
    senders["app_push"].send(_note("p"), Recipient("app_push", TOKEN))
    assert svc.messages("sms")[0]["payload"]["text"] == TEXT.zh
    assert svc.messages("app_push")[0]["payload"]["body"] == f"{TEXT.zh}\n{TEXT.en}"


def test_5xx_is_retried_with_backoff_and_delivered_once(svc):
    svc.set_faults(fail_next=2)
    senders = _senders(svc)
    http = senders["app_push"].http
    assert senders["app_push"].send(_note(), Recipient("app_push", TOKEN))
    assert http.attempts == 3 and len(svc.messages()) == 1 and svc.stats_snapshot()["errors"] == 2


def test_persistent_5xx_is_a_transient_upstream_error_after_bounded_attempts(svc):
    svc.set_faults(error_rate=1.0)
    senders = _senders(svc)
    with pytest.raises(UpstreamError) as raised:
        senders["sms"].send(_note(), Recipient("sms", PHONE))
    assert raised.value.retryable and senders["sms"].http.attempts == 3 and svc.messages() == []


def test_a_read_timeout_is_retried_and_the_provider_drops_the_repeat(svc):
    # the provider is slow once: the first attempt times out on our side but is accepted on theirs
    svc.set_faults(latency_ms=400)
    senders = _senders(svc, read_timeout_s=0.15, deadline_s=3.0)
    started = time.monotonic()
    with pytest.raises(UpstreamError, match="timeout"):
        senders["app_push"].send(_note(), Recipient("app_push", TOKEN))
    assert time.monotonic() - started < 2.0
    svc.reset_faults()
    # the retry (same request id) is answered with the first receipt, and nothing is sent twice
    receipt = senders["app_push"].send(_note(), Recipient("app_push", TOKEN))
    time.sleep(0.5)
    assert len(svc.messages()) == 1 and svc.messages()[0]["receipt"]["message_id"] == receipt
    assert svc.stats_snapshot()["duplicates"] >= 1


def test_a_wechat_send_that_may_have_arrived_is_not_repeated(svc):
    # WeChat drops no repeats: after a read timeout the message may have been sent, so it is not retried
    sender = _senders(svc, read_timeout_s=0.15, deadline_s=3.0)["wechat_template"]
    sender.access_token()
    svc.set_faults(latency_ms=400)
    before = sender.http.attempts
    with pytest.raises(DeliveryFailed) as failed:
        sender.send(_note(), Recipient("wechat_template", OPENID))
    assert failed.value.reason == "outcome_unknown" and sender.http.attempts == before + 1
    time.sleep(0.5)
    assert len(svc.messages("wechat_template")) == 1  # it did arrive: once


def test_an_outage_is_transient(svc):
    svc.set_faults(outage=True)
    with pytest.raises(UpstreamError):
        _senders(svc)["wechat_template"].send(_note(), Recipient("wechat_template", OPENID))


def test_refusals_are_permanent(svc):
    svc.unregistered.add(TOKEN)
    svc.refused.add(OPENID)
    senders = _senders(svc)
    with pytest.raises(DeliveryFailed) as push:
        senders["app_push"].send(_note(), Recipient("app_push", TOKEN))
    with pytest.raises(DeliveryFailed) as wx:
        senders["wechat_template"].send(_note(), Recipient("wechat_template", OPENID))
    with pytest.raises(DeliveryFailed) as sms:
        senders["sms"].send(_note(), Recipient("sms", "12345"))
    assert (push.value.reason, wx.value.reason, sms.value.reason) == (
        "unregistered", "subscription_refused", "invalid_phone")
    assert senders["app_push"].http.attempts == 1  # a 4xx is never retried


def test_wechat_token_is_cached_then_refreshed_once_when_expired(svc):
    sender = _senders(svc)["wechat_template"]
    sender.send(_note("a"), Recipient("wechat_template", OPENID))
    sender.send(_note("b"), Recipient("wechat_template", OPENID))
    assert sender.token_fetches == 1 and svc.stats_snapshot()["tokens_issued"] == 1
    # WHEN WeChat expires the token (errcode 42001): one refresh, one retry, delivered
    svc.expire_tokens()
    sender.send(_note("c"), Recipient("wechat_template", OPENID))
    assert sender.token_fetches == 2 and len(svc.messages("wechat_template")) == 3


def test_wechat_token_is_refetched_before_it_expires():
    with ChannelService(token_ttl_s=301) as svc:
        now = [0.0]
        http = JsonHttp("wechat_template", HttpConfig(svc.url))
        sender = WeChatSender(http, WeChatApp(svc.wechat_app_id, svc.wechat_app_secret, svc.wechat_template_id),
                              clock=lambda: now[0])
        sender.access_token()
        now[0] = 0.5
        sender.access_token()
        assert sender.token_fetches == 1
        now[0] = 2.0  # within the 300 s safety margin of a 301 s token
        sender.access_token()
        assert sender.token_fetches == 2


def test_a_wrong_app_secret_is_transient_configuration_trouble(svc):
    http = JsonHttp("wechat_template", HttpConfig(svc.url, max_attempts=1))
    sender = WeChatSender(http, WeChatApp(svc.wechat_app_id, "wrong", svc.wechat_template_id))
    with pytest.raises(UpstreamError, match="40125"):
        sender.send(_note(), Recipient("wechat_template", OPENID))
    assert svc.messages() == []


def test_request_ids_are_stable_and_carry_no_personal_data():
    a, b = _note("k1"), _note("k1")
    assert request_id(a) == request_id(b) != request_id(_note("k2"))
    assert "cust" not in request_id(a) and "demo" not in request_id(a)


def test_addresses_never_print_in_clear():
    sms, wx = Recipient("sms", PHONE), Recipient("wechat_template", OPENID)
    assert PHONE not in repr(sms) and sms.masked == "138****2046"
    assert OPENID not in repr(wx) and OPENID not in wx.masked
    assert log_extra(text=f"sent to {PHONE}")["text"] == "sent to 138****2046"


def test_http_config_rejects_nonsense():
    with pytest.raises(ValueError):
        HttpConfig("ftp://x")
    with pytest.raises(ValueError):
        HttpConfig("http://x", max_attempts=0)
