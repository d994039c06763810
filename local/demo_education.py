"""Education demo data: learners of ``demo-education`` whose answers lead to different diagnoses.

Everything goes through the real pipeline: the answers are ingested as ``POST /v1/learning/events``
does (validated, grouped per learner, queued), the learning-events Lambda applies them, and the
RefitBkt workflow fits the first parameter version from the archive.

- ``stu-xiaoming`` fails chickens-and-rabbits because simple equations are not mastered;
- ``stu-lili`` fails chickens-and-rabbits because multiplication (and so the order of operations)
  is shaky: the gap starts at multi-digit multiplication;
- ``stu-tom`` masters the prerequisites and the problem: his plan opens new points;
- ``stu-cohort-01`` .. ``stu-cohort-15``: a class simulated from known BKT parameters, so that the
  first refit has data to fit.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

TENANT = "demo-education"
SUBJECT = "k12-math"
POINTS = ("n.add_sub_multi", "n.mult_multi", "n.order_ops", "p.word_basic", "a.simple_equation", "p.chicken_rabbit")

# answer histories (1 = correct), oldest first
STUDENTS: dict[str, dict[str, list[int]]] = {
    "stu-xiaoming": {
        "n.add_sub_multi": [1, 1, 1, 1, 1],
        "n.mult_multi": [1, 1, 1, 1, 1],
        "n.order_ops": [1, 1, 0, 1, 1, 1],
        "p.word_basic": [1, 0, 1, 1, 1, 1],
        "a.simple_equation": [0, 0, 1, 0, 0, 0],
        "p.chicken_rabbit": [0, 0, 1, 0, 0],
    },
    "stu-lili": {
        "n.add_sub_multi": [1, 1, 1, 1, 1],
        "n.mult_multi": [0, 1, 0, 0, 1, 0],
        "n.order_ops": [0, 0, 1, 0, 0],
        "p.word_basic": [1, 0, 1, 1, 1, 1],
        "a.simple_equation": [1, 1, 0, 1, 1, 1],
        "p.chicken_rabbit": [0, 0, 0, 1, 0],
    },
    "stu-tom": {
        "n.add_sub_multi": [1, 1, 1, 1],
        "n.mult_multi": [1, 1, 1, 1],
        "n.order_ops": [1, 1, 1, 1, 1],
        "p.word_basic": [1, 1, 1, 1],
        "a.simple_equation": [1, 0, 1, 1, 1, 1],
        "p.chicken_rabbit": [0, 1, 1, 1, 1, 1],
    },
}
COHORT = 15
COHORT_ANSWERS = 6
# the simulated class: per point (prior, learn, guess, slip)
COHORT_TRUTH = {
    "n.add_sub_multi": (0.7, 0.3, 0.25, 0.08),
    "n.mult_multi": (0.5, 0.25, 0.2, 0.1),
    "n.order_ops": (0.4, 0.2, 0.2, 0.1),
    "p.word_basic": (0.45, 0.2, 0.25, 0.1),
    "a.simple_equation": (0.3, 0.15, 0.15, 0.1),
    "p.chicken_rabbit": (0.15, 0.1, 0.1, 0.15),
}


def demo_events(now: datetime | None = None) -> list[dict[str, Any]]:
    """The demo answers as API events (deterministic ids, so seeding twice changes nothing)."""
    now = now or datetime.now(timezone.utc)
    start = now - timedelta(days=7)
    events: list[dict[str, Any]] = []

    def add(student: str, point: str, k: int, correct: bool, minute: int) -> None:
        events.append({
            "event_id": f"demo-{student}-{point}-{k}",
            "student_id": student,
            "subject": SUBJECT,
            "point_id": point,
            "correct": bool(correct),
            "answered_at": (start + timedelta(minutes=minute)).isoformat(),
            "item_id": f"{point}.ex{k % 6 + 1}",
        })

    for student, history in STUDENTS.items():
        minute = 0
        for point in POINTS:
            for k, correct in enumerate(history.get(point, [])):
                add(student, point, k, bool(correct), minute)
                minute += 2
    rng = random.Random(20261126)
    for n in range(1, COHORT + 1):
        student = f"stu-cohort-{n:02d}"
        minute = 0
        for point in POINTS:
            prior, learn, guess, slip = COHORT_TRUTH[point]
            known = rng.random() < prior
            for k in range(COHORT_ANSWERS):
                correct = rng.random() < ((1 - slip) if known else guess)
                add(student, point, k, correct, minute)
                minute += 2
                known = known or rng.random() < learn
    return events


def seed(stack: Any) -> None:
    from tridesk.core.tenant_store import DynamoTenantRepository
    from tridesk.education.learning.events import MAX_BATCH
    from tridesk.education.learning.wiring import learning_service

    tenant = DynamoTenantRepository().get(TENANT)
    events = demo_events()
    service = learning_service()
    for start in range(0, len(events), MAX_BATCH):
        service.ingest(tenant, {"events": events[start:start + MAX_BATCH]})
    stack.drain_queues(rounds=50)
    result = stack.run_state_machine("RefitBktStateMachine", {"source": "demo-seed"})
    if result["status"] != "SUCCEEDED":
        raise RuntimeError(f"the demo BKT refit failed: {result.get('error')} {result.get('cause')}")
