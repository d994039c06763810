"""Versioned BKT parameters per subject: what the online update uses, and what a refit produces.

A subject has one *current* version. Until a refit has produced one, every point uses the
default parameters (version ``"default"``). A fitted version lists every point of the subject:
points with enough answers carry their fitted parameters, the others keep what they had before
(``source``: ``fitted``, ``previous`` or ``default``), so a refit on thin data never loses anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from tridesk.core.errors import ValidationError
from tridesk.education.knowledge import load_graph
from tridesk.education.tracing import BKTParams

DEFAULT_VERSION = "default"
# Typical values of published BKT fits (and of pyBKT's initialisation ranges): a learner knows a new
# point 30% of the time, learns it with 10% chance per exercise, guesses 20% and slips 10%.
DEFAULT_PARAMS = BKTParams(prior=0.3, learn=0.1, guess=0.2, slip=0.1)


@dataclass(frozen=True)
class ParamSet:
    """One version of a subject's parameters."""

    subject: str
    version: str
    params: Mapping[str, BKTParams]
    sources: Mapping[str, str] = field(default_factory=dict)
    fitted_at: str | None = None
    answers: int = 0
    students: int = 0
    log_likelihood: float | None = None

    def for_point(self, point_id: str) -> BKTParams:
        return self.params.get(point_id, DEFAULT_PARAMS)

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "version": self.version,
            "fitted_at": self.fitted_at,
            "answers": self.answers,
            "students": self.students,
            "log_likelihood": self.log_likelihood,
            "params": {p: v.to_dict() for p, v in sorted(self.params.items())},
            "sources": dict(sorted(self.sources.items())),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ParamSet:
        if not isinstance(data, Mapping) or not isinstance(data.get("params"), Mapping):
            raise ValidationError("a parameter version needs subject, version and params", field="params")
        params = {p: BKTParams.from_dict(v, field=f"params.{p}") for p, v in data["params"].items()}
        ll = data.get("log_likelihood")
        return cls(
            subject=str(data["subject"]),
            version=str(data["version"]),
            params=params,
            sources=dict(data.get("sources") or {}),
            fitted_at=data.get("fitted_at"),
            answers=int(data.get("answers") or 0),
            students=int(data.get("students") or 0),
            log_likelihood=None if ll is None else float(ll),
        )


def default_params(subject: str) -> ParamSet:
    """The default version of a subject: the same textbook parameters for every point."""
    graph = load_graph(subject)
    return ParamSet(
        subject=subject,
        version=DEFAULT_VERSION,
        params={p: DEFAULT_PARAMS for p in graph.points},
        sources={p: "default" for p in graph.points},
    )


@dataclass(frozen=True)
class ParamsPointer:
    """The current version of a subject, as the params table records it."""

    subject: str
    version: str
    fitted_at: str
    answers: int
    students: int
    log_likelihood: float
    params_key: str


class ParamsStore(Protocol):
    """Where versions live: the documents (S3) and the pointer to the current one (DynamoDB)."""

    def current(self, subject: str) -> ParamsPointer | None: ...

    def load(self, pointer: ParamsPointer) -> ParamSet: ...

    def publish(self, params: ParamSet) -> bool:
        """Store the document and move the pointer to it unless a newer version is current."""
        ...
