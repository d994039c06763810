"""In-memory ``TrackingCacheStore`` with newer-wins writes and per-key refresh leases."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from tridesk.core.errors import UpstreamError
from tridesk.ecommerce.tracking.cache import CacheEntry


class InMemoryTrackingCacheStore:
    """A dict standing in for the DynamoDB cache table; ``fail`` simulates an unreachable table."""

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._items: dict[str, CacheEntry] = {}
        self._locks: dict[str, tuple[str, float]] = {}
        self._mutex = threading.Lock()
        self._clock = clock
        self.fail = False
        self.gets = 0
        self.puts = 0
        self.rejected = 0

    def _check(self) -> None:
        if self.fail:
            raise UpstreamError("tracking-cache", "unreachable")

    def get(self, key: str) -> CacheEntry | None:
        self._check()
        with self._mutex:
            self.gets += 1
            entry = self._items.get(key)
            if entry is not None and entry.retain_until <= self._clock():
                return None
            return entry

    def put_if_newer(self, entry: CacheEntry) -> bool:
        self._check()
        with self._mutex:
            current = self._items.get(entry.key)
            if current is not None and not entry.newer_than(current):
                self.rejected += 1
                return False
            self._items[entry.key] = entry
            self.puts += 1
            return True

    def try_lock(self, key: str, owner: str, ttl_s: float) -> bool:
        self._check()
        with self._mutex:
            now = self._clock()
            held = self._locks.get(key)
            if held is not None and held[1] > now:
                return False
            self._locks[key] = (owner, now + ttl_s)
            return True

    def release(self, key: str, owner: str) -> None:
        self._check()
        with self._mutex:
            held = self._locks.get(key)
            if held is not None and held[0] == owner:
                del self._locks[key]

    def seed(self, entry: CacheEntry) -> None:
        """Store ``entry`` unconditionally (test setup)."""
        with self._mutex:
            self._items[entry.key] = entry
