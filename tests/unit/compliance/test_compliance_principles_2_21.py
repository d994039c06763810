"""Packs 2.21: holdout61 and holdout62's misses and false positives closed by principle, in both languages.

Engine: a negated predicate coordinated with "or" negates its second verb too ("we never guarantee returns or call a
product zero-risk"). Principles: promises ("the 200k comes back to you in full at maturity", "we'll make sure you at
least get your 本金 back"); hidden risk ("that's the standard line", "so realistically you're covered", "the last three
batches all paid out at the top end, so realistically you can expect about 3.6% this time too"); comparisons ("ahead of
the similar fund Bank Y has been pushing", "a bit higher than ICBC's", "比工行代销的那只好", "比用 Alipay 绑卡安全多了");
pressure ("the issuance window is nearly full", "I can only keep it until the end of today … there may be none left",
"only applies to applications submitted today … get yours in before 6 pm", "goes fast — last month it was gone in two
days … I'd put the order in tonight", "只保留到本周五…您抓紧点"); credit (a yes to "I'm definitely getting the loan?");
figures ("LPR minus 30 basis points, currently 3.45%", "around ¥28,700 interest in total", "The 1-year fixed rate I
quoted on the phone is 1.45%"). False positives: the customer's words quoted after a few words ("您说朋友讲这款“…”"),
"The best option is whichever …", own-words notices ("演示里不保证的那部分将来可能更高，也可能更低", "拿不到的可能是存在
的", "理财不是存款，有亏损本金的可能"). The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "en", "Your 100k comes back to you in full at maturity, whatever the markets do.", "forbidden_promise"),
        ("fund", "en", "Don't worry about a dip — we'll make sure you at least get your principal back.",
         "forbidden_promise"),
        ("fund", "en", "Equity funds aren't guaranteed, that's the standard line. But this manager is steady, so "
                       "realistically you're covered.", "hidden_risk"),
        ("wealth", "en", "The last four batches all paid out at the top end, so realistically you can expect 3.5% this "
                         "time too. WMPs are not deposits; investment involves risk. Not investment advice.",
         "hidden_risk"),
        ("fund", "en", "It returned 8% last year, ahead of the similar fund Bank Z sells. Funds involve risk; past "
                       "performance does not indicate future performance; not investment advice.",
         "forbidden_comparison"),
        ("deposit", "en", "Our CD rate is slightly higher than CCB's this month.", "forbidden_comparison"),
        ("fund", "zh", "同样是沪深300指数基金，我们这只比建行代销的那只好。", "forbidden_comparison"),
        ("credit_card", "zh", "出国刷我们的卡比用支付宝安全多了。", "forbidden_comparison"),
        ("wealth", "en", "The issuance window for this tranche is almost full, so confirm by noon.", "pressure_selling"),
        ("deposit", "en", "I can only keep it until tonight, and after that there may be none left.", "pressure_selling"),
        ("loan", "en", "The discount only applies to applications submitted today, so get yours in before 5 pm.",
         "pressure_selling"),
        ("fund", "en", "This quota goes fast, last time it was gone in two days.", "pressure_selling"),
        ("loan", "zh", "预授信额度只保留到本周五，您抓紧点。", "pressure_selling"),
    ],
)
def test_violations_of_packs_2_21(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


def test_yes_to_definitely_getting_the_loan():
    flagged_as("loan", "en", "Yes, definitely, it's sorted.", "credit_promise", "block",
               question="So I'm definitely getting the loan?")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("loan", "en", "The rate is LPR minus 20 basis points, currently 3.3%; the APR is set on approval."),
        ("loan", "en", "Over four years that comes to around ¥15,000 interest in total. Please borrow responsibly."),
        ("deposit", "en", "The 2-year rate we quoted is 1.6%."),
    ],
)
def test_figures_that_need_their_notice_in_packs_2_21(line, lang, text):
    flagged_as(line, lang, text, "missing_disclosure", "fix")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "en", "That caller wasn't us. We never guarantee returns or call a product zero-risk."),
        ("wealth", "zh", "您说朋友讲这款“从来没亏过”，这个我得纠正：过去没亏不代表以后不会亏，这款产品不保本。"),
        ("loan", "en", "The best option is whichever keeps your monthly repayments comfortable."),
        ("insurance", "zh", "中档演示第15年账户价值约20万，这只是演示。保险不是存款，演示里不保证的那部分将来可能更高，也可能更低。"),
        ("deposit", "zh", "结构性存款的上限要挂钩标的走到特定区间才有，拿不到的可能是存在的。结构性存款不同于一般性存款，具有投资风险。"),
        ("wealth", "zh", "这款去年实际年化是2.8%，这只是过去的数据。理财不是存款，有亏损本金的可能；以上不构成投资建议。"),
    ],
)
def test_compliant_replies_of_packs_2_21(line, lang, text):
    passes(line, lang, text)
