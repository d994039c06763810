"""Finance in the conversation core: every reply to a finance tenant passes the compliance scan.

Registered with core's capability registry when the API's chat routes import this module.
The scan's verdict decides: ``pass`` sends the reply, ``fix`` sends ``fixed_text`` (the
required disclosures added), ``block`` makes core send its safe fallback and hand over.

A reply the rules pass is also shown to the learned second opinion (``compliance.model``); when it
doubts the reply (probability above ``CHOSEN.threshold``) the reply is not sent either: core hands
the conversation to a person, as for a block. The rules' verdict is not changed (the scan API and
the recorded verdicts stay the rules'); the tenant setting ``compliance_second_opinion: "off"``
turns this off. Measured on splits written blind and never trained on (docs/compliance.md,
"Learned second opinion"): recall on violations from 61-84% (the rules) to 90-100%, for 1-11 points
more false positives.

``wealth_product_question`` answers with what a customer may be told about any wealth product
without a product sheet: the risk rating and the suitability match, that the benchmark is not a
promise, liquidity and where the product's own documents are; it carries the wealth pack's risk
warning and the "not investment advice" statement itself, so the scan passes it unchanged.
"""

from __future__ import annotations

from tridesk.core.capabilities import ChatContext, CheckOutcome, Reply, register_capability, register_reply_check
from tridesk.core.i18n import BiText
from tridesk.finance.compliance import model, scan

#: the business line whose rule pack applies to a reply, by the intent it answers
BUSINESS_LINE_BY_INTENT = {
    "wealth_product_question": "wealth",
    "transfer": "deposit",
    "payment_problem": "credit_card",
    "account_security": "deposit",
}
DEFAULT_BUSINESS_LINE = "deposit"


def business_line(ctx: ChatContext) -> str:
    configured = ctx.tenant.settings.get("chat_business_line")
    if isinstance(configured, str) and configured:
        return configured
    return BUSINESS_LINE_BY_INTENT.get(ctx.intent.name, DEFAULT_BUSINESS_LINE)


def compliance_check(text: str, ctx: ChatContext) -> CheckOutcome:
    """Scan one outgoing reply with the tenant's first region's rules."""
    region = ctx.tenant.regions[0] if ctx.tenant.regions else "CN"
    line = business_line(ctx)
    result = scan({"text": text, "business_line": line, "region": region, "lang": ctx.lang})
    verdict = result.get("verdict", "block")
    if verdict == "fix" and not result.get("fixed_text"):
        verdict = "block"
    detail: dict[str, object] = {
        "ruleset_version": result.get("ruleset_version"),
        "rule_ids": [f.get("rule_id") for f in result.get("findings", [])],
    }
    if verdict == "pass" and ctx.tenant.settings.get("compliance_second_opinion", "hand_over") != "off":
        doubt = model.predict_proba(text, ctx.lang, line)
        detail["second_opinion"] = round(doubt, 3)
        if doubt > model.CHOSEN.threshold:
            verdict = "block"
    return CheckOutcome(verdict=verdict, text=result.get("fixed_text") if verdict == "fix" else None, detail=detail)




WEALTH_ANSWER = BiText(
    "关于{product}：1）每款理财产品都有风险等级（R1 谨慎型至 R5 激进型），只能购买不高于您风险测评结果的产品，"
    "请先在 App「理财」-「风险测评」完成或更新测评；2）产品说明书中的业绩比较基准只是参考，不代表未来表现，"
    "也不是对收益的承诺；3）请留意产品期限、能否提前赎回以及赎回到账时间；4）具体条款以产品说明书和风险揭示书为准，"
    "可在产品页查看。理财非存款，产品有风险，投资须谨慎。请确认产品风险等级与您的风险承受能力相匹配。以上内容不构成投资建议，如需一对一解答请回复“人工”。",
    "About {product}: 1) every wealth management product has a risk rating (R1 conservative to R5 aggressive), and "
    "you may only buy products at or below your risk assessment result; please complete or update the assessment "
    "under Wealth > Risk assessment in the app; 2) the performance benchmark in the product sheet is a reference only, "
    "it does not indicate future results and is not a promise of any return; 3) check the term, whether it can be "
    "redeemed early and how long a redemption takes to arrive; 4) the product sheet and the risk disclosure on the "
    "product page are what count. Wealth management products are not deposits; investment involves risk, please "
    "invest with caution. Please make sure the product's risk level matches your risk tolerance. This does not "
    'constitute investment advice; reply "agent" for a one-to-one answer.',
)
GENERIC_PRODUCT = BiText("我们的理财产品", "our wealth management products")


def wealth_product_question(ctx: ChatContext) -> Reply:
    """A compliant explanation of how a wealth product is rated, matched and documented.

    Resolved ``None``: it informs but does not settle a question about one product's figures, which
    the product sheet or an adviser answers.
    """
    product = ctx.intent.slots.get("product")
    name = BiText(f"“{product}”", f'"{product}"') if product else GENERIC_PRODUCT
    text = BiText(WEALTH_ANSWER.zh.format(product=name.zh), WEALTH_ANSWER.en.format(product=name.en))
    card = {"type": "wealth_guide", "product": product, "links": ["risk_assessment", "product_sheet", "risk_disclosure"]}
    return Reply(text, [card], resolved=None, action="finance.wealth.explained")


def register() -> None:
    """Put the compliance check and the finance capabilities into core's registry (idempotent; runs on import)."""
    register_reply_check("finance", "compliance.scan", compliance_check)
    register_capability("finance", "wealth_product_question", wealth_product_question)


register()
