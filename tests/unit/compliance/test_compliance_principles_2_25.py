"""Packs 2.25: holdout89..holdout100's false positives closed by principle, in both languages.

Principles: a deposit or loan the customer already holds, named by its servicing facts ("您2023年存入的那笔定期，合同利率
2.6%", "剩余本金", "your mortgage's current rate … repriced", "a contract rate of 4.35%, with RMB 182,000 outstanding") is an
account fact; a structured deposit's range needs its own notice, not the posted-rate one, and the notice counts in the
writer's words ("和普通存款不同，带有投资风险", "isn't the same as an ordinary deposit"); "best" and "最好" as advice ("the best
option is to leave it…", "最好放活期"); the guide's notices in the writer's words ("不同于存款，有亏损的可能，请谨慎投资",
"唔係存款", "去年赚多少不说明今年能赚多少", "not advising you to buy it", "保证利率以外的部分是不确定的", "what you pay is whatever
your card agreement shows"); a fee waived; rises and falls of a net value ("净值涨跌") are no gain; a term explained ("收益率是把…",
"意思是在LPR的基础上加…"). The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        # account facts
        ("deposit", "zh", "您2022年6月存入的那笔两年期定期，合同利率2.4%，到期日为2024年6月3日。", None),
        ("deposit", "zh", "查到了，您这笔是前年10月存的，合同约定利率2.5%，存期内利率不变。", "我那笔定期利率多少？"),
        ("loan", "zh", "您的车贷合同利率为年化4.3%，剩余本金6.2万元，下次扣款日为15号。", None),
        ("loan", "zh", "你那笔经营贷合同利率是3.9%，还剩5个月就还清了。", None),
        ("loan", "en", "Your home loan's current rate is 3.85%, repriced on 1 January under your contract.", None),
        ("loan", "en", "Your business loan has a contract rate of 4.1%, with RMB 90,000 outstanding.", None),
        ("loan", "en", "Your car loan is on a fixed 3.9% a year, with 14 monthly payments left.", None),
        # a structured deposit's range and its notice in the writer's words
        ("deposit", "en", "This structured deposit pays between 1.3% and 2.7% a year. It isn't the same as an ordinary "
                          "deposit: it carries investment risk, and you may get only the 1.3% minimum.", None),
        ("deposit", "zh", "这款结构性存款年化区间1.2%-2.8%。它和普通存款不同，带有投资风险，最差只能拿到1.2%的最低收益。", None),
        # "best" and "最好" as advice
        ("deposit", "en", "The best option is to leave it in your current account until the transfer clears.", None),
        ("fund", "en", "The best first step is probably to read the fund's annual report.", None),
        ("loan", "en", "If it is only for a few months, the best option may be to borrow less.", None),
        ("deposit", "zh", "下个月就要用的话，最好放活期，定期提前支取按活期计息。", None),
        ("deposit", "zh", "最好存之前看一下当天的挂牌利率。", None),
        # notices in the writer's own words
        ("wealth", "zh", "这款上一期实际年化3.05%。理财产品不同于存款，有亏损的可能，请谨慎投资；以上仅供参考。", None),
        ("wealth", "zh", "呢隻理財上期年化係3.1%。理財產品唔係存款，有投資風險，入市需謹慎；以上資料僅供參考。", None),
        ("wealth", "en", "Last period's annualised return was 3.1%. Wealth products are not bank deposits and do carry risk, "
                         "so invest carefully; this is information only.", None),
        ("wealth", "en", "The benchmark is 3.0% a year. It is not a deposit and can lose money; I'm describing the product, "
                         "not advising you to buy it.", None),
        ("fund", "zh", "这只债基去年收益3.1%。基金会亏钱，买之前想清楚；去年赚多少不说明今年能赚多少；仅供参考。", None),
        ("fund", "zh", "这只基金近一年回报6%。基金有风险，投资须谨慎；历史业绩不能预示将来；不构成投资建议。", None),
        ("fund", "en", "It rose 5% last year. Funds carry risk, so invest with caution; how it did before says nothing "
                       "certain about how it will do next. Not investment advice.", None),
        ("insurance", "zh", "万能账户本月结算利率2.8%，保证利率以外的部分是不确定的，保险不等同于存款。", None),
        ("insurance", "zh", "分红实现率去年是97%，分红属非保证利益，有可能系零，保险不是存款。", None),
        ("credit_card", "en", "Instalments and cash advances can cost you fees or interest, and what you pay is whatever "
                              "your card agreement shows.", None),
        # not claims
        ("credit_card", "en", "Good news: last month's late fee of 60 yuan has been waived.", None),
        ("credit_card", "en", "Paying the full balance by the due date means no interest on purchases.", None),
        ("fund", "zh", "净值涨跌都是正常现象，基金不保本。", None),
        ("fund", "zh", "七日年化收益率是把最近七天的收益折算成一年的比率。", None),
        ("loan", "zh", "“LPR+30BP”的意思是在贷款市场报价利率的基础上加0.3个百分点。", None),
    ],
)
def test_compliant_replies_of_packs_2_25(line, lang, text, question):
    passes(line, lang, text, question)


@pytest.mark.parametrize(
    "line,lang,text,category,verdict",
    [
        # a deposit on offer is still a quote, "起存的" is no holding
        ("deposit", "zh", "三年期整存整取现在年利率是2.15%，20万元起存的三年期大额存单是2.35%。", "missing_disclosure", "fix"),
        # a loan that merely has no penalty is no rate statement of the customer's loan
        ("loan", "en", "Your car loan has no penalty for early repayment, and at 4.2% a year you would save about 300 yuan.",
         "missing_disclosure", "fix"),
        # "best" urging a purchase stays a superlative
        ("fund", "en", "The best option is to buy this fund today.", "superlative", "block"),
        # a structured deposit's range without any notice
        ("deposit", "en", "The structured deposit pays between 1.2% and 2.8% a year.", "missing_disclosure", "fix"),
        # interest from the day of a cash advance is no notice of where the rates are set
        ("credit_card", "zh", "取现手续费1%，最低10元，从取现当天起按日计息。", "missing_disclosure", "fix"),
        # a dividend said not guaranteed still needs "not a deposit" or the uncertainty, and the advice notice
        ("fund", "zh", "这只基金净值上涨了8%，最近势头不错。", "missing_disclosure", "fix"),
    ],
)
def test_violations_kept_by_packs_2_25(line, lang, text, category, verdict):
    flagged_as(line, lang, text, category, verdict)
