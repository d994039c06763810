"""DynamoDB stream event sources in the local stack, as Lambda's stream pollers behave.

moto (5.2.5) hands every stream record of a table with an event-source mapping to
``LambdaBackend.send_dynamodb_items`` synchronously, inside the write request, once, ignoring the
mapping's batch size, retries and destinations (and a handler that writes to the same table would
re-enter it). Here that method only queues the records; a poller thread then delivers them per
mapping in order, in batches of ``BatchSize``, outside any moto request:

- a batch whose invocation fails is retried (``MaximumRetryAttempts``, -1 or absent: until
  ``MaximumRecordAgeInSeconds``), halved first when ``BisectBatchOnFunctionError`` is set;
- with ``ReportBatchItemFailures`` the batch is checkpointed: records before the first reported
  sequence number are done, the rest is retried;
- a batch that exhausts its retries goes to the ``DestinationConfig.OnFailure`` queue as Lambda
  writes it (the batch's shard and sequence numbers, not the records) and is dropped.

Filter criteria are not evaluated: handlers must ignore what the template's filter would drop.
Development only: nothing deployed imports ``local``.
"""

from __future__ import annotations

import json
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

_poller: StreamPoller | None = None


@dataclass
class _Feed:
    function_arn: str
    source_arn: str
    esm: Any
    records: deque[dict[str, Any]] = field(default_factory=deque)
    retries: int = 0
    batch_limit: int = 0  # bisected size of the retried batch (0: the mapping's batch size)
    first_failure_at: float | None = None


class StreamPoller:
    """Queues stream records per event-source mapping and delivers them from one thread."""

    def __init__(self, account_id: str, region: str, interval_s: float = 0.05) -> None:
        self._account_id = account_id
        self._region = region
        self._interval = interval_s
        self._feeds: dict[tuple[str, str], _Feed] = {}
        self._lock = threading.Lock()
        self._busy = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ddb-stream-poller", daemon=True)
        self.delivered = 0
        self.dead_lettered = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def enqueue(self, function_arn: str, source_arn: str, esm: Any, records: list[dict[str, Any]]) -> None:
        with self._lock:
            feed = self._feeds.setdefault((function_arn, source_arn), _Feed(function_arn, source_arn, esm))
            feed.records.extend(records)
        self._wake.set()

    def pending(self) -> int:
        with self._lock:
            return sum(len(f.records) for f in self._feeds.values())

    def drain(self, timeout_s: float = 10.0) -> bool:
        """Deliver what is queued now (tests); True when nothing is left."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.poll_once()
            if self.pending() == 0:
                return True
            time.sleep(self._interval)
        return self.pending() == 0

    def poll_once(self) -> int:
        """One batch per mapping with queued records; returns the batches sent."""
        with self._busy:
            with self._lock:
                feeds = [f for f in self._feeds.values() if f.records]
            sent = 0
            for feed in feeds:
                if feed.esm is not None and not getattr(feed.esm, "enabled", True):
                    continue
                self._deliver(feed)
                sent += 1
            return sent

    def _deliver(self, feed: _Feed) -> None:
        from moto.awslambda.utils import get_backend

        esm = feed.esm
        size = int(getattr(esm, "batch_size", None) or 100)
        if feed.batch_limit:
            size = min(size, feed.batch_limit)
        with self._lock:
            batch = list(feed.records)[:size]
        headers: dict[str, Any] = {}
        backend = get_backend(self._account_id, self._region)
        payload = backend.invoke(feed.function_arn, None, json.dumps({"Records": batch}), {}, headers)
        failed = "x-amz-function-error" in headers
        done = 0 if failed else len(batch)
        if not failed and "ReportBatchItemFailures" in (getattr(esm, "function_response_types", None) or []):
            try:
                result = json.loads(payload)
            except ValueError:
                result = None
            reported = [f.get("itemIdentifier") for f in (result or {}).get("batchItemFailures") or []] \
                if isinstance(result, dict) else []
            if reported:
                sequence = [r["dynamodb"].get("SequenceNumber") for r in batch]
                positions = [sequence.index(s) for s in reported if s in sequence]
                done = min(positions) if positions else 0
                failed = True
        with self._lock:
            for _ in range(done):
                feed.records.popleft()
            self.delivered += done
            if not failed:
                feed.retries, feed.batch_limit, feed.first_failure_at = 0, 0, None
                return
            feed.retries += 1
            feed.first_failure_at = feed.first_failure_at or time.time()
            remaining = list(feed.records)[: max(1, size - done)]
            if getattr(esm, "bisect_on_error", False) and len(remaining) > 1 and done == 0:
                feed.batch_limit = max(1, len(remaining) // 2)
            max_retries = getattr(esm, "max_retry_attempts", None)
            max_age = getattr(esm, "max_record_age", None)
            exhausted = (max_retries is not None and int(max_retries) >= 0 and feed.retries > int(max_retries)) or (
                max_age is not None and int(max_age) > 0 and time.time() - feed.first_failure_at > int(max_age))
            if not exhausted:
                return
            dropped = [feed.records.popleft() for _ in range(min(len(remaining), len(feed.records)))]
            feed.retries, feed.batch_limit, feed.first_failure_at = 0, 0, None
        self.dead_lettered += len(dropped)
        self._on_failure(feed, dropped)

    def _on_failure(self, feed: _Feed, dropped: list[dict[str, Any]]) -> None:
        """Send Lambda's on-failure record (batch info, not the records) to the destination queue."""
        destination = ((getattr(feed.esm, "destination_config", None) or {}).get("OnFailure") or {}).get("Destination")
        if not destination or not dropped:
            return
        from moto.sqs.models import sqs_backends

        sqs = sqs_backends[self._account_id][self._region]
        queue = next((q for q in sqs.queues.values() if q.queue_arn == destination), None)
        if queue is None:
            return
        message = {
            "requestContext": {"requestId": f"local-{time.time_ns()}", "functionArn": feed.function_arn,
                               "condition": "RetryAttemptsExhausted", "approximateInvokeCount": 1},
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
            "version": "1.0",
            "timestamp": datetime.now(timezone.utc).isoformat(),
            "DDBStreamBatchInfo": {
                "shardId": "shardId-local", "streamArn": feed.source_arn, "batchSize": len(dropped),
                "startSequenceNumber": dropped[0]["dynamodb"].get("SequenceNumber"),
                "endSequenceNumber": dropped[-1]["dynamodb"].get("SequenceNumber"),
                "approximateArrivalOfFirstRecord": str(dropped[0]["dynamodb"].get("ApproximateCreationDateTime")),
                "approximateArrivalOfLastRecord": str(dropped[-1]["dynamodb"].get("ApproximateCreationDateTime")),
            },
        }
        sqs.send_message(queue.name, json.dumps(message))

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._interval)
            self._wake.clear()
            try:
                while self.poll_once() and not self._stop.is_set():
                    time.sleep(self._interval / 5)
            except Exception:  # the poller must outlive one bad delivery
                traceback.print_exc()


def install(poller: StreamPoller) -> None:
    """Route moto's stream deliveries to ``poller`` (queued, delivered from its thread)."""
    global _poller
    _poller = poller
    from moto.awslambda.models import LambdaBackend

    LambdaBackend.send_dynamodb_items = _send_dynamodb_items  # type: ignore[method-assign]


def _send_dynamodb_items(self: Any, function_arn: str, items: list[Any], source: str) -> bool:
    from moto.core.utils import unix_time

    records = []
    for item in items:
        record = item.to_json()
        dynamodb = dict(record["dynamodb"])
        if isinstance(dynamodb.get("ApproximateCreationDateTime"), datetime):
            dynamodb["ApproximateCreationDateTime"] = unix_time(dynamodb["ApproximateCreationDateTime"])
        records.append({"eventID": record["eventID"], "eventName": record["eventName"],
                        "eventVersion": record["eventVersion"], "eventSource": record["eventSource"],
                        "awsRegion": self.region_name, "dynamodb": dynamodb, "eventSourceARN": source})
    esm = next((m for m in self._event_source_mappings.values()
                if m.function_arn == function_arn and m.event_source_arn == source), None)
    if _poller is not None and records:
        _poller.enqueue(function_arn, source, esm, records)
    return True  # moto forgets the shard's records once handed over
