"""In-memory promise store, follow-up queue and notifier, with the same conditions as the adapters."""

from __future__ import annotations

import threading
from dataclasses import replace

from tridesk.core.errors import UpstreamError
from tridesk.core.notify import Notification
from tridesk.ecommerce.tracking.followup import FollowUp, Promise, PromiseState


class InMemoryPromiseStore:
    """``PromiseStore`` over a dict; ``fail`` simulates an unreachable table."""

    def __init__(self) -> None:
        self.items: dict[str, Promise] = {}
        self.claims = 0
        self.fail = False
        self._mutex = threading.Lock()

    def _check(self) -> None:
        if self.fail:
            raise UpstreamError("follow-up-store", "unreachable")

    def claim(self, follow_up: FollowUp, *, retain_until: float, now: float) -> bool:
        self._check()
        with self._mutex:
            self.claims += 1
            held = self.items.get(follow_up.key)
            if held is not None and held.state == "pending" and held.retain_until >= now:
                return False
            self.items[follow_up.key] = Promise(follow_up, "pending", retain_until)
            return True

    def get(self, key: str) -> Promise | None:
        self._check()
        return self.items.get(key)

    def advance(self, key: str, promise_id: str, attempt: int) -> bool:
        self._check()
        with self._mutex:
            held = self.items.get(key)
            if (held is None or held.follow_up.promise_id != promise_id or held.state != "pending"
                    or held.follow_up.attempt != attempt):
                return False
            self.items[key] = replace(held, follow_up=replace(held.follow_up, attempt=attempt + 1))
            return True

    def close(self, key: str, promise_id: str, state: PromiseState, *, retain_until: float) -> bool:
        self._check()
        with self._mutex:
            held = self.items.get(key)
            if held is None or held.follow_up.promise_id != promise_id:
                return False
            self.items[key] = replace(held, state=state, retain_until=retain_until)
            return True

    def release(self, key: str, promise_id: str) -> None:
        with self._mutex:
            held = self.items.get(key)
            if held is not None and held.follow_up.promise_id == promise_id:
                del self.items[key]


class FakeQueue:
    """Records ``(follow_up, delay_s)``; ``fail`` makes ``send`` raise."""

    def __init__(self) -> None:
        self.sent: list[tuple[FollowUp, int]] = []
        self.fail = False

    def send(self, follow_up: FollowUp, delay_s: int) -> None:
        if self.fail:
            raise UpstreamError("follow-up-queue", "unreachable")
        assert 0 <= delay_s <= 900
        self.sent.append((follow_up, delay_s))

    def pop(self) -> tuple[FollowUp, int]:
        return self.sent.pop(0)


class OutboxNotifierFake:
    """``Notifier`` keeping at most one notification per (tenant, customer, key)."""

    def __init__(self) -> None:
        self.delivered: dict[tuple[str, str, str], Notification] = {}
        self.calls = 0

    def notify(self, notification: Notification) -> bool:
        self.calls += 1
        key = (notification.tenant, notification.customer_id, notification.key)
        if key in self.delivered:
            return False
        self.delivered[key] = notification
        return True

    @property
    def notifications(self) -> list[Notification]:
        return list(self.delivered.values())
