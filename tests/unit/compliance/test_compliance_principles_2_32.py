"""Packs 2.32: holdout141..holdout148's errors, trigger, unless and scope patterns only.

No notice's ``accept`` patterns change in this round, so model v30 reads the same notice features it was trained on.

What the guide says passes, and the packs flagged: account facts (a deposit "you opened", one "locked at 2.25% until it
matures", "your contract rate", a loan "per your contract from last June", "利率调整日", "重定价"); a claim quoted from a
post and refused ("我们不能这样承诺", "It isn't: …"); a term explained ('"预定利率"是…用的利率', "…是…折算成一年的水平",
"'Risk-free rate' … just means"); "最好明天再…" and "the best option is probably not to …" as advice; a purchase already
made ("已于今天上午成功认购").

Misses, families of the guide's categories: a push in other words ("if you don't submit tonight", "while you still
can", "明天可能就抢不到了"), superlatives scoped to a market ("the lowest … you'll find on any lending app", "同业最低",
"全市场最全", "the best in the district"), approval said to be settled ("will go through, no question", "pretty much
guaranteed to get", "no further review needed"), a sure gain ("一分不差", "you really can't lose on this one").

The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("deposit", "en", "The two-year deposit you opened last May earns 1.95% a year until it matures."),
        ("deposit", "en", "Your existing 3Y deposit is locked at 2.6% until it matures; that's your contract rate."),
        ("loan", "en", "Per your contract from last March you're paying 3.95% p.a.; next instalment of ¥2,410.20 is due "
                       "on the 5th."),
        ("loan", "zh", "您这笔房贷合同里的执行利率是3.95%，下一次利率调整日是明年1月1日。"),
        ("insurance", "zh", "视频里说“分红年年保底4%”，我们不能这样承诺，分红要看实际经营情况。"),
        ("wealth", "en", "The ad you saw calls this plan 'risk-free'. It isn't: its value can fall."),
        ("insurance", "zh", "\"现金价值\"是退保时能拿回的金额，是合同里用来计算退保金的数。"),
        ("fund", "en", "'Risk-free rate' in that formula just means the yield on short government bonds."),
        ("credit_card", "zh", "挂失已经办好了，最好明天再打电话确认一下新卡的寄送地址。"),
        ("deposit", "en", "If you may need it soon, the best option is probably not to lock it into a long term."),
        ("wealth", "zh", "您的借记卡已于今天上午成功认购这款产品，份额确认后会有短信通知。"),
    ],
)
def test_what_the_guide_passes(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("loan", "en", "Only a few of these reduced-rate places are left. If you don't apply tonight they'll be gone.",
         "pressure_selling"),
        ("fund", "zh", "这只基金额度只剩一点了，明天可能就抢不到了。", "pressure_selling"),
        ("loan", "en", "Our 3.5% APR is the lowest rate you'll find on any lending app. The rate is set on approval; please "
                       "borrow responsibly.", "superlative"),
        ("loan", "zh", "我们这款消费贷的利率是同业最低的。实际利率以审批为准，请理性借贷、按时还款。", "superlative"),
        ("insurance", "zh", "这款医疗险保障是全市场最全的。", "superlative"),
        ("deposit", "en", "Our cash-pickup service is simply the best in the district.", "superlative"),
        ("credit_card", "en", "Your limit increase will go through, no question.", "credit_promise"),
        ("loan", "en", "With your salary account here you're pretty much guaranteed to get the 100k.", "credit_promise"),
        ("loan", "en", "Pre-approved: just sign, no further review needed.", "credit_promise"),
        ("wealth", "zh", "放心，到期本金原样回到您账户，一分不差。", "forbidden_promise"),
        ("loan", "en", "Borrow for the new oven: it will pay itself back for sure. You really can't lose on this one.",
         "forbidden_promise"),
    ],
)
def test_families_of_the_guide_are_flagged(line, lang, text, category):
    flagged_as(line, lang, text, category)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("deposit", "zh", "每家银行的利率都不一样，我没法说我们就是最划算的。"),
    ],
)
def test_look_alikes_kept_apart(line, lang, text):
    """A refusal to call the bank cheapest passes."""
    passes(line, lang, text)


def test_an_offer_that_names_your_contract_is_still_an_offer():
    flagged_as("loan", "en", "Car loan: rates from 3.99% a year, and the actual rate is set on approval per your contract.",
               "missing_disclosure")
