"""In-memory stand-ins for the learning pipeline's ports (mastery, parameters, archive, queue)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from tridesk.education.learning.events import AnswerEvent, LearningMessage
from tridesk.education.learning.mastery import ConcurrentUpdateError, MasteryState
from tridesk.education.learning.params import ParamSet, ParamsPointer


class InMemoryMasteryStore:
    """Records keyed like the table; ``commit`` checks the version as the conditional put does."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str, str, str], MasteryState] = {}
        self.commits = 0

    def get(self, tenant_id: str, student_id: str, subject: str, point_id: str) -> MasteryState | None:
        return self.items.get((tenant_id, student_id, subject, point_id))

    def get_many(self, tenant_id: str, student_id: str,
                 keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], MasteryState | None]:
        return {k: self.get(tenant_id, student_id, *k) for k in keys}

    def commit(self, before: MasteryState | None, after: MasteryState) -> None:
        key = (after.tenant_id, after.student_id, after.subject, after.point_id)
        stored = self.items.get(key)
        if (stored is None) != (before is None) or (stored is not None and before is not None
                                                    and stored.version != before.version):
            raise ConcurrentUpdateError(str(key))
        self.items[key] = after
        self.commits += 1

    def list(self, tenant_id: str, student_id: str, subject: str | None = None) -> list[MasteryState]:
        return [s for (t, st, sub, _), s in self.items.items()
                if t == tenant_id and st == student_id and subject in (None, sub)]


class InMemoryParamsStore:
    def __init__(self) -> None:
        self.documents: dict[str, ParamSet] = {}
        self.pointers: dict[str, ParamsPointer] = {}

    def current(self, subject: str) -> ParamsPointer | None:
        return self.pointers.get(subject)

    def load(self, pointer: ParamsPointer) -> ParamSet:
        return self.documents[pointer.params_key]

    def publish(self, params: ParamSet) -> bool:
        key = f"params/{params.subject}/{params.version}.json"
        self.documents[key] = params
        current = self.pointers.get(params.subject)
        if current is not None and current.version >= params.version:
            return False
        self.pointers[params.subject] = ParamsPointer(params.subject, params.version, params.fitted_at or "",
                                                      params.answers, params.students,
                                                      params.log_likelihood or 0.0, key)
        return True


class InMemoryArchive:
    """Archive and refit snapshots; ``put`` with the same batch id replaces, as an S3 key does."""

    def __init__(self) -> None:
        self.batches: dict[tuple[str, str], list[AnswerEvent]] = {}
        self.snapshots: dict[str, list[dict[str, Any]]] = {}

    def put(self, tenant_id: str, batch_id: str, events: Sequence[AnswerEvent], received_at: datetime) -> str:
        self.batches[(tenant_id, batch_id)] = list(events)
        return f"answers/{tenant_id}/{batch_id}.jsonl"

    def answers(self, since: datetime) -> Iterator[tuple[str, AnswerEvent]]:
        for (tenant_id, _), events in self.batches.items():
            for event in events:
                yield tenant_id, event

    def put_snapshot(self, run_id: str, subject: str, rows: Sequence[dict[str, Any]]) -> str:
        key = f"refits/{run_id}/{subject}.jsonl"
        self.snapshots[key] = list(rows)
        return key

    def snapshot(self, key: str) -> list[dict[str, Any]]:
        return self.snapshots[key]


class ListQueue:
    def __init__(self) -> None:
        self.messages: list[LearningMessage] = []

    def send(self, messages: Sequence[LearningMessage]) -> int:
        self.messages.extend(messages)
        return len(messages)
