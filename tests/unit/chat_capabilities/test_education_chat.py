"""Education chat capabilities over the real learning service with in-memory ports and the demo answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from local.demo_education import demo_events
from tests.fakes.chat_context import context
from tests.fakes.learning_stores import InMemoryArchive, InMemoryMasteryStore, InMemoryParamsStore, ListQueue
from tridesk.core import capabilities
from tridesk.core.tenants import Tenant
from tridesk.education import chat
from tridesk.education.learning.service import LearningService

SCHOOL = Tenant("demo-education", "Demo school", "education")
XIAOMING = {"app_user_id": "stu-xiaoming"}


@pytest.fixture(scope="module")
def learning() -> LearningService:
    queue = ListQueue()
    svc = LearningService(queue=queue, mastery=InMemoryMasteryStore(), params=InMemoryParamsStore(),
                          archive=InMemoryArchive())
    wanted = [e for e in demo_events(datetime(2026, 11, 20, tzinfo=timezone.utc))
              if e["student_id"] in ("stu-xiaoming", "stu-lili", "stu-tom")]
    svc.ingest(SCHOOL, {"events": wanted})
    for k, message in enumerate(queue.messages):
        svc.apply(message, f"m-{k}")
    return svc


@pytest.fixture
def plugged(learning: LearningService) -> Iterator[LearningService]:
    chat.use_learning(learning)
    yield learning
    chat.use_learning(None)


def ask(intent: str, text: str, ids=XIAOMING, lang: str = "zh"):
    return chat.CAPABILITIES[intent](context(SCHOOL, intent, text, channel_ids=ids, lang=lang))


def test_learning_progress_names_the_weak_point_and_its_root_cause(plugged) -> None:
    reply = ask("learning_progress", "我家孩子最近数学学得怎么样")
    assert reply.resolved is True and reply.action == "education.progress.diagnosis"
    assert "stu-xiaoming" in reply.text.zh and "K12 数学" in reply.text.zh
    assert "鸡兔同笼" in reply.text.zh and "简易方程" in reply.text.zh  # weak point and what it lacks
    assert "Simple equations with one unknown" in reply.text.en and "Next steps" in reply.text.en
    [card] = reply.cards
    assert card["type"] == "learning_diagnosis" and card["subject"] == "k12-math"
    chicken = next(w for w in card["weak_points"] if w["point_id"] == "p.chicken_rabbit")
    assert chicken["root_causes"] == ["a.simple_equation"]
    assert card["next_steps"][0]["point_id"] == "a.simple_equation"
    assert card["answers"] == sum(1 for e in demo_events() if e["student_id"] == "stu-xiaoming")


def test_each_learner_gets_their_own_diagnosis(plugged) -> None:
    lili = ask("learning_progress", "how is my progress", ids={"app_user_id": "stu-lili"}, lang="en")
    assert lili.cards[0]["next_steps"][0]["point_id"] == "n.mult_multi"
    assert "Multi-digit multiplication" in lili.text.en
    tom = ask("learning_progress", "学习进度怎么样", ids={"app_user_id": "stu-tom"})
    assert tom.cards[0]["weak_points"] == [] and "没有薄弱" in tom.text.zh


def test_a_learner_without_records_gets_a_starting_plan_and_a_visitor_nothing_personal(plugged) -> None:
    new = ask("learning_progress", "数学学得怎么样", ids={"app_user_id": "stu-new-1"})
    assert new.resolved is True and new.action == "education.progress.empty"
    assert "还没有找到 stu-new-1 的练习记录" in new.text.zh and "100 以内数的认识" in new.text.zh
    which = ask("learning_progress", "学习进度怎么样", ids={"app_user_id": "stu-new-1"})
    assert which.resolved is False and "K12 数学" in which.text.zh and "Python" in which.text.en
    visitor = ask("learning_progress", "数学学得怎么样", ids={"openid": "o-visitor"})
    assert visitor.resolved is False and visitor.action == "education.progress.not_linked"
    assert list(visitor.cards) == []


def test_course_consultation_recommends_the_fringe_with_reasons(plugged) -> None:
    tom = ask("course_consultation", "接下来该学什么数学课", ids={"app_user_id": "stu-tom"})
    assert tom.resolved is True and tom.action == "education.course.recommended"
    card = tom.cards[0]
    assert card["type"] == "course_recommendation" and card["ready_to_learn"]
    first = card["next_steps"][0]
    assert first["action"] == "learn" and first["point_id"] in card["ready_to_learn"]
    assert first["name"] in tom.text.zh and "前置知识已经掌握" in tom.text.zh
    xiaoming = ask("course_consultation", "what math should I learn next", lang="en")
    assert "Repair the weak points first" in xiaoming.text.en and "Chickens-and-rabbits" in xiaoming.text.en


def test_course_consultation_for_a_visitor_and_for_a_course_not_offered(plugged) -> None:
    visitor = ask("course_consultation", "你们有Python编程课吗", ids={})
    assert visitor.resolved is True and visitor.action == "education.course.starting_points"
    assert "安装 Python 与运行脚本" in visitor.text.zh and [c["subject"] for c in visitor.cards] == ["python-vocational"]
    ielts = ask("course_consultation", "雅思课程多少钱", ids={})
    assert ielts.resolved is False and "雅思课程" in ielts.text.zh and "K12 数学" in ielts.text.zh


def test_registration_covers_the_education_intents() -> None:
    was = capabilities.handler_for("education", "learning_progress")
    capabilities.unregister("education")
    chat.register()
    try:
        assert set(capabilities.registered()["education"]) == {"learning_progress", "course_consultation"}
    finally:
        if was is None:
            capabilities.unregister("education")
