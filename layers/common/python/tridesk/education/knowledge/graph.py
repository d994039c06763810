"""Knowledge spaces: prerequisite graphs of knowledge points, validated when loaded.

A learner's knowledge state is the set of points they master. With a prerequisite (surmise)
relation, the points ready to learn next are the *outer fringe*: not mastered, every prerequisite
mastered. A weakness on a point is explained by its prerequisites that are not mastered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tridesk.core.errors import NotFoundError, ValidationError
from tridesk.core.i18n import BiText

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "knowledge"


@dataclass(frozen=True, slots=True)
class KnowledgePoint:
    """One point: its id, bilingual name, school grade (if any) and direct prerequisites."""

    id: str
    name: BiText
    requires: tuple[str, ...]
    grade: int | None = None
    complex: bool | None = None


@dataclass(frozen=True)
class KnowledgeGraph:
    """The points of one subject, their prerequisites and the rule that tells complex points apart."""

    subject: str
    name: BiText
    points: Mapping[str, KnowledgePoint]
    min_prerequisites: int = 3
    min_depth: int = 7
    source: str = ""
    _order: tuple[str, ...] = field(default=(), repr=False)
    _depth: Mapping[str, int] = field(default_factory=dict, repr=False)
    _dependents: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def __contains__(self, point_id: object) -> bool:
        return point_id in self.points

    def point(self, point_id: str) -> KnowledgePoint:
        try:
            return self.points[point_id]
        except KeyError:
            raise NotFoundError(f"unknown knowledge point {point_id!r} in {self.subject}", field="point_id") from None

    def prerequisites(self, point_id: str) -> tuple[str, ...]:
        return self.point(point_id).requires

    def dependents(self, point_id: str) -> tuple[str, ...]:
        """Points that list ``point_id`` as a direct prerequisite."""
        self.point(point_id)
        return self._dependents.get(point_id, ())

    def ancestors(self, point_id: str) -> set[str]:
        """Every point ``point_id`` depends on, directly or not."""
        seen: set[str] = set()
        stack = list(self.prerequisites(point_id))
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self.points[current].requires)
        return seen

    def depth(self, point_id: str) -> int:
        """Length of the longest prerequisite chain below the point (0 for a root)."""
        self.point(point_id)
        return self._depth[point_id]

    def topological_order(self) -> tuple[str, ...]:
        """All points, every prerequisite before the points that need it (ties by grade, then file order)."""
        return self._order

    def is_complex(self, point_id: str) -> bool:
        """The hybrid rule: complex points are diagnosed through their prerequisites, simple ones by BKT."""
        p = self.point(point_id)
        if p.complex is not None:
            return p.complex
        return len(p.requires) >= self.min_prerequisites or self._depth[point_id] >= self.min_depth

    def outer_fringe(self, mastered: Iterable[str]) -> list[str]:
        """Points ready to learn: not mastered, and every direct prerequisite mastered (in teaching order)."""
        known = set(mastered)
        return [p for p in self._order if p not in known and all(r in known for r in self.points[p].requires)]

    def inner_fringe(self, mastered: Iterable[str]) -> list[str]:
        """Mastered points that no other mastered point builds on: the most recent layer of the state."""
        known = set(mastered)
        return [p for p in self._order if p in known and not any(d in known for d in self._dependents.get(p, ()))]

    def is_state(self, mastered: Iterable[str]) -> bool:
        """Whether the set is a knowledge state: closed under prerequisites."""
        known = set(mastered)
        return all(r in known for p in known for r in self.point(p).requires)


def _fail(source: str, message: str, field_name: str) -> ValidationError:
    return ValidationError(f"{source}: {message}", field=field_name)


def _bitext(raw: Any, source: str, field_name: str) -> BiText:
    if not isinstance(raw, Mapping) or not all(isinstance(raw.get(k), str) and raw.get(k) for k in ("zh", "en")):
        raise _fail(source, "needs a name in both zh and en", field_name)
    return BiText(raw["zh"], raw["en"])


def build_graph(raw: Any, source: str = "<data>") -> KnowledgeGraph:
    """Validate a parsed graph document: unique ids, bilingual names, known prerequisites, no cycle."""
    if not isinstance(raw, Mapping):
        raise _fail(source, "expected a mapping with subject, name and points", "")
    subject = raw.get("subject")
    if not isinstance(subject, str) or not subject:
        raise _fail(source, "missing subject", "subject")
    name = _bitext(raw.get("name"), source, "name")
    rule = raw.get("complexity") or {}
    entries = raw.get("points")
    if not isinstance(entries, list) or not entries:
        raise _fail(source, "missing points", "points")
    points: dict[str, KnowledgePoint] = {}
    for i, entry in enumerate(entries):
        where = f"points[{i}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("id"), str) or not entry["id"]:
            raise _fail(source, f"{where} needs an id", f"{where}.id")
        pid = entry["id"]
        if pid in points:
            raise _fail(source, f"duplicate knowledge point id {pid!r}", f"{where}.id")
        requires = entry.get("requires") or []
        if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
            raise _fail(source, f"{pid}: requires must be a list of ids", f"{where}.requires")
        grade = entry.get("grade")
        if grade is not None and (not isinstance(grade, int) or isinstance(grade, bool)):
            raise _fail(source, f"{pid}: grade must be an integer", f"{where}.grade")
        flag = entry.get("complex")
        if flag is not None and not isinstance(flag, bool):
            raise _fail(source, f"{pid}: complex must be true or false", f"{where}.complex")
        points[pid] = KnowledgePoint(pid, _bitext({"zh": entry.get("zh"), "en": entry.get("en")}, source, where),
                                     tuple(requires), grade, flag)
    position = {pid: i for i, pid in enumerate(points)}
    for i, p in enumerate(points.values()):
        for r in p.requires:
            if r not in points:
                raise _fail(source, f"{p.id} requires unknown knowledge point {r!r}", f"points[{i}].requires")
            if r == p.id:
                raise _fail(source, f"{p.id} requires itself", f"points[{i}].requires")
    order = _topological(points, position, source)
    depth: dict[str, int] = {}
    for pid in order:
        depth[pid] = max((depth[r] + 1 for r in points[pid].requires), default=0)
    dependents: dict[str, list[str]] = {}
    for pid in order:
        for r in points[pid].requires:
            dependents.setdefault(r, []).append(pid)
    return KnowledgeGraph(
        subject=subject,
        name=name,
        points=points,
        min_prerequisites=int(rule.get("min_prerequisites", 3)),
        min_depth=int(rule.get("min_depth", 7)),
        source=source,
        _order=tuple(order),
        _depth=depth,
        _dependents={k: tuple(v) for k, v in dependents.items()},
    )


def _topological(points: Mapping[str, KnowledgePoint], position: Mapping[str, int], source: str) -> list[str]:
    import heapq

    remaining = {pid: len(set(p.requires)) for pid, p in points.items()}
    users: dict[str, list[str]] = {}
    for pid, p in points.items():
        for r in set(p.requires):
            users.setdefault(r, []).append(pid)

    def key(pid: str) -> tuple[int, int, str]:
        grade = points[pid].grade
        return (grade if grade is not None else 0, position[pid], pid)

    ready = [key(pid) for pid, n in remaining.items() if n == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        pid = heapq.heappop(ready)[2]
        order.append(pid)
        for u in users.get(pid, ()):
            remaining[u] -= 1
            if remaining[u] == 0:
                heapq.heappush(ready, key(u))
    if len(order) < len(points):
        cycle = _find_cycle(points, {pid for pid, n in remaining.items() if n > 0})
        raise _fail(source, "prerequisite cycle: " + " -> ".join(cycle), "points")
    return order


def _find_cycle(points: Mapping[str, KnowledgePoint], stuck: set[str]) -> list[str]:
    start = min(stuck)
    path = [start]
    seen = {start: 0}
    current = start
    while True:
        current = next(r for r in points[current].requires if r in stuck)
        if current in seen:
            return path[seen[current]:] + [current]
        seen[current] = len(path)
        path.append(current)


def load_graph_file(path: str | Path) -> KnowledgeGraph:
    """Load and validate one YAML graph file; errors name the file and the offending id."""
    source = str(path)
    try:
        with open(path, encoding="utf-8") as handle:
            raw = yaml.safe_load(handle)
    except OSError as exc:
        raise ValidationError(f"{source}: cannot open ({exc.strerror})", field="path") from None
    except yaml.YAMLError as exc:
        raise ValidationError(f"{source}: not valid YAML ({exc})", field="path") from None
    return build_graph(raw, source)


def subjects() -> list[str]:
    """Subjects shipped with the package."""
    return sorted(p.stem for p in DATA_DIR.glob("*.yaml"))


@cache
def load_graph(subject: str) -> KnowledgeGraph:
    """The shipped graph of a subject (cached); an unknown subject is a ``ValidationError`` on ``subject``."""
    if subject not in subjects():
        raise ValidationError(f"unknown subject {subject!r}; known: {', '.join(subjects())}", field="subject")
    graph = load_graph_file(DATA_DIR / f"{subject}.yaml")
    if graph.subject != subject:
        raise ValidationError(f"{graph.source}: declares subject {graph.subject!r}", field="subject")
    return graph
