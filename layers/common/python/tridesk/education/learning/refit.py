"""The nightly refit: archived answers in, a new parameter version per subject out.

Two steps, each a Step Functions task (``statemachines/refit_bkt.asl.json``):

1. ``collect``: read the answers archived in the window (default 180 days), drop repeats of an
   event id (an answer may be archived twice when its message was retried), and write one
   snapshot per subject, rows in time order per learner. Subjects with no answers are left out;
   no subject at all is the workflow's "no data" path, which keeps every current version.
2. ``fit``: fit the subject's points with enough answers (EM with random restarts, guess and
   slip bounded below 0.5); the other points keep their current parameters. Publish the
   version (document, then pointer), unless the subject has too few answers in all
   (``NotEnoughDataError``: the workflow keeps the current version).

Errors are told apart by class name in the workflow's ``Retry``/``Catch``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from tridesk.core.errors import ValidationError
from tridesk.education.knowledge import subjects
from tridesk.education.learning.events import AnswerEvent
from tridesk.education.learning.params import ParamSet, ParamsStore, default_params
from tridesk.education.tracing import fit_detailed

Row = dict[str, Any]


class NotEnoughDataError(Exception):
    """Too few answers to refit a subject: its current version stays."""


class ArchiveUnavailableError(Exception):
    """The archive could not be read right now (retried by the workflow)."""


class RefitArchive(Protocol):
    def answers(self, since: datetime) -> Iterator[tuple[str, AnswerEvent]]:
        """(tenant id, answer) of every answer archived since ``since``, in no particular order."""
        ...

    def put_snapshot(self, run_id: str, subject: str, rows: Sequence[Row]) -> str: ...

    def snapshot(self, key: str) -> list[Row]: ...


@dataclass(frozen=True)
class RefitConfig:
    window_days: int = 180
    min_answers: int = 50
    min_point_answers: int = 20
    restarts: int = 5
    max_iter: int = 100
    seed: int = 0


def _rows(answers: list[tuple[str, AnswerEvent]]) -> list[Row]:
    ordered = sorted(answers, key=lambda a: (a[1].answered_at, a[1].event_id))
    return [
        {"order_id": i, "user_id": f"{tenant}/{e.student_id}", "skill_name": e.point_id, "correct": int(e.correct)}
        for i, (tenant, e) in enumerate(ordered)
    ]


def collect(archive: RefitArchive, run_id: str, *, config: RefitConfig = RefitConfig(),
            now: datetime | None = None, only: Collection[str] | None = None) -> dict[str, Any]:
    """Snapshot the archived answers per subject (de-duplicated by tenant and event id).

    ``only`` restricts the refit to some subjects (an operator's on-demand run); None means all.
    """
    now = now or datetime.now(timezone.utc)
    since = now - timedelta(days=config.window_days)
    seen: set[tuple[str, str]] = set()
    per_subject: dict[str, list[tuple[str, AnswerEvent]]] = {}
    duplicates = 0
    for tenant_id, event in archive.answers(since):
        if only is not None and event.subject not in only:
            continue
        key = (tenant_id, event.event_id)
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        per_subject.setdefault(event.subject, []).append((tenant_id, event))
    found = []
    for subject in sorted(per_subject):
        answers = per_subject[subject]
        rows = _rows(answers)
        found.append({
            "run_id": run_id,
            "subject": subject,
            "answers_key": archive.put_snapshot(run_id, subject, rows),
            "answers": len(rows),
            "students": len({r["user_id"] for r in rows}),
        })
    return {
        "run_id": run_id,
        "since": since.isoformat(),
        "subjects": found,
        "subject_count": len(found),
        "duplicates_dropped": duplicates,
    }


def version_id(now: datetime, run_id: str) -> str:
    """Versions sort by time: ``20261126T180000Z-<run>``."""
    safe = "".join(c for c in run_id if c.isalnum())[-12:] or "run"
    return f"{now.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}-{safe}"


def fit_subject(subject: str, rows: Sequence[Row], previous: ParamSet, *, run_id: str,
                config: RefitConfig = RefitConfig(), now: datetime | None = None) -> ParamSet:
    """A new version: points with at least ``min_point_answers`` answers refitted, the rest carried over."""
    if subject not in subjects():
        raise ValidationError(f"unknown subject {subject!r}", field="subject")
    now = now or datetime.now(timezone.utc)
    if len(rows) < config.min_answers:
        raise NotEnoughDataError(f"{subject}: {len(rows)} answers, at least {config.min_answers} needed")
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["skill_name"]] = counts.get(row["skill_name"], 0) + 1
    enough = {p for p, n in counts.items() if n >= config.min_point_answers}
    if not enough:
        raise NotEnoughDataError(f"{subject}: no point has {config.min_point_answers} answers yet")
    result = fit_detailed([r for r in rows if r["skill_name"] in enough], restarts=config.restarts,
                          max_iter=config.max_iter, seed=config.seed, init=dict(previous.params))
    base = default_params(subject)
    params = dict(base.params)
    sources = dict(base.sources)
    for point_id, value in previous.params.items():
        if point_id in params:
            params[point_id] = value
            sources[point_id] = "default" if previous.sources.get(point_id) == "default" else "previous"
    for point_id, value in result.params.items():
        params[point_id] = value
        sources[point_id] = "fitted"
    return ParamSet(
        subject=subject,
        version=version_id(now, run_id),
        params=params,
        sources=sources,
        fitted_at=now.isoformat(),
        answers=len(rows),
        students=len({r["user_id"] for r in rows}),
        log_likelihood=round(sum(result.log_likelihood.values()), 6),
    )


def refit(store: ParamsStore, archive: RefitArchive, subject: str, *, run_id: str, answers_key: str | None = None,
          config: RefitConfig = RefitConfig(), now: datetime | None = None) -> dict[str, Any]:
    """Fit one subject from its snapshot (or straight from the archive) and publish the version."""
    if answers_key is None:
        collected = collect(archive, run_id, config=config, now=now, only={subject})
        found = collected["subjects"]
        if not found:
            raise NotEnoughDataError(f"{subject}: no archived answers in the last {config.window_days} days")
        answers_key = found[0]["answers_key"]
    rows = archive.snapshot(answers_key)
    pointer = store.current(subject)
    previous = store.load(pointer) if pointer is not None else default_params(subject)
    fitted = fit_subject(subject, rows, previous, run_id=run_id, config=config, now=now)
    published = store.publish(fitted)
    return {
        "subject": subject,
        "version": fitted.version,
        "previous_version": previous.version,
        "published": published,
        "answers": fitted.answers,
        "students": fitted.students,
        "log_likelihood": fitted.log_likelihood,
        "fitted_points": sorted(p for p, s in fitted.sources.items() if s == "fitted"),
    }
