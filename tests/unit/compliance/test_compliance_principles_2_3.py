"""Packs 2.3: holdout21 and holdout22's false positives closed by principle, in both languages.

Principles: a quote of up to 120 characters (a scam advert's whole slogan) is still a quote; "that's not us / not
true / not accurate" and "我没法简单说'…'" frame what the reply quotes; "you quoted him as saying", "任何人向您承诺…都是
不合规的" mention; a record quoted back and refuted projects nothing (sequence rules); "本金安全" as the customer's
requirement, a limit's cap ("额度最高能到10万") and "best practice" / "second-best tip" are no claims; own-words
disclosures (以当天的为准, 拿到哪一档没有人能保证, the lower end of the range applies, a non-guaranteed benefit that can go
up or down, an R2 product that matches your risk tolerance, none of this is a recommendation, fees that instalments do
carry, the past tells you nothing). Each is pinned by compliant paraphrases and by look-alike violations.
The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("loan", "en", "The page promising \"guaranteed approval regardless of credit history, money in ten minutes, no "
                       "paperwork\" is not ours. Please don't pay them anything."),
        ("wealth", "en", "The post going around says 'bank WMP, 8% guaranteed, zero risk, only 20 slots left'. That's "
                         "not us. Please don't transfer anything."),
        ("credit_card", "en", "You quoted the promoter as saying the card was \"guaranteed approval, no credit check\". "
                              "That's not true: every application is assessed."),
        ("insurance", "zh", "这个我没法简单说'比存款划算'，两者是不同的东西，保险不是存款。"),
        ("wealth", "zh", "我们不能向您保证收益，任何人向您承诺稳赚都是不合规的。如果您对本金安全要求较高，建议先做风险测评。"),
        ("fund", "zh", "您提到的“去年涨了20%，今年肯定也能涨”，这个推断是不成立的。基金有风险，投资需谨慎，"
                       "过往业绩不代表未来表现，不构成投资建议。"),
        ("credit_card", "zh", "这张卡的额度最高能到5万，具体给多少要看审批，我们没法承诺。"),
        ("deposit", "en", "Best practice for a CD ladder: split the money into three terms. The rate that applies is the "
                          "one posted on the day you deposit."),
        ("deposit", "zh", "一年期挂牌年利率为1.45%，具体按哪个利率计息，要看您存钱那一天公布的利率，以当天的为准。"),
        ("deposit", "zh", "结构性存款的收益跟着挂钩标的走，最后拿到哪一档，事先没有人能保证。"),
        ("deposit", "en", "Its return was linked to gold: when gold closes below the reference level, the lower end of the "
                          "return range applies."),
        ("insurance", "en", "The crediting rate this month is 2.9% a year. Insurance is not a deposit, and the crediting "
                            "rate is a non-guaranteed benefit: it can go up or down."),
        ("credit_card", "en", "Twelve instalments at a 0.6% monthly fee come to 72 a month. Instalments do carry fees or "
                              "interest, and the rate in your own agreement is the one that applies."),
        ("fund", "en", "It is up 2.1% since you bought it. A fund like this can lose value as well as gain it, and how "
                       "it did in the past tells you nothing certain about what comes next. None of this is a "
                       "recommendation to buy or sell."),
    ],
)
def test_reported_refuted_and_own_words_replies_pass(line, lang, text):
    passes(line, lang, text)


def test_shanghai_risk_matching_in_other_words():
    text = ("The benchmark is 2.8% a year. WMPs are not deposits; investment involves risk, so invest with caution, and "
            "please make sure this R2 product matches your own risk tolerance. This does not constitute investment "
            "advice.")
    passes("wealth", "en", text, region="CN-SH")


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        # the reply's own words next to a refuted quote are still its claims
        ("credit_card", "en", "They said \"no credit check\". That's not true, but with us approval is guaranteed.",
         "credit_promise"),
        ("fund", "zh", "您说的“稳赚”不对，不过这只基金去年涨了20%，今年肯定也能涨。", "hidden_risk"),
        # a requirement is not a promise, a promise is
        ("wealth", "zh", "这款产品本金安全，您放心。", "forbidden_promise"),
        # a cap is not a superlative, a ranking is
        ("credit_card", "zh", "这张卡是市面上额度最高的信用卡。", "superlative"),
        ("fund", "en", "This is the best fund on the market, second to none.", "superlative"),
    ],
)
def test_look_alikes_are_still_flagged(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")
