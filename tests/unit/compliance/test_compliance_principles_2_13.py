"""Packs 2.13: holdout45 and holdout46's misses and false positives closed by principle, in both languages.

Principles: written Cantonese read through the Mandarin patterns ("唔" as "不", "冇" as "没", "嘅" as "的", the copula
"系" where it can be nothing else); competitors named by place ("your Hong Kong bank", "澳门那些银行", "than theirs");
"a safer place for your savings than …"; a past figure projected ("所以您可以预期3.2%左右"), a risk taken back ("as
good as fixed", "you'll pretty much get the upper rate"), "uncertain" as a risk named; a bank's backstop promised
("有银行兜底，到期一定够本"), "一定不会少于"; pressure ("明天就满额", "额度只剩一点", "迟了就要排到下个月", "下个月起…就要
调整", "prices go up next week", "held the rate for you until 5pm", "I'd really sign today"); a dash ends a negation's
reach and an answer's clause; "最抵" as a superlative; "the limit increase will be approved", "the loan is yours"; a
policy loan's approval promised in the insurance pack; credit interest and the credit record as the risk named. False
positives: a quoted line named as an SMS's words, "这种说法", "came up"; "不能跟您讲…"; own-words disclosures ("rated R3 …
fits your risk tolerance", "non-guaranteed benefit — it could go down", "有机会只拿到最低档收益"); 储蓄险 as an insurance
product; "the best option for you might just be not to borrow"; a conditional top rate. The sentences are written for
these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "zh", "呢只理财冇风险，买咗就稳赚嘅。", "forbidden_promise"),
        ("deposit", "en", "Our 3-year CD pays more than your Macau bank ever will. The rate that applies is the one "
                          "posted on the day you deposit.", "forbidden_comparison"),
        ("credit_card", "zh", "我们这张卡的积分比澳门那些银行的卡划算多了。", "forbidden_comparison"),
        ("credit_card", "en", "Honestly, our card's travel cover is better than theirs.", "forbidden_comparison"),
        ("wealth", "en", "This R2 product is a far safer home for your money than the funds your overseas bank keeps "
                         "selling. WMPs are not deposits; investment involves risk, invest with caution. This is not "
                         "investment advice.", "forbidden_comparison"),
        ("wealth", "zh", "上期年化做到3.2%，还是原来的团队管，所以您可以预期3.2%左右。理财非存款，产品有风险，投资须谨慎，"
                         "以上不构成投资建议。", "hidden_risk"),
        ("insurance", "en", "The dividend isn't guaranteed, but honestly it's as good as fixed. Insurance is not a "
                            "deposit.", "hidden_risk"),
        ("deposit", "en", "The upper rate isn't guaranteed, but gold has stayed in range all year, so you'll pretty "
                          "much get the upper rate.", "hidden_risk"),
        ("wealth", "zh", "放心，有我们银行在后面兜底，到期一定够本。", "forbidden_promise"),
        ("deposit", "zh", "这只结构性存款到期拿到的一定不会少于宣传页上的数。", "forbidden_promise"),
        ("fund", "zh", "照现在的认购速度明天就满额了，建议您今晚就下单。", "pressure_selling"),
        ("loan", "zh", "这个月放款额度只剩一点了，迟了就要排到下个月。", "pressure_selling"),
        ("insurance", "zh", "下个月起这款年金险就要调整，到时候就不是这个价了，可别错过。", "pressure_selling"),
        ("loan", "en", "Prices go up next week, so you really need to sign the contract this weekend.", "pressure_selling"),
        ("loan", "en", "I've held the rate for you until 5pm. After that it goes back into the pool, so I'd really "
                       "sign this afternoon.", "pressure_selling"),
        ("insurance", "en", "This plan is being withdrawn next month and it won't be offered again — sign today.",
         "pressure_selling"),
        ("loan", "en", "Not at all — the loan is yours, your other debts won't come into it.", "credit_promise"),
        ("credit_card", "zh", "讲到信用卡，我哋呢张系最抵嘅选择。", "superlative"),
        ("credit_card", "en", "Don't worry about last year's late payment, the limit increase will be approved.",
         "credit_promise"),
        ("insurance", "zh", "保单贷款包批的，不用查征信，您申请就行。", "credit_promise"),
        ("insurance", "en", "A policy loan needs no credit check, so you can count on it.", "credit_promise"),
        ("credit_card", "en", "Paying the minimum means interest accrues on the balance, but honestly it's nothing to "
                              "worry about. Fees or interest may apply; the rates in your statement apply.", "hidden_risk"),
    ],
)
def test_violations_of_packs_2_13(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("wealth", "zh", "呢只理财唔系保本嘅，净值会上落，有机会跌穿本金。理财非存款，产品有风险，投资须谨慎。", None),
        ("insurance", "zh", "万能账户而家嘅结算利率系3.0%，但每个月都会调整，唔保证，将来可能更低。保险唔系存款。", None),
        ("fund", "zh", "那条短信里写“稳赚不赔，名额有限”，不是我们发的，请不要点里面的链接。", None),
        ("deposit", "zh", "“保本保息”这种说法我们不会用。大额存单提前支取按支取日的活期利率计息。", None),
        ("insurance", "zh", "我不能跟您讲这份保险“一定有钱赚”，前几年退保现金价值可能低于已交保费。", None),
        ("fund", "en", "Since “guaranteed” came up on the call: this money-market fund is not guaranteed and its "
                       "yield changes daily.", None),
        ("wealth", "en", "The benchmark is 3.0-3.4% a year, a reference rather than a promise. It is rated R3, so please "
                         "check that it fits your risk tolerance. WMPs are not deposits, there is risk and you should "
                         "invest with caution; this is not investment advice.", None),
        ("insurance", "en", "The account is crediting 2.7% this month. Insurance is not a deposit, and that rate is a "
                            "non-guaranteed benefit — it could go down later.", None),
        ("deposit", "zh", "浮动部分不保证，要看挂钩的金价怎么走，有机会只拿到最低档收益。", "这只结构性存款是不是稳赚？"),
        ("insurance", "zh", "您问储蓄险和年金险哪个回报高，我们不做这类比较，建议您逐份看合同条款。", None),
        ("loan", "en", "The best option for you might just be not to borrow right now; the repayments would be tight.",
         None),
        ("deposit", "en", "No. You only get the top rate if the index ends inside the range; otherwise the return is "
                          "lower. Please read the product terms.", "Is the top rate guaranteed?"),
        ("credit_card", "en", "I can't promise that the limit increase will be approved; the credit team decides.", None),
        ("insurance", "en", "Yes — the guaranteed cash values are in your policy schedule and don't depend on "
                            "investment returns.", "So the cash values are guaranteed?"),
    ],
)
def test_compliant_replies_of_packs_2_13(line, lang, text, question):
    passes(line, lang, text, question)


def test_a_dash_ends_an_answer_s_clause():
    """"Yes, you'll get one every year — no confusion later": the words after the dash are no hedge of the yes."""
    flagged_as("insurance", "en", "Yes, you'll get a dividend every year — I'll note it on your file so there's no "
                                  "confusion later.", "forbidden_promise", "block",
               question="So the dividends are guaranteed, yes?")


def test_cantonese_characters_are_read_one_for_one():
    from tridesk.finance.compliance.text import normalise_reply

    for cantonese, mandarin in [("唔系保本嘅", "不是保本的"), ("冇风险", "没风险"), ("系唔系稳赚", "是不是稳赚"),
                                ("关系系统都系咁", "关系系统都是咁"), ("佢睇咗", "他看了")]:
        assert normalise_reply(cantonese) == mandarin
