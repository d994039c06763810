"""JSON over HTTP for the adapters of outside systems (OMS, carrier, push, WeChat, SMS gateways).

One ``urllib3.PoolManager`` per process keeps connections alive across warm invocations. Every
call has connect/read timeouts and a total deadline; timeouts, dropped connections and 5xx answers
are retried with full-jitter exponential backoff, anything else is not. Transport trouble surfaces
as :class:`UpstreamError`; an answer below 500 is returned as :class:`HttpAnswer` for the adapter to
map (or checked inside the attempt by the caller's ``check``).

- ``guard``: an attempt guard (a circuit breaker's ``call``) runs every *attempt*, so the breaker
  hears of a timed-out attempt when it times out, and a breaker that opens during a call
  (:class:`CircuitOpenError`) stops its retries.
- ``idempotent=False``: for a provider that cannot drop a repeated request, an attempt that may
  have reached it (read timeout, connection lost after sending) is not retried but raised as
  :class:`AmbiguousOutcome`; one that never left (refused connection, connect timeout) still is.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar
from urllib.parse import urlencode

import urllib3
from urllib3.exceptions import ConnectTimeoutError, HTTPError, TimeoutError as Urllib3TimeoutError

from tridesk.core.errors import CircuitOpenError, UpstreamError

T = TypeVar("T")

_POOL: urllib3.PoolManager | None = None
_POOL_LOCK = threading.Lock()


def shared_pool() -> urllib3.PoolManager:
    """The process-wide connection pool, created on first use."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = urllib3.PoolManager(num_pools=16, maxsize=32, block=False, retries=False)
        return _POOL


@dataclass(frozen=True, slots=True)
class HttpConfig:
    """Where an upstream lives and how patient to be with it (seconds)."""

    base_url: str
    connect_timeout_s: float = 0.3
    read_timeout_s: float = 1.0
    max_attempts: int = 3
    backoff_base_s: float = 0.05
    backoff_cap_s: float = 1.0
    deadline_s: float | None = 2.5

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError("base_url must be an http(s) URL")
        if self.max_attempts < 1 or self.connect_timeout_s <= 0 or self.read_timeout_s <= 0:
            raise ValueError("max_attempts and timeouts must be positive")


class AmbiguousOutcome(UpstreamError):
    """A request that may have reached the upstream (read timeout, connection lost after sending)."""


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    """An answer below 500: its status, raw body, and ``body``, the decoded JSON (None if it is not JSON)."""

    status: int
    data: bytes
    body: Any = None

    @classmethod
    def of(cls, status: int, data: bytes) -> HttpAnswer:
        try:
            body = json.loads(data) if data else None
        except ValueError:
            body = None
        return cls(status, data, body)


class AttemptGuard(Protocol):
    """What guards each attempt (a circuit breaker): runs it, counting a raised ``UpstreamError`` as a
    failure, or raises ``CircuitOpenError`` without running it."""

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T: ...


class JsonHttp:
    """Requests with timeouts, a deadline and bounded full-jitter retries; see the module doc."""

    def __init__(
        self,
        upstream: str,
        config: HttpConfig,
        *,
        pool: urllib3.PoolManager | None = None,
        headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.monotonic,
        guard: AttemptGuard | None = None,
    ) -> None:
        self.upstream = upstream
        self.config = config
        self.guard = guard
        self._pool = pool
        self._headers = {"Accept": "application/json", **(headers or {})}
        self._sleep = sleep
        self._rand = rand
        self._clock = clock
        self.attempts = 0

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2**attempt))."""
        c = self.config
        return self._rand() * min(c.backoff_cap_s, c.backoff_base_s * (2**attempt))

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = True,
        check: Callable[[HttpAnswer], Any] | None = None,
    ) -> Any:
        """The answer (status below 500), or what ``check(answer)`` returns; ``check`` runs inside the
        attempt, so an ``UpstreamError`` it raises counts as the attempt's failure (and is retried
        when ``retryable``)."""
        c = self.config
        url = c.base_url.rstrip("/") + path + (f"?{urlencode(query)}" if query else "")
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        sent = {**self._headers, **(headers or {})}
        if data is not None:
            sent["Content-Type"] = "application/json; charset=utf-8"
        pool = self._pool or shared_pool()
        started = self._clock()
        error: UpstreamError | None = None
        for attempt in range(c.max_attempts):
            read_timeout = c.read_timeout_s
            if c.deadline_s is not None:
                remaining = c.deadline_s - (self._clock() - started)
                if remaining <= 0:
                    break
                read_timeout = min(read_timeout, remaining)
            timeout = urllib3.Timeout(connect=min(c.connect_timeout_s, read_timeout), read=read_timeout)
            args = (pool, method, url, data, sent, timeout, check)
            try:
                return self.guard.call(self._attempt, *args) if self.guard else self._attempt(*args)
            except UpstreamError as exc:
                if (isinstance(exc, CircuitOpenError) or not exc.retryable
                        or (isinstance(exc, AmbiguousOutcome) and not idempotent)):
                    raise
                error = exc
            if attempt + 1 >= c.max_attempts:
                break
            delay = self.backoff(attempt)
            if c.deadline_s is not None and self._clock() - started + delay >= c.deadline_s:
                break
            self._sleep(delay)
        raise error or UpstreamError(self.upstream, "deadline exceeded")

    def _attempt(
        self, pool: urllib3.PoolManager, method: str, url: str, data: bytes | None, headers: Mapping[str, str],
        timeout: urllib3.Timeout, check: Callable[[HttpAnswer], Any] | None,
    ) -> Any:
        self.attempts += 1
        try:
            resp = pool.request(method, url, body=data, headers=dict(headers), timeout=timeout,
                                retries=False, redirect=False)
        except ConnectTimeoutError as exc:  # (NewConnectionError too): the request was never sent
            raise UpstreamError(self.upstream, f"connection failed: {type(exc).__name__}") from None
        except Urllib3TimeoutError as exc:
            raise AmbiguousOutcome(self.upstream, f"timeout: {type(exc).__name__}") from None
        except HTTPError as exc:
            raise AmbiguousOutcome(self.upstream, f"connection lost: {type(exc).__name__}") from None
        if resp.status >= 500:
            raise UpstreamError(self.upstream, f"HTTP {resp.status}")
        answer = HttpAnswer.of(resp.status, resp.data or b"")
        return answer if check is None else check(answer)
