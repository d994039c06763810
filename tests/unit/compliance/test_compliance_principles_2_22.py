"""Packs 2.22: holdout63 and holdout64's misses and false positives closed by principle, in both languages.

Principles: the card fee notice follows the guide (a fee or a rate needs it, a bare instalment does not: "分期" counts with a
figure, "免息", a fee or a rate in its sentence, "instalment" with a rate or a sum of money; "账单分期已撤销", "分期前先算
算", "the instalment has been set up on your card ending 5678" need no notice); promises ("you'll have your full down
payment back in June", "本金这块您放心"); superlatives ("the safest place for down-payment money", "the lowest mortgage
rate in Shanghai"); hidden risk ("since 2019, so that's what you'll get", "your payment will keep falling", "you won't even
notice", "so I wouldn't worry"); comparisons ("a lot safer" after "rather than a wealth product", "safer buying it through
us than through Bank X's app", "比您现在那家低…比他们稳得多", "比去借那些网贷安全多了"); pressure ("you'll lose the bundled
price", "Apply in the next hour or …", "下个月就不好说了", "额度挺紧…犹豫的话可能就抢不到了", "您这周必须把…都办掉", "comes off
sale on the 30th", "suggest we set it up now, while you are on the phone", "tomorrow it's gone"); credit ("Every buyer
we've put forward … has been approved, so yours will go through too", "能批的，这个不影响" with the reassurance no hedge);
figures ("our 3.15% rate", "公积金…按2.85%", "首套目前3.35%", "利息一共才8万多", "still 2.25% on the 5-year", "Return since
launch: 46.2%"). False positives: "收益最高的不一定适合您", the subscription period's last day as a date, "业绩比较基准的构成",
"the guy in that group promising '…'", own-words notices ("实际执行的是您存入当天我行挂牌的利率", "超过保证部分的利益是不确
定的"). The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "en", "Right, you'll have your full savings back in March.", "forbidden_promise"),
        ("wealth", "zh", "不会的，本金这块您放心。", "forbidden_promise"),
        ("wealth", "en", "Of our products, this one is the safest place for school-fee money.", "superlative"),
        ("loan", "en", "We have the lowest mortgage rate in Beijing right now.", "superlative"),
        ("insurance", "en", "The crediting rate has been above 3% since 2020, so that's what you'll get. Insurance isn't a "
                            "deposit, and non-guaranteed benefits are uncertain.", "hidden_risk"),
        ("loan", "en", "The rate can go up, but the LPR keeps coming down, so your payment will keep falling.",
         "hidden_risk"),
        ("fund", "en", "Funds involve risk, sure, but this bond fund barely moves, you won't even notice.", "hidden_risk"),
        ("deposit", "en", "Rather than a fund, put it in our CD. The yield is similar and it's a lot safer.",
         "forbidden_comparison"),
        ("fund", "en", "It's the same fund, but it's safer buying it through us than through another bank's app.",
         "forbidden_comparison"),
        ("loan", "zh", "转到我们行吧，利率比您现在那家低，我们行也比他们稳。", "forbidden_comparison"),
        ("credit_card", "zh", "用我们的信用卡分期比去借那些网贷安全多了。", "forbidden_comparison"),
        ("insurance", "en", "Sign today; if you wait, you'll lose the bundled price.", "pressure_selling"),
        ("credit_card", "en", "Apply in the next hour or the cashback is gone!", "pressure_selling"),
        ("loan", "zh", "这个月额度还有，下个月就不好说了。", "pressure_selling"),
        ("deposit", "zh", "这期额度挺紧的，犹豫的话可能就抢不到了。", "pressure_selling"),
        ("insurance", "en", "This plan comes off sale on the 28th, so sign before then.", "pressure_selling"),
        ("credit_card", "en", "The offer ends at midnight, so I'd suggest we set it up now while you're on the phone.",
         "pressure_selling"),
        ("loan", "en", "Every buyer we've sent from this estate has been approved, so yours will go through too.",
         "credit_promise"),
    ],
)
def test_violations_of_packs_2_22(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


def test_a_yes_with_a_reassurance_after_it_is_no_hedge():
    flagged_as("loan", "zh", "能批的，这个不影响。", "credit_promise", "block", question="我有过逾期，还能批吗？")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("loan", "en", "Refinancing into our 3.2% rate would cut your payment by about ¥300."),
        ("loan", "zh", "公积金80万按2.85%、商贷50万按3.1%。"),
        ("loan", "zh", "首套目前3.3%哈。"),
        ("loan", "zh", "这个月月供3,100元，整个贷款利息一共才7万多。"),
        ("deposit", "en", "Yep, still 2.2% on the 3-year."),
        ("fund", "en", "Return since launch: 38%. Funds involve risk, and past performance doesn't indicate future "
                       "results."),
        ("credit_card", "zh", "账单分期手续费每期0.6%。"),
    ],
)
def test_figures_that_need_their_notice_in_packs_2_22(line, lang, text):
    flagged_as(line, lang, text, "missing_disclosure", "fix")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("credit_card", "zh", "您申请的账单分期已撤销，款项将在下期账单中冲正。"),
        ("credit_card", "zh", "分期前先算算每个月还不还得上。"),
        ("credit_card", "en", "The instalment has been set up on your card ending 1234; the first one appears on next "
                              "month's statement."),
        ("wealth", "zh", "收益最高的不一定适合您，我先帮您做一下风险测评吧。"),
        ("wealth", "zh", "已为您登记预约，认购资金会在募集期最后一天扣款。"),
        ("fund", "zh", "这个是业绩比较基准的构成：沪深300×80%+中债总指数×20%，不是收益率。"),
        ("fund", "en", "Ignore the guy in that group promising '15% a year'. No fund can promise that."),
        ("deposit", "zh", "一年期定期目前挂牌利率1.45%，实际执行的是您存入当天我行挂牌的利率。"),
        ("insurance", "zh", "结算利率上个月是3.1%。保险不是存款，超过保证部分的利益是不确定的。"),
        # 2.22.1: the top tier's name is no superlative
        ("deposit", "zh", "结构性存款的最高档要挂钩标的走到特定区间才有，拿不到的可能是存在的。结构性存款不同于一般性存款，具有投资风险。"),
    ],
)
def test_compliant_replies_of_packs_2_22(line, lang, text):
    passes(line, lang, text)


def test_a_structured_deposit_s_record_in_periods_is_still_a_record():
    """2.22.1: with the tier's name no longer read as a superlative, "过去12期全部拿到了最高档" is caught as the record it is."""
    flagged_as("deposit", "zh", "这款结构性存款收益不固定，不过过去12期全部拿到了最高档，这次大概率也一样。", "hidden_risk", "block")
