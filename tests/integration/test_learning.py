"""The learning pipeline on the local stack: answer events -> queue -> mastery -> diagnosis, and the refit.

Demo learners (``local/demo_education.py``): stu-xiaoming fails chickens-and-rabbits for want of simple
equations, stu-lili for want of multi-digit multiplication.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from datetime import datetime, timedelta, timezone

import requests

from tridesk.education.learning.adapters import AwsParamsStore, DynamoMasteryStore
from tridesk.education.tracing import update_mastery

TENANT = {"X-Tenant-Id": "demo-education"}


def _events(student: str, answers: list[tuple[str, bool]], start: datetime | None = None) -> list[dict]:
    start = start or datetime.now(timezone.utc) - timedelta(hours=2)
    return [
        {"event_id": f"{student}-{k}", "student_id": student, "subject": "k12-math", "point_id": point,
         "correct": correct, "answered_at": (start + timedelta(minutes=k)).isoformat(), "item_id": f"{point}.ex1"}
        for k, (point, correct) in enumerate(answers)
    ]


def _post(stack, events: list[dict], headers: dict | None = None) -> requests.Response:
    return requests.post(f"{stack.api_url}/v1/learning/events", json={"events": events},
                         headers=headers or TENANT, timeout=30)


def _mastery(stack, student: str) -> dict[str, dict]:
    body = requests.get(f"{stack.api_url}/v1/students/{student}/mastery?subject=k12-math", headers=TENANT,
                        timeout=10).json()
    return {p["point_id"]: p for p in body["points"]}


def _expected(answers: list[tuple[str, bool]], point: str) -> float:
    params = AwsParamsStore()
    current = params.current("k12-math")
    p = params.load(current).for_point(point) if current else None
    assert p is not None
    m = p.prior
    for pid, correct in answers:
        if pid == point:
            m = update_mastery(m, correct, p)
    return m


def test_a_batch_posted_twice_updates_mastery_once(stack):
    # GIVEN a new learner's answers, posted out of time order and with one event repeated
    student = f"stu-{uuid.uuid4().hex[:8]}"
    answers = [("a.simple_equation", c) for c in (False, True, True, False, True)] + [("n.mult_multi", True)] * 3
    events = _events(student, answers)
    shuffled = events[:]
    random.Random(3).shuffle(shuffled)
    # WHEN the batch is posted, then posted again
    first = _post(stack, shuffled + [shuffled[0]])
    stack.drain_queues()
    after_first = _mastery(stack, student)
    second = _post(stack, events)
    stack.drain_queues()
    # THEN both are accepted, the repeat collapsed, and mastery moved once, replayed in time order
    assert first.status_code == 202, first.text
    assert first.json() == {"status": "accepted", "accepted": 8, "duplicates": 1, "messages": 1}
    assert second.status_code == 202
    assert _mastery(stack, student) == after_first
    eq = after_first["a.simple_equation"]
    assert (eq["answers"], eq["correct"]) == (5, 3)
    assert abs(eq["mastery"] - _expected(answers, "a.simple_equation")) < 1e-6
    assert after_first["n.mult_multi"]["answers"] == 3


def test_a_redelivered_message_changes_nothing(stack):
    # GIVEN a queue message as the API writes it, applied once
    student = f"stu-{uuid.uuid4().hex[:8]}"
    from tridesk.education.learning.events import parse_batch, to_messages

    batch = parse_batch({"events": _events(student, [("p.word_basic", True), ("p.word_basic", False)])})
    body = to_messages("demo-education", batch.events)[0].to_json()
    sqs = stack.client("sqs")
    queue_url = stack.physical_id("LearningEventsQueue")
    sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    stack.drain_queues()
    before = DynamoMasteryStore().get("demo-education", student, "k12-math", "p.word_basic")
    # WHEN the same message is delivered again (a new message id, as after a producer retry) and the
    # consumer is invoked twice with one record
    sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    stack.drain_queues()
    record = {"messageId": "m-1", "receiptHandle": "r", "body": body, "attributes": {}, "messageAttributes": {},
              "md5OfBody": "x", "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:1:q",
              "awsRegion": "us-east-1"}
    lam = stack.client("lambda")
    for _ in range(2):
        response = lam.invoke(FunctionName=stack.function_names["LearningEventsFunction"],
                              Payload=json.dumps({"Records": [record]}).encode())
        assert json.loads(response["Payload"].read()) == {"batchItemFailures": []}
    # THEN the record is exactly as after the first delivery
    after = DynamoMasteryStore().get("demo-education", student, "k12-math", "p.word_basic")
    assert before is not None and after == before
    assert (after.answers, after.version) == (2, 1)


def test_bad_events_are_rejected_with_the_field(stack):
    student = f"stu-{uuid.uuid4().hex[:8]}"
    good = _events(student, [("n.count", True)] * 4)
    cases = [
        (good[:3] + [good[3] | {"point_id": "x.unknown"}], 400, "events[3].point_id"),
        ([good[0] | {"subject": "chemistry"}], 400, "events[0].subject"),
        ([good[0] | {"correct": "yes"}], 400, "events[0].correct"),
        ([good[0] | {"answered_at": "2026-11-26T08:00:00"}], 400, "events[0].answered_at"),
        ([good[0], good[0] | {"correct": False}], 409, "events[1].event_id"),
        (good * 126, 400, "events"),
        ([], 400, "events"),
    ]
    for events, status, field in cases:
        response = _post(stack, events)
        assert response.status_code == status, (field, response.text)
        assert response.json()["error"]["field"] == field
    # another industry's tenant may not post learning events
    denied = _post(stack, good, headers={"X-Tenant-Id": "demo-ecommerce"})
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "industry_not_supported"
    # nothing of the rejected batches was applied
    assert _mastery(stack, student) == {}
    url = f"{stack.api_url}/v1/students"
    bad_subject = requests.get(f"{url}/{student}/diagnosis?subject=chemistry", headers=TENANT, timeout=10)
    assert bad_subject.status_code == 400 and bad_subject.json()["error"]["field"] == "subject"
    no_subject = requests.get(f"{url}/{student}/diagnosis", headers=TENANT, timeout=10)
    assert no_subject.status_code == 400 and no_subject.json()["error"]["field"] == "subject"


def test_a_poisoned_message_goes_to_the_dead_letter_queue_alone(stack):
    sqs = stack.client("sqs")
    queue_url = stack.physical_id("LearningEventsQueue")
    dlq_url = stack.physical_id("LearningEventsDeadLetterQueue")
    from tridesk.education.learning.events import parse_batch, to_messages

    student = f"stu-{uuid.uuid4().hex[:8]}"
    good = to_messages("demo-education", parse_batch({"events": _events(student, [("n.count", True)])}).events)[0]
    poison = json.dumps({"kind": "learning.answers", "tenant_id": "demo-education", "student_id": student,
                         "events": [{"event_id": "p-1", "subject": "k12-math", "point_id": "no.such.point",
                                     "correct": True, "answered_at": "2026-11-26T08:00:00Z"}]})
    sqs.send_message_batch(QueueUrl=queue_url, Entries=[{"Id": "good", "MessageBody": good.to_json()},
                                                        {"Id": "poison", "MessageBody": poison}])
    deadline = time.monotonic() + 20
    dead: list[dict] = []
    while time.monotonic() < deadline and not dead:
        stack.drain_queues()
        dead = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10).get("Messages", [])
    assert [m["Body"] for m in dead] == [poison]
    assert _mastery(stack, student)["n.count"]["answers"] == 1


def test_the_diagnosis_explains_each_learner_by_prerequisites(stack):
    url = f"{stack.api_url}/v1/students"
    en = {s: requests.get(f"{url}/{s}/diagnosis?subject=k12-math&lang=en", headers=TENANT, timeout=10).json()
          for s in ("stu-xiaoming", "stu-lili", "stu-tom")}
    zh = {s: requests.get(f"{url}/{s}/diagnosis?subject=k12-math&lang=zh", headers=TENANT, timeout=10).json()
          for s in ("stu-xiaoming", "stu-lili")}

    def chicken(d: dict) -> dict:
        return next(w for w in d["weak_points"] if w["point_id"] == "p.chicken_rabbit")

    # xiaoming: simple equations are missing
    x = chicken(en["stu-xiaoming"])
    assert x["method"] == "prerequisites" and x["root_causes"] == ["a.simple_equation"]
    assert "Simple equations with one unknown" in x["reason"]
    assert "简易方程" in chicken(zh["stu-xiaoming"])["reason"]
    assert en["stu-xiaoming"]["plan"][0]["point_id"] == "a.simple_equation"
    assert en["stu-xiaoming"]["plan"][0]["summary"] == "3-minute lesson + 5 targeted exercises"
    # lili: the gap starts at multi-digit multiplication
    li = chicken(en["stu-lili"])
    assert li["root_causes"] == ["n.mult_multi"] and "n.order_ops" in li["missing_prerequisites"]
    assert "Multi-digit multiplication" in li["reason"] and "多位数乘法" in chicken(zh["stu-lili"])["reason"]
    assert en["stu-lili"]["plan"][0]["point_id"] == "n.mult_multi"
    # tom masters the problem: nothing weak, new points ahead
    assert en["stu-tom"]["weak_points"] == [] and en["stu-tom"]["plan"][0]["action"] == "learn"
    assert en["stu-xiaoming"]["answers"] > 0 and zh["stu-lili"]["lang"] == "zh"
    # an id never seen: the empty diagnosis, with a plan from the first points
    nobody = requests.get(f"{url}/stu-nobody-{uuid.uuid4().hex[:6]}/diagnosis?subject=k12-math&lang=en",
                          headers=TENANT, timeout=10)
    assert nobody.status_code == 200
    body = nobody.json()
    assert (body["answers"], body["mastery"], body["last_answered_at"]) == (0, [], None)
    assert body["plan"] and all(step["action"] == "learn" for step in body["plan"])


def test_the_diagnosis_follows_new_answers(stack):
    # GIVEN a learner who fails simple equations, then masters them
    student = f"stu-{uuid.uuid4().hex[:8]}"
    url = f"{stack.api_url}/v1/students/{student}/diagnosis?subject=k12-math&lang=en"
    _post(stack, _events(student, [("a.simple_equation", False)] * 4))
    stack.drain_queues()
    weak = requests.get(url, headers=TENANT, timeout=10).json()
    start = datetime.now(timezone.utc) - timedelta(minutes=30)
    _post(stack, [e | {"event_id": f"{e['event_id']}-b"} for e in
                  _events(student, [("a.simple_equation", True)] * 8, start=start)])
    stack.drain_queues()
    strong = requests.get(url, headers=TENANT, timeout=10).json()
    # THEN the point is weak first, mastered after
    assert [w["point_id"] for w in weak["weak_points"]] == ["a.simple_equation"]
    assert strong["weak_points"] == [] and strong["answers"] == 12
    assert {m["point_id"]: m["level"] for m in strong["mastery"]} == {"a.simple_equation": "mastered"}


def test_the_refit_publishes_a_new_version_that_the_pipeline_then_uses(stack):
    params = AwsParamsStore()
    before = params.current("k12-math")
    assert before is not None  # the demo seed fitted the first version
    # WHEN the nightly workflow runs over the archived answers
    result = stack.run_state_machine("RefitBktStateMachine", {"source": "test"})
    # THEN a new version is published: document in S3, pointer in the params table
    assert result["status"] == "SUCCEEDED", result
    output = json.loads(result["output"])
    assert output["status"] == "refitted"
    fitted = {s["subject"]: s for s in output["subjects"]}
    assert fitted["k12-math"]["status"] == "published" and fitted["k12-math"]["previous_version"] == before.version
    current = params.current("k12-math")
    assert current is not None and current.version == fitted["k12-math"]["version"] != before.version
    assert current.answers >= before.answers and current.log_likelihood < 0
    document = params.load(current)
    assert document.sources["p.chicken_rabbit"] == "fitted" and document.sources["h.derivatives"] == "default"
    assert current.version in {v["version"] for v in params.versions("k12-math")}
    # AND the next answers are applied with it
    student = f"stu-{uuid.uuid4().hex[:8]}"
    answers = [("p.chicken_rabbit", True), ("p.chicken_rabbit", False)]
    _post(stack, _events(student, answers))
    stack.drain_queues()
    applied = _mastery(stack, student)["p.chicken_rabbit"]
    assert applied["params_version"] == current.version
    assert abs(applied["mastery"] - _expected(answers, "p.chicken_rabbit")) < 1e-6


def test_a_refit_without_data_keeps_every_version(stack):
    params = AwsParamsStore()
    before = {s: params.current(s) for s in ("k12-math", "python-vocational")}
    # WHEN an on-demand run selects no subject (nothing to fit)
    result = stack.run_state_machine("RefitBktStateMachine", {"subjects": []})
    # THEN it takes the "no data" path and no version moves
    assert result["status"] == "SUCCEEDED", result
    assert json.loads(result["output"]) == {"status": "no_data", "run_id": json.loads(result["output"])["run_id"],
                                            "subjects": []}
    assert {s: params.current(s) for s in before} == before
    # and a malformed selection fails the run by name, keeping every version too
    failed = stack.run_state_machine("RefitBktStateMachine", {"subjects": ["chemistry"]})
    assert failed["status"] == "FAILED" and failed.get("error") == "RefitFailed"
    assert {s: params.current(s) for s in before} == before
