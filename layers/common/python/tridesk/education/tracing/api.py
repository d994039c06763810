"""Fit BKT parameters from answer logs and predict answers: the entry points on top of the EM engine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tridesk.core.errors import ValidationError
from tridesk.education.tracing import em
from tridesk.education.tracing.model import MAX_GUESS, MAX_SLIP, BKTParams

COLUMNS = ("order_id", "user_id", "skill_name", "correct")


@dataclass
class Answers:
    """Answer rows as columns, in input order. ``time_order`` is the order the model replays them in."""

    order_ids: list[str]
    users: list[str]
    skills: list[str]
    correct: NDArray[np.bool_]
    extra: dict[str, list[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.correct.shape[0])

    def time_order(self) -> NDArray[np.int64]:
        """Rows sorted stably by ``order_id`` when every id is an integer (as pyBKT does), else as given."""
        try:
            keys = np.array([int(x) for x in self.order_ids], dtype=np.int64)
        except (TypeError, ValueError):
            return np.arange(len(self), dtype=np.int64)
        if keys.shape[0] != len(self):
            return np.arange(len(self), dtype=np.int64)
        return np.argsort(keys, kind="stable")


def _parse_correct(value: Any, field_name: str) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)) and value in (0, 1):
        return bool(value)
    if isinstance(value, (float, np.floating)) and value in (0.0, 1.0):
        return bool(value)
    if isinstance(value, str) and value.strip() in ("0", "1"):
        return value.strip() == "1"
    raise ValidationError(f"correct must be 0 or 1, got {value!r}", field=field_name)


def _parse_text(value: Any, field_name: str, column: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        raise ValidationError(f"{column} is missing", field=field_name)
    text = str(value).strip()
    if not text:
        raise ValidationError(f"{column} is empty", field=field_name)
    return text


def answers_from(data: Any) -> Answers:
    """Accept ``Answers``, a mapping of columns (a dict of lists or a DataFrame) or an iterable of row dicts.

    Required: ``user_id``, ``skill_name``, ``correct`` (0/1); ``order_id`` is optional.
    Bad values raise ``ValidationError`` with ``field="rows[i].column"`` (i counts from 0).
    """
    if isinstance(data, Answers):
        return data
    if isinstance(data, Mapping) or (hasattr(data, "columns") and hasattr(data, "__getitem__")):
        names = list(data.keys()) if isinstance(data, Mapping) else list(data.columns)
        for column in COLUMNS[1:]:
            if column not in names:
                raise ValidationError(f"missing column {column!r}", field=column)
        columns = {c: list(data[c]) for c in COLUMNS if c in names}
        n = len(columns["correct"])
        rows: Iterable[Mapping[str, Any]] = (
            {c: values[i] for c, values in columns.items()} for i in range(n)
        )
    else:
        rows = data
    order_ids: list[str] = []
    users: list[str] = []
    skills: list[str] = []
    correct: list[bool] = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise ValidationError("each row must be an object with the answer columns", field=f"rows[{i}]")
        order = row.get("order_id", i)
        order_ids.append(str(i) if order is None else str(order))
        users.append(_parse_text(row.get("user_id"), f"rows[{i}].user_id", "user_id"))
        skills.append(_parse_text(row.get("skill_name"), f"rows[{i}].skill_name", "skill_name"))
        correct.append(_parse_correct(row.get("correct"), f"rows[{i}].correct"))
    return Answers(order_ids, users, skills, np.array(correct, dtype=bool))


def _encode(values: Sequence[str], vocabulary: Sequence[str] | None = None) -> tuple[list[str], NDArray[np.int64]]:
    names = sorted(set(values)) if vocabulary is None else list(vocabulary)
    index = {name: k for k, name in enumerate(names)}
    return names, np.array([index[v] for v in values], dtype=np.int64)


@dataclass
class FitResult:
    """Fitted parameters per skill and the diagnostics of the fit."""

    params: dict[str, BKTParams]
    log_likelihood: dict[str, float]
    answers: dict[str, int]
    iterations: int
    converged: bool
    history: list[float]


def fit_detailed(data: Any, *, restarts: int = 5, max_iter: int = 100, tol: float = 1e-3, forgets: bool = False,
                 seed: int = 0, init: Mapping[str, BKTParams] | None = None, progress: em.Progress | None = None,
                 max_guess: float = MAX_GUESS, max_slip: float = MAX_SLIP) -> FitResult:
    """Fit every skill by EM with ``restarts`` random starting points (plus ``init`` when given).

    ``tol`` is the absolute change of a skill's log-likelihood under which EM stops (pyBKT uses 0.005).
    """
    answers = answers_from(data)
    if len(answers) == 0:
        raise ValidationError("no answers to fit", field="rows")
    if restarts < 1 and not init:
        raise ValidationError("restarts must be at least 1", field="restarts")
    order = answers.time_order()
    skill_names, skill_codes = _encode(answers.skills)
    _, user_codes = _encode(answers.users)
    layout = em.build_layout(user_codes[order], skill_codes[order], answers.correct[order], len(skill_names))
    rng = np.random.default_rng(seed)
    start = em.random_init(rng, max(restarts, 0), len(skill_names), fit_forget=forgets, max_guess=max_guess,
                           max_slip=max_slip)
    if init:
        given = {name: np.empty((1, len(skill_names))) for name in em.PARAMS}
        for k, skill in enumerate(skill_names):
            p = init.get(skill) or BKTParams(prior=0.5, learn=0.1, guess=0.2, slip=0.1)
            for name in em.PARAMS:
                given[name][0, k] = getattr(p, name)
        start = {name: np.concatenate([given[name], start[name]]) for name in em.PARAMS}
    result = em.run_em(layout, start, fit_forget=forgets, max_iter=max_iter, tol=tol, progress=progress,
                       max_guess=max_guess, max_slip=max_slip)
    params = {
        skill: BKTParams(**{name: float(result.params[name][k]) for name in em.PARAMS})
        for k, skill in enumerate(skill_names)
    }
    return FitResult(
        params=params,
        log_likelihood={s: float(result.log_likelihood[k]) for k, s in enumerate(skill_names)},
        answers={s: int(layout.answers_per_skill[k]) for k, s in enumerate(skill_names)},
        iterations=result.iterations,
        converged=result.converged,
        history=result.history,
    )


def fit(data: Any, **options: Any) -> dict[str, BKTParams]:
    """Fit BKT parameters per skill from answer rows (see ``answers_from`` and ``fit_detailed``)."""
    return fit_detailed(data, **options).params


@dataclass
class Predictions:
    """Per input row: P(correct) given the earlier rows of that learner and skill, and P(known) after it."""

    correct: NDArray[np.float64]
    mastery: NDArray[np.float64]


def predict(data: Any, params: Mapping[str, BKTParams]) -> Predictions:
    """Replay the answers through the fitted models; every skill must have parameters."""
    answers = answers_from(data)
    for i, skill in enumerate(answers.skills):
        if skill not in params:
            raise ValidationError(f"no parameters for skill {skill!r}", field=f"rows[{i}].skill_name")
    if len(answers) == 0:
        return Predictions(np.zeros(0), np.zeros(0))
    order = answers.time_order()
    skill_names = sorted(set(answers.skills))
    _, skill_codes = _encode(answers.skills, skill_names)
    _, user_codes = _encode(answers.users)
    layout = em.build_layout(user_codes[order], skill_codes[order], answers.correct[order], len(skill_names))
    arrays = {name: np.array([getattr(params[s], name) for s in skill_names]) for name in em.PARAMS}
    correct, mastery = em.predict_flat(layout, arrays)
    out_correct = np.empty(len(answers))
    out_mastery = np.empty(len(answers))
    out_correct[order] = correct
    out_mastery[order] = mastery
    return Predictions(out_correct, out_mastery)
