"""Bayesian Knowledge Tracing: the parameters of one knowledge point and the O(1) online update.

A learner either knows a point (state 1) or not (state 0). Before the first answer P(known) is
``prior``; after each answer the state may move from unknown to known with probability ``learn``
(and back with ``forget``); an answer is correct with probability ``1 - slip`` when the point is
known and ``guess`` when it is not.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from tridesk.core.errors import ValidationError

MAX_GUESS = 0.5
MAX_SLIP = 0.5
_PARAM_NAMES = ("prior", "learn", "guess", "slip", "forget")


@dataclass(frozen=True, slots=True)
class BKTParams:
    """The five BKT probabilities of one knowledge point (``forget`` is 0 in standard BKT)."""

    prior: float
    learn: float
    guess: float
    slip: float
    forget: float = 0.0

    def __post_init__(self) -> None:
        for name in _PARAM_NAMES:
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0.0 <= value <= 1.0:
                raise ValidationError(f"{name} must be a probability in [0, 1], got {value!r}", field=name)
        if self.guess >= MAX_GUESS:
            raise ValidationError(f"guess must be below {MAX_GUESS}, got {self.guess}", field="guess")
        if self.slip >= MAX_SLIP:
            raise ValidationError(f"slip must be below {MAX_SLIP}, got {self.slip}", field="slip")

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, field: str = "params") -> BKTParams:
        """Build from a JSON object; missing ``forget`` means 0, other missing keys are errors."""
        if not isinstance(data, Mapping):
            raise ValidationError("parameters must be an object", field=field)
        values: dict[str, float] = {}
        for name in _PARAM_NAMES:
            raw = data.get(name, 0.0 if name == "forget" else None)
            if raw is None:
                raise ValidationError(f"missing parameter {name!r}", field=f"{field}.{name}")
            if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
                raise ValidationError(f"{name} must be a number, got {raw!r}", field=f"{field}.{name}")
            values[name] = float(raw)
        try:
            return cls(**values)
        except ValidationError as exc:
            raise ValidationError(exc.message, field=f"{field}.{exc.field}") from None


def predict_correct(p_known: float, params: BKTParams) -> float:
    """Probability that the next answer is correct when P(known) is ``p_known``."""
    return p_known * (1.0 - params.slip) + (1.0 - p_known) * params.guess


def update_mastery(p_known: float, correct: bool, params: BKTParams) -> float:
    """P(known) at the next opportunity after observing one answer: Bayes' rule, then learning. O(1)."""
    if correct:
        known = p_known * (1.0 - params.slip)
        evidence = known + (1.0 - p_known) * params.guess
    else:
        known = p_known * params.slip
        evidence = known + (1.0 - p_known) * (1.0 - params.guess)
    posterior = known / evidence if evidence > 0.0 else p_known
    return posterior * (1.0 - params.forget) + (1.0 - posterior) * params.learn


def trace(answers: Iterable[bool], params: BKTParams, p_known: float | None = None) -> tuple[list[float], float]:
    """Replay one learner's answers: the predicted correctness before each answer and the final mastery."""
    p = params.prior if p_known is None else p_known
    predictions: list[float] = []
    for correct in answers:
        predictions.append(predict_correct(p, params))
        p = update_mastery(p, bool(correct), params)
    return predictions, p
