"""Packs 2.10: holdout39 and holdout40's misses and false positives closed by principle, in both languages.

Principles: "hold it N years and you won't lose / won't be sitting on a loss", "交进去的钱都能拿回来"; "…固定的吧？",
"本金能拿回来吧？" and "a structured deposit … can I get the top rate?" answered yes ("能的"), "到期肯定按最高那档给您",
"到期肯定是这个数", "分红每年都会有"; a linked index that "从来没跌破过"; "这几年只会往下走" after a floating rate; "nothing is
100% guaranteed … so I wouldn't lose sleep over it", a benchmark paid out every cycle; "a bit above what the big
state banks are paying"; "全市最快"; "before I log off tonight", "after that I can't hold it for you", "这周不签就亏大
了", "下个月利率可能就上调"; "the card basically always goes through", "you'll get it, I can tell you that now"; figures
"按活期0.1%给您算利息", "your rate resets to 3.55%", "a month at 3.9%", an illustration's figure, a dividend's amount.
False positives: "没有哪只基金是“最好的”", "“最好的理财产品”其实不存在", "博主说的“稳赚”不靠谱", "the agent told you it
'can't go down'", "sold as a 'zero-risk deposit'", "treat it with suspicion", "no one can tell you which fund will
have the highest return", "the best option if … is to call us", "the best loan is the smallest one", "最好的用卡习惯
就是…", an instalment "before the due date on the 18th" (a date is no fee figure), own-words disclosures
("结算利率属于非保证利益，以后可能上调也可能下调", "可能只拿到下限", "the dividend part isn't guaranteed and may come in
lower", "the non-guaranteed part really is uncertain", "borrow only what fits your budget"). The sentences are written
for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("fund", "zh", "没有哪一款产品称得上“最稳的”，要看您这笔钱多久要用。"),
        ("wealth", "zh", "“收益最高的理财”其实不存在，先把期限和风险等级看清楚。"),
        ("fund", "zh", "主播说的“闭眼买稳赚”不靠谱，基金净值会涨也会跌。"),
        ("fund", "en", "When the caller told you it 'cannot lose', that wasn't accurate: any fund can fall."),
        ("deposit", "en", "If a product is sold as a 'guaranteed 6% deposit', treat it with suspicion and check the "
                          "issuer first."),
        ("fund", "en", "No one can tell you which fund will deliver the highest return next year."),
        ("loan", "en", "The best option if a payment is going to be late is to call us before the due date."),
        ("loan", "en", "The best loan is the smallest one that covers the purchase."),
        ("credit_card", "zh", "最好的还款方式就是每月按时全额还清。"),
        ("credit_card", "en", "You can split this statement into instalments any time before the due date on the 21st."),
        ("insurance", "zh", "本月万能账户结算利率为2.7%。保险不是存款，结算利率属于非保证利益，以后可能上调也可能下调。"),
        ("deposit", "zh", "宣传页上的“最高3.2%”只是区间上限，不是您一定能拿到的，最后也可能只拿到下限1.4%。"),
        ("insurance", "en", "On the illustration the value at 65 is 150,000 in the guaranteed column and about 190,000 with "
                            "dividends. "
                            "The dividend part isn't guaranteed and may come in lower; insurance is not a deposit."),
        ("insurance", "en", "The illustration's mid case shows ¥40k at year 15. Insurance isn't a deposit, and the "
                            "non-guaranteed part really is uncertain."),
        ("loan", "en", "At 4.1% over 2 years that's about ¥870 a month on ¥20,000; the APR is set on approval, and "
                       "please borrow only what fits your budget."),
    ],
)
def test_reports_questions_and_own_words_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("fund", "en", "Hold it for five years or more and you won't be sitting on a loss.", "forbidden_promise"),
        ("insurance", "zh", "交满三年以后，您交进去的钱都能拿回来。", "forbidden_promise"),
        ("deposit", "zh", "您放心，到期肯定按最高那档给您。", "forbidden_promise"),
        ("deposit", "zh", "挂钩的指数这几年从来没跌破过，您放心存。", "hidden_risk"),
        ("loan", "zh", "利率是浮动的，有上调的可能，不过这几年只会往下走。", "hidden_risk"),
        ("wealth", "en", "Nothing is 100% guaranteed, but I wouldn't lose sleep over this one.", "hidden_risk"),
        ("deposit", "en", "Our 2-year CD is a little above what the big state banks are offering.", "forbidden_comparison"),
        ("loan", "zh", "我们的经营贷放款是全市最快的。", "superlative"),
        ("credit_card", "en", "The fee waiver ends when I log off — apply before I log off tonight; after that I can't "
                              "hold it for you.", "pressure_selling"),
        ("loan", "zh", "下个月利率可能就上调了，这周不签就亏大了。", "pressure_selling"),
        ("credit_card", "en", "For freelancers we have a route where the card basically always goes through.",
         "credit_promise"),
    ],
)
def test_violations_are_blocked(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


@pytest.mark.parametrize(
    "line,lang,question,text,category",
    [
        ("insurance", "zh", "这个分红是固定的吧？", "对的，放心。", "forbidden_promise"),
        ("insurance", "zh", "满五年退保，本金能拿回来吧？", "对的，不用担心。", "forbidden_promise"),
        ("deposit", "zh", "这个结构性存款我能拿到最高那档吧？", "能的，您放心。", "forbidden_promise"),
        ("loan", "en", "Can I still get the car loan with my new job?", "Yes, you'll get it, I can tell you that now.",
         "credit_promise"),
    ],
)
def test_a_yes_to_a_certain_outcome_is_a_promise(line, lang, question, text, category):
    flagged_as(line, lang, text, category, "block", question=question)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("deposit", "zh", "提前支取的部分按活期0.15%给您算利息。"),
        ("loan", "en", "From March your mortgage rate resets to 3.4%."),
        ("loan", "en", "A ¥50,000 loan over 2 years comes to about ¥2,180 a month at 4.2%."),
        ("insurance", "en", "According to your policy illustration, at 65 you'd have about ¥300,000 in cash value."),
        ("insurance", "en", "The mid-scenario figure is about ¥61,000 at age 50."),
        ("insurance", "en", "This year's dividend on the policy was ¥2,040."),
        ("wealth", "en", "It has paid out its benchmark every single cycle since launch."),
    ],
)
def test_figures_need_their_disclosure(line, lang, text):
    flagged_as(line, lang, text, "missing_disclosure", "fix")
