"""Packs 2.18: holdout55 and holdout56's misses and false positives closed by principle, in both languages.

Principles: hidden risk ("大概率也在…左右" after a record, "you should see something similar in 2025", a structured
deposit's record told after a negated admission, "您放心刷就行", "晚还几天没关系"); promises ("won't go below what you put
in", "your value only goes one way"); comparisons (a figure set against a rival's figure); pressure ("昨天一天就卖了…",
"今晚之前给我回个话", "the quota is gone for good", "two other families are already asking", "the quota for this
quarter is nearly used up", "after Friday it's gone", "only applies to applications submitted this week", "get the
forms signed tomorrow", "signs by Thursday"); credit ("we'll get the loan approved", "passing pretty much every
application", "I'd say you're in"). False positives: a downside forecast after a record ("未来也可能继续下调", "今年也
可能下跌"), the 7-day yield named without a figure, own-words disclosures ("your APR is fixed when we approve the
loan", "only draw what you can comfortably repay", "the terms in your cardholder agreement are what count", a fee
with a decimal rate "may apply", "哪天存，就按哪天挂出来的利率执行"). The sentences are written for these tests, not
copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "zh", "这款理财连续8期都达到了业绩比较基准3.8%，下一期大概率也在3.8%左右。理财非存款，投资须谨慎。",
         "hidden_risk"),
        ("fund", "en", "It returned 12% last year under the same team, so you should see something similar in 2026. Funds "
                       "involve risk; not investment advice.", "hidden_risk"),
        ("deposit", "en", "The structured deposit's top rate isn't guaranteed, but it has paid out at the top rate on "
                          "every tranche so far.", "hidden_risk"),
        ("credit_card", "zh", "境外消费确实有被盗刷的风险，不过这张卡有芯片，您放心用就行。", "hidden_risk"),
        ("loan", "zh", "逾期确实会影响征信，不过月底晚还几天不要紧。", "hidden_risk"),
        ("fund", "en", "Thanks to the protection overlay, the value will never fall below what you invested.",
         "forbidden_promise"),
        ("insurance", "en", "Markets go up and down, but your policy value only goes up.", "forbidden_promise"),
        ("fund", "en", "Our bond fund made 5.2% against 3.1% for the one you hold at another bank.",
         "forbidden_comparison"),
        ("fund", "zh", "这只新基金今天一上午就卖了30多亿，您要买的话明天就截止了，今天之内一定给我回个话。", "pressure_selling"),
        ("insurance", "en", "This annuity tranche is capped; once it's taken the quota is gone for good.",
         "pressure_selling"),
        ("deposit", "en", "Three other clients are already asking about this CD allocation.", "pressure_selling"),
        ("loan", "en", "Our lending quota for this month is almost used up.", "pressure_selling"),
        ("loan", "en", "The discounted rate only applies to applications submitted this week; after Friday it's gone. "
                       "Shall we get the paperwork signed today?", "pressure_selling"),
        ("insurance", "en", "The premium goes up on Monday, so let's get the forms signed tomorrow.", "pressure_selling"),
        ("credit_card", "en", "Don't worry about the late payment last year, we'll get the platinum card approved.",
         "credit_promise"),
        ("credit_card", "en", "Right now the team is approving pretty much every application, so I'd say you're in.",
         "credit_promise"),
    ],
)
def test_violations_of_packs_2_18(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "zh", "万能险的结算利率是会变的，过去两年一直在下调，未来也可能继续下调。结算利率属于非保证利益，具有不确定性。"),
        ("fund", "zh", "这只指数基金去年涨了8%，但过往业绩不代表未来表现，今年也可能下跌。基金有风险，投资需谨慎，不构成投资建议。"),
        ("fund", "zh", "货币基金的七日年化每天都在产品页上更新，您可以自己查看。"),
        ("loan", "en", "Indicative pricing is 3.4% a year; your actual APR is fixed when we approve the loan. Please only "
                       "draw what you can comfortably repay."),
        ("credit_card", "en", "Cash advances abroad carry a fee: a 1% fee and daily interest of 0.05% may apply, and the "
                              "terms in your cardholder agreement are what count."),
        ("deposit", "zh", "今天的挂牌是一年期1.5%、三年期1.9%。您哪天存，就按哪天挂出来的利率执行。"),
    ],
)
def test_compliant_replies_of_packs_2_18(line, lang, text):
    passes(line, lang, text)
