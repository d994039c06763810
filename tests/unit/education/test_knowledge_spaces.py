"""Knowledge graphs: shipped data, validation, fringes, the hybrid rule and explanations."""

from __future__ import annotations

import pytest

from tridesk.core.errors import ValidationError
from tridesk.education.knowledge import build_graph, explain, known_state, load_graph, load_graph_file, subjects

TINY = {
    "subject": "tiny",
    "name": {"zh": "小", "en": "Tiny"},
    "complexity": {"min_prerequisites": 2, "min_depth": 99},
    "points": [
        {"id": "a", "zh": "甲", "en": "A", "requires": []},
        {"id": "b", "zh": "乙", "en": "B", "requires": ["a"]},
        {"id": "c", "zh": "丙", "en": "C", "requires": ["a"]},
        {"id": "d", "zh": "丁", "en": "D", "requires": ["b", "c"]},
    ],
}


def test_shipped_subjects_load_and_are_large_enough():
    assert {"k12-math", "python-vocational"} <= set(subjects())
    math = load_graph("k12-math")
    assert len(math.points) >= 60
    assert sum(1 for p in math.points.values() if p.requires) >= 55
    assert all(p.name.zh and p.name.en for p in math.points.values())
    assert len(load_graph("python-vocational").points) >= 15


def test_topological_order_puts_every_prerequisite_first():
    for subject in subjects():
        graph = load_graph(subject)
        seen: set[str] = set()
        for pid in graph.topological_order():
            assert set(graph.prerequisites(pid)) <= seen
            seen.add(pid)
        assert seen == set(graph.points)


def test_unknown_prerequisite_is_rejected_with_file_and_id(tmp_path):
    # GIVEN a graph file whose point requires an id that does not exist
    path = tmp_path / "broken.yaml"
    path.write_text("subject: broken\nname: {zh: 坏, en: Broken}\npoints:\n"
                    "  - {id: x, zh: 甲, en: X, requires: [nowhere]}\n", encoding="utf-8")
    # WHEN loading it
    with pytest.raises(ValidationError) as exc:
        load_graph_file(path)
    # THEN the message names the file, the point and the unknown id
    assert str(path) in exc.value.message and "'nowhere'" in exc.value.message and "x requires" in exc.value.message


def test_cycles_and_duplicates_are_rejected():
    cyclic = {**TINY, "points": [*TINY["points"][:1], {"id": "b", "zh": "乙", "en": "B", "requires": ["c"]},
                                 {"id": "c", "zh": "丙", "en": "C", "requires": ["b"]}]}
    with pytest.raises(ValidationError, match=r"cycle: (b -> c -> b|c -> b -> c)"):
        build_graph(cyclic, "cyclic.yaml")
    twice = {**TINY, "points": [*TINY["points"], {"id": "a", "zh": "甲", "en": "A"}]}
    with pytest.raises(ValidationError, match="duplicate knowledge point id 'a'"):
        build_graph(twice, "twice.yaml")
    unnamed = {**TINY, "points": [{"id": "a", "zh": "甲"}]}
    with pytest.raises(ValidationError, match="zh and en"):
        build_graph(unnamed, "unnamed.yaml")


def test_outer_fringe_is_what_is_ready_to_learn():
    graph = build_graph(TINY)
    assert graph.outer_fringe(set()) == ["a"]
    assert graph.outer_fringe({"a"}) == ["b", "c"]
    assert graph.outer_fringe({"a", "b"}) == ["c"]
    assert graph.outer_fringe({"a", "b", "c"}) == ["d"]
    assert graph.inner_fringe({"a", "b", "c"}) == ["b", "c"]
    assert graph.is_state({"a", "c"}) and not graph.is_state({"a", "d"})


def test_hybrid_rule_marks_points_complex_by_prerequisites_depth_or_flag():
    graph = build_graph(TINY)
    assert [p for p in graph.topological_order() if graph.is_complex(p)] == ["d"]
    math = load_graph("k12-math")
    assert math.is_complex("a.quadratic_function") and math.is_complex("p.chicken_rabbit")
    assert not math.is_complex("n.add_sub_20") and not math.is_complex("a.linear_function")


def test_complex_weakness_is_explained_by_the_missing_prerequisite_in_both_languages():
    # GIVEN a learner weak on quadratic-function graphs whose linear functions are not mastered
    graph = load_graph("k12-math")
    mastery = {"a.quadratic_function": 0.2, "a.linear_function": 0.45, "a.quadratic_eq": 0.9}
    # WHEN explaining
    ex = explain(graph, "a.quadratic_function", mastery)
    # THEN the prerequisite is named as the cause
    assert ex.method == "prerequisites"
    assert ex.missing == ("a.linear_function",)
    assert ex.text.en == ("Fails Graphs and properties of quadratic functions because the prerequisite "
                          "Linear functions is not mastered")
    assert ex.text.zh == "「二次函数的图象和性质」没有掌握，因为前置知识「一次函数」尚未掌握"


def test_explanation_points_to_the_deepest_gap():
    # GIVEN two students failing chickens-and-rabbits for different reasons
    graph = load_graph("k12-math")
    one = {"p.chicken_rabbit": 0.2, "a.simple_equation": 0.3, "n.laws": 0.35, "n.order_ops": 0.9, "p.word_basic": 0.9}
    two = {"p.chicken_rabbit": 0.2, "a.simple_equation": 0.9, "n.order_ops": 0.9, "p.word_basic": 0.3}
    # WHEN explaining each
    first, second = explain(graph, "p.chicken_rabbit", one), explain(graph, "p.chicken_rabbit", two)
    # THEN each gets its own cause, and the first is sent down to the laws of arithmetic
    assert first.missing == ("a.simple_equation",) and first.root_causes == ("n.laws",)
    assert "the gap starts at Laws of arithmetic" in first.text.en and "根源在「运算定律与简便计算」" in first.text.zh
    assert second.missing == ("p.word_basic",) and second.root_causes == ("p.word_basic",)


def test_simple_points_are_judged_by_bkt_mastery():
    graph = load_graph("k12-math")
    ex = explain(graph, "n.add_sub_20", {"n.add_sub_20": 0.42})
    assert ex.method == "bkt" and ex.level == "weak"
    assert "42%" in ex.text.en and "42%" in ex.text.zh


def test_known_state_infers_prerequisites_of_assessed_points():
    graph = build_graph(TINY)
    state = known_state(graph, {"d": 0.3, "c": 0.9})
    assert state == {"a", "b", "c"}
