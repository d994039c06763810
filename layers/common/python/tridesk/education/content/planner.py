"""Diagnosis of one learner: mastery per point, weak points with their reasons, and a next-step plan.

Pure function of the mastery estimates (from BKT) and the shipped graph and catalogue. The plan
repairs prerequisites before the points built on them (topological order), then consolidates shaky
points, then opens new points from the outer fringe of the learner's knowledge state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from tridesk.core.errors import ValidationError
from tridesk.core.i18n import BiText, Lang, parse_lang
from tridesk.education.content.catalogue import Catalogue, ContentItem, PlanRule, load_catalogue
from tridesk.education.knowledge import (
    DEFAULT_THRESHOLDS,
    KnowledgeGraph,
    Thresholds,
    check_mastery,
    explain,
    known_state,
    load_graph,
)


@dataclass(frozen=True)
class PointMastery:
    point_id: str
    name: str
    mastery: float
    level: str
    method: str


@dataclass(frozen=True)
class WeakPoint:
    point_id: str
    name: str
    mastery: float
    level: str
    method: str
    reason: str
    missing_prerequisites: list[str]
    root_causes: list[str]


@dataclass(frozen=True)
class PlanItem:
    id: str
    title: str
    minutes: int = 0
    difficulty: int = 1


@dataclass(frozen=True)
class PlanStep:
    step: int
    point_id: str
    name: str
    action: str
    mastery: float | None
    summary: str
    why: str
    minutes: int
    lesson: PlanItem | None
    exercises: list[PlanItem] = field(default_factory=list)


@dataclass(frozen=True)
class Diagnosis:
    """The answer of ``GET /v1/students/{id}/diagnosis`` (texts in the requested language)."""

    subject: str
    lang: str
    mastery: list[PointMastery]
    weak_points: list[WeakPoint]
    ready_to_learn: list[str]
    plan: list[PlanStep]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


EXERCISE_MINUTES = 2


def _summary(rule: PlanRule, lesson: ContentItem | None, n_exercises: int) -> BiText:
    if lesson is not None and n_exercises:
        return BiText(f"{lesson.minutes} 分钟微课 + {n_exercises} 道针对练习",
                      f"{lesson.minutes}-minute lesson + {n_exercises} targeted exercises")
    if lesson is not None:
        return BiText(f"{lesson.minutes} 分钟微课", f"{lesson.minutes}-minute lesson")
    if rule.action == "consolidate":
        return BiText(f"{n_exercises} 道巩固练习", f"{n_exercises} consolidation exercises")
    return BiText(f"{n_exercises} 道针对练习", f"{n_exercises} targeted exercises")


def _step(number: int, pid: str, graph: KnowledgeGraph, catalogue: Catalogue, rule: PlanRule,
          mastery: float | None, why: BiText, lang: Lang) -> PlanStep:
    lesson = catalogue.lessons.get(pid) if rule.lesson else None
    pool = sorted(catalogue.exercises.get(pid, ()), key=lambda e: e.difficulty)
    chosen = pool[: rule.exercises]
    minutes = (lesson.minutes if lesson else 0) + EXERCISE_MINUTES * len(chosen)
    return PlanStep(
        step=number,
        point_id=pid,
        name=graph.point(pid).name.get(lang),
        action=rule.action,
        mastery=mastery,
        summary=_summary(rule, lesson, len(chosen)).get(lang),
        why=why.get(lang),
        minutes=minutes,
        lesson=PlanItem(lesson.id, lesson.title.get(lang), lesson.minutes) if lesson else None,
        exercises=[PlanItem(e.id, e.title.get(lang), difficulty=e.difficulty) for e in chosen],
    )


def diagnose(mastery: Mapping[str, float], subject: str, lang: str | None = "zh", *,
             thresholds: Thresholds = DEFAULT_THRESHOLDS, max_steps: int = 5) -> Diagnosis:
    """Diagnose a learner from ``{point_id: P(known)}`` (points never assessed are simply absent).

    Weak points (mastery below ``thresholds.weak``) carry a reason by the hybrid rule; the plan has at
    most ``max_steps`` steps sized by the catalogue's rules, e.g. a 3-minute lesson and 5 targeted
    exercises when mastery is below 40%.
    """
    lang_ = parse_lang(lang)
    graph = load_graph(subject)
    catalogue = load_catalogue(subject)
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 0:
        raise ValidationError("max_steps must be a non-negative integer", field="max_steps")
    values = check_mastery(graph, mastery)
    order = {p: i for i, p in enumerate(graph.topological_order())}
    assessed = sorted(values, key=order.__getitem__)

    per_point = []
    weak: list[WeakPoint] = []
    explanations = {}
    for pid in assessed:
        ex = explain(graph, pid, values, thresholds)
        explanations[pid] = ex
        per_point.append(PointMastery(pid, graph.point(pid).name.get(lang_), values[pid], ex.level, ex.method))
        if ex.level == "weak":
            weak.append(WeakPoint(pid, graph.point(pid).name.get(lang_), values[pid], ex.level, ex.method,
                                  ex.text.get(lang_), list(ex.missing), list(ex.root_causes)))

    state = known_state(graph, values, thresholds)
    fringe = graph.outer_fringe(state)
    new_points = [p for p in fringe if p not in values]
    evidence = {p for p in state if p in values}
    new_points.sort(key=lambda p: (not any(r in evidence for r in graph.prerequisites(p)), order[p]))

    targets: dict[str, BiText] = {}
    for w in weak:
        ex = explanations[w.point_id]
        if ex.method == "prerequisites":
            for root in ex.root_causes:
                if root not in targets:
                    r = graph.point(root).name
                    n = graph.point(w.point_id).name
                    pct = round(values[root] * 100)
                    targets[root] = BiText(f"「{r.zh}」是「{n.zh}」的前置知识，掌握度仅 {pct}%，先补这里",
                                           f"{r.en} underlies {n.en} and is at {pct}% mastery: repair it first")
        targets.setdefault(w.point_id, ex.text)
    steps: list[PlanStep] = []
    for pid in sorted(targets, key=order.__getitem__):
        rule = catalogue.rule_for(values[pid])
        if rule is not None:
            steps.append(_step(len(steps) + 1, pid, graph, catalogue, rule, values[pid], targets[pid], lang_))
    for pid in assessed:
        if pid not in targets and explanations[pid].level == "shaky":
            rule = catalogue.rule_for(values[pid])
            if rule is not None:
                pct = round(values[pid] * 100)
                why = BiText(f"掌握度 {pct}%，再练几道即可达标", f"At {pct}% mastery: a little practice reaches the goal")
                steps.append(_step(len(steps) + 1, pid, graph, catalogue, rule, values[pid], why, lang_))
    for pid in new_points:
        why = (BiText("前置知识已经掌握，可以学习这个新知识点", "Its prerequisites are mastered: ready to learn it")
               if graph.prerequisites(pid) else BiText("没有前置要求，是学习的起点", "No prerequisites: a place to start"))
        steps.append(_step(len(steps) + 1, pid, graph, catalogue, catalogue.new_point, None, why, lang_))
    return Diagnosis(subject, lang_, per_point, weak, new_points, steps[:max_steps])
