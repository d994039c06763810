"""The content catalogue: micro-lessons and exercises per knowledge point, and the rules that size a step."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from tridesk.core.errors import ValidationError
from tridesk.core.i18n import BiText
from tridesk.education.knowledge import KnowledgeGraph, load_graph

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "content"
Action = Literal["remediate", "practise", "consolidate", "learn"]
ACTIONS: tuple[str, ...] = ("remediate", "practise", "consolidate", "learn")


@dataclass(frozen=True, slots=True)
class ContentItem:
    """A micro-lesson (with its length in minutes) or an exercise (with a difficulty from 1 to 3)."""

    id: str
    kind: Literal["lesson", "exercise"]
    title: BiText
    minutes: int = 0
    difficulty: int = 1


@dataclass(frozen=True, slots=True)
class PlanRule:
    """What one step holds for a point whose mastery is below ``below``."""

    action: Action
    lesson: bool
    exercises: int
    below: float = 1.0


@dataclass(frozen=True)
class Catalogue:
    """Lessons and exercises of one subject, keyed by knowledge point."""

    subject: str
    rules: tuple[PlanRule, ...]
    new_point: PlanRule
    lessons: Mapping[str, ContentItem]
    exercises: Mapping[str, tuple[ContentItem, ...]]

    def rule_for(self, mastery: float | None) -> PlanRule | None:
        """The first rule whose threshold is above the mastery; ``None`` mastery means a new point."""
        if mastery is None:
            return self.new_point
        return next((r for r in self.rules if mastery < r.below), None)


def _fail(source: str, message: str, field_name: str) -> ValidationError:
    return ValidationError(f"{source}: {message}", field=field_name)


def _rule(raw: Any, source: str, where: str, with_below: bool) -> PlanRule:
    if not isinstance(raw, Mapping) or raw.get("action") not in ACTIONS:
        raise _fail(source, f"{where} needs an action among {', '.join(ACTIONS)}", where)
    exercises = raw.get("exercises", 0)
    if isinstance(exercises, bool) or not isinstance(exercises, int) or exercises < 0:
        raise _fail(source, f"{where}.exercises must be a count", f"{where}.exercises")
    below = raw.get("below", 1.0)
    if with_below and (isinstance(below, bool) or not isinstance(below, (int, float)) or not 0 < below <= 1):
        raise _fail(source, f"{where}.below must be in (0, 1]", f"{where}.below")
    return PlanRule(raw["action"], bool(raw.get("lesson", False)), exercises, float(below))


def _item(raw: Any, kind: Literal["lesson", "exercise"], source: str, where: str) -> ContentItem:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
        raise _fail(source, f"{where} needs an id", where)
    if not all(isinstance(raw.get(k), str) and raw.get(k) for k in ("zh", "en")):
        raise _fail(source, f"{raw['id']}: needs a title in both zh and en", where)
    return ContentItem(raw["id"], kind, BiText(raw["zh"], raw["en"]), int(raw.get("minutes", 0)),
                       int(raw.get("difficulty", 1)))


def build_catalogue(raw: Any, graph: KnowledgeGraph, source: str = "<data>") -> Catalogue:
    """Validate a parsed catalogue against its knowledge graph (unknown point ids name the file and id)."""
    if not isinstance(raw, Mapping) or raw.get("subject") != graph.subject:
        raise _fail(source, f"expected subject {graph.subject!r}", "subject")
    rules_raw = raw.get("plan_rules")
    if not isinstance(rules_raw, list) or not rules_raw:
        raise _fail(source, "missing plan_rules", "plan_rules")
    rules = tuple(_rule(r, source, f"plan_rules[{i}]", True) for i, r in enumerate(rules_raw))
    if any(b.below <= a.below for a, b in zip(rules, rules[1:])):
        raise _fail(source, "plan_rules must be in increasing order of below", "plan_rules")
    new_point = _rule(raw.get("new_point"), source, "new_point", False)
    points = raw.get("points")
    if not isinstance(points, Mapping):
        raise _fail(source, "missing points", "points")
    lessons: dict[str, ContentItem] = {}
    exercises: dict[str, tuple[ContentItem, ...]] = {}
    seen: set[str] = set()
    for pid, entry in points.items():
        if pid not in graph:
            raise _fail(source, f"unknown knowledge point {pid!r}", f"points.{pid}")
        if not isinstance(entry, Mapping):
            raise _fail(source, f"{pid}: expected lesson and exercises", f"points.{pid}")
        items = []
        if entry.get("lesson") is not None:
            lessons[pid] = _item(entry["lesson"], "lesson", source, f"points.{pid}.lesson")
            items.append(lessons[pid])
        listed = entry.get("exercises") or []
        if not isinstance(listed, list):
            raise _fail(source, f"{pid}: exercises must be a list", f"points.{pid}.exercises")
        exercises[pid] = tuple(_item(e, "exercise", source, f"points.{pid}.exercises[{i}]")
                               for i, e in enumerate(listed))
        for item in (*items, *exercises[pid]):
            if item.id in seen:
                raise _fail(source, f"duplicate content id {item.id!r}", f"points.{pid}")
            seen.add(item.id)
    return Catalogue(graph.subject, rules, new_point, lessons, exercises)


@cache
def load_catalogue(subject: str) -> Catalogue:
    """The shipped catalogue of a subject (cached), validated against its knowledge graph."""
    graph = load_graph(subject)
    path = DATA_DIR / f"{subject}.yaml"
    if not path.exists():
        raise ValidationError(f"no content catalogue for subject {subject!r}", field="subject")
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return build_catalogue(raw, graph, str(path))
