"""The learning pipeline's use cases: ingest answer events, apply them to mastery, diagnose a learner.

Ports (``EventQueue``, ``MasteryStore``, ``ParamsStore``, ``AnswerArchive``) keep this free of AWS;
``tridesk.education.learning.wiring`` plugs in the DynamoDB, S3 and SQS adapters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Protocol

from tridesk.core.errors import ForbiddenError, ValidationError
from tridesk.core.tenants import Tenant
from tridesk.education.content import diagnose
from tridesk.education.knowledge import subjects
from tridesk.education.learning.events import (
    STUDENT_ID,
    AnswerEvent,
    LearningMessage,
    parse_batch,
    to_messages,
)
from tridesk.education.learning.mastery import ConcurrentUpdateError, MasteryState, MasteryStore, replay
from tridesk.education.learning.params import ParamSet, ParamsStore, default_params

MAX_ATTEMPTS = 5


class EventQueue(Protocol):
    def send(self, messages: Sequence[LearningMessage]) -> int:
        """Enqueue the messages; returns how many were sent."""
        ...


class AnswerArchive(Protocol):
    def put(self, tenant_id: str, batch_id: str, events: Sequence[AnswerEvent], received_at: datetime) -> str:
        """Store raw answers for later refits; returns where. Writing the same batch id again replaces it."""
        ...


@dataclass(frozen=True)
class ApplyResult:
    applied: int
    already_applied: int
    late: int
    archive_key: str | None


def require_education(tenant: Tenant | None) -> Tenant:
    """The learning routes serve education tenants only."""
    if tenant is None:
        raise ValidationError("a tenant is required", field="X-Tenant-Id")
    if tenant.industry != "education":
        raise ForbiddenError("learning diagnosis is part of the education edition", field="X-Tenant-Id",
                             code="industry_not_supported")
    return tenant


def check_student_id(student_id: str) -> str:
    if not STUDENT_ID.match(student_id or ""):
        raise ValidationError("student_id must be 1-128 letters, digits or ._:-", field="student_id")
    return student_id


def check_subject(subject: Any, *, required: bool = True) -> str | None:
    if subject is None:
        if required:
            raise ValidationError(f"subject is required; known: {', '.join(subjects())}", field="subject")
        return None
    if subject not in subjects():
        raise ValidationError(f"unknown subject {subject!r}; known: {', '.join(subjects())}", field="subject")
    return str(subject)


def _new(record: MasteryState | None, events: list[AnswerEvent]) -> list[AnswerEvent]:
    """The events not yet applied to ``record``."""
    return events if record is None else [e for e in events if not record.has_applied(e.event_id)]


class LearningService:
    """Answer events in, mastery and diagnoses out."""

    def __init__(self, *, queue: EventQueue, mastery: MasteryStore, params: ParamsStore, archive: AnswerArchive,
                 clock: Callable[[], datetime] | None = None) -> None:
        self._queue = queue
        self._mastery = mastery
        self._params = params
        self._archive = archive
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._loaded: dict[tuple[str, str], ParamSet] = {}

    # ------------------------------------------------------------------ ingestion (API)
    def ingest(self, tenant: Tenant | None, body: Any) -> dict[str, Any]:
        """Validate a batch and enqueue it, grouped per learner; idempotency is the consumer's."""
        tenant = require_education(tenant)
        batch = parse_batch(body)
        messages = to_messages(tenant.tenant_id, batch.events)
        sent = self._queue.send(messages)
        return {
            "status": "accepted",
            "accepted": len(batch.events),
            "duplicates": batch.duplicates,
            "messages": sent,
        }

    # ------------------------------------------------------------------ consumer (Lambda)
    def current_params(self, subject: str) -> ParamSet:
        """The subject's current version (one pointer read; the document is loaded once per version)."""
        pointer = self._params.current(subject)
        if pointer is None:
            return self._loaded.setdefault((subject, "default"), default_params(subject))
        key = (subject, pointer.version)
        found = self._loaded.get(key)
        if found is None:
            found = self._params.load(pointer)
            self._loaded = {k: v for k, v in self._loaded.items() if k[0] != subject}
            self._loaded[key] = found
        return found

    def apply(self, message: LearningMessage, batch_id: str) -> ApplyResult:
        """Apply one learner's answers, each exactly once, in time order per point; archive them first.

        The archive is written before mastery so that no applied answer is missing from a refit; a
        retried message may archive an answer twice, and refits de-duplicate by event id.
        """
        tenant_id, student_id = message.tenant_id, message.student_id
        groups: dict[tuple[str, str], list[AnswerEvent]] = {}
        for event in sorted(message.events, key=AnswerEvent.sort_key):
            groups.setdefault((event.subject, event.point_id), []).append(event)
        records = self._mastery.get_many(tenant_id, student_id, list(groups))
        fresh = {key: _new(records.get(key), events) for key, events in groups.items()}
        fresh = {key: events for key, events in fresh.items() if events}
        total = len(message.events)
        if not fresh:
            return ApplyResult(0, total, 0, None)
        archive_key = self._archive.put(tenant_id, batch_id, [e for es in fresh.values() for e in es], self._clock())
        params = {subject: self.current_params(subject) for subject in {s for s, _ in fresh}}
        applied = late = 0
        for key, events in sorted(fresh.items()):
            n, n_late = self._apply_point(tenant_id, student_id, key, events, records.get(key), params[key[0]])
            applied += n
            late += n_late
        return ApplyResult(applied, total - applied, late, archive_key)

    def _apply_point(self, tenant_id: str, student_id: str, key: tuple[str, str], events: list[AnswerEvent],
                     current: MasteryState | None, params: ParamSet) -> tuple[int, int]:
        """One conditional write per point; on a conflict, read again and apply what is still new."""
        subject, point_id = key
        for attempt in range(MAX_ATTEMPTS):
            if attempt:
                current = self._mastery.get(tenant_id, student_id, subject, point_id)
                events = _new(current, events)
                if not events:
                    return 0, 0
            after = replay(current, events, params.for_point(point_id), params_version=params.version,
                           tenant_id=tenant_id, now=self._clock())
            try:
                self._mastery.commit(current, after)
            except ConcurrentUpdateError:
                continue
            late = 0 if current is None else sum(e.answered_at < current.last_answered_at for e in events)
            return len(events), late
        raise ConcurrentUpdateError(f"{tenant_id}/{student_id}/{subject}/{point_id}: still contended after "
                                    f"{MAX_ATTEMPTS} attempts")

    # ------------------------------------------------------------------ reading (API)
    def _records(self, tenant: Tenant | None, student_id: str, subject: str | None) -> list[MasteryState]:
        tenant = require_education(tenant)
        return self._mastery.list(tenant.tenant_id, check_student_id(student_id), subject)

    def mastery(self, tenant: Tenant | None, student_id: str, subject: Any = None) -> dict[str, Any]:
        """Every point the learner has answered (of one subject, or all), with its raw figures."""
        chosen = check_subject(subject, required=False)
        records = self._records(tenant, student_id, chosen)
        return {
            "student_id": student_id,
            "subject": chosen,
            "points": [r.to_dict() for r in sorted(records, key=lambda r: (r.subject, r.point_id))],
        }

    def diagnosis(self, tenant: Tenant | None, student_id: str, subject: Any, lang: str) -> dict[str, Any]:
        """Mastery per point, weak points with their reasons and a next-step plan.

        A learner with no answers in the subject (or an id never seen) gets the empty diagnosis:
        nothing assessed, and a plan that starts at the subject's first points.
        """
        chosen = check_subject(subject)
        assert chosen is not None
        records = self._records(tenant, student_id, chosen)
        values = {r.point_id: r.p_known for r in records}
        result = diagnose(values, chosen, lang).to_dict()
        last = max((r.last_answered_at for r in records), default=None)
        versions = sorted({r.params_version for r in records})
        return {
            "student_id": student_id,
            **result,
            "answers": sum(r.answers for r in records),
            "last_answered_at": None if last is None else last.isoformat().replace("+00:00", "Z"),
            "params_versions": versions,
        }

