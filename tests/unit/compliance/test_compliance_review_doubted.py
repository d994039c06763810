"""The weekly review queue beside its random sample: replies the rules passed but the learned model doubts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.fakes.compliance_stores import MemoryReviews, MemoryRulesets, MemoryTemplates, MemoryVerdicts
from tridesk.core.errors import ValidationError
from tridesk.core.tenants import Tenant
from tridesk.finance.compliance import model
from tridesk.finance.compliance.firewall import (
    ComplianceService,
    ReviewItem,
    VerdictRecord,
    iso_week,
    model_doubt,
)
from tridesk.finance.compliance.review import sample_for_review

BANK = Tenant("bank-one", "Bank", "finance", regions=("CN",), rule_packs=("wealth", "fund"))
NOW = datetime(2026, 11, 30, 1, 0, tzinfo=timezone.utc)
WEEK = iso_week(NOW)
ROOT = Path(__file__).resolve().parents[3]

# text -> (the rules' verdict, the model's probability); the fake model reads the probability from here
REPLIES = {
    "您好，请问有什么可以帮您？": ("pass", 0.05),
    "基金净值每个交易日更新。": ("pass", 0.30),
    "放心，这个不会亏的。": ("pass", 0.9612),
    "Yes, it's fully protected, you won't have any problem.": ("pass", 0.9834),
    "No, not really, it's a very steady fund.": ("pass", 0.8121),
    "不太可能，它主要买的是国债。": ("pass", 0.7956),
    "基本上就是稳的。": ("pass", model.CHOSEN.threshold),  # exactly the threshold: not doubted
    "这只基金零风险。": ("block", 0.99),  # the rules flagged it: never a doubted item
    "收益最高的基金。": ("block", 0.95),
}
DOUBTED = sorted((p, t) for t, (v, p) in REPLIES.items() if v == "pass" and p > model.CHOSEN.threshold)


class FakeModel:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, record: VerdictRecord) -> float:
        self.calls.append(record.text)
        return REPLIES[record.text][1] if record.text in REPLIES else 0.99


def make_service(doubt=None) -> ComplianceService:
    return ComplianceService(MemoryVerdicts(), MemoryRulesets(), MemoryTemplates(), MemoryReviews(), doubt=doubt)


def record(svc: ComplianceService, n: int, text: str, verdict: str = "pass", source: str = "bot",
           line: str = "fund", lang: str | None = None) -> VerdictRecord:
    at = NOW - timedelta(days=1, minutes=n)
    rec = VerdictRecord(
        tenant_id="bank-one", verdict_id=f"{at.strftime('%Y%m%dT%H%M%S%fZ')}-{n:08x}", recorded_at=at,
        business_line=line, region="CN", lang=lang or ("en" if text.isascii() else "zh"), source=source,
        ruleset_version="fund@1.6.0", ruleset_label=None, verdict=verdict,
        rule_ids=("FUND-X",) if verdict != "pass" else (), text_hash="h", text=text,
    )
    svc.verdicts.record(rec, NOW + timedelta(days=90))
    return rec


@pytest.fixture
def fake() -> FakeModel:
    return FakeModel()


@pytest.fixture
def svc(fake: FakeModel) -> ComplianceService:
    service = make_service(fake)
    for n, (text, (verdict, _)) in enumerate(REPLIES.items()):
        record(service, n, text, verdict)
    record(service, 99, "这只基金稳赚，保证不亏。", source="agent")  # an agent's draft: neither sampled nor scored
    return service


def queued(svc: ComplianceService) -> dict[str, ReviewItem]:
    return {i.text: i for i in svc.reviews.list("bank-one")}


def test_doubted_replies_are_queued_with_their_selection_and_probability(svc, fake):
    result = svc.sample_week("bank-one", NOW, size=0, doubted_size=10)
    items = queued(svc)
    assert set(items) == {t for _, t in DOUBTED}
    assert all(i.selection == "doubted" and i.week == WEEK and i.review_id == f"{WEEK}-{i.verdict_id}"
               for i in items.values())
    assert items["放心，这个不会亏的。"].model_p == 0.961 and items["不太可能，它主要买的是国债。"].model_p == 0.796
    assert (result["candidates"], result["sampled"], result["scored"]) == (len(REPLIES), 0, len(REPLIES))
    assert (result["doubted_candidates"], result["doubted"], result["added"], result["added_doubted"]) == (4, 4, 4, 4)
    # the flagged ones here are ones the model agrees with: none is contested
    assert (result["contested_candidates"], result["added_contested"]) == (0, 0)
    # every bot reply outside the sample is scored (the passed for doubt, the flagged for contest), no agent draft
    assert sorted(fake.calls) == sorted(REPLIES)
    body = svc.list_reviews(BANK, {})["items"]
    assert {(i["selection"], i["model_p"]) for i in body} == {("doubted", round(p, 3)) for p, _ in DOUBTED}


def test_the_cap_keeps_the_highest_probabilities(svc):
    result = svc.sample_week("bank-one", NOW, size=0, doubted_size=2)
    assert (result["doubted_candidates"], result["doubted"], result["added"]) == (4, 2, 2)
    kept = sorted((i.model_p for i in queued(svc).values()), reverse=True)
    assert kept == [0.983, 0.961]
    # the default cap is the sample size
    other = make_service(FakeModel())
    for n, (text, (verdict, _)) in enumerate(REPLIES.items()):
        record(other, n, text, verdict)
    defaulted = other.sample_week("bank-one", NOW, size=1)
    assert (defaulted["sampled"], defaulted["doubted"], defaulted["added_doubted"]) == (1, 1, 1)


def test_ties_are_broken_by_verdict_id_so_the_choice_is_reproducible():
    svc = make_service(lambda r: 0.9)
    recs = [record(svc, n, f"回复{n}") for n in range(5)]
    svc.sample_week("bank-one", NOW, size=0, doubted_size=3)
    assert sorted(i.verdict_id for i in svc.reviews.list("bank-one")) == sorted(r.verdict_id for r in recs)[:3]


def test_a_reply_in_the_random_sample_keeps_sample_and_is_queued_once(fake):
    svc = make_service(fake)
    recs = [record(svc, n, t, v) for n, (t, (v, _)) in enumerate(REPLIES.items())]
    size = 4
    sampled = {r.text for r in sample_for_review(recs, size, seed=f"bank-one:{WEEK}", key=lambda r: r.verdict_id)}
    assert sampled & {t for _, t in DOUBTED} and {t for _, t in DOUBTED} - sampled  # the draw overlaps, partly
    result = svc.sample_week("bank-one", NOW, size=size, doubted_size=10)
    items = queued(svc)
    assert {t for t, i in items.items() if i.selection == "sample"} == sampled
    assert all(items[t].model_p is None for t in sampled)
    assert {t for t, i in items.items() if i.selection == "doubted"} == {t for _, t in DOUBTED} - sampled
    assert result["added"] == len(items) == len(sampled | {t for _, t in DOUBTED})
    assert len({i.verdict_id for i in items.values()}) == len(items)
    # the cap counts doubted items only: the sampled ones do not use it up
    svc2 = make_service(fake)
    for n, (t, (v, _)) in enumerate(REPLIES.items()):
        record(svc2, n, t, v)
    assert svc2.sample_week("bank-one", NOW, size=size, doubted_size=1)["added_doubted"] == 1


def test_everything_sampled_leaves_nothing_to_doubt(svc):
    result = svc.sample_week("bank-one", NOW, size=100, doubted_size=100)
    assert result["added_doubted"] == 0 and result["added"] == len(REPLIES)
    assert {i.selection for i in svc.reviews.list("bank-one")} == {"sample"}


def test_a_rerun_of_the_week_adds_nothing_twice_and_keeps_labels_and_selection(svc):
    first = svc.sample_week("bank-one", NOW, size=2, doubted_size=2)
    doubted = next(i for i in svc.reviews.list("bank-one") if i.selection == "doubted")
    svc.label(BANK, doubted.review_id, {"confirmed_rule_ids": [], "verdict": "block", "officer": "o-1"})
    again = svc.sample_week("bank-one", NOW, size=2, doubted_size=2)
    assert first["added"] == 4 and (again["added"], again["added_doubted"]) == (0, 0)
    later = svc.sample_week("bank-one", NOW + timedelta(hours=2), size=2, doubted_size=2)
    assert later["added"] == 0 and len(svc.reviews.list("bank-one")) == 4
    kept = svc.reviews.get("bank-one", doubted.review_id)
    assert kept is not None
    assert (kept.status, kept.selection, kept.model_p) == ("labelled", "doubted", doubted.model_p)


def test_negative_caps_are_refused(svc):
    with pytest.raises(ValidationError) as err:
        svc.sample_week("bank-one", NOW, size=1, doubted_size=-1)
    assert err.value.field == "doubted_size"


def test_stats_count_the_random_sample_only_and_summarise_the_doubted_apart(fake):
    svc = make_service(fake)
    for n, (t, (v, _)) in enumerate(REPLIES.items()):
        record(svc, n, t, v)
    svc.sample_week("bank-one", NOW, size=2, doubted_size=10)
    items = svc.reviews.list("bank-one")
    sample = [i for i in items if i.selection == "sample"]
    doubted = sorted((i for i in items if i.selection == "doubted"), key=lambda i: i.review_id)
    assert len(doubted) >= 2 and len(sample) == 2
    # officers: a doubted reply is a real miss (FUND-MISS), another is fine; the first sampled one is a miss too
    miss = {"confirmed_rule_ids": ["FUND-MISS"], "verdict": "block", "officer": "o-1"}
    fine = {"confirmed_rule_ids": [], "verdict": "pass", "officer": "o-1"}
    svc.label(BANK, doubted[0].review_id, miss)
    svc.label(BANK, doubted[1].review_id, fine)
    svc.label(BANK, sample[0].review_id, {**miss, "confirmed_rule_ids": ["FUND-X"]})
    stats = svc.review_stats(BANK, {})
    assert (stats["labelled"], stats["pending"]) == (1, len(sample) - 1)
    by_rule = {r["rule_id"]: r for r in stats["rules"]}
    assert "FUND-MISS" not in by_rule  # the doubted miss does not pull a rule's recall down
    assert stats["doubted"] == {"total": len(doubted), "labelled": 2, "pending": len(doubted) - 2,
                                "violations": 1, "precision": 0.5}
    only_doubted = make_service(FakeModel())
    assert only_doubted.review_stats(BANK, {})["doubted"] == {
        "total": 0, "labelled": 0, "pending": 0, "violations": 0, "precision": None}


def test_items_stored_before_the_selection_existed_read_as_sample():
    from tridesk.finance.compliance import store

    old = {"week": WEEK, "verdict_id": "v1", "recorded_at": NOW.isoformat(), "business_line": "fund",
           "region": "CN", "lang": "zh", "text": "您好", "verdict": "pass", "predicted": [],
           "ruleset_version": "fund@1.6.0"}
    item = store._review_from(store.ReviewRecord(tenant_id="t", review_id=f"{WEEK}-v1", data=json.dumps(old),
                                                 status="pending"))
    assert (item.selection, item.model_p) == ("sample", None)
    assert (item.to_dict()["selection"], item.to_dict()["model_p"]) == ("sample", None)


def test_the_dynamo_store_keeps_selection_and_probability(monkeypatch):
    from tridesk.finance.compliance import store

    saved: list[store.ReviewRecord] = []
    monkeypatch.setattr(store.ReviewRecord, "save", lambda self, **kw: saved.append(self))
    item = ReviewItem(
        tenant_id="t", review_id=f"{WEEK}-v2", week=WEEK, verdict_id="v2", recorded_at=NOW, business_line="fund",
        region="CN", lang="zh", text="放心", verdict="pass", predicted=(), ruleset_version="fund@1.6.0",
        selection="doubted", model_p=0.961,
    )
    assert store.DynamoReviewStore().add(item) is True
    back = store._review_from(saved[0])
    assert (back.selection, back.model_p) == ("doubted", 0.961) and back == item


def test_the_real_model_scores_the_stored_reply():
    svc = make_service()  # the shipped weights
    text = "Yes, it's fully protected, you won't have any problem."
    rec = record(svc, 1, text, line="wealth")
    record(svc, 2, "Your card has been dispatched and should arrive within five days.", line="wealth")
    p = model.predict_proba(text, "en", "wealth")
    assert p > model.CHOSEN.threshold and model_doubt(rec) == p
    svc.sample_week("bank-one", NOW, size=0, doubted_size=5)
    [item] = svc.reviews.list("bank-one")
    assert (item.verdict_id, item.selection, item.model_p) == (rec.verdict_id, "doubted", round(p, 3))


def test_the_scan_path_neither_scores_nor_imports_the_model():
    fake = FakeModel()
    svc = make_service(fake)
    svc.check_reply(BANK, {"text": "放心，这个不会亏的。", "business_line": "fund"})
    assert fake.calls == []
    code = (
        "import sys\n"
        "from tests.fakes.compliance_stores import MemoryReviews, MemoryRulesets, MemoryTemplates, MemoryVerdicts\n"
        "from tridesk.core.tenants import Tenant\n"
        "from tridesk.finance.compliance import check_reply, firewall\n"
        "svc = firewall.ComplianceService(MemoryVerdicts(), MemoryRulesets(), MemoryTemplates(), MemoryReviews())\n"
        "tenant = Tenant('b', 'B', 'finance', regions=('CN',), rule_packs=('fund',))\n"
        "assert svc.check_reply(tenant, {'text': '放心，这个不会亏的。', 'business_line': 'fund'})['verdict_id']\n"
        "assert 'tridesk.finance.compliance.model' not in sys.modules, 'the scan path imported the model'\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'layers' / 'common' / 'python'}{os.pathsep}{ROOT}"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env=env)
    assert done.returncode == 0, done.stderr


def test_the_scan_answer_carries_the_second_opinion_on_what_the_rules_pass(fake: FakeModel):
    service = make_service(fake)
    # GIVEN a reply the rules pass, which the model scores 0.30 (below the threshold)
    plain = service.check_reply(BANK, {"text": "基金净值每个交易日更新。", "business_line": "fund", "lang": "zh"})
    assert plain["verdict"] == "pass"
    assert plain["second_opinion"] == {"probability": 0.3, "doubt": False}
    # a reply the rules pass but the model doubts (the fake gives unknown texts 0.99): doubted, verdict unchanged
    doubted = service.check_reply(BANK, {"text": "您的申购已受理，份额将在T+1日确认。", "business_line": "fund", "lang": "zh",
                                         "source": "agent"})
    assert doubted["verdict"] == "pass" and doubted["second_opinion"] == {"probability": 0.99, "doubt": True}
    stored = {r.verdict_id: r for r in service.verdicts.between("bank-one", NOW - timedelta(days=3650),
                                                                  NOW + timedelta(days=3650), 100)}
    assert stored[doubted["verdict_id"]].verdict == "pass"
    # the rules flag it: the model is not asked and there is no second opinion
    asked = len(fake.calls)
    blocked = service.check_reply(BANK, {"text": "这只基金零风险，保证不亏。", "business_line": "fund", "lang": "zh"})
    assert blocked["verdict"] == "block" and "second_opinion" not in blocked and len(fake.calls) == asked


def test_rule_flags_the_model_finds_unlikely_are_queued_as_contested_and_reported_apart():
    probabilities = {"您好，这款基金不保本，请谨慎。": 0.03, "谨防冒充客服的“稳赚不赔”骗局。": 0.08,
                     "这只基金零风险。": 0.99, "基金净值每个交易日更新。": 0.2}
    svc = make_service(lambda r: probabilities[r.text])
    # GIVEN two flagged replies the model finds unlikely (<= VETO 0.10), one it agrees with, one passed
    for n, text in enumerate(probabilities):
        record(svc, n, text, "pass" if text.startswith("基金净值") else "block")
    result = svc.sample_week("bank-one", NOW, size=0, doubted_size=10)
    # THEN the two are queued as contested, lowest probability first within the cap
    items = queued(svc)
    assert {t: (i.selection, i.model_p) for t, i in items.items()} == {
        "您好，这款基金不保本，请谨慎。": ("contested", 0.03), "谨防冒充客服的“稳赚不赔”骗局。": ("contested", 0.08)}
    assert (result["contested_candidates"], result["contested"], result["added_contested"], result["added"]) == (2, 2, 2, 2)
    capped = make_service(lambda r: probabilities[r.text])
    for n, text in enumerate(probabilities):
        record(capped, n, text, "pass" if text.startswith("基金净值") else "block")
    capped.sample_week("bank-one", NOW, size=0, doubted_size=1)
    assert [i.model_p for i in capped.reviews.list("bank-one")] == [0.03]

    # the officers find one compliant: the veto would have been right once in two; the per-rule figures ignore both
    first, second = sorted(svc.reviews.list("bank-one"), key=lambda i: i.model_p)
    svc.label(BANK, first.review_id, {"confirmed_rule_ids": [], "verdict": "pass", "officer": "o1"})
    svc.label(BANK, second.review_id, {"confirmed_rule_ids": list(second.predicted), "verdict": "block", "officer": "o1"})
    stats = svc.review_stats(BANK, {})
    assert stats["contested"] == {"total": 2, "labelled": 2, "pending": 0, "compliant": 1, "veto_precision": 0.5}
    assert stats["labelled"] == 0 and stats["rules"] == []
