"""Mastery per (tenant, learner, subject, point), advanced answer by answer with BKT in O(1).

A record carries the ids of the answers applied to it (the most recent ``MAX_APPLIED_IDS``), and
the store writes it only if its version is still the one read: the ids and the estimate change
together, in one conditional write. A redelivered message or a re-posted batch finds its ids in
the record and changes nothing; two consumers racing on one record cannot both win.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from tridesk.education.learning.events import AnswerEvent
from tridesk.education.tracing import BKTParams, update_mastery

# An answer is always applied to the record of its own learner and point, so the record is where its
# id is remembered. 1,000 ids (at most 128 characters each) keep the item far below DynamoDB's 400 kB,
# and no learner answers a thousand more exercises on one point before a client's retry arrives.
MAX_APPLIED_IDS = 1000


@dataclass(frozen=True)
class MasteryState:
    """What we believe about one learner on one point."""

    tenant_id: str
    student_id: str
    subject: str
    point_id: str
    p_known: float
    answers: int
    correct: int
    last_answered_at: datetime
    params_version: str
    updated_at: datetime
    version: int = 1
    applied_ids: tuple[str, ...] = ()

    def has_applied(self, event_id: str) -> bool:
        return event_id in self.applied_ids

    def to_dict(self) -> dict[str, object]:
        return {
            "subject": self.subject,
            "point_id": self.point_id,
            "mastery": round(self.p_known, 6),
            "answers": self.answers,
            "correct": self.correct,
            "last_answered_at": self.last_answered_at.isoformat().replace("+00:00", "Z"),
            "params_version": self.params_version,
        }


def replay(current: MasteryState | None, events: Sequence[AnswerEvent], params: BKTParams, *,
           params_version: str, tenant_id: str, now: datetime) -> MasteryState:
    """The state after ``events`` (one learner, one point, in time order), from ``current`` or the prior."""
    if not events:
        raise ValueError("replay needs at least one answer")
    first = events[0]
    p = params.prior if current is None else current.p_known
    correct = 0
    last = current.last_answered_at if current is not None else first.answered_at
    for event in events:
        p = update_mastery(p, event.correct, params)
        correct += event.correct
        last = max(last, event.answered_at)
    ids = tuple(e.event_id for e in events)
    if current is None:
        return MasteryState(tenant_id, first.student_id, first.subject, first.point_id, p, len(events), correct,
                            last, params_version, now, 1, ids[-MAX_APPLIED_IDS:])
    return replace(current, p_known=p, answers=current.answers + len(events), correct=current.correct + correct,
                   last_answered_at=last, params_version=params_version, updated_at=now,
                   version=current.version + 1, applied_ids=(current.applied_ids + ids)[-MAX_APPLIED_IDS:])


class ConcurrentUpdateError(Exception):
    """The record changed since it was read: read it again and retry."""


class MasteryStore(Protocol):
    """Mastery records, each with the ids of the answers applied to it."""

    def get(self, tenant_id: str, student_id: str, subject: str, point_id: str) -> MasteryState | None: ...

    def get_many(self, tenant_id: str, student_id: str,
                 keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], MasteryState | None]:
        """The records of (subject, point) ``keys`` in one round trip (None where there is none yet)."""
        ...

    def commit(self, before: MasteryState | None, after: MasteryState) -> None:
        """Write ``after`` if the stored record is still ``before`` (absent when None), else
        ``ConcurrentUpdateError``."""
        ...

    def list(self, tenant_id: str, student_id: str, subject: str | None = None) -> list[MasteryState]:
        """The learner's records (``applied_ids`` left out), of one subject or all."""
        ...
