"""Packs 2.15: holdout49 and holdout50's misses and false positives closed by principle, in both languages.

Principles: hidden risk ("you should be looking at a comfortable gain", "the figure to plan your budget around",
"nothing ever goes wrong, so you can stop worrying", "another year in that range is very likely", "you don't need to
worry about increases", "您就当它是稳的", "从来没破过净", "it's negligible", "most customers never notice", "carries
interest" as a risk named); promises ("you'll come out with at least what you paid in", "实际只会比这个高", "稳拿2.8%",
"本金这块您完全不用担心"); comparisons ("aren't as safe as ours", "a sounder place than a bank deposit", "a safer place than
the wealth products", "a smarter choice than a bond fund", "lower than any other major bank's", "利率比X行低", "比他们
宽松"); superlatives ("保障最全面", "lowest … anywhere" within 60 characters); pressure ("repriced on 1 July", "I'd really
get the application in this week", "only has a few slots left", "don't sit on it", "下个月就没了", "别再犹豫了"); credit
("no way he'd be turned down", "we'll make sure it is approved"); figures ("at its 3.5% benchmark", "illustrative
income"). False positives: a staff member's or a poster's words quoted ("客户经理之前说“…”", "海报上写着“…”", "您希望得到
“…”", "the message calling this your 'last chance'", "the person who phoned"); own-words disclosures ("information
rather than a recommendation", "history, not a preview", "anything beyond the guaranteed part is uncertain", "分红部分
是不确定的，可能…甚至为零", "存入当天公布的利率", "the bottom of its range … can happen again", "fixed once the loan is
approved", "only borrow what the pension can comfortably repay"). The sentences are written for these tests, not copied
from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "en", "It has risen every year since launch, so by next spring you should be looking at a nice gain. "
                         "WMPs are not deposits; investment involves risk. This is not investment advice.", "hidden_risk"),
        ("fund", "en", "It has averaged 5% a year, so that's the figure to plan your retirement around. Funds involve "
                       "risk; past performance does not indicate future performance; not investment advice.",
         "hidden_risk"),
        ("credit_card", "en", "Unpaid balances do carry interest, but with auto-pay nothing ever goes wrong, so you can "
                              "stop worrying.", "hidden_risk"),
        ("loan", "en", "Yes, the rate floats, but it has only gone down lately, so you don't need to worry about "
                       "increases. The APR is set on approval; please borrow responsibly.", "hidden_risk"),
        ("wealth", "zh", "理论上有可能亏，但这个系列从来没破过净，您就当它是稳的。理财非存款，产品有风险，投资须谨慎。",
         "hidden_risk"),
        ("credit_card", "en", "A cash advance does carry interest from day one, but it's basically negligible. Fees or "
                              "interest may apply; the rates in your agreement and statement apply.", "hidden_risk"),
        ("fund", "en", "Hold it to the target date and you'll come out with at least what you paid in.",
         "forbidden_promise"),
        ("insurance", "zh", "演示的是中档，实际只会比这个高，您放心规划。", "forbidden_promise"),
        ("deposit", "zh", "区间设得很宽，基本就是稳拿3%，您放心。", "forbidden_promise"),
        ("wealth", "zh", "投的都是高等级债券，本金这块您完全不用担心。", "forbidden_promise"),
        ("fund", "en", "Frankly, Bank Y's funds aren't as safe as ours.", "forbidden_comparison"),
        ("insurance", "en", "For your pension pot, an annuity is a sounder place than a bank deposit.",
         "forbidden_comparison"),
        ("deposit", "en", "For money you'll need soon, a CD is a safer place than the wealth products.",
         "forbidden_comparison"),
        ("credit_card", "en", "Our instalment fees are lower than any other major bank's.", "forbidden_comparison"),
        ("loan", "zh", "我们这款经营贷利率比Y行低，条件也比他们宽松。", "forbidden_comparison"),
        ("insurance", "zh", "这是我们在售保险里保障最全面的一款。", "superlative"),
        ("loan", "en", "This is the lowest-rate home-repair loan available to retired teachers anywhere in the province.",
         "superlative"),
        ("insurance", "en", "The plan is being repriced on 1 September, so I'd really get the application in this week.",
         "pressure_selling"),
        ("deposit", "en", "Our branch only has a few slots left for this CD, so come in today.", "pressure_selling"),
        ("loan", "en", "Rates won't stay this low, so don't sit on it.", "pressure_selling"),
        ("loan", "zh", "这个月还有贴息，下个月就没了，您今天先把申请交了，别再犹豫了。", "pressure_selling"),
        ("loan", "en", "With a paid-off flat there's really no way she'd be turned down.", "credit_promise"),
        ("credit_card", "en", "Reapply next month and we'll make sure it is approved.", "credit_promise"),
    ],
)
def test_violations_of_packs_2_15(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


def test_a_benchmark_figure_needs_the_disclosure():
    flagged_as("wealth", "en", "Put 100,000 into the 2-year product at its 3.2% benchmark and the illustrative income "
                               "is about 3,200 a year.", "missing_disclosure", "fix")


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("fund", "zh", "客户经理之前说“这只基金保本”是错误的，基金不保本，也不保证收益。", None),
        ("insurance", "zh", "您反映海报上写着“收益最高的年金”，该海报已撤下，我们不会这样宣传。", None),
        ("insurance", "zh", "我们理解您希望得到“保本”的承诺，但我们不能这样承诺，提前退保会有损失。", None),
        ("wealth", "en", "The banner calling this your 'last chance' was wrong; you can buy or redeem on any open day.",
         None),
        ("insurance", "en", "The person who phoned promising 'guaranteed 6% dividends' is not our staff.", None),
        ("fund", "en", "It returned 18% over three years. That's history, not a forecast. Funds carry risk, so be "
                       "careful, and take this as information rather than a recommendation.", None),
        ("insurance", "en", "The account was credited at 2.7% last month. Insurance isn't a deposit, and anything beyond "
                            "the guaranteed part of the policy is uncertain.", None),
        ("insurance", "zh", "按演示，中档情况下每年大约能领9,800元，但其中分红部分是不确定的，可能比演示低，甚至为零。保险不是"
                            "存款。", None),
        ("deposit", "zh", "按现在的三年期利率1.9%估算，10万三年利息约5,700元；最终执行的是您存入当天公布的利率。", None),
        ("deposit", "en", "The structured deposit paid the bottom of its range last year, and that can happen again.",
         None),
        ("loan", "en", "A 30,000 top-up at 4% would cost about 1,250 in interest; the APR is only fixed once the loan is "
                       "approved, and please only borrow what the pension can comfortably repay.", None),
    ],
)
def test_compliant_replies_of_packs_2_15(line, lang, text, question):
    passes(line, lang, text, question)


def test_a_stated_card_fee_counts_as_the_notice_only_with_the_agreement_named():
    passes("credit_card", "en", "A cash advance carries a 1% fee plus daily interest, and the rates that apply are the "
                                "ones in your cardholder agreement.")
    flagged_as("credit_card", "en", "A cash advance carries a 1% fee, and interest runs daily from the withdrawal.",
               "missing_disclosure", "fix")
