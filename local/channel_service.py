"""Local push / WeChat / SMS providers: a real HTTP peer for the channel adapters, on loopback.

Routes (contract: docs/adapters/channels.md):

- ``POST /push/v1/messages``                   app push (``Authorization: Bearer <push key>``)
- ``GET  /cgi-bin/token``                      WeChat access token (app id + secret)
- ``POST /cgi-bin/message/subscribe/send``     WeChat subscribe message (``?access_token=``)
- ``POST /sms/v1/send``                        SMS gateway (``Authorization: Bearer <sms key>``)

It records every message it accepted (``messages()``, ``GET /admin/messages``); a repeated
``request_id`` returns the first answer and is counted in ``stats["duplicates"]``, never recorded
twice. Health is settable at run time through ``POST /admin/faults {"latency_ms", "error_rate",
"timeout_ms", "outage", "fail_next"}`` (``fail_next``: the next N provider requests answer 503),
``POST /admin/tokens/expire`` expires the WeChat tokens handed out. Push tokens in
``unregistered`` and openids in ``refused`` are refused for good, as real providers do.

In process: ``svc = ChannelService(port=0).start(); svc.url; svc.set_faults(fail_next=2); svc.stop()``.
Standalone: ``python -m local.channel_service --port 8082``. Development only: nothing deployed imports it.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import secrets
import time
from dataclasses import asdict, dataclass, replace
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from local.loopback import Faults, JsonHandler, LoopbackService

_PHONE = re.compile(r"^(1[3-9]\d{9}|\+[1-9]\d{6,14})$")
WECHAT_APP_ID = "wx-local-demo"
WECHAT_TEMPLATE_ID = "tpl-order-update"


@dataclass
class ChannelFaults(Faults):
    """The shared faults plus ``fail_next``: the next N provider requests answer 503."""

    fail_next: int = 0


class ChannelService(LoopbackService):
    """The three providers and their state; ``start()`` serves from a daemon thread."""

    thread_name = "channel-service"
    faults_type = ChannelFaults

    def __init__(self, port: int = 0, host: str = "127.0.0.1", *, push_api_key: str | None = None,
                 sms_api_key: str | None = None, wechat_app_id: str = WECHAT_APP_ID,
                 wechat_app_secret: str | None = None, wechat_template_id: str = WECHAT_TEMPLATE_ID,
                 token_ttl_s: int = 7200, seed: int = 11) -> None:
        self.push_api_key = push_api_key or secrets.token_urlsafe(16)
        self.sms_api_key = sms_api_key or secrets.token_urlsafe(16)
        self.wechat_app_id = wechat_app_id
        self.wechat_app_secret = wechat_app_secret or secrets.token_urlsafe(16)
        self.wechat_template_id = wechat_template_id
        self.token_ttl_s = token_ttl_s
        self.unregistered: set[str] = set()
        self.refused: set[str] = set()
        self._tokens: dict[str, float] = {}
        self._answers: dict[tuple[str, str], tuple[int, Any]] = {}
        self._messages: list[dict[str, Any]] = []
        self._seq = 0
        super().__init__(port, host, seed=seed, handler_for=_handler_for, stats={
            "requests": 0, "accepted": 0, "rejected": 0, "errors": 0, "timeouts": 0, "dropped": 0,
            "duplicates": 0, "tokens_issued": 0, "token_rejections": 0})

    def env(self) -> dict[str, str]:
        """The variables that point the channel adapters at this service."""
        return {
            "TRIDESK_PUSH_URL": self.url, "TRIDESK_WECHAT_URL": self.url, "TRIDESK_SMS_URL": self.url,
            "TRIDESK_PUSH_API_KEY": self.push_api_key, "TRIDESK_SMS_API_KEY": self.sms_api_key,
            "TRIDESK_WECHAT_APP_ID": self.wechat_app_id, "TRIDESK_WECHAT_APP_SECRET": self.wechat_app_secret,
            "TRIDESK_WECHAT_TEMPLATE_ID": self.wechat_template_id,
        }

    # ------------------------------------------------------------------ state
    def expire_tokens(self) -> int:
        """Expire every WeChat access token handed out (the next send answers errcode 42001)."""
        with self._lock:
            n = len(self._tokens)
            self._tokens = {t: 0.0 for t in self._tokens}
            return n

    def messages(self, channel: str | None = None, to: str | None = None) -> list[dict[str, Any]]:
        """Accepted messages, oldest first, optionally of one channel and/or one address."""
        with self._lock:
            return [dict(m) for m in self._messages
                    if (channel is None or m["channel"] == channel) and (to is None or m["to"] == to)]

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()
            self._answers.clear()

    def _fault_gate(self) -> str | None:
        """What the current faults do to one provider request: None (serve), or drop/timeout/error."""
        with self._lock:
            f = self._faults
            if f.outage:
                return "drop"
            if f.fail_next > 0:
                self._faults = replace(f, fail_next=f.fail_next - 1)
                return "error"
            if f.error_rate and self._rng.random() < f.error_rate:
                return "timeout" if f.timeout_ms else "error"
            return None

    def issue_token(self, app_id: str, secret: str) -> tuple[int, dict[str, Any]]:
        if app_id != self.wechat_app_id or secret != self.wechat_app_secret:
            self.count("token_rejections")
            return 200, {"errcode": 40125, "errmsg": "invalid appsecret"}
        token = "tok-" + secrets.token_hex(12)
        with self._lock:
            self._tokens[token] = time.monotonic() + self.token_ttl_s
            self.stats["tokens_issued"] += 1
        return 200, {"access_token": token, "expires_in": self.token_ttl_s}

    def token_state(self, token: str) -> str:
        with self._lock:
            until = self._tokens.get(token)
        if until is None:
            return "invalid"
        return "valid" if until > time.monotonic() else "expired"

    def accept(self, channel: str, request_id: str | None, to: str, payload: dict[str, Any],
               answer: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Record one accepted message once per request id; a repeat gets the first answer."""
        with self._lock:
            if request_id and (channel, request_id) in self._answers:
                self.stats["duplicates"] += 1
                return self._answers[(channel, request_id)]
            self._seq += 1
            receipt = {**answer}
            for k, v in receipt.items():
                if v == "{seq}":
                    receipt[k] = f"{channel[:2]}-{self._seq:08d}"
            self._messages.append({"channel": channel, "to": to, "request_id": request_id, "payload": payload,
                                   "receipt": receipt, "at": time.time()})
            self.stats["accepted"] += 1
            result = (200, receipt)
            if request_id:
                self._answers[(channel, request_id)] = result
            return result


def _handler_for(svc: ChannelService) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonHandler):
        server_version = "TriDeskLocalChannels/1.0"

        def _path(self) -> str:
            return urlsplit(self.path).path.rstrip("/")

        def _query(self) -> dict[str, str]:
            return {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}

        def _read_json(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            return json.loads(raw or b"{}")

        def _gate(self) -> bool:
            """Apply the faults; True when the request may be served."""
            svc.count("requests")
            verdict = svc._fault_gate()
            if verdict == "drop":
                svc.count("dropped")
                self.close_connection = True
                return False
            faults = svc.faults
            svc.wait(faults.latency_ms / 1000)
            if verdict == "timeout":
                svc.count("timeouts")
                svc.wait(faults.timeout_ms / 1000)
                self._error(504, "upstream_timeout", "the provider timed out")
                return False
            if verdict == "error":
                svc.count("errors")
                self._error(503, "unavailable", "the provider is temporarily unavailable")
                return False
            return True

        def do_GET(self) -> None:  # noqa: N802 - stdlib naming
            path = self._path()
            if path == "/health":
                self._send(200, {"status": "ok", "faults": asdict(svc.faults)})
            elif path == "/admin/faults":
                self._send(200, asdict(svc.faults))
            elif path == "/admin/stats":
                self._send(200, svc.stats_snapshot())
            elif path == "/admin/messages":
                self._send(200, {"messages": svc.messages(self._query().get("channel"))})
            elif path == "/cgi-bin/token":
                if self._gate():
                    q = self._query()
                    self._send(*svc.issue_token(q.get("appid", ""), q.get("secret", "")))
            else:
                self._error(404, "no_route", f"no route for GET {path}")

        def do_DELETE(self) -> None:  # noqa: N802 - stdlib naming
            if self._path() == "/admin/faults":
                self._send(200, asdict(svc.reset_faults()))
            elif self._path() == "/admin/messages":
                svc.clear()
                self._send(200, {"messages": []})
            else:
                self._error(404, "no_route", "no route")

        def do_POST(self) -> None:  # noqa: N802 - stdlib naming
            path = self._path()
            try:
                body = self._read_json()
            except ValueError:
                self._error(400, "invalid_json", "body is not JSON")
                return
            if path == "/admin/faults":
                try:
                    faults = svc.set_faults(**body) if isinstance(body, dict) else ChannelFaults.validated(svc.faults, body)
                except (ValueError, TypeError) as exc:
                    self._error(400, "invalid_faults", str(exc))
                    return
                self._send(200, asdict(faults))
                return
            if path == "/admin/tokens/expire":
                self._send(200, {"expired": svc.expire_tokens()})
                return
            routes = {"/push/v1/messages": self._push, "/sms/v1/send": self._sms,
                      "/cgi-bin/message/subscribe/send": self._wechat}
            route = routes.get(path)
            if route is None:
                self._error(404, "no_route", f"no route for POST {path}")
                return
            if not isinstance(body, dict):
                self._error(400, "invalid_request", "body must be a JSON object")
                return
            if self._gate():
                route(body)

        def _bearer(self, key: str) -> bool:
            if self.headers.get("Authorization") != f"Bearer {key}":
                svc.count("rejected")
                self._error(401, "unauthorized", "missing or wrong API key")
                return False
            return True

        def _push(self, body: dict[str, Any]) -> None:
            if not self._bearer(svc.push_api_key):
                return
            token, text = body.get("token"), body.get("body")
            if not isinstance(token, str) or not token or not isinstance(text, str) or not text:
                svc.count("rejected")
                self._error(400, "invalid_request", "token and body are required")
                return
            if token in svc.unregistered:
                svc.count("rejected")
                self._error(410, "unregistered", "the device token is no longer registered")
                return
            self._send(*svc.accept("app_push", body.get("request_id"), token, body, {"message_id": "{seq}"}))

        def _sms(self, body: dict[str, Any]) -> None:
            if not self._bearer(svc.sms_api_key):
                return
            phone, text, sign = body.get("phone"), body.get("text"), body.get("sign_name")
            if not isinstance(phone, str) or not _PHONE.match(phone):
                svc.count("rejected")
                self._error(400, "invalid_phone", "not a mobile number")
                return
            if not isinstance(sign, str) or not sign or not isinstance(text, str) or not text:
                svc.count("rejected")
                self._error(400, "invalid_request", "sign_name and text are required")
                return
            segments = max(1, math.ceil(len(text) / (70 if body.get("lang") != "en" else 160)))
            self._send(*svc.accept("sms", body.get("request_id"), phone, body,
                                   {"sms_id": "{seq}", "segments": segments}))

        def _wechat(self, body: dict[str, Any]) -> None:
            state = svc.token_state(self._query().get("access_token", ""))
            if state != "valid":
                svc.count("rejected")
                code = 42001 if state == "expired" else 40001
                self._send(200, {"errcode": code, "errmsg": f"access_token {state}"})
                return
            openid, template = body.get("touser"), body.get("template_id")
            if not isinstance(openid, str) or not openid:
                self._send(200, {"errcode": 40003, "errmsg": "invalid openid"})
                return
            if template != svc.wechat_template_id:
                self._send(200, {"errcode": 40037, "errmsg": "invalid template_id"})
                return
            if openid in svc.refused:
                svc.count("rejected")
                self._send(200, {"errcode": 43101, "errmsg": "user refuse to accept the msg"})
                return
            data = body.get("data")
            if not isinstance(data, dict) or any(
                    not isinstance(v, dict) or len(str(v.get("value", ""))) > (32 if k.startswith("character") else 20)
                    for k, v in data.items()):
                self._send(200, {"errcode": 47003, "errmsg": "argument invalid! data.value invalid"})
                return
            status, answer = svc.accept("wechat_template", self.headers.get("X-Request-Id"), openid, body,
                                        {"errcode": 0, "errmsg": "ok", "msgid": "{seq}"})
            self._send(status, answer)

    return Handler


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted: ``python -m local.channel_service --port 8082``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8082)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    svc = ChannelService(args.port, args.host)
    print(f"push / WeChat / SMS providers on {svc.url}; Ctrl-C to stop", flush=True)
    for key, value in svc.env().items():
        print(f"  {key}={value}", flush=True)
    svc.serve_until_interrupted()


if __name__ == "__main__":
    main()
