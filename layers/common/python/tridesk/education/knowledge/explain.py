"""Why a learner fails a point: the hybrid rule of BKT mastery for simple points and missing
prerequisites for complex ones, with bilingual explanations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from tridesk.core.errors import ValidationError
from tridesk.core.i18n import BiText
from tridesk.education.knowledge.graph import KnowledgeGraph

Level = Literal["mastered", "shaky", "weak", "unassessed"]
Method = Literal["bkt", "prerequisites"]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Mastery bands: ``>= mastered`` is mastered, ``< weak`` is weak, in between is shaky."""

    mastered: float = 0.8
    weak: float = 0.6

    def __post_init__(self) -> None:
        if not 0.0 < self.weak <= self.mastered <= 1.0:
            raise ValidationError("thresholds need 0 < weak <= mastered <= 1", field="thresholds")

    def level(self, mastery: float | None) -> Level:
        if mastery is None:
            return "unassessed"
        if mastery >= self.mastered:
            return "mastered"
        return "weak" if mastery < self.weak else "shaky"


DEFAULT_THRESHOLDS = Thresholds()


def check_mastery(graph: KnowledgeGraph, mastery: object) -> dict[str, float]:
    """Validate ``{point_id: probability}`` against the graph; errors name ``mastery.<point_id>``."""
    if not isinstance(mastery, Mapping):
        raise ValidationError("mastery must be an object of point id -> probability", field="mastery")
    clean: dict[str, float] = {}
    for key, value in mastery.items():
        if not isinstance(key, str) or key not in graph:
            raise ValidationError(f"unknown knowledge point {key!r} in {graph.subject}", field=f"mastery.{key}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
            raise ValidationError(f"mastery of {key} must be a number in [0, 1], got {value!r}",
                                  field=f"mastery.{key}")
        clean[key] = float(value)
    return clean


def known_state(graph: KnowledgeGraph, mastery: Mapping[str, float],
                thresholds: Thresholds = DEFAULT_THRESHOLDS) -> set[str]:
    """The learner's knowledge state: points assessed as mastered, plus unassessed points taken as known:
    the prerequisites of any assessed point (a learner working on a point knows what it builds on) and,
    in graded subjects, points of a lower grade than every assessed point."""
    state = {p for p, m in mastery.items() if m >= thresholds.mastered}
    for p in mastery:
        state.update(a for a in graph.ancestors(p) if a not in mastery)
    grades = [graph.points[p].grade for p in mastery if graph.points[p].grade is not None]
    if grades:
        floor = min(grades)
        state.update(p for p, point in graph.points.items()
                     if p not in mastery and point.grade is not None and point.grade < floor)
    return state


@dataclass(frozen=True)
class Explanation:
    """The diagnosis of one point: how it was judged, which prerequisites are missing, and why in words."""

    point_id: str
    method: Method
    mastery: float | None
    level: Level
    missing: tuple[str, ...]
    root_causes: tuple[str, ...]
    text: BiText


def _join(names: Iterable[BiText]) -> BiText:
    items = list(names)
    zh = "、".join(f"「{n.zh}」" for n in items)
    en_names = [n.en for n in items]
    en = en_names[0] if len(en_names) == 1 else ", ".join(en_names[:-1]) + " and " + en_names[-1]
    return BiText(zh, en)


def _percent(m: float | None) -> str:
    return "?" if m is None else f"{round(m * 100)}"


def missing_prerequisites(graph: KnowledgeGraph, point_id: str, mastery: Mapping[str, float],
                          thresholds: Thresholds = DEFAULT_THRESHOLDS) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Direct prerequisites assessed below mastery, and the root causes: the deepest such points
    (not mastered, while none of their own prerequisites is assessed as not mastered)."""

    def gap(p: str) -> bool:
        return p in mastery and mastery[p] < thresholds.mastered

    direct = tuple(p for p in graph.prerequisites(point_id) if gap(p))
    roots: set[str] = set()
    seen: set[str] = set()
    stack = list(direct)
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        below = [r for r in graph.prerequisites(p) if gap(r)]
        if below:
            stack.extend(below)
        else:
            roots.add(p)
    for p in graph.ancestors(point_id):
        if gap(p) and p not in seen and not any(gap(r) for r in graph.prerequisites(p)):
            roots.add(p)
    order = {p: i for i, p in enumerate(graph.topological_order())}
    return direct, tuple(sorted(roots, key=order.__getitem__))


def explain(graph: KnowledgeGraph, point_id: str, mastery: Mapping[str, float],
            thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Explanation:
    """Explain a learner's standing on one point.

    Simple points are judged by their BKT mastery alone. Complex points are explained by their missing
    prerequisites: "fails the quadratic function image because the linear function is not mastered",
    and, when the gap goes deeper, where to start.
    """
    point = graph.point(point_id)
    m = mastery.get(point_id)
    level = thresholds.level(m)
    direct, roots = missing_prerequisites(graph, point_id, mastery, thresholds)
    name = point.name
    if not graph.is_complex(point_id):
        text = BiText(f"「{name.zh}」的掌握度为 {_percent(m)}%（根据答题记录估计）",
                      f"{name.en}: estimated mastery {_percent(m)}% from the learner's answers")
        return Explanation(point_id, "bkt", m, level, direct, roots, text)
    if direct or roots:
        shown = direct or roots
        causes = _join(graph.point(p).name for p in shown)
        which = "the prerequisite {} is" if len(shown) == 1 else "the prerequisites {} are"
        text = BiText(f"「{name.zh}」没有掌握，因为前置知识{causes.zh}尚未掌握",
                      f"Fails {name.en} because {which.format(causes.en)} not mastered")
        deeper = [r for r in roots if r not in direct]
        if deeper:
            start = _join(graph.point(p).name for p in deeper)
            text = BiText(f"{text.zh}；根源在{start.zh}，建议从这里补起",
                          f"{text.en}; the gap starts at {start.en}, so begin there")
    else:
        text = BiText(f"「{name.zh}」的前置知识都已掌握，问题在于综合运用，建议做针对性的综合练习",
                      f"All prerequisites of {name.en} are mastered; the difficulty is in combining them, "
                      f"so practise mixed problems")
    return Explanation(point_id, "prerequisites", m, level, direct, roots, text)
