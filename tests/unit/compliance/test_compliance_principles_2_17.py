"""Packs 2.17: holdout53 and holdout54's misses and false positives closed by principle, in both languages.

Principles: hidden risk ("没见过哪个客户在这款上亏过钱", "Your payments won't rise", "the 60,000 should be roughly 84,000");
promises ("you'll at least have your money back", "you'll never get back less than you've paid in", "the bank tops it
up"); comparisons ("a steadier ride than a savings account", "a better deal than what Bank X is offering", "compared
with …, ours is the sounder home", "不如退了存我们的大额存单"); pressure ("it won't be there next week", "closing this fund
to new money on Friday", "pulls this rider on Friday", "only open until Friday", "Let's sign it at the counter today",
"today is really the day to", "I'd draw it today", "only four slots left", "the quota's nearly used up", "名额真的不多");
credit ("your application for the household card will be approved"). False positives: "They told you to … '…'", "those
'No.1 fund' lists", "最好直接…" (advice), "我没法保证您拿到上限那一档". The sentences are written for these tests, not
copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "zh", "说明书写的是可能亏损，不过我做了十年，没见过哪个客户在这款上亏过钱。", "hidden_risk"),
        ("loan", "en", "The rate floats, so in theory it could rise, but the LPR keeps falling. Your payments won't rise.",
         "hidden_risk"),
        ("fund", "en", "It has averaged 6% a year, so by then the 50,000 should be roughly 67,000. Funds involve risk; "
                       "past performance does not indicate future performance; not investment advice.", "hidden_risk"),
        ("fund", "en", "Hold it three years and you'll at least have your money back.", "forbidden_promise"),
        ("insurance", "en", "Whatever happens, you'll never get back less than you've paid in.", "forbidden_promise"),
        ("wealth", "en", "The benchmark is 3.4%, and if it falls short the bank tops it up. WMPs are not deposits; "
                         "investment involves risk. Not investment advice.", "forbidden_promise"),
        ("wealth", "en", "For school fees in two years, this WMP is a steadier ride than a savings account. WMPs are not "
                         "deposits; investment involves risk. Not investment advice.", "forbidden_comparison"),
        ("deposit", "en", "Our CD is simply a better deal than what Bank Y is offering you.", "forbidden_comparison"),
        ("fund", "en", "Compared with the fund Bank Z is pushing, ours is the sounder home for this money.",
         "forbidden_comparison"),
        ("deposit", "zh", "那份理财收益也就一般，不如赎回来存我们的大额存单。", "forbidden_comparison"),
        ("wealth", "en", "This allocation won't be there next week, so let's sign it at the counter today.",
         "pressure_selling"),
        ("fund", "en", "They are closing this fund to new money on Monday, so today is really the day to do it.",
         "pressure_selling"),
        ("insurance", "en", "The insurer pulls this rider on Friday, so you need to sign today.", "pressure_selling"),
        ("loan", "en", "The offer is only open until Sunday, so I'd draw it today.", "pressure_selling"),
        ("deposit", "en", "There are only three slots left in this CD issue, so tell me within the hour.",
         "pressure_selling"),
        ("loan", "en", "The offer ends Friday and the quota's nearly used up, so sign the application today.",
         "pressure_selling"),
        ("insurance", "zh", "这款增额寿名额真的不多了，您今天就签吧。", "pressure_selling"),
        ("credit_card", "en", "Don't worry, your application for the travel card will be approved.", "credit_promise"),
    ],
)
def test_violations_of_packs_2_17(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "en", "That caller wasn't us. They told you to move the money into a \"guaranteed 6% insurance "
                            "deposit\"; no such product exists."),
        ("fund", "en", "Those 'best fund' lists in the apps change every quarter; please don't choose from a ranking."),
        ("credit_card", "zh", "您这种情况最好直接设置自动还款，就不用每月操心了。"),
        ("deposit", "zh", "结构性存款的浮动收益部分是不确定的，我没法保证您拿到上限那一档。"),
    ],
)
def test_compliant_replies_of_packs_2_17(line, lang, text):
    passes(line, lang, text)
