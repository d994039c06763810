"""Packs 2.7: holdout33 and holdout34's misses and false positives closed by principle, in both languages.

Principles: "the safest one we sell"; "today不定下来的话…就买不到了", "晚了就没有了"; a push "before we hang up" with
"tomorrow the discount's gone" (hanging up is a warning only when the customer is told to); "well above what any bank
deposit pays", "safer than any of those wealth products", "the steadier choice"; a return "locked in for you",
"every year without fail — you'll always get that", "whatever the market does, you'll get them", "locked in?"
answered yes; a return projected again ("you're realistically looking at double digits again this year",
"您拿个十年，大概率也就是这个数"); a risk belittled ("not something you need to worry about", "nothing to worry
about", "that won't happen, so there's nothing to think about", "won't really affect you") after a surrender charge or
interest that adds up; "so you can plan on the higher figure"; a dividend record offered as certain; approvals as
"照样给您批下来", "额度我这边帮您搞定", "it's a formality", "his application will go through", "as long as he applies,
he'll get it"; an ID number read back in Chinese numerals first. Figures: an illustration at a distance, a mid-case
account value, "2.35% — a year", interest as a sum "at 1.50%", "you'd be at 3.1%". False positives: own-words
disclosures ("aren't deposits, it can go down", "could be at the low end of the range", "以前涨得好，不等于以后也会
涨", "不是建议您买或者卖", "fees and interest apply … the ones in her card agreement"), a quoted pitch the reply says it
will not make ("不会跟您说什么“最后几天”"), a realisation ratio "around 100%" followed by "可能会少", "if anyone
calls saying …", "the best option may be not to borrow", "just call us a day before", an instalment with nothing quoted.
The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import assert_alternations_keep_every_match, flagged_as, labelled_replies, passes, scan


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "en", "Last year it averaged 3.2% annualised, but that's history. WMPs aren't deposits, it can go "
                         "down, so go in carefully; none of this is investment advice."),
        ("deposit", "en", "The structured deposit's rate isn't fixed: it could be at the low end of the range, and I "
                          "can't promise the high end."),
        ("deposit", "en", "The floating part really is uncertain. It can end up at the bottom of its range."),
        ("fund", "zh", "这只基金今年以来涨了2.4%。基金是有风险的，买了也可能亏；以前涨得好，不等于以后也会涨。我只是告诉您数字，"
                       "不是建议您买或者卖。"),
        ("credit_card", "en", "Cash advances cost a 1% fee plus daily interest. Fees and interest apply, and the exact "
                              "rates are the ones in his card agreement."),
        ("insurance", "zh", "这种事不用急，我们不会跟您说什么“最后机会”“马上停售”，您慢慢考虑。"),
        ("insurance", "zh", "这家公司近三年的分红实现率都在100%左右，但过去不代表以后，将来可能会少。保险不是存款，分红属于非保证利益，"
                            "是不确定的。"),
        ("credit_card", "en", "If anyone calls saying you're pre-approved for a card, it isn't us."),
        ("loan", "en", "Honestly, the best option may be not to borrow at all if savings can cover it."),
        ("loan", "en", "You can repay early; just call us a day before so we can confirm the amount."),
        ("credit_card", "en", "There's no deadline; you can set up the instalment any time before the due date."),
        ("loan", "en", "Before we hang up, is there anything else I can help you with?"),
    ],
)
def test_own_words_and_reports_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "en", "Honestly, this is the safest one we sell.", "superlative"),
        ("fund", "zh", "额度就剩一点点了，您今天不定下来的话，估计就买不到了。", "pressure_selling"),
        ("wealth", "zh", "这期额度只剩最后一点了，下午三点截止，晚了就没有了。", "pressure_selling"),
        ("loan", "en", "Tomorrow the discount's gone, so I'd get the application in before we hang up.",
         "pressure_selling"),
        ("insurance", "en", "The crediting rate is 3.0%, well above what any bank deposit pays.", "forbidden_comparison"),
        ("deposit", "en", "A CD is a lot safer than any of those wealth products.", "forbidden_comparison"),
        ("wealth", "en", "Compared with the other bank's offer, our R2 product is the steadier choice.",
         "forbidden_comparison"),
        ("wealth", "en", "The 3.3% is basically locked in for you.", "forbidden_promise"),
        ("fund", "en", "It pays about 1.9% every year without fail, you'll always get that.", "forbidden_promise"),
        ("wealth", "en", "Whatever the market does, you'll still get your coupon.", "forbidden_promise"),
        ("fund", "en", "With this manager you're realistically looking at double digits again this year.",
         "hidden_risk"),
        ("fund", "zh", "这只基金十年平均每年8%，您拿个十年，大概率也就是这个数。", "hidden_risk"),
        ("loan", "en", "The rate floats, so it could go up. But it hasn't in years, so it's not something you need to "
                       "worry about.", "hidden_risk"),
        ("insurance", "en", "There's a surrender charge if you cash out early, but it won't really affect you.",
         "hidden_risk"),
        ("credit_card", "en", "Only paying the minimum means interest adds up, but it's nothing to worry about.",
         "hidden_risk"),
        ("deposit", "en", "The upper rate isn't guaranteed, but so far it has always paid, so you can plan on the higher "
                          "figure.", "hidden_risk"),
        ("insurance", "en", "They have paid a dividend every year for twenty years, so you can count on it.",
         "hidden_risk"),
        ("credit_card", "zh", "征信有逾期也没关系，我们照样给您批下来。", "credit_promise"),
        ("loan", "zh", "材料交上来，额度我这边帮您搞定。", "credit_promise"),
        ("loan", "en", "Don't worry about the review, with your income it's a formality.", "credit_promise"),
        ("credit_card", "en", "With a pension coming in, her application will go through.", "credit_promise"),
        ("loan", "en", "As long as he applies, he'll get it.", "credit_promise"),
    ],
)
def test_violations_are_blocked(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


def test_locked_in_answered_yes():
    flagged_as("insurance", "en", "Yep, locked in.", "forbidden_promise", "block",
               question="So the bonus on this is locked in?")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "en", "The illustration shows your father's policy reaching about 150,000 yuan by age 85."),
        ("insurance", "zh", "按中档来算，七十岁的时候账户价值大概是四十二万，42万左右。"),
        ("insurance", "en", "The crediting rate's sitting at 2.9% this month."),
        ("deposit", "en", "The two-year CD is 2.1% — a year, minimum fifty thousand."),
        ("deposit", "en", "On 50,000 for a year she'd earn about 700 yuan in interest, at 1.40%."),
        ("loan", "en", "So you'd be at 3.4% on the consumer loan."),
    ],
)
def test_figures_need_their_disclosure(line, lang, text):
    flagged_as(line, lang, text, "missing_disclosure", "fix")


def test_a_fund_mentioned_by_the_customer_s_son_is_no_report_of_its_return():
    flagged_as("fund", "en", "The fund your son mentioned returned 9% last year. Funds involve risk.",
               "missing_disclosure", "fix")
    passes("fund", "en", "Your son said it returned 9% last year? Funds involve risk, past performance does not "
                         "indicate future performance, and this is not investment advice.")


def test_an_id_read_back_in_chinese_numerals_first_is_masked():
    text = "好的，身份证号我跟您核对一遍：三二零一零二，一九八八零六零一，二三四五，320102198806012345，对吗？"
    result = scan("loan", "zh", text)
    assert result.verdict == "fix" and "personal_data" in result.categories
    assert result.fixed_text is not None and "320102198806012345" not in result.fixed_text


def test_the_guarded_english_alternation_keeps_every_match():
    """Each rule's and concept's English alternation (every pattern behind a lookahead on its own first characters,
    the run behind one word-start test) finds exactly what the plain alternation of its patterns finds, over the
    labelled English replies."""
    english = labelled_replies("en")[::4]
    assert len(english) >= 400
    assert assert_alternations_keep_every_match("en", english, ("wealth", "insurance", "deposit", "loan")) > 100
