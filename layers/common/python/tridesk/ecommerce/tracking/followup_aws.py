"""AWS adapters of the tracking follow-ups: promises in DynamoDB, re-checks on SQS.

- ``DynamoPromiseStore``: table ``TRACKING_FOLLOW_UPS_TABLE`` (``pk`` = ``{tenant}#{customer}#{order}``,
  TTL attribute ``retain_until``). Conditions, exactly:
  claim ``attribute_not_exists(pk) OR state <> "pending" OR retain_until < :now``;
  advance ``promise_id = :p AND state = "pending" AND attempt = :a`` (``attempt + 1``);
  close ``promise_id = :p`` (``state``, ``retain_until``); release: delete if ``promise_id = :p``.
  A failed condition is a False answer; every other storage error is ``UpstreamError``.
- ``SqsFollowUpQueue``: ``TRACKING_FOLLOW_UPS_QUEUE_URL``, the message body is ``FollowUp.to_dict()``
  as JSON, ``DelaySeconds`` 0-900. Send errors are ``UpstreamError``.

Timeouts are short: ``claim`` and ``send`` run inside a degraded API answer at peak time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DeleteError, PutError, PynamoDBException, UpdateError

from tridesk.core import aws
from tridesk.core.errors import UpstreamError
from tridesk.core.settings import get_settings
from tridesk.core.storage import TriDeskModel
from tridesk.ecommerce.tracking.followup import MAX_DELAY_S, FollowUp, Promise, PromiseState

STORE_UPSTREAM = "follow-up-store"
QUEUE_UPSTREAM = "follow-up-queue"
RESOURCE = "tracking_follow_ups"
_CONDITION_FAILED = "ConditionalCheckFailedException"


class FollowUpRecord(TriDeskModel):
    """One promise (see the module doc); the follow-up's fields plus ``state`` and ``retain_until``."""

    table_key = RESOURCE

    class Meta:
        table_name = None
        connect_timeout_seconds = 1
        read_timeout_seconds = 2
        max_retry_attempts = 1

    pk = UnicodeAttribute(hash_key=True)
    promise_id = UnicodeAttribute()
    tenant = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    order_id = UnicodeAttribute()
    lang = UnicodeAttribute(null=True)
    promised_at = NumberAttribute()
    due_at = NumberAttribute()
    attempt = NumberAttribute()
    state = UnicodeAttribute()
    retain_until = NumberAttribute()


def _failed_condition(exc: PynamoDBException) -> bool:
    return getattr(exc, "cause_response_code", None) == _CONDITION_FAILED


@contextmanager
def _translated(action: str) -> Iterator[None]:
    try:
        yield
    except (PynamoDBException, BotoCoreError) as exc:
        code = getattr(exc, "cause_response_code", None) or type(exc).__name__
        raise UpstreamError(STORE_UPSTREAM, f"{action} failed: {code}") from exc


class DynamoPromiseStore:
    """``PromiseStore`` on DynamoDB (conditions in the module doc)."""

    def claim(self, follow_up: FollowUp, *, retain_until: float, now: float) -> bool:
        f = follow_up
        m = FollowUpRecord
        item = m(f.key, promise_id=f.promise_id, tenant=f.tenant, customer_id=f.customer_id, order_id=f.order_id,
                 lang=f.lang, promised_at=f.promised_at, due_at=f.due_at, attempt=f.attempt, state="pending",
                 retain_until=int(math.ceil(retain_until)))
        condition = m.pk.does_not_exist() | (m.state != "pending") | (m.retain_until < now)
        with _translated("claim"):
            try:
                item.save(condition=condition)
            except PutError as exc:
                if _failed_condition(exc):
                    return False
                raise
        return True

    def get(self, key: str) -> Promise | None:
        with _translated("get"):
            try:
                r = FollowUpRecord.get(key, consistent_read=True)
            except FollowUpRecord.DoesNotExist:
                return None
        follow_up = FollowUp(promise_id=r.promise_id, tenant=r.tenant, customer_id=r.customer_id,
                             order_id=r.order_id, lang=r.lang, promised_at=float(r.promised_at),
                             due_at=float(r.due_at), attempt=int(r.attempt))
        return Promise(follow_up, r.state, float(r.retain_until))  # type: ignore[arg-type]

    def _update(self, key: str, actions: list[Any], condition: Any, action: str) -> bool:
        with _translated(action):
            try:
                FollowUpRecord(key).update(actions=actions, condition=condition)
            except UpdateError as exc:
                if _failed_condition(exc):
                    return False
                raise
        return True

    def advance(self, key: str, promise_id: str, attempt: int) -> bool:
        m = FollowUpRecord
        return self._update(
            key, [m.attempt.set(attempt + 1)],
            m.pk.exists() & (m.promise_id == promise_id) & (m.state == "pending") & (m.attempt == attempt),
            "advance",
        )

    def close(self, key: str, promise_id: str, state: PromiseState, *, retain_until: float) -> bool:
        m = FollowUpRecord
        return self._update(
            key, [m.state.set(state), m.retain_until.set(int(math.ceil(retain_until)))],
            m.pk.exists() & (m.promise_id == promise_id), "close",
        )

    def release(self, key: str, promise_id: str) -> None:
        m = FollowUpRecord
        with _translated("release"):
            try:
                m(key).delete(condition=m.promise_id == promise_id)
            except DeleteError as exc:
                if not _failed_condition(exc):
                    raise


class SqsFollowUpQueue:
    """``FollowUpQueue`` on the SQS queue ``TRACKING_FOLLOW_UPS_QUEUE_URL``."""

    def __init__(self, queue_url: str | None = None) -> None:
        self._url = queue_url

    @property
    def url(self) -> str:
        if self._url is None:
            self._url = get_settings().queue_url(RESOURCE)
        return self._url

    def send(self, follow_up: FollowUp, delay_s: int) -> None:
        if not 0 <= delay_s <= MAX_DELAY_S:
            raise ValueError(f"delay_s must be in [0, {MAX_DELAY_S}]")
        body = json.dumps(follow_up.to_dict(), ensure_ascii=False, separators=(",", ":"))
        try:
            aws.client("sqs").send_message(QueueUrl=self.url, MessageBody=body, DelaySeconds=int(delay_s))
        except (ClientError, BotoCoreError) as exc:
            raise UpstreamError(QUEUE_UPSTREAM, f"send failed: {type(exc).__name__}") from exc
