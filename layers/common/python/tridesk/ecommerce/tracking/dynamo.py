"""DynamoDB adapters of the tracking path: the shared cache (``TRACKING_CACHE_TABLE``) and the
breakers' shared state (``BREAKERS_TABLE``).

Both translate every storage failure into :class:`UpstreamError`, which the service and the breaker
treat as "the store is not there right now" (a cache miss, a local-only breaker view) instead of
failing the request. Conditional writes carry the ordering rules, so containers never overwrite a
newer record or another container's breaker transition. Timeouts are short on purpose: the cache
is an optimisation, and a slow store must not hold a peak-time answer for the default 30 s.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError
from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DeleteError, PutError, PynamoDBException

from tridesk.core.errors import UpstreamError
from tridesk.core.storage import TriDeskModel
from tridesk.ecommerce.tracking.breaker import BreakerState
from tridesk.ecommerce.tracking.cache import CacheEntry

CACHE_UPSTREAM = "tracking-cache"
BREAKER_UPSTREAM = "breaker-store"
LOCK_PREFIX = "lock#"
BREAKER_PREFIX = "breaker#"
_CONDITION_FAILED = "ConditionalCheckFailedException"


class TrackingCacheRecord(TriDeskModel):
    """One item of the tracking cache table: a cached answer (``record``) or a refresh lease (``owner``).

    Cache items: ``pk`` = ``{tenant}#{order_id}``; leases: ``pk`` = ``lock#{tenant}#{order_id}`` (a cache
    key holds exactly one ``#``, a lease key two, so they never collide). ``retain_until`` is the
    table's TTL attribute (epoch seconds) for both.
    """

    table_key = "tracking_cache"

    class Meta:
        table_name = None
        connect_timeout_seconds = 1
        read_timeout_seconds = 2
        max_retry_attempts = 2

    pk = UnicodeAttribute(hash_key=True)
    record = UnicodeAttribute(null=True)
    version = NumberAttribute(null=True)
    fetched_at = NumberAttribute(null=True)
    retain_until = NumberAttribute(null=True)
    owner = UnicodeAttribute(null=True)
    lock_expires = NumberAttribute(null=True)


class BreakerRecord(TriDeskModel):
    """One upstream's shared breaker state (``pk`` = ``breaker#{name}``), versioned for optimistic writes."""

    table_key = "breakers"

    class Meta:
        table_name = None
        connect_timeout_seconds = 1
        read_timeout_seconds = 2
        max_retry_attempts = 2

    pk = UnicodeAttribute(hash_key=True)
    state = UnicodeAttribute()
    version = NumberAttribute()


def _condition_failed(exc: PynamoDBException) -> bool:
    return getattr(exc, "cause_response_code", None) == _CONDITION_FAILED


@contextmanager
def _translated(upstream: str, action: str) -> Iterator[None]:
    """Storage trouble of any kind (throttling, timeouts, a missing table) as ``UpstreamError``."""
    try:
        yield
    except (PynamoDBException, BotoCoreError) as exc:
        code = getattr(exc, "cause_response_code", None) or type(exc).__name__
        raise UpstreamError(upstream, f"{action} failed: {code}") from exc


class DynamoTrackingCacheStore:
    """``TrackingCacheStore`` on DynamoDB (see ``tridesk.ecommerce.tracking.cache``).

    ``consistent_reads``: the stampede waiters re-read a key until the lease holder's record lands,
    so reads are strongly consistent by default (an eventually consistent read could miss a write
    that just happened and make a waiter give up).
    """

    def __init__(self, *, consistent_reads: bool = True, clock: Callable[[], float] = time.time) -> None:
        self._consistent = consistent_reads
        self._clock = clock

    def get(self, key: str) -> CacheEntry | None:
        with _translated(CACHE_UPSTREAM, "get"):
            try:
                item = TrackingCacheRecord.get(key, consistent_read=self._consistent)
            except TrackingCacheRecord.DoesNotExist:
                return None
        if item.record is None:
            return None
        # DynamoDB deletes expired items lazily (up to days later): an expired item is gone for us.
        if item.retain_until is not None and item.retain_until <= self._clock():
            return None
        try:
            return CacheEntry.from_record(json.loads(item.record))
        except (ValueError, KeyError, TypeError) as exc:
            # a record this code cannot read (e.g. written by an older release) is a miss, not a 5xx
            raise UpstreamError(CACHE_UPSTREAM, f"unreadable record: {type(exc).__name__}") from exc

    def put_if_newer(self, entry: CacheEntry) -> bool:
        """Write ``entry`` unless the stored record is as new or newer (``(version, fetched_at)`` order)."""
        m = TrackingCacheRecord
        item = m(
            entry.key,
            record=json.dumps(entry.to_record(), ensure_ascii=False, separators=(",", ":")),
            version=entry.version,
            fetched_at=entry.fetched_at,
            retain_until=int(math.ceil(entry.retain_until)),
        )
        condition = (
            m.pk.does_not_exist()
            | (m.version < entry.version)
            | ((m.version == entry.version) & (m.fetched_at < entry.fetched_at))
        )
        with _translated(CACHE_UPSTREAM, "put"):
            try:
                item.save(condition=condition)
            except PutError as exc:
                if _condition_failed(exc):
                    return False
                raise
        return True

    def try_lock(self, key: str, owner: str, ttl_s: float) -> bool:
        """Take the refresh lease of ``key`` for ``ttl_s`` unless someone holds an unexpired one."""
        now = self._clock()
        expires = now + ttl_s
        m = TrackingCacheRecord
        item = m(LOCK_PREFIX + key, owner=owner, lock_expires=expires, retain_until=int(math.ceil(expires)) + 60)
        with _translated(CACHE_UPSTREAM, "lock"):
            try:
                item.save(condition=m.pk.does_not_exist() | (m.lock_expires < now))
            except PutError as exc:
                if _condition_failed(exc):
                    return False
                raise
        return True

    def release(self, key: str, owner: str) -> None:
        """Drop the lease if ``owner`` still holds it (someone else's lease is left alone)."""
        m = TrackingCacheRecord
        with _translated(CACHE_UPSTREAM, "release"):
            try:
                m(LOCK_PREFIX + key).delete(condition=m.owner == owner)
            except DeleteError as exc:
                if not _condition_failed(exc):
                    raise


class DynamoBreakerStore:
    """``BreakerStore`` on DynamoDB: the whole state as one JSON attribute plus a numeric ``version``."""

    def get(self, name: str) -> BreakerState | None:
        with _translated(BREAKER_UPSTREAM, "get"):
            try:
                item = BreakerRecord.get(BREAKER_PREFIX + name, consistent_read=True)
            except BreakerRecord.DoesNotExist:
                return None
        try:
            data = json.loads(item.state)
        except ValueError as exc:
            raise UpstreamError(BREAKER_UPSTREAM, "unreadable breaker record") from exc
        data["version"] = int(item.version)
        return BreakerState.from_dict(data)

    def put(self, state: BreakerState, *, expected_version: int) -> bool:
        """Write ``state`` if the stored version is ``expected_version`` (0: no record yet)."""
        m = BreakerRecord
        item = m(BREAKER_PREFIX + state.name, state=json.dumps(state.to_dict(), separators=(",", ":")),
                 version=state.version)
        with _translated(BREAKER_UPSTREAM, "put"):
            try:
                item.save(condition=m.pk.does_not_exist() | (m.version == expected_version))
            except PutError as exc:
                if _condition_failed(exc):
                    return False
                raise
        return True

    def delete(self, name: str) -> None:
        """Forget a breaker's shared state (operations: force it closed everywhere at the next sync)."""
        with _translated(BREAKER_UPSTREAM, "delete"):
            BreakerRecord(BREAKER_PREFIX + name).delete()
