"""Delivering the outbox: each recorded notification reaches its channel at most once.

The outbox (``tridesk.core.notify_store``) records a notification as ``pending``. Delivering one:

1. **claim** it with a conditional update ``pending -> sending`` (attempt count + 1, a lease);
   a record that is ``sent`` or ``failed`` is left alone, one whose lease another worker holds is
   skipped, and one left ``sending`` after its lease ran out (a worker died mid-send: the outcome
   is unknown) is marked failed ``outcome_unknown``, never sent again;
2. find the customer's address for the channel (:class:`RecipientDirectory`); none is a
   permanent failure ``no_address``;
3. **send** through the channel's :class:`~tridesk.core.channels.ChannelSender`;
4. mark it ``sent`` (receipt id, sent_at) or ``failed`` (reason, permanent or not); a transient
   failure (``UpstreamError``) releases the claim back to ``pending``, due again after a backoff,
   and is raised so the event source retries (a few quick retries); then the sweep retries it
   with exponential backoff, and after ``max_attempts`` it is failed for good.

Every write after the claim is fenced by the attempt number, so a slow worker never overwrites a
later one. A redelivered event for a sent notification changes nothing. Pending records are also
found by ``sweep`` (records whose event was lost or whose retries ran out), due by ``due_at``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

from tridesk.core.notify import ChannelSender, DeliveryFailed, Notification, Recipient
from tridesk.core.errors import UpstreamError


Status = Literal["pending", "sending", "sent", "failed"]
ClaimState = Literal["claimed", "missing", "sent", "failed", "busy", "lost"]
Result = Literal["sent", "failed", "retry", "skipped"]


@dataclass(frozen=True, slots=True)
class OutboxRef:
    """Which record: the outbox keys (``pk`` = ``{tenant}#cust#{customer}``, ``sk`` = ``n#{key}``)."""

    pk: str
    sk: str


@dataclass(frozen=True, slots=True)
class Claim:
    state: ClaimState
    notification: Notification | None = None
    attempt: int = 0
    lease_until: float = 0.0


@dataclass(frozen=True, slots=True)
class Outcome:
    result: Result
    ref: OutboxRef
    detail: str = ""
    channel: str | None = None
    receipt_id: str | None = None
    attempt: int = 0


class OutboxLedger(Protocol):
    """The delivery state of outbox records; every change is a conditional write."""

    def claim(self, ref: OutboxRef, now: float, lease_s: float) -> Claim: ...

    def mark_sent(self, ref: OutboxRef, attempt: int, receipt_id: str, now: float) -> bool: ...

    def mark_failed(self, ref: OutboxRef, attempt: int, reason: str, *, permanent: bool, now: float) -> bool: ...

    def release(self, ref: OutboxRef, attempt: int, reason: str, due_at: float) -> bool: ...

    def give_up_lost(self, ref: OutboxRef, lease_until: float, now: float) -> bool: ...

    def due(self, now: float, limit: int) -> list[OutboxRef]: ...


class RecipientDirectory(Protocol):
    """A customer's deliverable address per channel (see ``tridesk.core.notify_delivery_store``)."""

    def address(self, tenant: str, customer_id: str, channel: str) -> Recipient | None: ...


@dataclass(frozen=True, slots=True)
class DispatchConfig:
    lease_s: float = 60.0
    max_attempts: int = 8
    retry_base_s: float = 60.0
    retry_cap_s: float = 3600.0


@dataclass
class SweepReport:
    found: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    errors: int = 0

    def to_dict(self) -> dict[str, object]:
        return {"found": self.found, "outcomes": dict(self.outcomes), "errors": self.errors}


class NotificationDispatcher:
    """Delivers outbox records at most once each (see the module doc)."""

    def __init__(self, ledger: OutboxLedger, directory: RecipientDirectory, senders: Mapping[str, ChannelSender],
                 config: DispatchConfig | None = None, clock: Callable[[], float] = time.time) -> None:
        self.ledger = ledger
        self.directory = directory
        self.senders = senders
        self.config = config or DispatchConfig()
        self.clock = clock

    def retry_delay(self, attempt: int) -> float:
        c = self.config
        return min(c.retry_cap_s, c.retry_base_s * (2 ** max(0, attempt - 1)))

    def dispatch(self, ref: OutboxRef) -> Outcome:
        """Deliver one record; raises ``UpstreamError`` when the channel failed transiently (retry later)."""
        now = self.clock()
        claim = self.ledger.claim(ref, now, self.config.lease_s)
        if claim.state == "lost":
            self.ledger.give_up_lost(ref, claim.lease_until, now)
            return Outcome("failed", ref, "outcome_unknown", attempt=claim.attempt)
        if claim.state != "claimed" or claim.notification is None:
            return Outcome("skipped", ref, claim.state, attempt=claim.attempt)
        n, attempt = claim.notification, claim.attempt
        sender = self.senders.get(n.channel)
        if sender is None:
            self.ledger.mark_failed(ref, attempt, "channel_not_supported", permanent=True, now=self.clock())
            return Outcome("failed", ref, "channel_not_supported", n.channel, attempt=attempt)
        try:
            recipient = self.directory.address(n.tenant, n.customer_id, n.channel)
        except UpstreamError as exc:
            return self._transient(ref, n, attempt, exc)
        if recipient is None:
            self.ledger.mark_failed(ref, attempt, "no_address", permanent=True, now=self.clock())
            return Outcome("failed", ref, "no_address", n.channel, attempt=attempt)
        try:
            receipt = sender.send(n, recipient)
        except DeliveryFailed as exc:
            self.ledger.mark_failed(ref, attempt, exc.reason, permanent=True, now=self.clock())
            return Outcome("failed", ref, exc.reason, n.channel, attempt=attempt)
        except UpstreamError as exc:
            if not exc.retryable:  # the provider answered something we cannot read: sent or not, unknown
                self.ledger.mark_failed(ref, attempt, "unreadable_answer", permanent=True, now=self.clock())
                return Outcome("failed", ref, "unreadable_answer", n.channel, attempt=attempt)
            return self._transient(ref, n, attempt, exc)
        self.ledger.mark_sent(ref, attempt, receipt, self.clock())
        return Outcome("sent", ref, "", n.channel, receipt, attempt)

    def _transient(self, ref: OutboxRef, n: Notification, attempt: int, exc: UpstreamError) -> Outcome:
        reason = str(exc)[:200]
        now = self.clock()
        if attempt >= self.config.max_attempts:
            self.ledger.mark_failed(ref, attempt, f"gave_up: {reason}", permanent=False, now=now)
            return Outcome("failed", ref, "gave_up", n.channel, attempt=attempt)
        self.ledger.release(ref, attempt, reason, now + self.retry_delay(attempt))
        raise exc

    def sweep(self, limit: int = 100) -> SweepReport:
        """Deliver pending records that are due (lost events, retries the event source gave up on)."""
        report = SweepReport()
        refs = self.ledger.due(self.clock(), limit)
        report.found = len(refs)
        for ref in refs:
            try:
                outcome = self.dispatch(ref)
                key = outcome.result if outcome.result != "skipped" else f"skipped_{outcome.detail}"
            except UpstreamError:
                key = "retry"
            report.outcomes[key] = report.outcomes.get(key, 0) + 1
        return report
