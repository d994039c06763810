"""Keeping the promise of the degraded tracking answer: "we will follow up within N minutes".

When the carrier or the OMS is sick, ``TrackingService`` answers ``source="degraded"`` and hands
each promise to its ``FollowUpSink``. Here:

- ``FollowUpScheduler`` (the sink): records **one promise per tenant + customer + order** with a
  conditional write (``PromiseStore.claim``) and queues the first re-check with a delay
  (``FollowUpQueue.send``). A customer asking ten times during an outage gets one follow-up per
  order. Why not a FIFO queue with content-based deduplication: its window is 5 minutes (shorter
  than the promise) and FIFO queues take no per-message ``DelaySeconds``.
- ``FollowUpWorker.process`` (the queue's Lambda): re-checks the order (bypassing this container's
  L1); when the answer is available, notifies the customer once (``Notifier``, keyed by the
  promise) and closes the promise; when it is still degraded, re-queues with a doubling delay
  (SQS allows at most 900 s per message, so longer promises take several hops), and at the
  deadline (``due_at - final_margin_s``) sends a final bilingual "still checking" message instead,
  so the customer hears from us within the promised time either way.

Messages are idempotent: a message whose promise was superseded or closed is dropped; the
notification is keyed by the promise id, so a redelivered message never notifies twice; a
re-check advances the promise's ``attempt`` with a conditional write, so a redelivered message
does not fork a second chain of re-checks.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal, Protocol

from tridesk.core.errors import NotFoundError, ValidationError
from tridesk.core.i18n import BiText
from tridesk.core.notify import Notification, Notifier
from tridesk.ecommerce.tracking.cache import cache_key
from tridesk.ecommerce.tracking.l1 import L1Cache
from tridesk.ecommerce.tracking.models import (
    Tracking,
    format_time,
    parse_time,
    utc_from_epoch,
    validate_order_id,
    validate_token,
)
from tridesk.ecommerce.tracking.service import TrackingService

MAX_DELAY_S = 900  # SQS DelaySeconds ceiling
_log = logging.getLogger(__name__)
KIND_UPDATE = "tracking_update"
KIND_NOT_FOUND = "tracking_not_found"
KIND_STILL_CHECKING = "tracking_still_checking"

UPDATE = BiText(
    "您好！关于订单 {order_id} 的物流，我们已查询到最新进展：{status_zh}。{latest_zh}{eta_zh}感谢您的耐心等待。",
    "An update on order {order_id}, as promised: {status_en}. {latest_en}{eta_en}Thank you for your patience.",
)
LATEST = BiText("最新动态（{time}，{location}）：{description}。", "Latest ({time}, {location}): {description}. ")
ETA = BiText("预计送达时间：{time}。", "Estimated delivery: {time}. ")
NOT_FOUND = BiText(
    "您好！我们未能在您的账户下找到订单 {order_id}，请核对订单号后再次查询。",
    "We could not find order {order_id} on your account. Please check the order number and ask again.",
)
STILL_CHECKING = BiText(
    "非常抱歉，承运商系统仍未恢复，我们暂时还无法获取订单 {order_id} 的最新物流信息。"
    "您可以稍后在订单页面查看，如需帮助请随时联系人工客服。",
    "We are sorry: the carrier's system has not recovered yet, so we still cannot get the latest status "
    "of order {order_id}. Please check the order page later, or contact our customer service if you need help.",
)

STILL_CHECKING_ESCALATED = BiText(
    "非常抱歉，承运商系统仍未恢复，我们暂时还无法获取订单 {order_id} 的最新物流信息。"
    "我们已安排人工客服继续为您跟进，会尽快与您联系，您无需再次描述问题。",
    "We are sorry: the carrier's system has not recovered yet, so we still cannot get the latest status "
    "of order {order_id}. A member of our team is now following up and will contact you soon; you will not "
    "need to explain it again.",
)

Outcome = Literal["delivered", "not_found", "still_checking", "rescheduled", "duplicate", "superseded"]
PromiseState = Literal["pending", "delivered", "not_found", "still_checking"]


@dataclass(frozen=True, slots=True)
class FollowUpConfig:
    """Re-check timings: first after ``first_check_s``, then doubling, at most ``MAX_DELAY_S`` each.

    ``final_margin_s``: the last re-check (and the "still checking" message) comes this long before
    the promised time, so queue delays do not make us late. ``max_attempts`` bounds the chain even
    for very long promises. ``memo_s``: how long a container remembers a promise it has seen, to
    spare the store a write per repeated question at peak.
    """

    first_check_s: float = 60.0
    final_margin_s: float = 30.0
    max_attempts: int = 20
    grace_s: float = 3600.0
    closed_retain_s: float = 86400.0
    memo_s: float = 30.0

    def __post_init__(self) -> None:
        if self.first_check_s < 0 or self.final_margin_s < 0 or self.max_attempts < 1:
            raise ValueError("first_check_s and final_margin_s must be >= 0, max_attempts >= 1")


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A queued re-check of one promise (the SQS message body, see ``to_dict``)."""

    promise_id: str
    tenant: str
    customer_id: str
    order_id: str
    lang: str | None
    promised_at: float
    due_at: float
    attempt: int = 0

    @property
    def key(self) -> str:
        """The promise's identity: one open promise per tenant + customer + order."""
        return f"{self.tenant}#{self.customer_id}#{self.order_id}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "promise_id": self.promise_id,
            "tenant": self.tenant,
            "customer_id": self.customer_id,
            "order_id": self.order_id,
            "lang": self.lang,
            "promised_at": format_time(utc_from_epoch(self.promised_at)),
            "due_at": format_time(utc_from_epoch(self.due_at)),
            "attempt": self.attempt,
        }

    @classmethod
    def from_dict(cls, data: object) -> FollowUp:
        """Parse a message body; anything malformed is a ``ValidationError`` (poison: to the DLQ)."""
        if not isinstance(data, Mapping):
            raise ValidationError("follow-up must be an object", field=None)
        promise_id = data.get("promise_id")
        if not isinstance(promise_id, str) or not 1 <= len(promise_id) <= 64:
            raise ValidationError("promise_id must be a string of 1-64 characters", field="promise_id")
        lang = data.get("lang")
        if lang not in (None, "zh", "en"):
            raise ValidationError("lang must be zh, en or null", field="lang")
        attempt = data.get("attempt", 0)
        if isinstance(attempt, bool) or not isinstance(attempt, int) or not 0 <= attempt <= 1000:
            raise ValidationError("attempt must be an integer in [0, 1000]", field="attempt")
        promised = parse_time(data.get("promised_at"), field="promised_at").timestamp()
        due = parse_time(data.get("due_at"), field="due_at").timestamp()
        if due < promised:
            raise ValidationError("due_at is before promised_at", field="due_at")
        return cls(
            promise_id=promise_id,
            tenant=validate_token(data.get("tenant"), field="tenant"),
            customer_id=validate_token(data.get("customer_id"), field="customer_id"),
            order_id=validate_order_id(data.get("order_id")),
            lang=lang,
            promised_at=promised,
            due_at=due,
            attempt=attempt,
        )


@dataclass(frozen=True, slots=True)
class Promise:
    """The stored promise of one key: which follow-up is current, how far it got, how it ended."""

    follow_up: FollowUp
    state: PromiseState
    retain_until: float


class PromiseStore(Protocol):
    """Promise records, one per ``FollowUp.key``; every write is conditional."""

    def claim(self, follow_up: FollowUp, *, retain_until: float, now: float) -> bool:
        """Record ``follow_up`` as the key's pending promise unless an open one exists.

        Open: state ``pending`` and ``retain_until`` not yet passed (a promise whose chain died,
        e.g. its message was dead-lettered, stops blocking new ones after its retention).
        """
        ...

    def get(self, key: str) -> Promise | None: ...

    def advance(self, key: str, promise_id: str, attempt: int) -> bool:
        """``attempt`` -> ``attempt + 1`` if the key's pending promise is ``promise_id`` at ``attempt``."""
        ...

    def close(self, key: str, promise_id: str, state: PromiseState, *, retain_until: float) -> bool:
        """Mark the promise ended (``state``) if it is still ``promise_id``; False otherwise."""
        ...

    def release(self, key: str, promise_id: str) -> None:
        """Forget a claim whose first message could not be queued (so the next question retries)."""
        ...


class FollowUpQueue(Protocol):
    """Delivers ``follow_up`` to ``FollowUpWorker.process`` after ``delay_s`` (0-900) seconds."""

    def send(self, follow_up: FollowUp, delay_s: int) -> None: ...


def _delay(seconds: float) -> int:
    return max(0, min(MAX_DELAY_S, math.ceil(seconds)))


class FollowUpScheduler:
    """The ``FollowUpSink`` of ``TrackingService``: one promise, one queued re-check per order."""

    def __init__(
        self,
        store: PromiseStore,
        queue: FollowUpQueue,
        config: FollowUpConfig | None = None,
        *,
        clock: Callable[[], float] = time.time,
        memo: L1Cache[str] | None = None,
    ) -> None:
        self._store = store
        self._queue = queue
        self.config = config or FollowUpConfig()
        self._clock = clock
        self._memo: L1Cache[str] = memo if memo is not None else L1Cache(4096)

    def promised_recently(self, tenant: str, customer_id: str, order_id: str) -> bool:
        """True when this container recorded or met an open promise for the order in the last ``memo_s``."""
        return self._memo.get(f"{tenant}#{customer_id}#{order_id}") is not None

    def schedule(
        self, tenant: str, customer_id: str, order_id: str, within_minutes: int, *, lang: str | None = None
    ) -> bool:
        """Promise a follow-up within ``within_minutes``; False when one is already promised.

        Raises ``UpstreamError`` when the promise cannot be recorded or queued (the service ignores
        it: the customer still gets the degraded answer, and the next question tries again).
        """
        now = self._clock()
        follow_up = FollowUp(
            promise_id=uuid.uuid4().hex, tenant=tenant, customer_id=customer_id, order_id=order_id,
            lang=lang if lang in ("zh", "en") else None, promised_at=now, due_at=now + within_minutes * 60,
        )
        key = follow_up.key
        if self._memo.get(key) is not None:
            return False
        retain_until = follow_up.due_at + self.config.grace_s
        if not self._store.claim(follow_up, retain_until=retain_until, now=now):
            self._memo.put(key, "promised", self.config.memo_s)
            return False
        deadline = follow_up.due_at - self.config.final_margin_s
        try:
            self._queue.send(follow_up, _delay(min(self.config.first_check_s, deadline - now)))
        except Exception:
            self._store.release(key, follow_up.promise_id)
            raise
        self._memo.put(key, follow_up.promise_id, min(self.config.memo_s, within_minutes * 60))
        return True


class WriteBehindSink:
    """A ``FollowUpSink`` that never makes a busy process wait for the promise store and queue.

    A promise is recorded synchronously when no other is being recorded in this process: the
    case of a Lambda container, which serves one request at a time, so the promise is durable
    before the answer leaves. When several threads of one process answer at once (a threaded
    host, the embedded local stack), a promise arriving while another is in flight is handed to
    one background thread instead, so a peak of degraded answers does not queue behind the
    store. The backlog is bounded (``max_pending``); beyond it promises are dropped and counted
    (``dropped``), as the degraded answer must never wait or fail because of its follow-up.
    """

    def __init__(self, inner: FollowUpScheduler, *, max_pending: int = 10_000) -> None:
        self._inner = inner
        self._max = max_pending
        self._pending: deque[tuple[str, str, str, int, str | None]] = deque()
        self._cond = threading.Condition()
        self._in_flight = 0
        self._thread: threading.Thread | None = None
        self.dropped = 0

    def schedule(
        self, tenant: str, customer_id: str, order_id: str, within_minutes: int, *, lang: str | None = None
    ) -> None:
        if self._inner.promised_recently(tenant, customer_id, order_id):
            return
        with self._cond:
            if self._in_flight or self._pending:
                if len(self._pending) >= self._max:
                    self.dropped += 1
                    return
                self._pending.append((tenant, customer_id, order_id, within_minutes, lang))
                self._start()
                self._cond.notify()
                return
            self._in_flight += 1
        try:
            self._inner.schedule(tenant, customer_id, order_id, within_minutes, lang=lang)
        finally:
            with self._cond:
                self._in_flight -= 1

    def flush(self, timeout_s: float = 5.0) -> bool:
        """Wait until the backlog is recorded (tests, shutdown); False if it is not within ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while self._pending or self._in_flight:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.05))
        return True

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="follow-up-writer", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending:
                    self._cond.wait()
                item = self._pending.popleft()
                self._in_flight += 1
            tenant, customer_id, order_id, minutes, lang = item
            try:
                self._inner.schedule(tenant, customer_id, order_id, minutes, lang=lang)
            except Exception:  # noqa: BLE001 - one lost promise must not stop the writer
                _log.warning("follow-up not recorded", exc_info=True)
            finally:
                with self._cond:
                    self._in_flight -= 1
                    self._cond.notify_all()


@dataclass(frozen=True, slots=True)
class Processed:
    """What one message did; ``delay_s`` is set when it was re-queued."""

    outcome: Outcome
    promise_id: str
    attempt: int
    delay_s: int | None = None


class Escalation(Protocol):
    """Hands an order whose promise came due without an answer to a person, at most once per promise
    (``tridesk.ecommerce.tracking.escalation.TicketEscalation``: a ticket for the agents). Returns
    False when it was already handed over; transient trouble raises ``UpstreamError``."""

    def escalate(self, follow_up: FollowUp, now: float) -> bool: ...


class FollowUpWorker:
    """Re-checks promised orders and tells the customer (see the module doc)."""

    def __init__(
        self,
        service: TrackingService,
        store: PromiseStore,
        queue: FollowUpQueue,
        notifier: Notifier,
        config: FollowUpConfig | None = None,
        *,
        clock: Callable[[], float] = time.time,
        escalation: Escalation | None = None,
    ) -> None:
        self._service = service
        self._store = store
        self._queue = queue
        self._notifier = notifier
        self.config = config or FollowUpConfig()
        self._clock = clock
        self._escalation = escalation

    def process(self, follow_up: FollowUp) -> Processed:
        """Handle one queued re-check. Store, queue and notifier trouble raises ``UpstreamError``."""
        f = follow_up
        promise = self._store.get(f.key)
        if promise is not None:
            current = promise.follow_up
            if current.promise_id != f.promise_id:
                return Processed("superseded", f.promise_id, f.attempt)
            if promise.state != "pending" or current.attempt > f.attempt:
                return Processed("duplicate", f.promise_id, f.attempt)

        self._service.l1.invalidate(cache_key(f.tenant, f.order_id))
        try:
            answer: Tracking | None = self._service.get(f.tenant, f.customer_id, f.order_id)
        except NotFoundError:
            answer = None
        now = self._clock()
        if answer is None:
            return self._finish(f, "not_found", KIND_NOT_FOUND, NOT_FOUND.format(order_id=f.order_id), {}, now)
        if answer.source != "degraded":
            return self._finish(f, "delivered", KIND_UPDATE, update_text(answer),
                                {"status": answer.status.value, "source": answer.source}, now)

        deadline = f.due_at - self.config.final_margin_s
        step = self.config.first_check_s * (2 ** (f.attempt + 1))
        if f.attempt + 1 >= self.config.max_attempts or deadline - now < 1:
            text = STILL_CHECKING if self._escalation is None else STILL_CHECKING_ESCALATED
            return self._finish(f, "still_checking", KIND_STILL_CHECKING, text.format(order_id=f.order_id),
                                {"escalated": self._escalation is not None}, now)
        delay = _delay(min(step, deadline - now))
        # queue first, then advance: a failed send is retried by redelivery (the promise is still at
        # this attempt), never lost; a duplicate delivery handled after this one finds the promise
        # advanced and stops.
        self._queue.send(replace(f, attempt=f.attempt + 1), delay)
        if promise is not None:
            self._store.advance(f.key, f.promise_id, f.attempt)
        return Processed("rescheduled", f.promise_id, f.attempt, delay)

    def _finish(
        self, f: FollowUp, state: PromiseState, kind: str, text: BiText, data: dict[str, Any], now: float
    ) -> Processed:
        sent = self._notifier.notify(Notification(
            tenant=f.tenant, customer_id=f.customer_id, key=f"tracking-follow-up#{f.promise_id}", kind=kind,
            text=text, lang=f.lang, data={"order_id": f.order_id, **data},
        ))
        if state == "still_checking" and self._escalation is not None:
            # before the promise closes: a failure here is retried by redelivery (the notification is
            # keyed, the ticket is one per promise)
            self._escalation.escalate(f, now)
        self._store.close(f.key, f.promise_id, state, retain_until=now + self.config.closed_retain_s)
        outcome: Outcome = state if sent else "duplicate"
        return Processed(outcome, f.promise_id, f.attempt)


def _local_time(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def update_text(answer: Tracking) -> BiText:
    """The bilingual update: status, the newest scan (time, place, carrier's words) and the ETA."""
    latest_zh = latest_en = eta_zh = eta_en = ""
    if answer.events:
        e = answer.events[-1]
        latest_zh = LATEST.zh.format(time=_local_time(e.time), location=e.location.zh,
                                     description=e.description.zh.rstrip("。"))
        latest_en = LATEST.en.format(time=_local_time(e.time), location=e.location.en,
                                     description=e.description.en.rstrip("."))
    if answer.estimated_delivery is not None:
        eta_zh = ETA.zh.format(time=_local_time(answer.estimated_delivery))
        eta_en = ETA.en.format(time=_local_time(answer.estimated_delivery))
    status = answer.status.text
    return BiText(
        UPDATE.zh.format(order_id=answer.order_id, status_zh=status.zh, latest_zh=latest_zh, eta_zh=eta_zh),
        UPDATE.en.format(order_id=answer.order_id, status_en=status.en, latest_en=latest_en, eta_en=eta_en),
    )
