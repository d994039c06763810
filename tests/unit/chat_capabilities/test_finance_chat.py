"""The finance wealth-product capability: its own answer passes the compliance scan unchanged."""

from __future__ import annotations

import pytest

from tests.fakes.chat_context import context
from tridesk.core import capabilities
from tridesk.core.tenants import Tenant
from tridesk.finance import chat
from tridesk.finance.compliance import scan

BANK = Tenant("demo-finance", "Demo bank", "finance", regions=("CN", "CN-SH"))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("region", ["CN", "CN-SH"])
@pytest.mark.parametrize("text", ["稳盈180天风险等级是什么", "你们那个90天的理财产品收益怎么样"])
def test_the_wealth_answer_passes_the_scan_as_it_is(lang: str, region: str, text: str) -> None:
    ctx = context(BANK, "wealth_product_question", text, lang=lang)
    reply = chat.wealth_product_question(ctx)
    said = reply.text.get(lang)
    result = scan({"text": said, "business_line": "wealth", "region": region, "lang": lang})
    assert result["verdict"] == "pass", result["findings"]
    assert chat.compliance_check(said, ctx).verdict == "pass"


def test_the_wealth_answer_names_the_product_and_the_disclosures() -> None:
    reply = chat.wealth_product_question(context(BANK, "wealth_product_question", "稳盈180天风险等级是什么"))
    assert "“稳盈180天”" in reply.text.zh and '"稳盈180天"' in reply.text.en
    assert "理财非存款" in reply.text.zh and "不构成投资建议" in reply.text.zh
    assert "not deposits" in reply.text.en and "does not constitute investment advice" in reply.text.en
    assert reply.cards[0]["product"] == "稳盈180天" and reply.resolved is None


def test_registration_keeps_the_check_and_adds_the_capability() -> None:
    chat.register()
    assert capabilities.handler_for("finance", "wealth_product_question") is chat.wealth_product_question
    assert chat.compliance_check in capabilities.reply_checks("finance")


SUBTLE = "这款产品历史上从来没有亏过，今年大概率还是三个点左右，您放心拿着就行。"


def test_a_reply_the_rules_pass_but_the_second_opinion_doubts_is_held_back(monkeypatch) -> None:
    ctx = context(BANK, "wealth_product_question", "收益怎么样", lang="zh")
    rules_pass = {"verdict": "pass", "findings": [], "ruleset_version": "wealth@test"}
    monkeypatch.setattr(chat, "scan", lambda payload: rules_pass)
    scores: list[str] = []

    def doubt(text, lang, business_line, question=None):
        scores.append(business_line)
        return 0.93

    monkeypatch.setattr(chat.model, "predict_proba", doubt)
    # GIVEN the rules pass the reply and the second opinion gives it 0.93 (above the threshold)
    outcome = chat.compliance_check(SUBTLE, ctx)
    # THEN it is not sent: core hands over, and the probability is on the record
    assert outcome.verdict == "block" and outcome.detail["second_opinion"] == 0.93
    assert outcome.detail["ruleset_version"] == "wealth@test" and scores == ["wealth"]

    # below the threshold it goes out as the rules said
    monkeypatch.setattr(chat.model, "predict_proba", lambda *a, **k: 0.42)
    assert chat.compliance_check(SUBTLE, ctx).verdict == "pass"


def test_the_second_opinion_can_be_turned_off_and_never_overrides_a_rule_verdict(monkeypatch) -> None:
    monkeypatch.setattr(chat.model, "predict_proba", lambda *a, **k: 0.99)
    monkeypatch.setattr(chat, "scan", lambda payload: {"verdict": "pass", "findings": []})
    off = Tenant("bank-off", "Bank", "finance", regions=("CN",), settings={"compliance_second_opinion": "off"})
    outcome = chat.compliance_check(SUBTLE, context(off, "wealth_product_question", "收益", lang="zh"))
    assert outcome.verdict == "pass" and "second_opinion" not in outcome.detail

    # a fix stays a fix (the model is only asked about replies the rules pass)
    fix = {"verdict": "fix", "fixed_text": SUBTLE + "以上内容不构成投资建议。", "findings": [{"rule_id": "R"}]}
    monkeypatch.setattr(chat, "scan", lambda payload: fix)
    outcome = chat.compliance_check(SUBTLE, context(BANK, "wealth_product_question", "收益", lang="zh"))
    assert outcome.verdict == "fix" and outcome.text == fix["fixed_text"] and "second_opinion" not in outcome.detail


def test_the_shipped_second_opinion_lets_the_bots_own_answers_through() -> None:
    for lang in ("zh", "en"):
        ctx = context(BANK, "wealth_product_question", "稳盈180天风险等级是什么", lang=lang)
        said = chat.wealth_product_question(ctx).text.get(lang)
        outcome = chat.compliance_check(said, ctx)
        assert outcome.verdict == "pass" and outcome.detail["second_opinion"] < chat.model.CHOSEN.threshold


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_shipped_second_opinion_lets_cores_own_replies_through(lang: str) -> None:
    from tridesk.core.i18n import BiText

    texts = [value for value in vars(capabilities).values() if isinstance(value, BiText)]
    assert len(texts) >= 4
    ctx = context(BANK, "greeting", "你好", lang=lang)
    for bi in texts:
        said = bi.get(lang).replace("{label}", "转账" if lang == "zh" else "transfers")
        outcome = chat.compliance_check(said, ctx)
        assert outcome.verdict == "pass", (said, outcome.detail)
        assert outcome.detail["second_opinion"] < chat.model.CHOSEN.threshold
