"""In-memory ``BreakerStore``: the shared record of every breaker, with versioned writes."""

from __future__ import annotations

import threading

from tridesk.core.errors import UpstreamError
from tridesk.ecommerce.tracking.breaker import BreakerState


class InMemoryBreakerStore:
    """One dict standing in for the DynamoDB breaker table; ``fail`` simulates an unreachable store."""

    def __init__(self) -> None:
        self._items: dict[str, BreakerState] = {}
        self._lock = threading.Lock()
        self.fail = False
        self.writes = 0
        self.conflicts = 0

    def get(self, name: str) -> BreakerState | None:
        if self.fail:
            raise UpstreamError("breaker-store", "unreachable")
        with self._lock:
            return self._items.get(name)

    def put(self, state: BreakerState, *, expected_version: int) -> bool:
        if self.fail:
            raise UpstreamError("breaker-store", "unreachable")
        with self._lock:
            current = self._items.get(state.name)
            if (current.version if current else 0) != expected_version:
                self.conflicts += 1
                return False
            self._items[state.name] = state
            self.writes += 1
            return True
