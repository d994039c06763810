"""Circuit breaker per upstream, its state shared by every container through a ``BreakerStore``.

Closed: calls go through and their outcomes are counted in a sliding window of time buckets; a
call slower than ``slow_call_s`` counts as a failure even if it succeeded in the end (so retries
inside a client cannot hide a sick upstream, and pure latency trips it too). When the failure
rate over the window exceeds the threshold (with at least ``min_requests`` calls) the
breaker opens: calls fail fast with :class:`BreakerOpenError`, so callers degrade at once instead of
waiting on timeouts. After ``cool_down_s`` one caller (in any container) takes a probe lease and the
breaker is half-open; the probe's success closes it, its failure re-opens it.

Sharing: each container keeps its own outcome counts and, at most every ``sync_interval_s`` (or at
once when it sees a trip), merges them into the stored window with an optimistic, versioned write.
A state change made by one container is seen by the others at their next sync. If the store itself
fails, the breaker keeps working on its local view.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal, Protocol, TypeVar

from tridesk.core.errors import TriDeskError, UpstreamError

T = TypeVar("T")
StateName = Literal["closed", "open", "half_open"]
CLOSED: StateName = "closed"
OPEN: StateName = "open"
HALF_OPEN: StateName = "half_open"


class BreakerOpenError(UpstreamError):
    """The breaker refuses the call: the upstream is considered sick. Callers degrade."""

    def __init__(self, upstream: str) -> None:
        super().__init__(upstream, "circuit open", retryable=True)


@dataclass(frozen=True, slots=True)
class Bucket:
    """Outcomes of the calls that started within ``[start, start + bucket_s)``."""

    start: float
    ok: int = 0
    failed: int = 0


@dataclass(frozen=True, slots=True)
class BreakerState:
    """The shared record of one upstream's breaker. ``version`` 0 means "never stored"."""

    name: str
    state: StateName = CLOSED
    buckets: tuple[Bucket, ...] = ()
    opened_at: float | None = None
    probe_owner: str | None = None
    probe_expires_at: float | None = None
    updated_at: float = 0.0
    version: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able record (the store adapter may keep it as one attribute plus ``version``)."""
        return {
            "name": self.name,
            "state": self.state,
            "buckets": [[b.start, b.ok, b.failed] for b in self.buckets],
            "opened_at": self.opened_at,
            "probe_owner": self.probe_owner,
            "probe_expires_at": self.probe_expires_at,
            "updated_at": self.updated_at,
            "version": self.version,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BreakerState:
        return cls(
            name=str(data["name"]),
            state=data.get("state", CLOSED),
            buckets=tuple(Bucket(float(s), int(o), int(f)) for s, o, f in data.get("buckets") or ()),
            opened_at=None if data.get("opened_at") is None else float(data["opened_at"]),
            probe_owner=data.get("probe_owner"),
            probe_expires_at=None if data.get("probe_expires_at") is None else float(data["probe_expires_at"]),
            updated_at=float(data.get("updated_at") or 0.0),
            version=int(data.get("version") or 0),
        )


class BreakerStore(Protocol):
    """Where breakers share their state (DynamoDB in the cloud, a dict in tests).

    ``put`` writes ``state`` only if the stored version equals ``expected_version`` (0: no record yet)
    and returns False on a conflict. Transport failures raise :class:`UpstreamError`.
    """

    def get(self, name: str) -> BreakerState | None: ...

    def put(self, state: BreakerState, *, expected_version: int) -> bool: ...


@dataclass(frozen=True, slots=True)
class BreakerConfig:
    """Thresholds and timings; defaults follow the issue (20% errors over a 10 s window)."""

    error_threshold: float = 0.2
    min_requests: int = 20
    window_s: float = 10.0
    bucket_s: float = 1.0
    cool_down_s: float = 5.0
    probe_timeout_s: float = 10.0
    sync_interval_s: float = 0.5
    slow_call_s: float | None = 1.0
    max_cas_attempts: int = 5

    def __post_init__(self) -> None:
        if not 0.0 <= self.error_threshold < 1.0:
            raise ValueError("error_threshold must be in [0, 1)")
        if self.min_requests < 1 or self.window_s <= 0 or self.bucket_s <= 0:
            raise ValueError("min_requests, window_s and bucket_s must be positive")
        if self.cool_down_s < 0 or self.probe_timeout_s <= 0 or self.sync_interval_s < 0:
            raise ValueError("cool_down_s, probe_timeout_s and sync_interval_s must be non-negative")
        if self.slow_call_s is not None and self.slow_call_s <= 0:
            raise ValueError("slow_call_s must be positive (or None to ignore durations)")


@dataclass(frozen=True, slots=True)
class _Permit:
    probe: bool


class CircuitBreaker:
    """One upstream's breaker as seen by this container; thread-safe."""

    def __init__(
        self,
        name: str,
        store: BreakerStore,
        config: BreakerConfig | None = None,
        *,
        clock: Callable[[], float] = time.time,
        timer: Callable[[], float] = time.monotonic,
        instance_id: str | None = None,
    ) -> None:
        self.name = name
        self.config = config or BreakerConfig()
        self.instance_id = instance_id or uuid.uuid4().hex
        self._store = store
        self._clock = clock
        self._timer = timer
        self._lock = threading.RLock()
        self._shared = BreakerState(name)
        self._synced_at = -math.inf
        self._pending: dict[float, list[int]] = {}

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn`` if the breaker lets it through, counting its outcome.

        Raises :class:`BreakerOpenError` without calling when open. A :class:`TriDeskError` from
        ``fn`` (e.g. the upstream's 404) means the upstream answered and counts as a success,
        unless it was slow.
        """
        permit = self._acquire()
        if permit is None:
            raise BreakerOpenError(self.name)
        started = self._timer()
        try:
            result = fn(*args, **kwargs)
        except TriDeskError:
            self._complete(permit, ok=self._fast(started))
            raise
        except Exception:
            self._complete(permit, ok=False)
            raise
        self._complete(permit, ok=self._fast(started))
        return result

    def _fast(self, started: float) -> bool:
        limit = self.config.slow_call_s
        return limit is None or self._timer() - started < limit

    def allows(self) -> bool:
        """Whether a call would be let through now (a cheap check that takes no probe lease)."""
        with self._lock:
            now = self._clock()
            self._maybe_sync(now)
            return self._would_allow(self._shared, now)

    @property
    def state(self) -> StateName:
        with self._lock:
            self._maybe_sync(self._clock())
            return self._shared.state

    def status(self) -> dict[str, Any]:
        """What ``/v1/health`` shows for this upstream."""
        with self._lock:
            now = self._clock()
            self._maybe_sync(now)
            st = self._shared
            ok, failed = self._counts(st.buckets, now)
            total = ok + failed
            retry_at = None if st.opened_at is None or st.state == CLOSED else st.opened_at + self.config.cool_down_s
            return {
                "name": self.name,
                "state": st.state,
                "requests": total,
                "failures": failed,
                "error_rate": round(failed / total, 4) if total else 0.0,
                "opened_at": st.opened_at,
                "retry_at": retry_at,
            }

    def sync(self) -> BreakerState:
        """Flush local counts and read the shared state now."""
        with self._lock:
            self._sync(self._clock())
            return self._shared

    # -- internals ---------------------------------------------------------------------------

    def _would_allow(self, st: BreakerState, now: float) -> bool:
        if st.state == CLOSED:
            return True
        if st.state == OPEN:
            return st.opened_at is None or now >= st.opened_at + self.config.cool_down_s
        return st.probe_expires_at is None or now >= st.probe_expires_at

    def _acquire(self) -> _Permit | None:
        with self._lock:
            now = self._clock()
            self._maybe_sync(now)
            st = self._shared
            if st.state == CLOSED:
                return _Permit(probe=False)
            if not self._would_allow(st, now):
                return None
            lease = replace(
                st,
                state=HALF_OPEN,
                probe_owner=self.instance_id,
                probe_expires_at=now + self.config.probe_timeout_s,
                updated_at=now,
                version=st.version + 1,
            )
            if self._cas(lease, st.version):
                return _Permit(probe=True)
            self._sync(now)
            return None

    def _complete(self, permit: _Permit, *, ok: bool) -> None:
        with self._lock:
            now = self._clock()
            if permit.probe:
                self._resolve_probe(ok, now)
                return
            if self._shared.state != CLOSED:
                return
            key = self._bucket_key(now)
            counts = self._pending.setdefault(key, [0, 0])
            counts[0 if ok else 1] += 1
            if not ok and self._trips(self._merge(self._shared.buckets, now), now):
                self._sync(now)
            else:
                self._maybe_sync(now)

    def _resolve_probe(self, ok: bool, now: float) -> None:
        for _ in range(self.config.max_cas_attempts):
            st = self._shared
            if st.state != HALF_OPEN or st.probe_owner != self.instance_id:
                return
            if ok:
                new = BreakerState(self.name, CLOSED, (), None, None, None, now, st.version + 1)
            else:
                new = BreakerState(self.name, OPEN, (), now, None, None, now, st.version + 1)
            if self._cas(new, st.version):
                self._pending.clear()
                return
            self._read(now)

    def _maybe_sync(self, now: float) -> None:
        if now - self._synced_at >= self.config.sync_interval_s:
            self._sync(now)

    def _sync(self, now: float) -> None:
        for _ in range(self.config.max_cas_attempts):
            stored = self._read(now)
            if stored is None:
                self._shared = self._local_merge(now)
                self._synced_at = now
                return
            if stored.state != CLOSED:
                self._pending.clear()
                return
            merged = self._merge(stored.buckets, now)
            tripping = self._trips(merged, now)
            if not self._pending and not tripping:
                return
            if tripping:
                new = BreakerState(self.name, OPEN, (), now, None, None, now, stored.version + 1)
            else:
                new = replace(stored, buckets=merged, updated_at=now, version=stored.version + 1)
            if self._cas(new, stored.version):
                self._pending.clear()
                return

    def _read(self, now: float) -> BreakerState | None:
        """Refresh ``_shared`` from the store; None when the store is unreachable."""
        try:
            stored = self._store.get(self.name)
        except UpstreamError:
            return None
        self._shared = stored or BreakerState(self.name)
        self._synced_at = now
        return self._shared

    def _cas(self, new: BreakerState, expected_version: int) -> bool:
        try:
            written = self._store.put(new, expected_version=expected_version)
        except UpstreamError:
            written = True
        if written:
            self._shared = new
        return written

    def _local_merge(self, now: float) -> BreakerState:
        st = self._shared
        if st.state != CLOSED:
            self._pending.clear()
            return st
        merged = self._merge(st.buckets, now)
        self._pending.clear()
        if self._trips(merged, now):
            return BreakerState(self.name, OPEN, (), now, None, None, now, st.version)
        return replace(st, buckets=merged, updated_at=now)

    def _bucket_key(self, now: float) -> float:
        return math.floor(now / self.config.bucket_s) * self.config.bucket_s

    def _merge(self, buckets: Iterable[Bucket], now: float) -> tuple[Bucket, ...]:
        horizon = now - self.config.window_s
        acc: dict[float, list[int]] = {}
        for b in buckets:
            if b.start + self.config.bucket_s > horizon:
                c = acc.setdefault(b.start, [0, 0])
                c[0] += b.ok
                c[1] += b.failed
        for start, (ok, failed) in self._pending.items():
            if start + self.config.bucket_s > horizon:
                c = acc.setdefault(start, [0, 0])
                c[0] += ok
                c[1] += failed
        return tuple(Bucket(s, c[0], c[1]) for s, c in sorted(acc.items()))

    def _counts(self, buckets: Iterable[Bucket], now: float) -> tuple[int, int]:
        horizon = now - self.config.window_s
        live = [b for b in buckets if b.start + self.config.bucket_s > horizon]
        return sum(b.ok for b in live), sum(b.failed for b in live)

    def _trips(self, buckets: tuple[Bucket, ...], now: float) -> bool:
        ok, failed = self._counts(buckets, now)
        total = ok + failed
        return total >= self.config.min_requests and failed / total > self.config.error_threshold


class BreakerRegistry:
    """The breakers of one container, one per upstream, created on first use over one store."""

    def __init__(
        self,
        store: BreakerStore,
        config: BreakerConfig | None = None,
        *,
        clock: Callable[[], float] = time.time,
        timer: Callable[[], float] = time.monotonic,
        configs: Mapping[str, BreakerConfig] | None = None,
    ) -> None:
        self._store = store
        self._config = config or BreakerConfig()
        self._configs = dict(configs or {})
        self._clock = clock
        self._timer = timer
        self._instance_id = uuid.uuid4().hex
        self._breakers: dict[str, CircuitBreaker] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> CircuitBreaker:
        with self._lock:
            breaker = self._breakers.get(name)
            if breaker is None:
                breaker = CircuitBreaker(
                    name, self._store, self._configs.get(name, self._config),
                    clock=self._clock, timer=self._timer, instance_id=self._instance_id,
                )
                self._breakers[name] = breaker
            return breaker

    def status(self) -> list[dict[str, Any]]:
        """Every known breaker's status, for ``/v1/health``."""
        with self._lock:
            breakers = list(self._breakers.values())
        return [b.status() for b in breakers]
