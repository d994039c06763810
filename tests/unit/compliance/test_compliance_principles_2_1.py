"""Packs 2.1: holdout17 and holdout18's errors closed by principle, in both languages.

Principles: a message or a line the reply disowns frames what it quotes; comparisons with smaller banks and online
lending platforms, "between the two, ours is the safer one", "with this one you'll usually earn more" than a deposit;
"the best one we distribute"; a repricing at midnight, an offer that ends with the live stream, a countdown, "明天
再来可就没有咯", "停售前不下单"; a record projected from "last cycle"; an insurer that "has never cut" a dividend; the
illustration's middle column "to count on"; principal that "是不会少的"; approval for "pretty much everyone",
"auto-approved"; a structured deposit's own-words warning ("which end you'll get"); figures said in other words
(a rate that "means about 3.5%", total interest "about 7,300", a CD rate after a colon, a return "over the past 12
months"); "not investment advice" in more words; a fund's past-performance half in more words. Each is pinned by
compliant paraphrases and by look-alike violations the principle must not swallow.
The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("deposit", "zh", "您收到的短信“大额存单高息保本，名额有限”不是我行发送的，请勿点击链接。"),
        ("wealth", "zh", "“稳赚不赔、最后一天”这种话，你们在我这里听不到，想清楚再买。"),
        ("wealth", "en", "The text you got saying 'guaranteed high return, zero risk' is not from us. Please ignore it."),
        ("insurance", "en", "Be wary of anyone selling 'a policy that pays 5% guaranteed'. That's a classic mis-selling "
                            "line; ask to see which parts of the contract are guaranteed."),
        ("loan", "en", "Someone asked if this is 'the lowest-rate loan anywhere'. I won't say that: rates differ by "
                       "person and by lender."),
        ("insurance", "en", "The cash value at 60 is 182,000 in the guaranteed column and about 240,000 with projected "
                            "dividends, which are not guaranteed and may be lower. Insurance is not a deposit."),
        ("deposit", "en", "The rate range is 1.2%-2.6% depending on where the gold price lands; I can't promise which "
                          "end you'll get, and the applicable rate is the one posted on the day you deposit."),
        ("wealth", "en", "The benchmark is 2.6% a year. WMPs are not deposits, they carry risk, invest with caution, "
                         "and nothing I say on this stream is investment advice."),
        ("fund", "zh", "近三年累计涨了21%，但过去涨得好不代表以后也能涨，基金有风险，投资需谨慎，不构成投资建议。"),
        ("wealth", "zh", "这款理财您明天再来也能买，不用抢，想清楚再下单。"),
    ],
)
def test_disowned_lines_and_own_words_disclosures_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("deposit", "zh", "存我们的大额存单比城商行的更安全，您放心。", "forbidden_comparison"),
        ("wealth", "en", "Yes, it's similar to the one in your other bank's app, but between the two, ours is the safer "
                         "one.", "forbidden_comparison"),
        ("wealth", "en", "Compare to leaving it in a time deposit, with this one you will usually earn more.",
         "forbidden_comparison"),
        ("fund", "zh", "要说偏债的，这只是我们代销里最好的一只。", "superlative"),
        ("insurance", "en", "This plan gets repriced at midnight. Five minutes left on the countdown, lock in your "
                            "premium now!", "pressure_selling"),
        ("credit_card", "en", "The welcome gift disappears when the stream ends. Apply now and think about it later!",
         "pressure_selling"),
        ("wealth", "zh", "这批额度今晚十点就关，明天再来可就没有咯，先下单占个位嘛！", "pressure_selling"),
        ("insurance", "zh", "今晚停售前不下单，以后可就买不到这款了。", "pressure_selling"),
        ("wealth", "en", "Last cycle it paid 3.4% annualised, so next cycle you can expect about the same. WMPs are not "
                         "deposits; investment involves risk. Not investment advice.", "hidden_risk"),
        ("insurance", "en", "The dividend isn't guaranteed, but this insurer has never cut one, so you can count on "
                            "it.", "hidden_risk"),
        ("insurance", "zh", "分红不保证，不过您就按中档演示来算，基本八九不离十。保险不是存款，非保证利益具有不确定性。",
         "hidden_risk"),
        ("wealth", "zh", "您放心，这款是我们自己发行的理财，本金是不会少的。", "forbidden_promise"),
        ("credit_card", "en", "The partner bank approves pretty much everyone who applies through us.", "credit_promise"),
        ("credit_card", "en", "Customers with a local hukou get auto-approved on this card.", "credit_promise"),
        ("deposit", "zh", "这款结构性存款往期基本都是按上限2.7%兑付的，这期大概率也差不多。", "hidden_risk"),
    ],
)
def test_new_violations_are_flagged(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("deposit", "en", "Your 5-year CD at the partner bank: 2.15%, 200k minimum."),
        ("loan", "en", "The first-home mortgage rate is LPR minus 45bp, which means about 3.5%."),
        ("loan", "en", "For 100,000 over 3 years the monthly repayment is about 2,980, total interest about 7,300."),
        ("fund", "en", "The fund's return over the past 12 months was 4.35%. Funds involve risk; not investment advice."),
    ],
)
def test_figures_said_in_other_words_need_their_disclosure(line, lang, text):
    flagged_as(line, lang, text, "missing_disclosure", "fix")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # the same comparisons said honestly
        ("deposit", "zh", "城商行和我们一样受存款保险保障，利率各家不同，您可以都比较一下。"),
        ("wealth", "en", "Between the two, the one in your other bank's app has the lower risk rating; the choice is "
                         "yours."),
        # a date that is the customer's own, or with no push
        ("credit_card", "en", "Your statement is repriced at midnight? No: your bill stays as it is; repayment is due "
                              "on the 5th."),
        ("insurance", "en", "The plan is repriced at midnight. There's no need to rush; a policy is a long commitment."),
        # principal in the negative
        ("wealth", "zh", "这款理财不保本，本金是有可能会少的，请您谨慎考虑。"),
        # approval, honestly
        ("credit_card", "en", "We don't approve everyone: each application is reviewed on its own merits."),
    ],
)
def test_their_look_alikes_pass(line, lang, text):
    passes(line, lang, text)
