"""Finance in the conversation core: every reply to a finance tenant passes the compliance scan.

Registered with core's capability registry when the API's chat routes import this module.
The scan's verdict decides: ``pass`` sends the reply, ``fix`` sends ``fixed_text`` (the
required disclosures added), ``block`` makes core send its safe fallback and hand over.
"""

from __future__ import annotations

from tridesk.core.capabilities import ChatContext, CheckOutcome, register_reply_check
from tridesk.finance.compliance import scan

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
    result = scan({"text": text, "business_line": business_line(ctx), "region": region, "lang": ctx.lang})
    verdict = result.get("verdict", "block")
    if verdict == "fix" and not result.get("fixed_text"):
        verdict = "block"
    return CheckOutcome(
        verdict=verdict,
        text=result.get("fixed_text") if verdict == "fix" else None,
        detail={
            "ruleset_version": result.get("ruleset_version"),
            "rule_ids": [f.get("rule_id") for f in result.get("findings", [])],
        },
    )


register_reply_check("finance", "compliance.scan", compliance_check)
