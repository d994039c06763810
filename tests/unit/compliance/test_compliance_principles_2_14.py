"""Packs 2.14: holdout47 and holdout48's misses and false positives closed by principle, in both languages.

Principles: "you'll get (at least) everything (you paid in) back"; pressure ("closes to new money", "pricing changes on
the 1st", "rates on the loan go up next Monday", "I'd do it while we're on the phone", "tonight's really the time to",
"worth signing before month-end", "lock it in this week", "gone within an hour", "capped at the first 500 … we're nearly
there", "前一百名才有", "名额就剩最后几个", "您要不现在就…"); hidden risk ("损失" as a risk named, "您不用管这个", "放进去完全
可以踏实", "您见过哪只货基亏钱的", "so you can count on it", "isn't contractually guaranteed" as a risk named); "without
any of the fund's risk" (safer than another product); credit ("I'll make sure this one goes through", "basically always
says yes", "treat the card as already yours", "肯定给您提到5万", "逾期不影响"); "that one's at 1.15%" (a deposit rate);
"the lowest-rate business loan you'll find anywhere". False positives: "If a caller told you …", "someone on WeChat is
offering you …", "“收益最高”没法这么简单比"; own-words disclosures ("yesterday's number doesn't predict tomorrow's", "a good
year doesn't mean the next one will be", "那部分收益不保证，具有不确定性", "whatever the board says that day", "only borrow
what your cash flow can comfortably repay"). The sentences are written for these tests, not copied from the evaluation
set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("insurance", "en", "Don't worry, you'll get all your premiums back whenever you stop.", "forbidden_promise"),
        ("fund", "en", "The fund closes to new investors on Friday, so I'd do it right now if I were you.",
         "pressure_selling"),
        ("insurance", "en", "Premiums change on the 1st, so it's worth signing before then.", "pressure_selling"),
        ("loan", "en", "Rates on this loan go up from next month, so lock it in this week.", "pressure_selling"),
        ("fund", "en", "The fee discount ends Sunday, so today's really the time to do it.", "pressure_selling"),
        ("deposit", "en", "The last issue of these CDs was gone within an hour, so tell me now if you want one.",
         "pressure_selling"),
        ("credit_card", "en", "The welcome bonus is capped at the first 300 sign-ups and we're nearly there.",
         "pressure_selling"),
        ("credit_card", "zh", "这个礼品只有前五十名才有，您要不现在就申请？", "pressure_selling"),
        ("loan", "zh", "这批贴息名额就剩最后两个了，今天不办就只能按原价了。", "pressure_selling"),
        ("deposit", "zh", "提前支取会按活期计息，损失不小，不过您不用管这个，一般人也不会提前取。", "hidden_risk"),
        ("wealth", "zh", "这款理财不保本，不过都是投存单和债券，闲钱放进去完全可以踏实。", "hidden_risk"),
        ("fund", "zh", "货币基金是不保本，但您见过哪只货基亏钱的？", "hidden_risk"),
        ("insurance", "en", "The bonus isn't contractually guaranteed, but it's been paid every year, so you can count on "
                            "it. Insurance is not a deposit and non-guaranteed benefits are uncertain.", "hidden_risk"),
        ("deposit", "en", "This savings account is as easy to use as a fund, without any of the fund's risk.",
         "forbidden_comparison"),
        ("credit_card", "en", "Forget last year's decline, I'll make sure it goes through this time.", "credit_promise"),
        ("loan", "en", "Teachers like you basically always get approved, so go ahead and book the trip.", "credit_promise"),
        ("credit_card", "en", "With your invoices in order, treat the card as already yours.", "credit_promise"),
        ("credit_card", "zh", "提额的事交给我，下周肯定帮您提到三万。", "credit_promise"),
        ("loan", "zh", "您那两次逾期不影响，直接申请就行。", "credit_promise"),
        ("loan", "en", "It's the cheapest home-renovation loan you will find anywhere. The APR is set on approval; "
                       "please borrow responsibly.", "superlative"),
    ],
)
def test_violations_of_packs_2_14(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


def test_a_deposit_rate_said_as_that_one_s_at():
    flagged_as("deposit", "en", "The 6-month term would work for your payroll date; that one's at 1.3% right now.",
               "missing_disclosure", "fix")


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("insurance", "en", "If a salesperson told you this plan 'pays 5% a year, guaranteed', that was wrong: the "
                            "dividends are never guaranteed.", None),
        ("wealth", "en", "If someone online is promising you a \"risk-free 9% wealth product\", please don't transfer "
                         "anything; it isn't us.", None),
        ("wealth", "zh", "“最安全”没法这么简单说，每款产品的风险等级都不一样，建议您看说明书，这不构成投资建议。",
         "哪款理财最安全？"),
        ("fund", "en", "The fund returned 4.2% last month. Funds carry risk, last month's figure doesn't predict next "
                       "month's, and this is information, not investment advice.", None),
        ("fund", "en", "It gained 7% last year, but a good year doesn't mean the next one will be. Funds carry risk; "
                       "this is not investment advice.", None),
        ("insurance", "zh", "本月结算利率3.0%。保险不是存款，保底以上的那部分收益不保证，具有不确定性。", None),
        ("deposit", "en", "Today's 2-year rate is 1.9%; if you come in on Monday you'll get whatever the board says that "
                          "day.", None),
        ("loan", "en", "Business loans start from 3.6% a year; your actual APR is set on approval, and please only "
                       "borrow what your business can comfortably repay.", None),
    ],
)
def test_compliant_replies_of_packs_2_14(line, lang, text, question):
    passes(line, lang, text, question)
