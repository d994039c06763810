"""The compliance firewall through the API on the local stack: scans, rule-pack versions, the review loop."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

from tests.compliance_checks import PACK_VERSIONS
from tridesk.finance.compliance import model
from tridesk.finance.compliance.service import bundled_texts

FINANCE = {"X-Tenant-Id": "demo-finance"}


def scan(stack, headers=FINANCE, **body):
    return requests.post(f"{stack.api_url}/v1/compliance/scan", json=body, headers=headers, timeout=10)


@pytest.fixture(scope="module")
def tenant(stack):
    """A fresh finance tenant, so activating versions does not change demo-finance for other tests."""
    return new_finance_tenant(stack)


def new_finance_tenant(stack) -> dict[str, str]:
    tenant_id = f"fin-{uuid.uuid4().hex[:8]}"
    result = stack.run_state_machine("ProvisionTenantStateMachine", {"tenant": {
        "tenant_id": tenant_id, "name": "Test Bank", "industry": "finance", "regions": ["CN", "CN-SH"],
        "rule_packs": ["wealth", "fund", "loan"],
    }})
    assert result["status"] == "SUCCEEDED", result
    return {"X-Tenant-Id": tenant_id}


def test_scan_in_both_languages_pass_fix_block(stack):
    # a rate claim without disclosures: fix, with the disclosures appended
    fix = scan(stack, text="这款理财近三个月年化收益3.1%。", business_line="wealth", region="CN", lang="zh")
    assert fix.status_code == 200, fix.text
    body = fix.json()
    assert body["verdict"] == "fix" and body["fixed_text"].endswith("以上内容不构成投资建议。")
    assert body["findings"][0]["category"] == "missing_disclosure" and body["verdict_id"]
    # a plain service reply: pass, no fixed_text
    ok = scan(stack, text="Your card has been dispatched and should arrive within five days.",
              business_line="credit_card", lang="en").json()
    assert ok["verdict"] == "pass" and "fixed_text" not in ok and ok["findings"] == []
    # ... with the learned second opinion on it (the shipped model: a plain reply is not doubted)
    assert ok["second_opinion"]["doubt"] is False and 0.0 <= ok["second_opinion"]["probability"] < 0.5
    assert "second_opinion" not in fix.json()
    # a promise: block, with the span of the offending words
    text = "Don't worry, this fund is risk-free."
    block = scan(stack, text=text, business_line="fund", lang="en", source="agent").json()
    assert block["verdict"] == "block"
    start, end = block["findings"][0]["span"]
    assert text[start:end].lower() == "risk-free"


def test_the_seed_examples(stack):
    good = scan(stack, text="This wealth product has had good recent returns.", business_line="wealth", lang="en").json()
    assert good["verdict"] == "fix"
    assert "does not constitute investment advice" in good["fixed_text"]
    hidden = scan(stack, text="It's not capital guaranteed, but the historical return is stable.",
                  business_line="wealth", lang="en").json()
    assert hidden["verdict"] == "block"
    assert "hidden_risk" in {f["category"] for f in hidden["findings"]}


def test_region_override_for_shanghai(stack):
    text = "这款理财近一年年化收益3.2%。理财非存款，产品有风险，投资须谨慎。以上内容不构成投资建议。"
    national = scan(stack, text=text, business_line="wealth", region="CN").json()
    shanghai = scan(stack, text=text, business_line="wealth", region="CN-SH").json()
    assert national["verdict"] == "pass"
    assert shanghai["verdict"] == "fix" and "风险承受能力" in shanghai["findings"][0]["required_phrase"]
    assert "wealth-cn-sh@" in shanghai["ruleset_version"] and "wealth-cn-sh@" not in national["ruleset_version"]


@pytest.mark.parametrize(
    ("headers", "body", "status", "field"),
    [
        (FINANCE, {"business_line": "wealth"}, 400, "text"),
        (FINANCE, {"text": "您好", "business_line": "gold"}, 400, "business_line"),
        (FINANCE, {"text": "您好", "business_line": "wealth", "region": "US"}, 403, "region"),
        (FINANCE, {"text": "您好", "business_line": "wealth", "lang": "fr"}, 400, "lang"),
        (FINANCE, {"text": "您好", "business_line": "wealth", "source": "robot"}, 400, "source"),
        ({"X-Tenant-Id": "demo-ecommerce"}, {"text": "您好", "business_line": "wealth"}, 403, None),
    ],
)
def test_bad_input_names_the_field(stack, headers, body, status, field):
    response = scan(stack, headers=headers, **body)
    assert response.status_code == status, response.text
    assert response.json()["error"]["field"] == field


def test_verdict_record_keeps_no_raw_personal_data(stack):
    from tridesk.finance.compliance.store import VerdictItem

    text = "已为您绑定卡号6222021234567890128，请核对。"
    body = scan(stack, text=text, business_line="credit_card").json()
    assert body["verdict"] == "fix" and "6222021234567890128" not in body["fixed_text"]
    record = VerdictItem.get("demo-finance", body["verdict_id"])
    assert "6222021234567890128" not in record.text and record.text.count("*") == 15
    assert record.ruleset_version == body["ruleset_version"] and json.loads(record.rule_ids) == ["BASE-PERSONAL-DATA"]
    assert record.expires_at is not None and record.source == "bot"


def _wealth_v2() -> str:
    """The shipped wealth pack as version 9.0.0 (above any shipped one), with a benchmark notice and a ban on "爆款"."""
    text = re.sub(r"(?m)^version: .*$", "version: 9.0.0", bundled_texts()["wealth.yaml"], count=1)
    return text + """
  benchmark_notice:
    zh: 业绩比较基准不代表产品实际收益。
    en: The performance benchmark is not the product's actual return.
    accept:
      zh: ['业绩比较基准不(代表|等于|构成)']
      en: ['\\bbenchmark\\s+(is\\s+not|does\\s+not)']

rules:
  - id: WEALTH-HOT-PRODUCT
    kind: forbidden
    category: superlative
    severity: block
    message: {zh: 不得以“爆款”等说法宣传理财产品。, en: Do not market a product as a "hot pick".}
    patterns: {zh: ['爆款'], en: ['\\bhot\\s+pick\\b']}
  - id: WEALTH-BENCHMARK
    kind: disclosure
    category: missing_disclosure
    severity: fix
    message: {zh: 提及业绩比较基准须说明其不代表实际收益。, en: A benchmark must be said not to be the actual return.}
    requires: [benchmark_notice]
    patterns: {zh: ['业绩比较基准'], en: ['\\bperformance\\s+benchmark\\b']}
"""


def test_ruleset_upload_impact_activate(stack, tenant):
    from tridesk.core.activity_store import DynamoActivityLog
    from tridesk.finance.compliance.firewall import ReplyTemplate
    from tridesk.finance.compliance.store import DynamoTemplateStore

    tenant_id = tenant["X-Tenant-Id"]
    DynamoTemplateStore().put(tenant_id, ReplyTemplate(
        "intro", "wealth", "zh", "业绩比较基准3.0%-3.5%。理财非存款，产品有风险，投资须谨慎。以上内容不构成投资建议。"))
    DynamoTemplateStore().put(tenant_id, ReplyTemplate("redeem", "wealth", "zh", "到期后本金及收益1-2个工作日到账。"))
    hot = "这款是我们行今年的爆款产品，欢迎了解。"
    before = scan(stack, headers=tenant, text=hot, business_line="wealth").json()
    assert before["verdict"] == "pass" and before["ruleset_version"] == PACK_VERSIONS["wealth"]

    # upload: stored, not active; the same upload again is a no-op
    version = f"v{uuid.uuid4().hex[:6]}"
    upload = {"version": version, "business_line": "wealth", "packs": {"wealth.yaml": _wealth_v2()}}
    created = requests.post(f"{stack.api_url}/v1/compliance/rulesets", json=upload, headers=tenant, timeout=10)
    assert created.status_code == 201, created.text
    assert created.json()["active"] is False
    assert "wealth@9.0.0" in created.json()["ruleset_versions"]["CN-SH"]
    again = requests.post(f"{stack.api_url}/v1/compliance/rulesets", json=upload, headers=tenant, timeout=10)
    assert again.status_code == 200
    clash = requests.post(f"{stack.api_url}/v1/compliance/rulesets", headers=tenant, timeout=10,
                          json={**upload, "packs": {"wealth.yaml": _wealth_v2().replace("爆款", "网红")}})
    assert clash.status_code == 409

    # impact, before activation: the reply that would now be blocked and the template that needs a notice
    impact = requests.post(f"{stack.api_url}/v1/compliance/rulesets/{version}/impact", json={}, headers=tenant,
                           timeout=10)
    assert impact.status_code == 200, impact.text
    report = impact.json()
    changes = {c["id"]: c for c in report["changes"]}
    assert changes[f"reply:{before['verdict_id']}"]["new_verdict"] == "block"
    assert changes[f"reply:{before['verdict_id']}"]["added_rules"] == ["WEALTH-HOT-PRODUCT"]
    assert changes["template:intro"]["old_verdict"] == "pass" and changes["template:intro"]["new_verdict"] == "fix"
    assert "template:redeem" not in changes and report["templates"] == 2
    assert report["transitions"]["pass->block"] >= 1 and report["active_version"] is None
    assert scan(stack, headers=tenant, text=hot, business_line="wealth").json()["verdict"] == "pass"

    # activate (idempotent), then scans report the new version
    url = f"{stack.api_url}/v1/compliance/rulesets/{version}/activate"
    first = requests.post(url, headers=tenant, timeout=10).json()
    second = requests.post(url, headers=tenant, timeout=10).json()
    assert (first["changed"], second["changed"]) == (True, False) and first["active"] is True
    after = scan(stack, headers=tenant, text=hot, business_line="wealth").json()
    assert after["verdict"] == "block" and "wealth@9.0.0" in after["ruleset_version"]
    sh = scan(stack, headers=tenant, text=hot, business_line="wealth", region="CN-SH").json()
    shanghai = PACK_VERSIONS["wealth CN-SH tail"].split("+")[1]
    assert sh["verdict"] == "block" and sh["ruleset_version"].endswith(f"wealth@9.0.0+{shanghai}")
    # other tenants keep the shipped packs
    assert scan(stack, text=hot, business_line="wealth").json()["verdict"] == "pass"
    stack.drain_queues()
    events = [e for e in DynamoActivityLog().list(tenant_id, limit=100) if e.type == "compliance.ruleset_activated"]
    assert len(events) == 1 and events[0].detail["version"] == version


def test_malformed_pack_is_rejected_with_file_and_line(stack, tenant):
    bad = re.sub(r"(?m)^version: .*$", "version: 1.6.0", bundled_texts()["wealth.yaml"], count=1) + """
rules:
  - id: BROKEN
    kind: forbidden
    category: superlative
    severity: critical
    message: {zh: 坏, en: bad}
    patterns: ['x+']
"""
    line = bad.splitlines().index("    severity: critical") + 1
    response = requests.post(f"{stack.api_url}/v1/compliance/rulesets", headers=tenant, timeout=10, json={
        "version": f"bad-{uuid.uuid4().hex[:6]}", "business_line": "wealth", "packs": {"wealth.yaml": bad}})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"].startswith(f"wealth.yaml:{line}:") and error["field"] == "packs.wealth.yaml"
    assert error["code"] == "invalid_rule_pack"
    unknown = requests.post(f"{stack.api_url}/v1/compliance/rulesets/nope-{uuid.uuid4().hex[:4]}/activate",
                            headers=tenant, timeout=10)
    assert unknown.status_code == 404 and unknown.json()["error"]["field"] == "version"
    not_enabled = scan(stack, headers=tenant, text="您好", business_line="deposit")
    assert not_enabled.status_code == 403 and not_enabled.json()["error"]["field"] == "business_line"


def test_weekly_review_sample_labels_and_stats(stack, tenant):
    texts = [
        "这只基金是同类第一，收益最高。",
        "基金净值每个交易日更新。",
        "This fund returned 8% last year.",
        "这只基金零风险。",
        "请在App中查看您的持仓。",
    ]
    for t in texts:
        assert scan(stack, headers=tenant, text=t, business_line="fund", lang="en" if t.isascii() else "zh").ok
    assert scan(stack, headers=tenant, text="这只基金稳赚。", business_line="fund", source="agent").ok
    event = {"time": (datetime.now(timezone.utc) + timedelta(minutes=1)).isoformat(),
             "detail": {"tenant_ids": [tenant["X-Tenant-Id"]], "size": 4, "doubted_size": 0}}
    lam = stack.client("lambda")
    name = stack.function_names["ComplianceReviewFunction"]
    runs = [json.loads(lam.invoke(FunctionName=name, Payload=json.dumps(event))["Payload"].read()) for _ in range(2)]
    assert [r["results"][0]["added"] for r in runs] == [4, 0]
    assert runs[0]["results"][0]["sampled"] == 4 and runs[0]["results"][0]["added_doubted"] == 0

    base = f"{stack.api_url}/v1/compliance/reviews"
    pending = requests.get(base, params={"status": "pending"}, headers=tenant, timeout=10).json()
    assert pending["total"] == 4
    assert all("稳赚" not in i["text"] for i in pending["items"])  # the agent's draft is not sampled
    flagged = next(i for i in pending["items"] if i["predicted_rule_ids"])
    rule = flagged["predicted_rule_ids"][0]
    label = {"confirmed_rule_ids": [], "verdict": "pass", "officer": "officer-7", "note": "false alarm"}
    url = f"{base}/{flagged['review_id']}/label"
    first = requests.post(url, json=label, headers=tenant, timeout=10)
    second = requests.post(url, json=label, headers=tenant, timeout=10)
    assert first.status_code == 200, first.text
    assert (first.json()["changed"], second.json()["changed"]) == (True, False)
    assert second.json()["item"]["label"]["officer"] == "officer-7"

    stats = requests.get(f"{base}/stats", headers=tenant, timeout=10).json()
    assert stats["labelled"] == 1 and stats["pending"] == 3 and stats["verdict_agreement"] == 0.0
    by_rule = {r["rule_id"]: r for r in stats["rules"]}
    assert by_rule[rule]["fp"] == 1 and by_rule[rule]["precision"] == 0.0
    labelled = requests.get(base, params={"status": "labelled"}, headers=tenant, timeout=10).json()
    assert [i["review_id"] for i in labelled["items"]] == [flagged["review_id"]]
    missing = requests.post(f"{base}/2026W01-nothing/label", json=label, headers=tenant, timeout=10)
    assert missing.status_code == 404


def test_weekly_review_queues_the_replies_the_model_doubts(stack):
    """The rules pass them, the learned second opinion doubts them: queued apart, counted apart."""
    tenant = new_finance_tenant(stack)  # its own tenant: the counts below are exact
    replies = [
        ("Yes, it's fully protected, you won't have any problem.", "wealth", "en"),
        ("Pretty much, it's one of our conservative ones.", "wealth", "en"),
        ("No, not really, it's a very steady fund.", "fund", "en"),
        ("不太可能，它主要买的是国债。", "fund", "zh"),
        ("基金净值每个交易日更新。", "fund", "zh"),
        ("请在App中查看您的持仓。", "fund", "zh"),
        ("这只基金零风险。", "fund", "zh"),
    ]
    doubted: dict[str, float] = {}
    for text, line, lang in replies:
        body = scan(stack, headers=tenant, text=text, business_line=line, lang=lang).json()
        p = model.predict_proba(text, lang, line)
        if body["verdict"] == "pass" and p > model.CHOSEN.threshold:
            doubted[text] = p
    assert scan(stack, headers=tenant, text="No, not really, it's a very steady fund.", business_line="fund",
                lang="en", source="agent").ok  # an agent's draft is never queued
    assert len(doubted) >= 3, doubted  # the premise: replies the rules pass and the model doubts
    top = sorted(doubted, key=doubted.get, reverse=True)[:2]

    lam = stack.client("lambda")
    name = stack.function_names["ComplianceReviewFunction"]
    when = (datetime.now(timezone.utc) + timedelta(minutes=1)).isoformat()

    def run(size: int, doubted_size: int) -> dict:
        event = {"time": when, "detail": {"tenant_ids": [tenant["X-Tenant-Id"]], "size": size,
                                          "doubted_size": doubted_size}}
        out = json.loads(lam.invoke(FunctionName=name, Payload=json.dumps(event))["Payload"].read())
        assert out["doubted_size"] == doubted_size, out
        return out["results"][0]

    first, again = run(0, 2), run(0, 2)
    assert (first["candidates"], first["sampled"], first["doubted_candidates"], first["doubted"]) == (
        len(replies), 0, len(doubted), 2)
    assert (first["added"], first["added_doubted"], again["added"]) == (2, 2, 0)
    base = f"{stack.api_url}/v1/compliance/reviews"
    items = requests.get(base, headers=tenant, timeout=10).json()["items"]
    assert {i["text"]: (i["selection"], i["model_p"]) for i in items} == {
        t: ("doubted", round(doubted[t], 3)) for t in top}

    # the whole week sampled: the rest joins as "sample", the doubted keep their selection, nothing twice
    full = run(100, 2)
    assert (full["sampled"], full["added"], full["added_doubted"]) == (len(replies), len(replies) - 2, 0)
    items = requests.get(base, headers=tenant, timeout=10).json()["items"]
    assert len(items) == len({i["verdict_id"] for i in items}) == len(replies)
    assert {i["text"] for i in items if i["selection"] == "doubted"} == set(top)
    assert all(i["model_p"] is None for i in items if i["selection"] == "sample")

    # labels: a doubted reply confirmed as a violation, a sampled one agreed with; the stats keep them apart
    by_text = {i["text"]: i for i in items}
    miss = {"confirmed_rule_ids": ["FUND-NO-LOSS-CLAIM"], "verdict": "block", "officer": "officer-7"}
    agreed = {"confirmed_rule_ids": [], "verdict": "pass", "officer": "officer-7"}
    for text, label in ((top[0], miss), ("请在App中查看您的持仓。", agreed)):
        done = requests.post(f"{base}/{by_text[text]['review_id']}/label", json=label, headers=tenant, timeout=10)
        assert done.status_code == 200, done.text
        assert done.json()["item"]["selection"] == by_text[text]["selection"]
    stats = requests.get(f"{base}/stats", headers=tenant, timeout=10).json()
    assert (stats["labelled"], stats["pending"], stats["verdict_agreement"]) == (1, len(replies) - 3, 1.0)
    assert "FUND-NO-LOSS-CLAIM" not in {r["rule_id"] for r in stats["rules"]}
    assert stats["doubted"] == {"total": 2, "labelled": 1, "pending": 1, "violations": 1, "precision": 1.0}
