"""Education in the conversation core: learning progress and course consultation from the diagnosis.

Registered with core's capability registry when the API's chat routes import this module.

**Who is asking, for the learning records.** The OneID customer (``c-...``) is TriDesk's; mastery
is kept per *student id* (``stu-xiaoming``). The link is the channel id the tenant's learning app
logs its students in with: the identity the tenant's setting ``student_identity`` names (default
``app_user_id``) *is* the student id, as the channel's back end asserts it on every turn
(``ChatContext.channel_ids``). Without it the bot gives general advice only and never another
learner's data.

- ``learning_progress``: the student's mastery (BKT, ``LearningService.mastery``) turned into the
  diagnosis of ``tridesk.education.content.diagnose``: weak points with their reasons (missing
  prerequisites) and the next steps of the plan, in the subject the message names or the one the
  student practised most.
- ``course_consultation``: what to learn next from the knowledge graph's outer fringe of the
  student's knowledge state (points whose prerequisites are mastered), with the reasons; for a
  visitor, the subject's starting points. A course we do not teach is said plainly (unresolved).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from tridesk.core.capabilities import ChatContext, Reply, register_capability
from tridesk.core.errors import ValidationError
from tridesk.core.i18n import BiText
from tridesk.core.tenants import Tenant
from tridesk.education.content import diagnose
from tridesk.education.content.planner import Diagnosis
from tridesk.education.knowledge import load_graph, subjects

INDUSTRY = "education"
STUDENT_IDENTITY_SETTING = "student_identity"
DEFAULT_STUDENT_IDENTITY = "app_user_id"
MAX_WEAK = 3
MAX_STEPS = 3

#: words that name a subject in a message, beyond the subject's own name and its points' names
SUBJECT_WORDS: dict[str, tuple[str, ...]] = {
    "k12-math": ("数学", "算术", "奥数", "应用题", "方程", "math", "maths", "mathematics", "arithmetic", "algebra"),
    "python-vocational": ("python", "编程", "程序设计", "代码", "programming", "coding"),
}


class MasteryLookup(Protocol):
    """What the capabilities need of ``tridesk.education.learning.service.LearningService``."""

    def mastery(self, tenant: Tenant | None, student_id: str, subject: Any = None) -> dict[str, Any]: ...


_learning: MasteryLookup | None = None
_factory: Callable[[], MasteryLookup] | None = None
_lock = threading.Lock()


def _default_factory() -> MasteryLookup:
    from tridesk.education.learning.wiring import learning_service

    return learning_service()


def learning() -> MasteryLookup:
    """This container's learning service, made on first use (never at import)."""
    global _learning
    if _learning is None:
        with _lock:
            if _learning is None:
                _learning = (_factory or _default_factory)()
    return _learning


def use_learning(service: MasteryLookup | Callable[[], MasteryLookup] | None) -> None:
    """Plug a learning service (or a factory of one) in; None goes back to the deployed wiring (tests)."""
    global _learning, _factory
    with _lock:
        if service is None or hasattr(service, "mastery"):
            _learning, _factory = service, None  # type: ignore[assignment]
        else:
            _learning, _factory = None, service


def student_id(ctx: ChatContext) -> str | None:
    """The caller's student id: the channel id the tenant names (see the module doc)."""
    kind = ctx.tenant.settings.get(STUDENT_IDENTITY_SETTING) or DEFAULT_STUDENT_IDENTITY
    return ctx.channel_ids.get(str(kind)) or None


def named_subject(text: str) -> str | None:
    """The subject a message names: by a keyword, the subject's name or one of its points' names."""
    low = text.lower()
    best: tuple[int, str] | None = None
    for subject in subjects():
        graph = load_graph(subject)
        words = [*SUBJECT_WORDS.get(subject, ()), graph.name.zh, graph.name.en.lower()]
        words += [p.name.zh for p in graph.points.values()] + [p.name.en.lower() for p in graph.points.values()]
        for word in words:
            if word and word.lower() in low and (best is None or len(word) > best[0]):
                best = (len(word), subject)
    return best[1] if best else None


# ---------------------------------------------------------------------------------------------- texts

LOG_IN_FIRST = BiText(
    "为保护学员隐私，学习情况需要在学员登录的 App 中查询。请在 App 内联系客服，或回复“人工”转接老师。",
    'To protect learners\' privacy, progress can only be looked up from the learner\'s app account. Please ask from '
    'the app, or reply "agent" to talk to a teacher.',
)
NO_RECORDS = BiText(
    "还没有找到 {student} 的练习记录。完成几道练习后我就能分析掌握情况；可以从这些知识点开始：{start}。",
    "I have no practice records for {student} yet. After a few exercises I can analyse the progress; good places "
    "to start: {start}.",
)
PROGRESS_HEAD = BiText("{student} 的「{subject}」学习情况（已练习 {answers} 题）：",
                       "{student}'s progress in {subject} ({answers} answers so far):")
WEAK_HEAD = BiText("\n薄弱点：", "\nWeak points:")
WEAK_ITEM = BiText("\n· {name}（掌握度 {pct}%）：{reason}", "\n- {name} ({pct}% mastered): {reason}")
NO_WEAK = BiText("\n目前没有薄弱的知识点，掌握得不错！", "\nNo weak points at the moment: well done!")
NEXT_HEAD = BiText("\n下一步建议：", "\nNext steps:")
STEP_ITEM = BiText("\n{n}. {name}：{summary}（{why}）", "\n{n}. {name}: {summary} ({why})")
RECOMMEND_HEAD = BiText("根据 {student} 在「{subject}」的学习情况：", "Based on {student}'s progress in {subject}:")
LEARN_NEXT = BiText("\n推荐接下来学：", "\nLearn these next:")
REPAIR_FIRST = BiText("\n建议先补薄弱点：{names}；之后可以学：", "\nRepair the weak points first: {names}; then learn:")
START_HEAD = BiText("「{subject}」可以从这些知识点开始：", "In {subject}, start with:")
OFFER = BiText("\n想了解上课时间和价格，请回复“人工”转接课程顾问。",
               '\nFor schedules and prices, reply "agent" to talk to a course adviser.')
NOT_OFFERED = BiText(
    "抱歉，我们暂时没有「{course}」相关的课程。目前开设：{offered}。需要课程顾问帮您看看，请回复“人工”。",
    'Sorry, we do not offer "{course}" at the moment. Our courses: {offered}. Reply "agent" to talk to a course adviser.',
)
WHICH_SUBJECT = BiText("您想了解哪门课程的学习情况？目前有：{offered}。",
                       "Which course would you like to know about? We have: {offered}.")


def _offered() -> BiText:
    names = [load_graph(s).name for s in subjects()]
    return BiText("、".join(n.zh for n in names), ", ".join(n.en for n in names))


@dataclass(frozen=True)
class _Learner:
    student: str | None
    subject: str
    answers: int
    zh: Diagnosis
    en: Diagnosis


def _learner(ctx: ChatContext, chosen: str | None) -> _Learner | None:
    """The student's diagnosis in both languages, in ``chosen`` or their most practised subject."""
    student = student_id(ctx)
    answers: dict[str, int] = {}
    by_subject: dict[str, dict[str, float]] = {}
    if student is not None:
        try:
            points = learning().mastery(ctx.tenant, student).get("points", [])
        except ValidationError:  # an id the learning records cannot hold: no records
            points = []
        for p in points:
            by_subject.setdefault(p["subject"], {})[p["point_id"]] = float(p["mastery"])
            answers[p["subject"]] = answers.get(p["subject"], 0) + int(p.get("answers", 0))
    subject = chosen
    if subject is None and answers:
        subject = max(sorted(answers), key=lambda s: answers[s])
    if subject is None:
        return None
    values = by_subject.get(subject, {})
    return _Learner(student, subject, answers.get(subject, 0),
                    diagnose(values, subject, "zh", max_steps=MAX_STEPS + MAX_WEAK),
                    diagnose(values, subject, "en", max_steps=MAX_STEPS + MAX_WEAK))


def _steps(zh: Diagnosis, en: Diagnosis, *, learn_only: bool = False) -> BiText:
    pairs = [(a, b) for a, b in zip(zh.plan, en.plan, strict=True) if not learn_only or a.action == "learn"]
    out_zh, out_en = "", ""
    for n, (a, b) in enumerate(pairs[:MAX_STEPS], start=1):
        out_zh += STEP_ITEM.zh.format(n=n, name=a.name, summary=a.summary, why=a.why)
        out_en += STEP_ITEM.en.format(n=n, name=b.name, summary=b.summary, why=b.why)
    return BiText(out_zh, out_en)


def _card(kind: str, learner: _Learner, lang: str) -> dict[str, Any]:
    d = learner.en if lang == "en" else learner.zh
    return {
        "type": kind,
        "student_id": learner.student,
        "subject": learner.subject,
        "answers": learner.answers,
        "weak_points": [{"point_id": w.point_id, "name": w.name, "mastery": round(w.mastery, 3), "reason": w.reason,
                         "root_causes": list(w.root_causes)} for w in d.weak_points[:MAX_WEAK]],
        "ready_to_learn": list(d.ready_to_learn),
        "next_steps": [{"step": s.step, "point_id": s.point_id, "name": s.name, "action": s.action,
                        "summary": s.summary, "why": s.why, "minutes": s.minutes} for s in d.plan[:MAX_STEPS]],
    }


def _start_points(subject: str) -> BiText:
    zh = diagnose({}, subject, "zh", max_steps=MAX_STEPS)
    en = diagnose({}, subject, "en", max_steps=MAX_STEPS)
    return BiText("、".join(s.name for s in zh.plan), ", ".join(s.name for s in en.plan))


def learning_progress(ctx: ChatContext) -> Reply:
    """The student's weak points and next steps from their mastery records."""
    if student_id(ctx) is None:
        return Reply(LOG_IN_FIRST, resolved=False, action="education.progress.not_linked")
    learner = _learner(ctx, named_subject(ctx.text))
    student = student_id(ctx) or ""
    if learner is None:
        offered = _offered()
        return Reply(BiText(WHICH_SUBJECT.zh.format(offered=offered.zh), WHICH_SUBJECT.en.format(offered=offered.en)),
                     resolved=False, action="education.progress.which_subject")
    graph = load_graph(learner.subject)
    if learner.answers == 0:
        start = _start_points(learner.subject)
        return Reply(BiText(NO_RECORDS.zh.format(student=student, start=start.zh),
                            NO_RECORDS.en.format(student=student, start=start.en)),
                     [_card("learning_diagnosis", learner, ctx.lang)], resolved=True, action="education.progress.empty")
    zh = PROGRESS_HEAD.zh.format(student=student, subject=graph.name.zh, answers=learner.answers)
    en = PROGRESS_HEAD.en.format(student=student, subject=graph.name.en, answers=learner.answers)
    if learner.zh.weak_points:
        zh += WEAK_HEAD.zh
        en += WEAK_HEAD.en
        for a, b in list(zip(learner.zh.weak_points, learner.en.weak_points, strict=True))[:MAX_WEAK]:
            pct = round(a.mastery * 100)
            zh += WEAK_ITEM.zh.format(name=a.name, pct=pct, reason=a.reason)
            en += WEAK_ITEM.en.format(name=b.name, pct=pct, reason=b.reason)
    else:
        zh += NO_WEAK.zh
        en += NO_WEAK.en
    steps = _steps(learner.zh, learner.en)
    if steps.zh:
        zh += NEXT_HEAD.zh + steps.zh
        en += NEXT_HEAD.en + steps.en
    return Reply(BiText(zh, en), [_card("learning_diagnosis", learner, ctx.lang)], resolved=True,
                 action="education.progress.diagnosis")


def course_consultation(ctx: ChatContext) -> Reply:
    """What to learn next (the outer fringe of the student's knowledge state), or where to start."""
    chosen = named_subject(ctx.text)
    course = ctx.intent.slots.get("course")
    if chosen is None and course:
        chosen = named_subject(str(course))
        if chosen is None:
            offered = _offered()
            return Reply(BiText(NOT_OFFERED.zh.format(course=course, offered=offered.zh),
                                NOT_OFFERED.en.format(course=course, offered=offered.en)),
                         resolved=False, action="education.course.not_offered")
    learner = _learner(ctx, chosen)
    if learner is not None and learner.answers > 0:
        graph = load_graph(learner.subject)
        student = learner.student or ""
        zh = RECOMMEND_HEAD.zh.format(student=student, subject=graph.name.zh)
        en = RECOMMEND_HEAD.en.format(student=student, subject=graph.name.en)
        if learner.zh.weak_points:  # the plan repairs before it opens new points: say so first
            zh += REPAIR_FIRST.zh.format(names="、".join(w.name for w in learner.zh.weak_points[:MAX_WEAK]))
            en += REPAIR_FIRST.en.format(names=", ".join(w.name for w in learner.en.weak_points[:MAX_WEAK]))
        else:
            zh, en = zh + LEARN_NEXT.zh, en + LEARN_NEXT.en
        steps = _steps(learner.zh, learner.en, learn_only=True)
        zh, en = zh + steps.zh, en + steps.en
        return Reply(BiText(zh + OFFER.zh, en + OFFER.en), [_card("course_recommendation", learner, ctx.lang)],
                     resolved=True, action="education.course.recommended")
    picks = [chosen] if chosen else subjects()
    zh_parts, en_parts = [], []
    for subject in picks:
        graph = load_graph(subject)
        start = _start_points(subject)
        zh_parts.append(START_HEAD.zh.format(subject=graph.name.zh) + start.zh + "。")
        en_parts.append(START_HEAD.en.format(subject=graph.name.en) + " " + start.en + ".")
    cards = [{"type": "course_recommendation", "student_id": None, "subject": s,
              "ready_to_learn": list(diagnose({}, s, ctx.lang).ready_to_learn)} for s in picks]
    return Reply(BiText("\n".join(zh_parts) + OFFER.zh, "\n".join(en_parts) + OFFER.en), cards, resolved=True,
                 action="education.course.starting_points")


CAPABILITIES: dict[str, Callable[[ChatContext], Reply]] = {
    "learning_progress": learning_progress,
    "course_consultation": course_consultation,
}


def register() -> None:
    """Put the education capabilities into core's registry (idempotent; runs on import)."""
    for intent, handler in CAPABILITIES.items():
        register_capability(INDUSTRY, intent, handler)


register()
