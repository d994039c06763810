"""Demo data of the compliance firewall: reply templates of demo-finance, a few per business line.

Impact analysis re-scans these (and recent replies) when a new rule-pack version is uploaded.
"""

from __future__ import annotations

from typing import Any

TENANT = "demo-finance"

TEMPLATES: list[dict[str, str]] = [
    {"business_line": "wealth", "template_id": "wealth-intro-zh", "lang": "zh",
     "text": "这款理财产品为R2级中低风险产品，业绩比较基准3.0%-3.5%。理财非存款，产品有风险，投资须谨慎。以上内容不构成投资建议。"},
    {"business_line": "wealth", "template_id": "wealth-intro-en", "lang": "en",
     "text": "This product is rated R2 (low to medium risk). Wealth management products are not deposits; "
             "investment involves risk, please invest with caution. This does not constitute investment advice."},
    {"business_line": "wealth", "template_id": "wealth-redeem-zh", "lang": "zh",
     "text": "您的理财产品到期后，本金及收益预计在1-2个工作日内到账。"},
    {"business_line": "wealth", "template_id": "wealth-sh-risk-zh", "lang": "zh", "region": "CN-SH",
     "text": "购买前请完成风险测评，确认产品风险等级与您的风险承受能力相匹配。"},
    {"business_line": "fund", "template_id": "fund-nav-zh", "lang": "zh",
     "text": "基金净值每个交易日更新，可在App“持仓”页面查看。"},
    {"business_line": "fund", "template_id": "fund-risk-en", "lang": "en",
     "text": "Funds involve risk; please invest with caution. Past performance does not indicate future performance."},
    {"business_line": "insurance", "template_id": "insurance-dividend-zh", "lang": "zh",
     "text": "分红险的分红水平取决于保险公司的实际经营状况，分红是不确定的，可能为零。"},
    {"business_line": "insurance", "template_id": "insurance-cooling-en", "lang": "en",
     "text": "You can cancel the policy within the 15-day cooling-off period for a full refund of the premium."},
    {"business_line": "deposit", "template_id": "deposit-rate-zh", "lang": "zh",
     "text": "三年期定期存款年利率以办理当日挂牌利率为准，可在网点或App查询。"},
    {"business_line": "deposit", "template_id": "deposit-insurance-en", "lang": "en",
     "text": "Deposits are protected by the deposit insurance scheme up to 500,000 yuan per depositor."},
    {"business_line": "credit_card", "template_id": "card-apply-zh", "lang": "zh",
     "text": "信用卡申请提交后，审批结果以银行审核为准，一般3-5个工作日内短信通知。"},
    {"business_line": "credit_card", "template_id": "card-instalment-en", "lang": "en",
     "text": "You can split this bill into 12 instalments; fees apply and the rates in your agreement and statement apply."},
    {"business_line": "loan", "template_id": "loan-rate-zh", "lang": "zh",
     "text": "贷款年化利率（单利）以审批结果为准，请理性借贷、按时还款。"},
    {"business_line": "loan", "template_id": "loan-repay-en", "lang": "en",
     "text": "Your repayment is due on the 15th of each month; repaying early is free of charge."},
]


def seed(stack: Any) -> None:
    """Store demo-finance's reply templates (idempotent: same keys, same items)."""
    from tridesk.finance.compliance.firewall import ReplyTemplate
    from tridesk.finance.compliance.store import DynamoTemplateStore

    store = DynamoTemplateStore()
    for t in TEMPLATES:
        store.put(TENANT, ReplyTemplate(t["template_id"], t["business_line"], t["lang"], t["text"],
                                        t.get("region", "CN")))
