"""The learning pipeline's domain: event validation, once-only mastery updates, refits (in-memory ports)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from tests.fakes.learning_stores import InMemoryArchive, InMemoryMasteryStore, InMemoryParamsStore, ListQueue
from tridesk.core.errors import ConflictError, ForbiddenError, ValidationError
from tridesk.core.tenants import Tenant
from tridesk.education.knowledge import load_graph, subjects
from tridesk.education.learning.events import parse_batch, parse_message, to_messages
from tridesk.education.learning.mastery import MAX_APPLIED_IDS, ConcurrentUpdateError, MasteryState
from tridesk.education.learning.params import DEFAULT_PARAMS, default_params
from tridesk.education.learning.refit import NotEnoughDataError, RefitConfig, collect, fit_subject, refit, version_id
from tridesk.education.learning.service import LearningService
from tridesk.education.tracing import BKTParams, update_mastery

ROOT = Path(__file__).resolve().parents[3]
TENANT = Tenant(tenant_id="demo-education", name="Demo", industry="education")
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)


def event(k: int, point: str = "a.simple_equation", correct: bool = True, student: str = "stu-a",
          minutes: int | None = None) -> dict:
    return {"event_id": f"e-{student}-{k}", "student_id": student, "subject": "k12-math", "point_id": point,
            "correct": correct, "answered_at": (T0 + timedelta(minutes=k if minutes is None else minutes)).isoformat()}


def service(**ports) -> tuple[LearningService, dict]:
    made = {"queue": ListQueue(), "mastery": InMemoryMasteryStore(), "params": InMemoryParamsStore(),
            "archive": InMemoryArchive(), **ports}
    return LearningService(**made), made


# ---------------------------------------------------------------------- validation
@pytest.mark.parametrize("change, field", [
    ({"point_id": "x.nowhere"}, "events[2].point_id"),
    ({"point_id": "py.variables"}, "events[2].point_id"),  # a point of another subject
    ({"subject": "chemistry"}, "events[2].subject"),
    ({"correct": 1}, "events[2].correct"),
    ({"answered_at": "2026-11-20T08:00:00"}, "events[2].answered_at"),
    ({"answered_at": "yesterday"}, "events[2].answered_at"),
    ({"event_id": ""}, "events[2].event_id"),
    ({"student_id": "../etc"}, "events[2].student_id"),
])
def test_a_bad_event_is_rejected_with_its_field(change, field):
    events = [event(0), event(1), event(2) | change]
    with pytest.raises(ValidationError) as caught:
        parse_batch({"events": events})
    assert caught.value.field == field


def test_batches_are_bounded_and_repeats_collapse():
    with pytest.raises(ValidationError, match="at most 500"):
        parse_batch({"events": [event(k) for k in range(501)]})
    batch = parse_batch({"events": [event(0), event(1), event(0)]})
    assert ([e.event_id for e in batch.events], batch.duplicates) == (["e-stu-a-0", "e-stu-a-1"], 1)
    with pytest.raises(ConflictError) as caught:
        parse_batch({"events": [event(0), event(0, correct=False)]})
    assert caught.value.field == "events[1].event_id" and caught.value.status == 409


def test_messages_group_each_learner_in_time_order_and_survive_the_queue():
    events = parse_batch({"events": [event(k, student=s, minutes=-k) for k in range(150) for s in ("b", "a")]}).events
    messages = to_messages("demo-education", events)
    assert [(m.student_id, len(m.events)) for m in messages] == [("a", 100), ("a", 50), ("b", 100), ("b", 50)]
    for m in messages:
        assert [e.answered_at for e in m.events] == sorted(e.answered_at for e in m.events)
        assert parse_message(m.to_json()) == m
    with pytest.raises(ValidationError):
        parse_message('{"kind": "learning.answers", "tenant_id": "demo-education"}')


def test_only_education_tenants_may_post():
    svc, _ = service()
    shop = Tenant(tenant_id="demo-ecommerce", name="Shop", industry="ecommerce")
    with pytest.raises(ForbiddenError):
        svc.ingest(shop, {"events": [event(0)]})


# ---------------------------------------------------------------------- mastery, once per answer
def test_answers_apply_once_in_time_order_whatever_the_delivery():
    # GIVEN a learner's answers, ingested out of order
    answers = [(k, "a.simple_equation", c) for k, c in enumerate([False, False, True, True, False, True])]
    raw = [event(k, p, c) for k, p, c in answers]
    random.Random(1).shuffle(raw)
    svc, ports = service()
    assert svc.ingest(TENANT, {"events": raw})["accepted"] == 6
    message = ports["queue"].messages[0]
    # WHEN the message is applied, redelivered, and its first half re-posted in a new message
    first = svc.apply(message, "m-1")
    again = svc.apply(message, "m-1")
    svc.ingest(TENANT, {"events": raw[:3]})
    partial = svc.apply(ports["queue"].messages[1], "m-2")
    # THEN mastery moved once, exactly as the batch filter in time order
    p = DEFAULT_PARAMS.prior
    for _, _, correct in answers:
        p = update_mastery(p, correct, DEFAULT_PARAMS)
    state = ports["mastery"].get("demo-education", "stu-a", "k12-math", "a.simple_equation")
    assert (first.applied, again.applied, partial.applied, again.already_applied) == (6, 0, 0, 6)
    assert state.p_known == pytest.approx(p, abs=1e-12)
    assert (state.answers, state.correct, state.version, state.params_version) == (6, 3, 1, "default")
    assert len(ports["archive"].batches) == 1  # nothing new, nothing archived again


def test_a_concurrent_writer_is_detected_and_the_update_retried():
    # GIVEN a store where another consumer applies one of our answers between our read and our write
    svc, ports = service()
    store = ports["mastery"]
    svc.ingest(TENANT, {"events": [event(0), event(1, correct=False)]})
    message = ports["queue"].messages[0]
    original_commit = store.commit
    raced = []

    def racing_commit(before, after):
        if not raced:
            raced.append(True)
            rival = MasteryState("demo-education", "stu-a", "k12-math", "a.simple_equation",
                                 update_mastery(DEFAULT_PARAMS.prior, True, DEFAULT_PARAMS), 1, 1, T0, "default",
                                 T0, 1, ("e-stu-a-0",))
            original_commit(None, rival)
        original_commit(before, after)

    store.commit = racing_commit
    # WHEN we apply the message
    result = svc.apply(message, "m-1")
    # THEN only the answer the rival had not applied is ours, and both count once
    state = store.get("demo-education", "stu-a", "k12-math", "a.simple_equation")
    assert result.applied == 1 and (state.answers, state.version) == (2, 2)
    expected = update_mastery(update_mastery(DEFAULT_PARAMS.prior, True, DEFAULT_PARAMS), False, DEFAULT_PARAMS)
    assert state.p_known == pytest.approx(expected)


def test_a_record_that_keeps_moving_fails_the_message_for_a_retry():
    svc, ports = service()
    svc.ingest(TENANT, {"events": [event(0)]})

    def always_conflicts(before, after):
        raise ConcurrentUpdateError("moved")

    ports["mastery"].commit = always_conflicts
    with pytest.raises(ConcurrentUpdateError):
        svc.apply(ports["queue"].messages[0], "m-1")


def test_a_record_remembers_a_bounded_number_of_answer_ids():
    svc, ports = service()
    events = [event(k) for k in range(MAX_APPLIED_IDS + 20)]
    for start in range(0, len(events), 500):
        svc.ingest(TENANT, {"events": events[start:start + 500]})
    for i, message in enumerate(ports["queue"].messages):
        svc.apply(message, f"m-{i}")
    state = ports["mastery"].get("demo-education", "stu-a", "k12-math", "a.simple_equation")
    assert state.answers == MAX_APPLIED_IDS + 20 and len(state.applied_ids) == MAX_APPLIED_IDS
    assert state.applied_ids[-1] == f"e-stu-a-{MAX_APPLIED_IDS + 19}"


def test_the_diagnosis_reads_the_stored_mastery():
    svc, ports = service()
    svc.ingest(TENANT, {"events": [event(k, "a.simple_equation", False) for k in range(5)]})
    svc.apply(ports["queue"].messages[0], "m-1")
    body = svc.diagnosis(TENANT, "stu-a", "k12-math", "en")
    assert [w["point_id"] for w in body["weak_points"]] == ["a.simple_equation"]
    assert body["answers"] == 5 and body["params_versions"] == ["default"]
    empty = svc.diagnosis(TENANT, "stu-new", "k12-math", "zh")
    assert (empty["answers"], empty["mastery"], empty["lang"]) == (0, [], "zh") and empty["plan"]
    with pytest.raises(ValidationError) as caught:
        svc.diagnosis(TENANT, "stu-a", "chemistry", "en")
    assert caught.value.field == "subject"


# ---------------------------------------------------------------------- refit
def simulate(truth: dict[str, BKTParams], students: int, answers: int, seed: int = 5) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for s in range(students):
        for point, p in truth.items():
            known = rng.random() < p.prior
            for _ in range(answers):
                rows.append({"student": f"s{s}", "point": point,
                             "correct": rng.random() < ((1 - p.slip) if known else p.guess)})
                known = known or rng.random() < p.learn
    return rows


def test_collect_drops_repeated_answers_and_snapshots_per_subject():
    archive = InMemoryArchive()
    batch = parse_batch({"events": [event(k) for k in range(4)]}).events
    archive.put("demo-education", "m-1", batch, T0)
    archive.put("demo-education", "m-2", batch[:2], T0)  # a retried message archived twice
    result = collect(archive, "run-1")
    assert result["subject_count"] == 1 and result["duplicates_dropped"] == 2
    snapshot = archive.snapshot(result["subjects"][0]["answers_key"])
    assert [r["order_id"] for r in snapshot] == [0, 1, 2, 3]
    assert collect(archive, "run-2", only=set())["subject_count"] == 0


def test_a_refit_recovers_parameters_and_versions_them():
    # GIVEN answers simulated from known parameters on two points, archived through the pipeline
    truth = {"n.mult_multi": BKTParams(prior=0.4, learn=0.2, guess=0.2, slip=0.1),
             "a.simple_equation": BKTParams(prior=0.2, learn=0.1, guess=0.15, slip=0.08)}
    rows = simulate(truth, students=300, answers=8)
    svc, ports = service()
    events = [{"event_id": f"r-{i}", "student_id": r["student"], "subject": "k12-math", "point_id": r["point"],
               "correct": r["correct"], "answered_at": (T0 + timedelta(seconds=i)).isoformat()}
              for i, r in enumerate(rows)]
    for start in range(0, len(events), 500):
        svc.ingest(TENANT, {"events": events[start:start + 500]})
    for i, message in enumerate(ports["queue"].messages):
        svc.apply(message, f"m-{i}")
    # WHEN the refit runs
    result = refit(ports["params"], ports["archive"], "k12-math", run_id="exec-abc123",
                   now=T0 + timedelta(days=1))
    # THEN the fitted points are near the truth, the others keep the default, and the pipeline uses it
    current = ports["params"].current("k12-math")
    assert result["published"] and current.version == result["version"] and result["answers"] == len(rows)
    fitted = ports["params"].load(current)
    for point, p in truth.items():
        got = fitted.params[point]
        assert fitted.sources[point] == "fitted"
        assert max(abs(got.prior - p.prior), abs(got.guess - p.guess), abs(got.slip - p.slip)) < 0.06, (point, got)
    assert fitted.sources["h.derivatives"] == "default" and fitted.params["h.derivatives"] == DEFAULT_PARAMS
    assert svc.current_params("k12-math").version == current.version


def test_a_refit_on_too_little_data_keeps_the_current_version():
    rows = [{"order_id": i, "user_id": "t/s", "skill_name": "n.count", "correct": 1} for i in range(10)]
    with pytest.raises(NotEnoughDataError):
        fit_subject("k12-math", rows, default_params("k12-math"), run_id="r", config=RefitConfig(min_answers=50))
    many = rows * 10
    with pytest.raises(NotEnoughDataError, match="no point"):
        fit_subject("k12-math", [r | {"skill_name": f"p{i % 10}"} for i, r in enumerate(many)],
                    default_params("k12-math"), run_id="r", config=RefitConfig(min_answers=50, min_point_answers=20))


def test_versions_sort_by_time_and_older_ones_never_win():
    early, late = version_id(T0, "exec-1"), version_id(T0 + timedelta(hours=1), "exec-0")
    assert early < late
    store = InMemoryParamsStore()
    base = default_params("k12-math")
    assert store.publish(type(base)(**{**base.__dict__, "version": late}))
    assert not store.publish(type(base)(**{**base.__dict__, "version": early}))
    assert store.current("k12-math").version == late


def test_the_openapi_point_enums_are_the_shipped_graphs():
    spec = yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text(encoding="utf-8"))
    variants = [spec["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]
                for ref in spec["components"]["schemas"]["LearningEvent"]["oneOf"]]
    documented = {}
    for variant in variants:
        props = variant["allOf"][1]["properties"]
        documented[props["subject"]["enum"][0]] = set(props["point_id"]["enum"])
    assert documented == {s: set(load_graph(s).points) for s in subjects()}
