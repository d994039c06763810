"""The in-Lambda L1: a bounded, per-process, TTL'd LRU shared by the threads of one container."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class L1Cache(Generic[V]):
    """LRU of at most ``max_entries`` values, each with its own TTL; thread-safe.

    Lives in module scope of a handler so it survives between invocations of a warm container.
    """

    def __init__(self, max_entries: int = 2048, *, clock: Callable[[], float] = time.monotonic) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be >= 1")
        self._max = max_entries
        self._clock = clock
        self._data: OrderedDict[str, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> V | None:
        """The live value for ``key`` (refreshing its recency), or None if absent or expired."""
        with self._lock:
            item = self._data.get(key)
            if item is None:
                self.misses += 1
                return None
            expires_at, value = item
            if self._clock() >= expires_at:
                del self._data[key]
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: str, value: V, ttl_s: float) -> None:
        """Store ``value`` for ``ttl_s`` seconds (a TTL <= 0 drops any held value); evicts the LRU entry."""
        with self._lock:
            if ttl_s <= 0:
                self._data.pop(key, None)
                return
            self._data[key] = (self._clock() + ttl_s, value)
            self._data.move_to_end(key)
            while len(self._data) > self._max:
                self._data.popitem(last=False)

    def invalidate(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)
