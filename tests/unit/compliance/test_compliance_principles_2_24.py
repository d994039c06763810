"""Packs 2.24: holdout85..holdout88's false positives closed by principle, in both languages.

Principles: a loan or deposit the customer already has ("当前执行利率为3.95%", "年化4.1%，剩余18期", "the current rate on
your account is 3.95%", "your existing loan's contract rate", "您这笔定期是2023年存的", "your 3-year deposit opened in 2022
is at 2.6%") is an account fact; a term explained ("年化收益率就是把…换算成一年的比例", "APR means the …") is no claim;
a holding's own result ("持仓收益为+1,236.50元"); fees that are no return or card-fee claim ("the management fee is 0.3% a
year", "the annual fee of 200 yuan is waived"); "收益是不确定的" is no figure; own-words notices ("is not a regular deposit
… investment risk", "you might get only the min. return", "the exact charges are in your cardholder agreement",
"风险等级与您的承受能力一致", "invest w/ caution", "funds aren't risk-free"); mentions ("凡自称可以代办包过的",
"已不再承诺保本", a question the reply restates and answers no: "Can you guarantee I get 3%? No one can guarantee that.").
The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes, scan


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("loan", "zh", "您尾号5521的住房贷款当前执行利率为3.85%，下一个重定价日为明年1月1日。", None),
        ("loan", "zh", "您这笔贷款年化3.9%，剩余24期，下期还款2,870元。", None),
        ("loan", "en", "The current rate on your account is 3.85%; it resets on 1 January.", None),
        ("loan", "en", "From January your payment is 3,980 yuan. That is your existing loan's contract rate applied.",
         "Why did my payment change?"),
        ("deposit", "zh", "您这笔定期是2022年存的，到期之前利率不变。", None),
        ("deposit", "en", "Your 3-year deposit opened in 2022 is at 2.6% until it matures.", None),
        ("wealth", "zh", "年化收益率就是把一段时间的收益换算成一年的比例，不等于您一定能拿到。", None),
        ("fund", "zh", "您这只债基截至昨日持仓收益为+860.20元，明细可在手机银行查看。", None),
        ("fund", "en", "The management fee is 0.5% a year and the custody fee 0.1%, both charged daily.", None),
        ("credit_card", "en", "The annual fee of 300 yuan is waived after six purchases a year.", None),
        ("wealth", "zh", "理财产品的收益是不确定的，可能高也可能低。", None),
        ("deposit", "en", "A structured deposit is not a regular deposit: part of the return depends on an index.", None),
        ("deposit", "en", "Structured deposits carry investment risk and you might get only the min. return.", None),
        ("credit_card", "en", "A cash advance is never interest-free; the exact charges are in your cardholder agreement.",
         None),
        ("fund", "en", "7-day annualised 1.7%. Funds aren't risk-free, invest w/ caution; past yields don't tell you "
                       "future ones. Not investment advice.", None),
        ("loan", "zh", "凡自称可以代办包过的都不是我行工作人员，请勿付费。", None),
        ("wealth", "zh", "银行理财已不再承诺保本，净值可能波动。", None),
        ("wealth", "en", "Can you guarantee I will get at least 3% on this? No one can guarantee that; the benchmark is not "
                         "a promised return.", None),
        ("fund", "en", "Will this fund definitely beat inflation? We cannot promise that. Funds can lose value.", None),
    ],
)
def test_compliant_replies_of_packs_2_24(line, lang, text, question):
    passes(line, lang, text, question)


def test_the_shanghai_risk_level_sentence_with_the_tolerance_said_short():
    text = "年化2.8%起的那款在产品页。理财非存款，有风险，投资须谨慎；不构成投资建议；请确保其风险等级与您的承受能力一致。"
    assert scan("wealth", "zh", text, region="CN-SH").verdict == "pass"


@pytest.mark.parametrize(
    "line,lang,text,category,verdict",
    [
        # a quote for a loan being applied for is still a quote, "您这笔" or not
        ("loan", "zh", "您这笔消费贷年化利率为3.6%，期限三年。", "missing_disclosure", "fix"),
        ("loan", "zh", "您这笔装修贷年化利率3.45%起。", "missing_disclosure", "fix"),
        # a rollover at today's rate is a quote
        ("deposit", "zh", "您这笔定期到期后自动转存，目前一年期利率是1.45%。", "missing_disclosure", "fix"),
        # a settlement rate that the account accrues at still needs its notice
        ("insurance", "zh", "万能账户上个月结算利率是2.8%，您账户里的钱就是按这个算的。", "missing_disclosure", "fix"),
        # a holding's annualised yield is a return figure
        ("fund", "zh", "您持有的“周周宝”截至昨日累计收益200元，折合年化约2.6%。", "missing_disclosure", "fix"),
        # a question answered yes is no mention
        ("wealth", "en", "Can you guarantee I get 3%? Yes, you will definitely get 3%.", "forbidden_promise", "block"),
        # a fee next to a return leaves the return a claim
        ("fund", "en", "It returned 9% a year since launch, and the management fee is 0.5% a year.",
         "missing_disclosure", "fix"),
    ],
)
def test_violations_kept_by_packs_2_24(line, lang, text, category, verdict):
    flagged_as(line, lang, text, category, verdict)
