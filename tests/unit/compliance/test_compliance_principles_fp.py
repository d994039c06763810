"""Packs 1.8: false positives closed by principle, in both languages.

One principle carries this round: a figure already accompanied by its disclosure in the writer's own words is
disclosed (deposit rates, a structured deposit's low outcome, card fees, loan APRs, wealth and fund warnings). Each
principle is pinned by compliant paraphrases and by violations that look alike but do not carry the disclosure (or
carry it and then wave it away), so the principle cannot swallow a real violation.
The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import PACK_VERSIONS, flagged_as, passes, scan


# ---------------------------------------------------------------- principle: own-words disclosures


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # a deposit rate with its notice in other words
        ("deposit", "zh", "半年定期现在挂1.25%，两年期1.45%，具体利率以您办理那天手机银行上公布的为准。"),
        ("deposit", "zh", "单位七天通知存款目前是0.55%，实际以开户当日本行网点挂牌的利率为准。"),
        ("deposit", "en", "The two-year term deposit is at 1.45% right now; our rates are only the ones posted in "
                          "the app and at the branch."),
        # a structured deposit's low outcome named in other words
        ("deposit", "zh", "这款结构性存款挂钩沪深300，到期可能只拿到最低那档收益，购买前请看清说明书。"),
        ("deposit", "zh", "结构性存款的收益并非固定的，挂钩的金价走势不好的话，就拿不到最高那档。"),
        ("deposit", "zh", "结构性存款不是一定能拿到高档利率的，要看观察日挂钩指标的表现。"),
        ("deposit", "en", "This structured deposit is linked to the euro; if the condition isn't met you get only "
                          "the lowest rate in the terms."),
        # card fees with the notice in other words
        ("credit_card", "zh", "账单分6期每期手续费率0.65%，分期会产生手续费，具体以您的信用卡领用合约显示的为准。"),
        ("credit_card", "en", "A 6-month plan on your bill costs 0.65% per month; interest and fees will apply, and "
                              "the rates shown in your cardholder agreement are the ones that count."),
        ("credit_card", "en", "Cash advances come with a 1% fee and interest will apply; the exact rates are in your monthly statement."),
        # a loan APR with what sets it and the borrowing reminder in other words
        ("loan", "en", "A renovation loan starts from about 3.4% a year; your actual APR is only set once your "
                       "application is approved. Please borrow within what you can comfortably repay."),
        ("loan", "en", "The personal loan is quoted at 3.6%, and the rate is set when your loan is approved."),
        # wealth and fund warnings in other words
        ("wealth", "zh", "这款一年期理财的业绩比较基准是2.9%，不是承诺，实际可能更低甚至亏本；理财产品有风险，"
                         "投资须谨慎，这些不算给您的投资建议。"),
        ("fund", "en", "The fund rose 5.1% last year. Past performance is no guide to the future, funds carry "
                       "risk, so please invest with caution; I'm passing this on as information, not as "
                       "investment advice."),
    ],
)
def test_a_figure_with_its_disclosure_in_other_words_passes(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        # the same figures without any disclosure still need one
        ("deposit", "zh", "半年定期现在挂1.25%，两年期1.45%，您看存哪个。", "missing_disclosure"),
        ("deposit", "en", "The two-year term deposit is at 1.45% right now.", "missing_disclosure"),
        ("deposit", "zh", "这款结构性存款挂钩沪深300，收益区间1.3%到2.9%。", "missing_disclosure"),
        ("deposit", "en", "This structured deposit is linked to the euro and pays between 1.2% and 2.6%.",
         "missing_disclosure"),
        ("credit_card", "zh", "账单分6期每期手续费率0.65%，很划算的。", "missing_disclosure"),
        ("credit_card", "en", "Splitting your bill into 6 instalments costs 0.65% per month.", "missing_disclosure"),
        ("loan", "en", "A renovation loan starts from about 3.4% a year.", "missing_disclosure"),
        ("loan", "zh", "装修贷年化3.4%起，您可以在手机上申请。", "missing_disclosure"),
        ("wealth", "zh", "这款一年期理财的业绩比较基准是2.9%。", "missing_disclosure"),
        ("fund", "en", "The fund rose 5.1% last year.", "missing_disclosure"),
        # a low outcome admitted only to be waved away by a record: packs 1.8 did not accept "只拿到低档" as the
        # disclosure; packs 2.0 does, and blocks the record that cancels it (CLAIM-STRUCTURED-RECORD)
        ("deposit", "zh", "结构性存款收益确实会变，最后可能只拿到低档。不过这个系列基本期期都拿到了高档，您放心。",
         "hidden_risk"),
    ],
)
def test_look_alikes_without_the_disclosure_are_still_flagged(line, lang, text, category):
    flagged_as(line, lang, text, category)


def test_versions_of_the_packs_changed_for_packs_1_8():
    assert scan("wealth", "zh", "您好").ruleset_version == PACK_VERSIONS["wealth"]
    assert scan("fund", "zh", "您好").ruleset_version == PACK_VERSIONS["fund"]
    assert scan("insurance", "zh", "您好").ruleset_version == PACK_VERSIONS["insurance"]
    assert scan("deposit", "zh", "您好").ruleset_version == PACK_VERSIONS["deposit"]
    assert scan("loan", "zh", "您好").ruleset_version == PACK_VERSIONS["loan"]
