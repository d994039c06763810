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

from tridesk.core.errors import CircuitOpenError, TriDeskError, UpstreamError

T = TypeVar("T")
StateName = Literal["closed", "open", "half_open"]
CLOSED: StateName = "closed"
OPEN: StateName = "open"
HALF_OPEN: StateName = "half_open"


class BreakerOpenError(CircuitOpenError):
    """The breaker refuses the call: the upstream is considered sick. Callers degrade."""


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
    """One upstream's breaker as seen by this container; thread-safe.

    Two locks: ``_lock`` guards the local view (shared state, pending counts) and is only ever held
    for computation; ``_io`` serialises this container's conversations with the store. A periodic
    sync is done by whichever thread finds it due and ``_io`` free; the others go on with the
    current view (at most ``sync_interval_s`` old) instead of queueing behind a store round trip.
    """

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
        self._io = threading.Lock()
        self._again = False
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
        self._sync_soon()
        with self._lock:
            return self._would_allow(self._shared, self._clock())

    @property
    def state(self) -> StateName:
        self._sync_soon()
        with self._lock:
            return self._shared.state

    def status(self) -> dict[str, Any]:
        """What ``/v1/health`` shows for this upstream."""
        self._sync_soon()
        with self._lock:
            now = self._clock()
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
        """Flush local counts and read the shared state now (waits for a sync in progress)."""
        with self._io:
            self._sync()
        with self._lock:
            return self._shared

    # -- internals ---------------------------------------------------------------------------

    def _would_allow(self, st: BreakerState, now: float) -> bool:
        if st.state == CLOSED:
            return True
        if st.state == OPEN:
            return st.opened_at is None or now >= st.opened_at + self.config.cool_down_s
        return st.probe_expires_at is None or now >= st.probe_expires_at

    def _acquire(self) -> _Permit | None:
        self._sync_soon()
        with self._lock:
            st = self._shared
            if st.state == CLOSED:
                return _Permit(probe=False)
            if not self._would_allow(st, self._clock()):
                return None
        with self._io:  # a probe lease is a store conversation
            with self._lock:
                now = self._clock()
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
            self._sync()
            return None

    def _complete(self, permit: _Permit, *, ok: bool) -> None:
        if permit.probe:
            with self._io:
                self._resolve_probe(ok)
            return
        with self._lock:
            if self._shared.state != CLOSED:
                return
            now = self._clock()
            counts = self._pending.setdefault(self._bucket_key(now), [0, 0])
            counts[0 if ok else 1] += 1
            tripping = not ok and self._trips(self._merge(self._shared.buckets, self._pending, now), now)
        self._sync_soon(urgent=tripping)

    def _resolve_probe(self, ok: bool) -> None:
        """Close (success) or re-open (failure) the breaker this container's probe half-opened; ``_io`` held."""
        for _ in range(self.config.max_cas_attempts):
            with self._lock:
                now = self._clock()
                st = self._shared
                if st.state != HALF_OPEN or st.probe_owner != self.instance_id:
                    return
                if ok:
                    new = BreakerState(self.name, CLOSED, (), None, None, None, now, st.version + 1)
                else:
                    new = BreakerState(self.name, OPEN, (), now, None, None, now, st.version + 1)
            if self._cas(new, st.version):
                with self._lock:
                    self._pending.clear()
                return
            self._read()

    def _sync_soon(self, *, urgent: bool = False) -> None:
        """Sync when due (at once when ``urgent``: a local trip), unless another thread is syncing:
        then use the current view, and an urgent request makes that thread sync once more."""
        if not urgent:
            with self._lock:
                if self._clock() - self._synced_at < self.config.sync_interval_s:
                    return
        if not self._io.acquire(blocking=False):
            if urgent:
                with self._lock:
                    self._again = True
            return
        try:
            while True:
                self._sync()
                with self._lock:
                    if not self._again:
                        return
                    self._again = False
        finally:
            self._io.release()

    def _sync(self) -> None:
        """Merge this container's counts into the stored window (opening it on a trip); ``_io`` held."""
        for _ in range(self.config.max_cas_attempts):
            stored = self._read()
            with self._lock:
                now = self._clock()
                if stored is None:
                    self._shared = self._local_merge(now)
                    return
                if stored.state != CLOSED:
                    self._pending.clear()
                    return
                flushed = {start: list(c) for start, c in self._pending.items()}
                merged = self._merge(stored.buckets, flushed, now)
                tripping = self._trips(merged, now)
                if not flushed and not tripping:
                    return
                if tripping:
                    new = BreakerState(self.name, OPEN, (), now, None, None, now, stored.version + 1)
                else:
                    new = replace(stored, buckets=merged, updated_at=now, version=stored.version + 1)
            if self._cas(new, stored.version):
                with self._lock:
                    for start, (ok, failed) in flushed.items():
                        left = self._pending.get(start)
                        if left is None:
                            continue
                        left[0] -= ok
                        left[1] -= failed
                        if left[0] <= 0 and left[1] <= 0:
                            del self._pending[start]
                return

    def _read(self) -> BreakerState | None:
        """Refresh ``_shared`` from the store; None when the store is unreachable. ``_io`` held."""
        try:
            stored = self._store.get(self.name)
        except UpstreamError:
            return None
        with self._lock:
            self._shared = stored or BreakerState(self.name)
            self._synced_at = self._clock()
            return self._shared

    def _cas(self, new: BreakerState, expected_version: int) -> bool:
        """Write ``new`` if the stored version is still ``expected_version``; ``_io`` held."""
        try:
            written = self._store.put(new, expected_version=expected_version)
        except UpstreamError:
            written = True
        if written:
            with self._lock:
                self._shared = new
        return written

    def _local_merge(self, now: float) -> BreakerState:
        """The store is unreachable: fold the counts into the local view (``_lock`` held)."""
        self._synced_at = now
        st = self._shared
        if st.state != CLOSED:
            self._pending.clear()
            return st
        merged = self._merge(st.buckets, self._pending, now)
        self._pending.clear()
        if self._trips(merged, now):
            return BreakerState(self.name, OPEN, (), now, None, None, now, st.version)
        return replace(st, buckets=merged, updated_at=now)

    def _bucket_key(self, now: float) -> float:
        return math.floor(now / self.config.bucket_s) * self.config.bucket_s

    def _merge(
        self, buckets: Iterable[Bucket], pending: Mapping[float, list[int]], now: float
    ) -> tuple[Bucket, ...]:
        horizon = now - self.config.window_s
        acc: dict[float, list[int]] = {}
        for b in buckets:
            if b.start + self.config.bucket_s > horizon:
                c = acc.setdefault(b.start, [0, 0])
                c[0] += b.ok
                c[1] += b.failed
        for start, (ok, failed) in pending.items():
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
