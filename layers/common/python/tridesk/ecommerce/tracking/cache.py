"""The shared cache tier: one record per (tenant, order), and the store interface behind it.

A record holds the order's owner and parcel (immutable once shipped, so ownership is checked
without the OMS) and the carrier's last snapshot with its freshness. Records outlive their
freshness (``retain_until``, the DynamoDB TTL attribute) so the degraded path can still show them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from tridesk.ecommerce.tracking.models import OrderRef, TrackingSnapshot


def cache_key(tenant: str, order_id: str) -> str:
    """Tenant-isolated key: ``{tenant}#{order_id}`` (both validated to contain no ``#``)."""
    return f"{tenant}#{order_id}"


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One cached answer. Times are epoch seconds of this system's clock except ``snapshot.as_of``.

    ``fetched_at``: when this system obtained the snapshot (live fetch or push);
    ``expires_at``: until when it is fresh (state-aware TTL); ``retain_until``: when the store may
    delete it. Writes are ordered by ``(version, fetched_at)``: ``version`` is the snapshot's
    ``as_of`` in epoch seconds (0 without a snapshot, so any carrier data beats "not shipped yet"),
    and a later fetch of the same snapshot still wins, which extends its freshness.
    """

    key: str
    order: OrderRef
    snapshot: TrackingSnapshot | None
    fetched_at: float
    expires_at: float
    retain_until: float

    @property
    def version(self) -> float:
        return self.snapshot.as_of.timestamp() if self.snapshot is not None else 0.0

    def newer_than(self, other: CacheEntry) -> bool:
        """The newer-wins rule of ``put_if_newer``."""
        return (self.version, self.fetched_at) > (other.version, other.fetched_at)

    def is_fresh(self, now: float) -> bool:
        return now < self.expires_at

    def to_record(self) -> dict[str, Any]:
        """JSON-able form; the DynamoDB adapter stores it with ``key``, ``version`` and ``retain_until`` on top."""
        return {
            "key": self.key,
            "order": self.order.to_dict(),
            "snapshot": None if self.snapshot is None else self.snapshot.to_dict(),
            "fetched_at": self.fetched_at,
            "expires_at": self.expires_at,
            "retain_until": self.retain_until,
            "version": self.version,
        }

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> CacheEntry:
        snap = data.get("snapshot")
        return cls(
            key=str(data["key"]),
            order=OrderRef.from_dict(data["order"]),
            snapshot=None if snap is None else TrackingSnapshot.from_dict(snap),
            fetched_at=float(data["fetched_at"]),
            expires_at=float(data["expires_at"]),
            retain_until=float(data["retain_until"]),
        )


class TrackingCacheStore(Protocol):
    """The shared cache (a DynamoDB table with a TTL attribute in the cloud).

    - ``get``: the record or None (an expired-but-retained record is returned: the caller decides).
    - ``put_if_newer``: conditional write, only when no record exists or ``entry.newer_than(stored)``
      (DynamoDB: ``attribute_not_exists(pk) OR version < :v OR (version = :v AND fetched_at < :f)``);
      returns whether it wrote.
    - ``try_lock``/``release``: a per-key refresh lease held by ``owner`` for at most ``ttl_s``
      (conditional put on a lock attribute/item: absent or expired); ``release`` removes it only if
      ``owner`` still holds it.
    Transport failures raise :class:`tridesk.core.errors.UpstreamError`; the service then treats the
    cache as missing rather than failing the request.
    """

    def get(self, key: str) -> CacheEntry | None: ...

    def put_if_newer(self, entry: CacheEntry) -> bool: ...

    def try_lock(self, key: str, owner: str, ttl_s: float) -> bool: ...

    def release(self, key: str, owner: str) -> None: ...

