"""AWS adapters of the learning pipeline: DynamoDB (mastery, parameter pointers), S3 (answer
archive, parameter documents, refit snapshots) and SQS (the events queue).

Tables and keys (``template.yaml``, section "education: learning pipeline"):

- ``MASTERY_TABLE`` (pk, sk): ``pk = <tenant>#<student>``, ``sk = m#<subject>#<point>``; an integer
  ``version`` guards every write and ``applied_ids`` lists the answers applied (the newest 1,000).
- ``LEARNING_PARAMS_TABLE`` (pk, sk): ``pk = <subject>``; ``sk = current`` points at the current
  version, ``sk = v#<version>`` records every published one.
- ``LEARNING_DATA_BUCKET``: ``answers/<tenant>/<yyyy>/<mm>/<dd>/<batch>.jsonl`` (raw answers, UTC
  day of arrival), ``params/<subject>/<version>.json``, ``refits/<run>/<subject>.jsonl``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from botocore.exceptions import ClientError

from tridesk.core import aws, dynamo
from tridesk.core.errors import UpstreamError, ValidationError
from tridesk.core.settings import get_settings
from tridesk.education.learning.events import AnswerEvent, LearningMessage, parse_event
from tridesk.education.learning.mastery import ConcurrentUpdateError, MasteryState
from tridesk.education.learning.params import ParamSet, ParamsPointer
from tridesk.education.learning.refit import ArchiveUnavailableError, Row



def _ts(value: datetime) -> str:
    return value.astimezone(timezone.utc).isoformat()


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# ---------------------------------------------------------------------- DynamoDB: mastery
_LISTED = ("tenant_id", "student_id", "subject", "point_id", "p_known", "answers", "correct", "last_answered_at",
           "params_version", "updated_at", "version")


class DynamoMasteryStore:
    """``MasteryStore`` on ``MASTERY_TABLE``: one item per record, written only if its version is unchanged."""

    def __init__(self, client: Any = None, table: str | None = None) -> None:
        self._client = client
        self._table = table

    @property
    def client(self) -> Any:
        return self._client or dynamo.client()

    @property
    def table(self) -> str:
        return self._table or dynamo.table("mastery")

    @staticmethod
    def _key(tenant_id: str, student_id: str, subject: str, point_id: str) -> dict[str, Any]:
        return dynamo.dump({"pk": f"{tenant_id}#{student_id}", "sk": f"m#{subject}#{point_id}"})

    @staticmethod
    def _state(item: dict[str, Any]) -> MasteryState:
        return MasteryState(
            tenant_id=item["tenant_id"],
            student_id=item["student_id"],
            subject=item["subject"],
            point_id=item["point_id"],
            p_known=float(item["p_known"]),
            answers=int(item["answers"]),
            correct=int(item["correct"]),
            last_answered_at=_time(item["last_answered_at"]),
            params_version=item["params_version"],
            updated_at=_time(item["updated_at"]),
            version=int(item["version"]),
            applied_ids=tuple(item.get("applied_ids") or ()),
        )

    def get(self, tenant_id: str, student_id: str, subject: str, point_id: str) -> MasteryState | None:
        response = self.client.get_item(TableName=self.table, Key=self._key(tenant_id, student_id, subject, point_id),
                                        ConsistentRead=True)
        item = dynamo.load(response.get("Item"))
        return None if item is None else self._state(item)

    def get_many(self, tenant_id: str, student_id: str,
                 keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], MasteryState | None]:
        found: dict[tuple[str, str], MasteryState | None] = {key: None for key in keys}
        unique = sorted(set(keys))
        for start in range(0, len(unique), 100):
            request: dict[str, Any] = {self.table: {
                "Keys": [self._key(tenant_id, student_id, *key) for key in unique[start:start + 100]],
                "ConsistentRead": True,
            }}
            for _ in range(8):
                response = self.client.batch_get_item(RequestItems=request)
                for raw in response.get("Responses", {}).get(self.table, []):
                    state = self._state(dynamo.load(raw) or {})
                    found[(state.subject, state.point_id)] = state
                request = response.get("UnprocessedKeys") or {}
                if not request:
                    break
            else:
                raise UpstreamError("mastery-table", "batch_get_item left keys unprocessed")
        return found

    def commit(self, before: MasteryState | None, after: MasteryState) -> None:
        item = {
            **self._key(after.tenant_id, after.student_id, after.subject, after.point_id),
            **dynamo.dump({
                "tenant_id": after.tenant_id, "student_id": after.student_id, "subject": after.subject,
                "point_id": after.point_id, "p_known": after.p_known, "answers": after.answers,
                "correct": after.correct, "last_answered_at": _ts(after.last_answered_at),
                "params_version": after.params_version, "updated_at": _ts(after.updated_at),
                "version": after.version, "applied_ids": list(after.applied_ids),
            }),
        }
        request: dict[str, Any] = {"TableName": self.table, "Item": item}
        if before is None:
            request["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            request["ConditionExpression"] = "#v = :v"
            request["ExpressionAttributeNames"] = {"#v": "version"}
            request["ExpressionAttributeValues"] = dynamo.dump_values({":v": before.version})
        try:
            self.client.put_item(**request)
        except ClientError as exc:
            if dynamo.condition_failed(exc):
                raise ConcurrentUpdateError(f"{after.tenant_id}/{after.student_id}/{after.point_id} moved") from exc
            raise

    def list(self, tenant_id: str, student_id: str, subject: str | None = None) -> list[MasteryState]:
        prefix = f"m#{subject}#" if subject else "m#"
        states = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": dynamo.dump_values({":pk": f"{tenant_id}#{student_id}", ":prefix": prefix}),
            "ProjectionExpression": ", ".join(f"#a{i}" for i in range(len(_LISTED))),
            "ExpressionAttributeNames": {f"#a{i}": name for i, name in enumerate(_LISTED)},
        }
        while True:
            response = self.client.query(**kwargs)
            states.extend(self._state(dynamo.load(raw) or {}) for raw in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return states
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


# ---------------------------------------------------------------------- parameters: S3 + DynamoDB
class AwsParamsStore:
    """``ParamsStore``: documents in the learning data bucket, the current pointer in the params table."""

    def __init__(self, *, dynamodb: Any = None, s3: Any = None, table: str | None = None,
                 bucket: str | None = None) -> None:
        self._dynamodb = dynamodb
        self._s3 = s3
        self._table = table
        self._bucket = bucket

    @property
    def table(self) -> str:
        return self._table or dynamo.table("learning_params")

    @property
    def bucket(self) -> str:
        return self._bucket or get_settings().bucket("learning_data")

    def _ddb(self) -> Any:
        return self._dynamodb or dynamo.client()

    def _s3c(self) -> Any:
        return self._s3 or aws.client("s3")

    def current(self, subject: str) -> ParamsPointer | None:
        response = self._ddb().get_item(TableName=self.table, Key=dynamo.dump({"pk": subject, "sk": "current"}))
        item = dynamo.load(response.get("Item"))
        if item is None:
            return None
        return ParamsPointer(subject, item["version"], item["fitted_at"], int(item["answers"]),
                             int(item["students"]), float(item["log_likelihood"]), item["params_key"])

    def load(self, pointer: ParamsPointer) -> ParamSet:
        body = self._s3c().get_object(Bucket=self.bucket, Key=pointer.params_key)["Body"].read()
        return ParamSet.from_dict(json.loads(body))

    def publish(self, params: ParamSet) -> bool:
        key = f"params/{params.subject}/{params.version}.json"
        self._s3c().put_object(
            Bucket=self.bucket, Key=key, ContentType="application/json",
            Body=json.dumps(params.to_dict(), ensure_ascii=False, indent=1).encode("utf-8"),
        )
        summary = {
            "version": params.version, "fitted_at": params.fitted_at, "answers": params.answers,
            "students": params.students, "log_likelihood": params.log_likelihood or 0.0, "params_key": key,
        }
        client = self._ddb()
        client.put_item(TableName=self.table, Item=dynamo.dump({"pk": params.subject, "sk": f"v#{params.version}",
                                                                **summary}))
        try:
            client.put_item(
                TableName=self.table,
                Item=dynamo.dump({"pk": params.subject, "sk": "current", **summary}),
                ConditionExpression="attribute_not_exists(pk) OR #v < :v",
                ExpressionAttributeNames={"#v": "version"},
                ExpressionAttributeValues=dynamo.dump_values({":v": params.version}),
            )
        except ClientError as exc:
            if dynamo.condition_failed(exc):
                return False
            raise
        return True

    def versions(self, subject: str) -> list[dict[str, Any]]:
        """Every published version of a subject, oldest first."""
        response = self._ddb().query(
            TableName=self.table, KeyConditionExpression="pk = :pk AND begins_with(sk, :v)",
            ExpressionAttributeValues=dynamo.dump_values({":pk": subject, ":v": "v#"}),
        )
        return [dynamo.load(raw) or {} for raw in response.get("Items", [])]


# ---------------------------------------------------------------------- S3: the answer archive
class S3AnswerArchive:
    """Raw answers as JSON lines, one object per processed queue message (replaced when retried)."""

    def __init__(self, s3: Any = None, bucket: str | None = None) -> None:
        self._s3 = s3
        self._bucket = bucket
        self.skipped = 0

    @property
    def bucket(self) -> str:
        return self._bucket or get_settings().bucket("learning_data")

    def _client(self) -> Any:
        return self._s3 or aws.client("s3")

    def put(self, tenant_id: str, batch_id: str, events: Sequence[AnswerEvent], received_at: datetime) -> str:
        day = received_at.astimezone(timezone.utc)
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in batch_id)[:200]
        key = f"answers/{tenant_id}/{day:%Y/%m/%d}/{safe}.jsonl"
        lines = [json.dumps({"tenant_id": tenant_id, **e.to_dict()}, ensure_ascii=False) for e in events]
        self._client().put_object(Bucket=self.bucket, Key=key, Body=("\n".join(lines) + "\n").encode("utf-8"),
                                  ContentType="application/x-ndjson")
        return key

    def _keys(self, prefix: str, start_after: str = "") -> Iterator[str]:
        paginator = self._client().get_paginator("list_objects_v2")
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Prefix": prefix}
        if start_after:
            kwargs["StartAfter"] = start_after
        for page in paginator.paginate(**kwargs):
            for obj in page.get("Contents", []):
                yield obj["Key"]

    def _tenants(self) -> list[str]:
        paginator = self._client().get_paginator("list_objects_v2")
        found = []
        for page in paginator.paginate(Bucket=self.bucket, Prefix="answers/", Delimiter="/"):
            found.extend(p["Prefix"].split("/")[1] for p in page.get("CommonPrefixes", []))
        return found

    def answers(self, since: datetime) -> Iterator[tuple[str, AnswerEvent]]:
        try:
            for tenant_id in self._tenants():
                prefix = f"answers/{tenant_id}/"
                # keys sort by the day of arrival: skip every day before the window's first
                start_after = f"{prefix}{(since - timedelta(days=1)).astimezone(timezone.utc):%Y/%m/%d}/~"
                for key in self._keys(prefix, start_after):
                    body = self._client().get_object(Bucket=self.bucket, Key=key)["Body"].read().decode("utf-8")
                    for line in body.splitlines():
                        event = self._parse(line)
                        if event is not None:
                            yield tenant_id, event
        except ClientError as exc:
            raise ArchiveUnavailableError(f"reading the answer archive failed: {exc}") from exc

    def _parse(self, line: str) -> AnswerEvent | None:
        if not line.strip():
            return None
        try:
            return parse_event(json.loads(line), "archive")
        except (ValueError, ValidationError):
            # e.g. a point retired from the shipped graph since: it cannot be fitted any more
            self.skipped += 1
            return None

    def put_snapshot(self, run_id: str, subject: str, rows: Sequence[Row]) -> str:
        key = f"refits/{run_id}/{subject}.jsonl"
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        self._client().put_object(Bucket=self.bucket, Key=key, Body=body.encode("utf-8"),
                                  ContentType="application/x-ndjson")
        return key

    def snapshot(self, key: str) -> list[Row]:
        try:
            body = self._client().get_object(Bucket=self.bucket, Key=key)["Body"].read().decode("utf-8")
        except ClientError as exc:
            raise ArchiveUnavailableError(f"reading the snapshot {key} failed: {exc}") from exc
        return [json.loads(line) for line in body.splitlines() if line.strip()]


# ---------------------------------------------------------------------- SQS: the events queue
MAX_BATCH_BYTES = 200_000


class SqsEventQueue:
    """``EventQueue`` on ``LEARNING_EVENTS_QUEUE_URL``: batches of up to 10 messages under 200 kB."""

    def __init__(self, client: Any = None, queue_url: str | None = None) -> None:
        self._client = client
        self._queue_url = queue_url

    def send(self, messages: Sequence[LearningMessage]) -> int:
        client = self._client or aws.client("sqs")
        url = self._queue_url or get_settings().queue_url("learning_events")
        batch: list[dict[str, Any]] = []
        size = 0
        sent = 0
        for i, message in enumerate(messages):
            body = message.to_json()
            if batch and (len(batch) == 10 or size + len(body.encode("utf-8")) > MAX_BATCH_BYTES):
                sent += self._flush(client, url, batch)
                batch, size = [], 0
            batch.append({
                "Id": str(i),
                "MessageBody": body,
                "MessageAttributes": {"tenant_id": {"DataType": "String", "StringValue": message.tenant_id}},
            })
            size += len(body.encode("utf-8"))
        if batch:
            sent += self._flush(client, url, batch)
        return sent

    @staticmethod
    def _flush(client: Any, url: str, entries: list[dict[str, Any]]) -> int:
        pending = entries
        for _ in range(3):
            response = client.send_message_batch(QueueUrl=url, Entries=pending)
            failed = {f["Id"] for f in response.get("Failed", [])}
            if not failed:
                return len(entries)
            pending = [e for e in pending if e["Id"] in failed]
        raise UpstreamError("learning-events-queue", f"{len(pending)} messages could not be enqueued")
