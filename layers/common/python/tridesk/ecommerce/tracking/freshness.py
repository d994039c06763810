"""State-aware freshness: how long a tracking answer may be served without asking the carrier.

Settled parcels (signed, delivered) barely change, so they live long; parcels on the move live
short; exception states (lost, damaged, held, returned, ...) always go to the source, because that is
when a customer most needs the truth. Values are parameters: the lead wires them from settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tridesk.ecommerce.tracking.models import StatusClass, TrackingStatus, classify


@dataclass(frozen=True, slots=True)
class FreshnessPolicy:
    """TTLs in seconds per status class, with optional per-status overrides.

    ``l1_ttl_s`` caps how long one container keeps an answer in memory (other containers cannot
    invalidate it). ``retention_s`` is how long a cache record is kept after it expires so the
    degraded path still has something to show (the DynamoDB TTL attribute).
    """

    settled_ttl_s: float = 6 * 3600.0
    in_transit_ttl_s: float = 300.0
    exception_ttl_s: float = 0.0
    l1_ttl_s: float = 5.0
    retention_s: float = 30 * 24 * 3600.0
    overrides: Mapping[TrackingStatus, float] = field(
        default_factory=lambda: {TrackingStatus.OUT_FOR_DELIVERY: 60.0}
    )

    def __post_init__(self) -> None:
        for name in ("settled_ttl_s", "in_transit_ttl_s", "exception_ttl_s", "l1_ttl_s", "retention_s"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        for status, ttl in self.overrides.items():
            if ttl < 0:
                raise ValueError(f"override for {status.value} must be >= 0")
            if classify(status) is StatusClass.EXCEPTION and ttl > self.exception_ttl_s:
                raise ValueError("an exception state may not be cached longer than exception_ttl_s")

    def ttl_for(self, status: TrackingStatus) -> float:
        """Seconds an answer in ``status`` stays fresh in the shared cache."""
        if status in self.overrides:
            return self.overrides[status]
        cls = classify(status)
        if cls is StatusClass.SETTLED:
            return self.settled_ttl_s
        if cls is StatusClass.EXCEPTION:
            return self.exception_ttl_s
        return self.in_transit_ttl_s

    def l1_ttl_for(self, status: TrackingStatus, *, remaining_s: float | None = None) -> float:
        """Seconds one container may keep the answer: never past its shared-cache freshness."""
        ttl = min(self.l1_ttl_s, self.ttl_for(status))
        if remaining_s is not None:
            ttl = min(ttl, remaining_s)
        return max(ttl, 0.0)

    def expires_at(self, status: TrackingStatus, fetched_at: float) -> float:
        return fetched_at + self.ttl_for(status)

    def retain_until(self, fetched_at: float) -> float:
        return fetched_at + max(self.retention_s, self.settled_ttl_s)

    def always_to_source(self, status: TrackingStatus) -> bool:
        return self.ttl_for(status) <= 0
