"""Rule updates and the expert review loop: impact of a new ruleset, weekly samples, per-rule precision/recall."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from tridesk.core.errors import ValidationError
from tridesk.core.i18n import Lang

from .scanner import Ruleset

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ImpactChange:
    """One stored text whose verdict or findings differ between two rulesets."""

    id: str
    old_verdict: str
    new_verdict: str
    added_rules: tuple[str, ...]
    removed_rules: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "old_verdict": self.old_verdict,
            "new_verdict": self.new_verdict,
            "added_rules": list(self.added_rules),
            "removed_rules": list(self.removed_rules),
        }


@dataclass(frozen=True)
class ImpactReport:
    """What activating ``new_version`` would change, over the texts checked."""

    old_version: str
    new_version: str
    total: int
    changes: tuple[ImpactChange, ...]
    transitions: Mapping[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "total": self.total,
            "changed": len(self.changes),
            "transitions": dict(self.transitions),
            "changes": [c.to_dict() for c in self.changes],
        }


def impact(
    old: Ruleset, new: Ruleset, texts: Mapping[str, str] | Sequence[str], lang: Lang = "zh"
) -> ImpactReport:
    """Scan each text (reply templates, recent replies) with both rulesets; report those that change.

    ``texts`` is ``{id: text}`` or a list (ids are then the positions). A change is a different
    verdict or a different set of (rule id, span) findings.
    """
    items = texts.items() if isinstance(texts, Mapping) else ((str(i), t) for i, t in enumerate(texts))
    changes: list[ImpactChange] = []
    transitions: Counter[str] = Counter()
    total = 0
    for key, text in items:
        total += 1
        a, b = old.scan(text, lang), new.scan(text, lang)
        fa = {(f.rule_id, f.span) for f in a.findings}
        fb = {(f.rule_id, f.span) for f in b.findings}
        if a.verdict == b.verdict and fa == fb:
            continue
        if a.verdict != b.verdict:
            transitions[f"{a.verdict}->{b.verdict}"] += 1
        changes.append(
            ImpactChange(
                id=str(key),
                old_verdict=a.verdict,
                new_verdict=b.verdict,
                added_rules=tuple(sorted(b.rule_ids - a.rule_ids)),
                removed_rules=tuple(sorted(a.rule_ids - b.rule_ids)),
            )
        )
    return ImpactReport(old.version, new.version, total, tuple(changes), dict(transitions))


def sample_for_review(items: Sequence[T], size: int = 200, seed: str = "", key: Any = None) -> list[T]:
    """A deterministic sample of ``size`` replies for the officers (same seed -> same sample).

    ``key(item)`` gives a stable id (default: ``item["id"]``); ordering by a keyed hash makes the
    sample uniform, reproducible for audit, and stable when items are appended.
    """
    if size < 0:
        raise ValidationError("size must not be negative", field="size")
    get = key or (lambda item: item["id"])

    def rank(item: T) -> bytes:
        return hashlib.blake2b(f"{seed}\x00{get(item)}".encode(), digest_size=8).digest()

    return sorted(items, key=rank)[:size]


@dataclass(frozen=True, slots=True)
class RuleStats:
    """How one rule fares against the officers' labels."""

    rule_id: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
        }


def precision_recall_per_rule(labels: Iterable[Mapping[str, Iterable[str]]]) -> dict[str, RuleStats]:
    """Per-rule precision and recall from officer labels.

    Each label is ``{"predicted": [rule ids the scanner reported], "confirmed": [rule ids the
    officer says apply]}``; an officer may confirm a rule the scanner missed (a false negative).
    """
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for i, label in enumerate(labels):
        try:
            predicted, confirmed = set(label["predicted"]), set(label["confirmed"])
        except (KeyError, TypeError) as exc:
            raise ValidationError("a label needs 'predicted' and 'confirmed' lists", field=f"labels[{i}]") from exc
        for r in predicted & confirmed:
            tp[r] += 1
        for r in predicted - confirmed:
            fp[r] += 1
        for r in confirmed - predicted:
            fn[r] += 1
    ids = sorted(set(tp) | set(fp) | set(fn))
    return {r: RuleStats(r, tp[r], fp[r], fn[r]) for r in ids}
