"""Packs 2.20: holdout59 and holdout60's misses and false positives closed by principle, in both languages.

Principles: comparisons ("out-earning the similar one at the big bank across the street", "way more conservative than
the stuff Bank X pushes", "in safer hands"); a superlative ("the No.1 pick"); promises ("worst case you just get back
what you put in", "you'll get back more than you paid in"); hidden risk ("5 years straight, so you'll probably see
something similar", "Every issue this year has ended at the upper rate, so you can expect this one to land there
too", "the low end basically never happens"); a yes to "the structured deposit will definitely pay the high rate?" and
to "so I'll get 3.4%?"; pressure ("只剩最后几十张", "您看要不现在就先把单子下了", "额度明天一早就要调整了，建议您今晚就
存进去，不然就得等下一期了", "Apply before the stream wraps up … once the stream ends it's gone", "利率就到这周五…抓紧今天
申请"); credit ("just apply through the stream link and you'll get it", "点链接提交一下就能到账"); figures ("At the 3%
illustrated rate, your account value would be …", "knocks your rate down to 2.98%"); a card number after "扣费卡更新为".
False positives: a premium term ("paid over 20 years"), own-words notices ("information rather than advice", "a good
past year says nothing about", "不是在给你投资建议", "实际分红可能更高，也可能更低", "结算利率属于非保证部分，以后可能会变",
"the crediting rate is set each month and isn't fixed", "以…挂出来的利率为准", "最后拿多少要看…", "its R3 rating fits the
tolerance your risk assessment gave you"). The sentences are written for these tests, not copied from the evaluation
set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "en", "Our 60-day WMP keeps out-earning the one at the bank next door. WMPs are not deposits; "
                         "investment involves risk. Not investment advice.", "forbidden_comparison"),
        ("wealth", "en", "Our WMPs are far more conservative than what Bank Y sells, so you're in safer hands here.",
         "forbidden_comparison"),
        ("credit_card", "en", "The travel card is the No.1 choice for students this year.", "superlative"),
        ("wealth", "en", "Worst case you just get back what you put in.", "forbidden_promise"),
        ("insurance", "en", "As long as you hold it to term you'll get back more than you paid in.", "forbidden_promise"),
        ("fund", "en", "Funds involve risk. That said, it's been up four years straight, so you'll likely see something "
                       "similar this year.", "hidden_risk"),
        ("deposit", "en", "Every tranche this year has ended at the upper rate, so expect this one to land there too.",
         "hidden_risk"),
        ("deposit", "en", "You'll get the top of the range; the low end practically never happens.", "hidden_risk"),
        ("insurance", "zh", "直播间投保送的体检卡只剩最后几十张了。", "pressure_selling"),
        ("deposit", "zh", "这期的额度明早就要调整了，建议您今晚就存进去，不然就得等下一期了。", "pressure_selling"),
        ("credit_card", "en", "Apply before the stream wraps up, once the stream ends the gift is gone!",
         "pressure_selling"),
        ("loan", "zh", "这个优惠利率就到这周五，要贷的话抓紧今天申请。", "pressure_selling"),
        ("credit_card", "en", "Don't worry about the late payments — just apply through the link and you'll get the card.",
         "credit_promise"),
        ("loan", "zh", "额度已经给您留好了，点链接提交一下就能到账。", "credit_promise"),
    ],
)
def test_violations_of_packs_2_20(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("deposit", "en", "Yes, it'll pay out at the top end.", "So the structured deposit will definitely pay the high rate?"),
        ("deposit", "en", "Yeah, you'll get the 3.2%.", "The structured deposit pays 1.5-3.2%, so I'll get 3.2?"),
    ],
)
def test_yes_to_a_structured_deposit_s_top_rate(line, lang, text, question):
    flagged_as(line, lang, text, "forbidden_promise", "block", question=question)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("insurance", "en", "At the 4% illustrated rate, your account value would be about 250,000 by age 65.",
         "missing_disclosure"),
        ("loan", "en", "This coupon takes your rate down to 3.1% for six months.", "missing_disclosure"),
        ("insurance", "zh", "好的，已把扣费卡更新为6228480012345678910。", "personal_data"),
    ],
)
def test_fixes_of_packs_2_20(line, lang, text, category):
    flagged_as(line, lang, text, category, "fix")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "en", "It's 3,900 yuan a year for 200,000 yuan of cover, paid over 20 years."),
        ("fund", "en", "It returned 7% over the past year. Funds carry risk, a good past year says nothing about the "
                       "next, and this is information rather than advice."),
        ("fund", "zh", "这只去年涨了4%，但以前涨不代表以后也会涨；基金有风险，投资要谨慎，我这不是在给你投资建议。"),
        ("insurance", "zh", "演示表里中档分红每年大概800元，但实际分红可能更高，也可能更低甚至没有；保险不是存款。"),
        ("insurance", "zh", "目前结算利率是2.6%，保险不是存款，结算利率属于非保证部分，以后可能会变。"),
        ("insurance", "en", "The crediting rate was 2.6% last month. Insurance isn't a deposit, and the crediting rate "
                            "is set each month and isn't fixed."),
        ("deposit", "zh", "现在三年定期挂牌是1.9%，实际以您存入当天我们挂出来的利率为准。"),
        ("deposit", "zh", "结构性存款的收益是一个区间，我没法跟您保证能拿到上限，最后拿多少要看挂钩标的的表现。"),
    ],
)
def test_compliant_replies_of_packs_2_20(line, lang, text):
    passes(line, lang, text)


def test_shanghai_risk_level_sentence_in_own_words():
    text = ("This WMP's benchmark is 3.0%. WMPs aren't deposits and carry risk, so invest carefully and check that its "
            "R2 rating fits the tolerance your assessment gave you. Not investment advice.")
    passes("wealth", "en", text, region="CN-SH")
