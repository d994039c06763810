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
