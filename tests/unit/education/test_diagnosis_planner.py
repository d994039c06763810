"""Content catalogue and the diagnosis planner."""

from __future__ import annotations

import pytest

from tridesk.core.errors import ValidationError
from tridesk.education.content import build_catalogue, diagnose, load_catalogue
from tridesk.education.knowledge import load_graph, subjects


def test_every_point_of_every_subject_has_a_lesson_and_enough_exercises():
    for subject in subjects():
        graph, catalogue = load_graph(subject), load_catalogue(subject)
        need = max(r.exercises for r in (*catalogue.rules, catalogue.new_point))
        for pid in graph.points:
            assert pid in catalogue.lessons, pid
            assert len(catalogue.exercises[pid]) >= need, pid
            assert all(e.title.zh and e.title.en for e in catalogue.exercises[pid])


def test_catalogue_rejects_unknown_points_with_file_and_id():
    graph = load_graph("python-vocational")
    raw = {"subject": "python-vocational", "plan_rules": [{"below": 0.4, "action": "remediate", "exercises": 5}],
           "new_point": {"action": "learn"}, "points": {"py.nowhere": {"exercises": []}}}
    with pytest.raises(ValidationError) as exc:
        build_catalogue(raw, graph, "content/python-vocational.yaml")
    assert "content/python-vocational.yaml" in exc.value.message and "'py.nowhere'" in exc.value.message
    assert exc.value.field == "points.py.nowhere"


def test_low_mastery_gets_a_three_minute_lesson_and_five_targeted_exercises():
    # GIVEN a simple point at 30% mastery
    d = diagnose({"n.mult_table": 0.3, "n.add_sub_20": 0.95}, "k12-math", "en")
    # WHEN planning, THEN the first step is the lesson plus five exercises, easiest first
    step = d.plan[0]
    assert step.point_id == "n.mult_table" and step.action == "remediate"
    assert step.summary == "3-minute lesson + 5 targeted exercises"
    assert step.lesson is not None and step.lesson.minutes == 3
    assert len(step.exercises) == 5
    assert [e.difficulty for e in step.exercises] == sorted(e.difficulty for e in step.exercises)
    assert [w.point_id for w in d.weak_points] == ["n.mult_table"]


def test_plan_repairs_root_causes_before_the_complex_point_built_on_them():
    mastery = {"a.quadratic_function": 0.25, "a.linear_function": 0.5, "a.function_concept": 0.3,
               "a.quadratic_eq": 0.9, "a.linear_eq": 0.95, "a.coordinates": 0.9}
    d = diagnose(mastery, "k12-math", "zh", max_steps=10)
    order = [s.point_id for s in d.plan]
    assert order.index("a.function_concept") < order.index("a.linear_function") < order.index("a.quadratic_function")
    weak = {w.point_id: w for w in d.weak_points}
    assert weak["a.quadratic_function"].method == "prerequisites"
    assert "因为前置知识「一次函数」尚未掌握" in weak["a.quadratic_function"].reason
    assert weak["a.linear_function"].method == "bkt"
    by_point = {s.point_id: s for s in d.plan}
    assert by_point["a.function_concept"].summary == "3 分钟微课 + 5 道针对练习"
    assert by_point["a.linear_function"].summary == "3 道针对练习"


def test_shaky_points_are_consolidated_and_new_points_come_from_the_fringe():
    d = diagnose({"py.variables": 0.7, "py.setup": 0.99}, "python-vocational", "en", max_steps=10)
    assert d.plan[0].point_id == "py.variables" and d.plan[0].action == "consolidate"
    assert d.plan[0].summary == "2 consolidation exercises"
    assert d.ready_to_learn == []
    d = diagnose({"py.variables": 0.9, "py.setup": 0.99}, "python-vocational", "en")
    assert d.ready_to_learn == ["py.types"]
    assert d.plan[0].action == "learn" and d.plan[0].mastery is None


def test_mastery_per_point_and_plan_length():
    d = diagnose({"n.count": 0.95, "n.place_value": 0.1, "g.shapes": 0.5}, "k12-math", "en", max_steps=2)
    assert [(m.point_id, m.level) for m in d.mastery] == [("n.count", "mastered"), ("g.shapes", "weak"),
                                                          ("n.place_value", "weak")]
    assert len(d.plan) == 2
    body = d.to_dict()
    assert body["plan"][0]["exercises"][0]["id"].startswith(body["plan"][0]["point_id"])


def test_bad_input_names_the_field():
    with pytest.raises(ValidationError) as exc:
        diagnose({"n.nowhere": 0.5}, "k12-math")
    assert exc.value.field == "mastery.n.nowhere"
    with pytest.raises(ValidationError) as exc:
        diagnose({"n.count": 1.5}, "k12-math")
    assert exc.value.field == "mastery.n.count"
    with pytest.raises(ValidationError) as exc:
        diagnose({}, "astrology")
    assert exc.value.field == "subject"
