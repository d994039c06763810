"""Answer events: what a learner answered, validated at the API and carried through the queue.

``POST /v1/learning/events`` takes a batch of events; each is validated against the shipped
knowledge graphs (an unknown subject or point is a 400 naming ``events[i].<field>``). Events that
repeat an ``event_id`` within the batch collapse to one (a different event under a reused id is a
409 naming it). Valid events are grouped per learner into queue messages (``LearningMessage``), so one
message holds a learner's answers in time order and the consumer applies them in one pass.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from tridesk.core.errors import ConflictError, ValidationError
from tridesk.core.tenants import TENANT_ID
from tridesk.education.knowledge import load_graph, subjects

MAX_BATCH = 500
EVENTS_PER_MESSAGE = 100
ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
MESSAGE_KIND = "learning.answers"


@dataclass(frozen=True, slots=True)
class AnswerEvent:
    """One answer of one learner to one exercise on one knowledge point."""

    event_id: str
    student_id: str
    subject: str
    point_id: str
    correct: bool
    answered_at: datetime
    item_id: str | None = None

    def sort_key(self) -> tuple[datetime, str]:
        """Time order; the event id breaks ties so every replay sees the same order."""
        return (self.answered_at, self.event_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "student_id": self.student_id,
            "subject": self.subject,
            "point_id": self.point_id,
            "correct": self.correct,
            "answered_at": _iso(self.answered_at),
            "item_id": self.item_id,
        }


def _iso(value: datetime) -> str:
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _id(raw: Mapping[str, Any], name: str, where: str, *, required: bool = True,
        pattern: re.Pattern[str] = ID_PATTERN) -> str | None:
    value = raw.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not pattern.match(value):
        raise ValidationError(f"{name} is required: 1-128 letters, digits or ._:- (pattern {pattern.pattern})",
                              field=f"{where}.{name}")
    return value


def _time(value: Any, where: str) -> datetime:
    if not isinstance(value, str) or not RFC3339.match(value):
        raise ValidationError("answered_at must be an RFC 3339 time with a time zone, e.g. "
                              "2026-11-26T08:00:00+08:00", field=where)
    try:
        text = re.sub(r"(\.\d{6})\d+", r"\1", value.upper().replace("Z", "+00:00"))  # beyond microseconds
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError("answered_at is not a valid time", field=where) from None
    return parsed.astimezone(timezone.utc)


def parse_event(raw: Any, where: str = "event") -> AnswerEvent:
    """Validate one answer event; ``ValidationError.field`` is ``<where>.<field>``."""
    if not isinstance(raw, Mapping):
        raise ValidationError("each event must be an object", field=where)
    event_id = _id(raw, "event_id", where)
    student_id = _id(raw, "student_id", where, pattern=STUDENT_ID)
    subject = raw.get("subject")
    if not isinstance(subject, str) or subject not in subjects():
        raise ValidationError(f"unknown subject {subject!r}; known: {', '.join(subjects())}", field=f"{where}.subject")
    point_id = raw.get("point_id")
    if not isinstance(point_id, str) or point_id not in load_graph(subject):
        raise ValidationError(f"unknown knowledge point {point_id!r} in {subject}", field=f"{where}.point_id")
    correct = raw.get("correct")
    if not isinstance(correct, bool):
        raise ValidationError("correct must be true or false", field=f"{where}.correct")
    answered_at = _time(raw.get("answered_at"), f"{where}.answered_at")
    item_id = _id(raw, "item_id", where, required=False)
    assert event_id is not None and student_id is not None
    return AnswerEvent(event_id, student_id, subject, point_id, correct, answered_at, item_id)


@dataclass(frozen=True)
class Batch:
    """A validated batch: the distinct events and how many repeats collapsed into them."""

    events: list[AnswerEvent]
    duplicates: int


def parse_batch(body: Any, *, max_batch: int = MAX_BATCH) -> Batch:
    """Validate ``{"events": [...]}``; repeats of an event id collapse, a conflicting repeat is a 409."""
    if not isinstance(body, Mapping):
        raise ValidationError("the body must be an object with an events list", field="body")
    raw_events = body.get("events")
    if not isinstance(raw_events, list) or not raw_events:
        raise ValidationError("events must be a non-empty list", field="events")
    if len(raw_events) > max_batch:
        raise ValidationError(f"at most {max_batch} events per batch, got {len(raw_events)}", field="events")
    seen: dict[str, AnswerEvent] = {}
    duplicates = 0
    for i, raw in enumerate(raw_events):
        event = parse_event(raw, f"events[{i}]")
        first = seen.get(event.event_id)
        if first is None:
            seen[event.event_id] = event
        elif first == event:
            duplicates += 1
        else:
            raise ConflictError(
                f"event_id {event.event_id!r} is used by two different events in this batch",
                field=f"events[{i}].event_id",
            )
    return Batch(list(seen.values()), duplicates)


@dataclass(frozen=True)
class LearningMessage:
    """One queue message: answers of one learner of one tenant, in time order."""

    tenant_id: str
    student_id: str
    events: list[AnswerEvent] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": MESSAGE_KIND,
                "tenant_id": self.tenant_id,
                "student_id": self.student_id,
                "events": [
                    {k: v for k, v in e.to_dict().items() if k != "student_id"} for e in self.events
                ],
            },
            ensure_ascii=False,
            sort_keys=True,
        )


def to_messages(tenant_id: str, events: Iterable[AnswerEvent],
                per_message: int = EVENTS_PER_MESSAGE) -> list[LearningMessage]:
    """Group events per learner, in time order, at most ``per_message`` per message."""
    by_student: dict[str, list[AnswerEvent]] = {}
    for event in events:
        by_student.setdefault(event.student_id, []).append(event)
    messages = []
    for student_id in sorted(by_student):
        ordered = sorted(by_student[student_id], key=AnswerEvent.sort_key)
        for start in range(0, len(ordered), per_message):
            messages.append(LearningMessage(tenant_id, student_id, ordered[start:start + per_message]))
    return messages


def parse_message(body: Any) -> LearningMessage:
    """Validate a queue message (a poisoned one raises ``ValidationError`` and is dead-lettered)."""
    if isinstance(body, (str, bytes)):
        try:
            body = json.loads(body)
        except ValueError:
            raise ValidationError("the message is not JSON", field="body") from None
    if not isinstance(body, Mapping) or body.get("kind") != MESSAGE_KIND:
        raise ValidationError(f"not a {MESSAGE_KIND} message", field="kind")
    tenant_id = body.get("tenant_id")
    if not isinstance(tenant_id, str) or not TENANT_ID.match(tenant_id):
        raise ValidationError("tenant_id is missing or malformed", field="tenant_id")
    student_id = body.get("student_id")
    if not isinstance(student_id, str) or not STUDENT_ID.match(student_id):
        raise ValidationError("student_id is missing or malformed", field="student_id")
    raw_events = body.get("events")
    if not isinstance(raw_events, list) or not raw_events:
        raise ValidationError("events must be a non-empty list", field="events")
    events = [
        parse_event({**raw, "student_id": student_id} if isinstance(raw, Mapping) else raw, f"events[{i}]")
        for i, raw in enumerate(raw_events)
    ]
    return LearningMessage(tenant_id, student_id, sorted(events, key=AnswerEvent.sort_key))
