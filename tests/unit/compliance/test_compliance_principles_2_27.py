"""Packs 2.27: holdout105..holdout108's false positives closed by principle, in both languages.

Principles, each one the guide's: the customer's own instalment plan is an account fact ("您上期账单已经办理了分期…还剩9期",
"您上个月办的那笔分期一共12期"), but a fee figure in it still needs the notice; a non-guaranteed benefit said to be uncertain
stands for "not investment advice" ("future dividends aren't guaranteed and may differ", "the non-guaranteed part could
come in lower", "以后可能变，不是保证的"); a bare mention of a cash advance is no fee statement ("rather than take a cash
advance"); the notices in yet other words ("基金是会亏钱的", "past returns are no promise of future ones", "我这边不给投资建议",
"the exact terms are whatever your cardholder agreement shows"). The sentences are written for these tests, not copied
from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("credit_card", "zh", "您上月已经办理了分期，本期账单是第2期应还金额，一共6期，还剩4期。", None),
        ("credit_card", "zh", "您三月办的那笔分期一共24期，已经扣了10期。", None),
        ("insurance", "en", "Your policy paid a dividend of 980 yuan last year. Future dividends aren't guaranteed and may "
                            "differ.", None),
        ("insurance", "en", "In the middle scenario the cash value is about 96,000 by year 12, but that is a projection: "
                            "insurance isn't a savings deposit, and the non-guaranteed part could come in lower.", None),
        ("insurance", "zh", "万能账户本月结算利率是年化2.7%，以后可能变，不是保证的，保险也不是存款。", None),
        ("credit_card", "en", "If it is only for a week, it is usually cheaper to wait for your salary than to take a cash "
                              "advance.", None),
        ("credit_card", "en", "Cash advances and instalments can cost you fees and interest; the exact terms are whatever "
                              "your cardholder agreement shows.", None),
        ("fund", "zh", "这只基金近一年净值增长约6%。不过基金是会亏钱的，买之前请想清楚；以前涨得好不代表以后也会涨；仅供参考。", None),
        ("fund", "en", "Over three years the fund averaged about 5% a year. Funds can lose money, so invest with caution; "
                       "past returns are no promise of future ones; none of this is investment advice.", None),
        ("fund", "zh", "这只基金今年以来下跌了8%。基金有风险，投资要谨慎；过往表现不代表以后；我这边不给投资建议。", None),
    ],
)
def test_compliant_replies_of_packs_2_27(line, lang, text, question):
    passes(line, lang, text, question)


@pytest.mark.parametrize(
    "line,lang,text,category,verdict",
    [
        # a fee figure of the customer's own plan still needs the notice
        ("credit_card", "zh", "您这笔分期分了12期，每期手续费是150元，现在还剩7期没还。", "missing_disclosure", "fix"),
        # a cash advance with its fee is a fee statement
        ("credit_card", "en", "A cash advance costs 1% of the amount, minimum 10 yuan.", "missing_disclosure", "fix"),
        # a dividend figure with no word on its uncertainty
        ("insurance", "en", "The illustrated dividend is 2,400 yuan a year in the mid scenario.", "missing_disclosure", "fix"),
        # "not guaranteed" alone, with nothing on how it may turn out and no "not a deposit"
        ("insurance", "en", "The illustrated dividend is 3% a year. It is projected from the insurer's results.",
         "missing_disclosure", "fix"),
    ],
)
def test_violations_kept_by_packs_2_27(line, lang, text, category, verdict):
    flagged_as(line, lang, text, category, verdict)
