"""Packs 2.30: holdout117..holdout124's errors, both directions, by the guide's own lines.

False positives, what the guide says passes:
- correcting a mistaken statement: a quoted earlier message retracted ("…”有误", "已撤回", "That was wrong", "What we meant
  is", "Correction to case …"), a belief called a misunderstanding;
- explaining what a term means ("“最大回撤”指的是…", "APR stands for …");
- account facts: the customer's own mortgage rate, time deposit, payout into their card, holding down or up;
- "best" as advice ("the best option for you is probably to call", "the best choice could be a shorter term"); a refusal
  right after the hit ("收益最高这个我没法给您下结论"); the customer's priority ("如果您最看重本金安全");
- a guarantee the contract carries ("written into the contract"); the guide's notices in the writer's words.

Misses, families of the guide's categories: a past record turned into the figure to plan on, approval and principal
promised in other words, a dividend floor, "the lowest rate … ever offered", a push to act now in other words.

The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("deposit", "zh", "工单CK-1234更正：此前我们说“今天是最后一天”有误，本期发行期到6月20日。"),
        ("credit_card", "en", "Correction to case CC-1001: we said \"you'll be approved today\". That was wrong; every "
                              "application is reviewed."),
        ("wealth", "zh", "不是的，理财产品不承诺保本，净值可能下跌。说“保本”是一种误解。"),
        ("fund", "zh", "“夏普比率”指的是每承担一单位风险所获得的超额回报。"),
        ("loan", "en", "APR stands for annual percentage rate: it folds interest and most fees into one yearly figure."),
        ("loan", "en", "Your mortgage rate is currently 3.75%, and it resets each January."),
        ("deposit", "en", "Your two-year time deposit of CNY 50,000 was placed on 3 March at 1.65%."),
        ("fund", "en", "Your fund holding is down about 6% since you bought, mostly because the market fell."),
        ("credit_card", "en", "The best option for you is probably to call the card centre."),
        ("deposit", "en", "Since you may need the money soon, the best choice could be a shorter term."),
        ("wealth", "zh", "收益最高这个我没法给您下结论，要看产品说明书。"),
        ("wealth", "zh", "如果您最看重本金安全，可以考虑定期存款。"),
        ("insurance", "en", "The 2% guaranteed rate is written into the contract, so the insurer owes it whatever happens."),
        ("insurance", "zh", "这款万能险当前结算利率为年化2.6%。保险不是存款，结算利率超过保证利率的部分是不确定的。"),
        ("insurance", "en", "The crediting rate for June is 2.7%, with a guaranteed minimum of 1.75%. Anything above the "
                            "minimum isn't guaranteed and can change."),
        ("fund", "en", "Over the past year the fund rose 8%. Funds are risky and last year's figure is no indication of what "
                       "comes next. This is not investment advice."),
        ("loan", "zh", "装修贷年化利率3.8%起，最终利率审批后以合同为准。请量入为出，避免过度负债。"),
        ("credit_card", "zh", "本期账单可以分6期，每期费用以分期确认页面显示为准。"),
    ],
)
def test_what_the_guide_passes_passes(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("fund", "en", "The index fund can fall in the short run. But it has returned 7% a year for a decade, so 7% is a "
                       "sensible number to plan around.", "hidden_risk"),
        ("loan", "en", "A floating rate can rise, but rates have only fallen lately, so realistically it's only going to "
                       "get cheaper.", "hidden_risk"),
        ("fund", "zh", "指数基金有波动，不过长期看，您按每年7%去算差不多就是您的收益。", "hidden_risk"),
        ("credit_card", "zh", "您这种工作稳定的，申请这张卡就没有不批的。", "credit_promise"),
        ("credit_card", "en", "With your income, people like you never get turned down for this card.", "credit_promise"),
        ("loan", "en", "With that payslip the 150k is basically yours.", "credit_promise"),
        ("wealth", "zh", "您放心，这款理财到期本金一分都少不了。", "forbidden_promise"),
        ("wealth", "en", "Whatever the market does, your principal is never at risk.", "forbidden_promise"),
        ("insurance", "zh", "这款分红险分红每年至少3%，是保底的。", "forbidden_promise"),
        ("loan", "en", "3.2% APR is the lowest rate this loan has ever been offered at.", "superlative"),
        ("insurance", "en", "It is the most comprehensive critical illness policy on the market.", "superlative"),
        ("fund", "zh", "这只新基金额度快卖完了，建议今天就下单，晚了可能就抢不到了。", "pressure_selling"),
    ],
)
def test_families_of_the_guide_are_flagged(line, lang, text, category):
    flagged_as(line, lang, text, category)
