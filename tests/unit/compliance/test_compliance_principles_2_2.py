"""Packs 2.2: holdout19 and holdout20's errors closed by principle, in both languages.

Principles: a message disowned ("did not come from our bank", "is not ours", "更不会说“…”"), the customer's own past;
comparisons with credit co-ops, online banks and payment platforms; a loan product is a product ("创业贷是最好的");
"最好锁在家里" is advice; deadlines said other ways (ends Friday, changes on the 1st, sells out within a day, won't come
back, 赶集一过就收) with a push (sign today, apply by midnight, place the order now, 这两天就把单子签了); records (never
let holders lose, paid at least the mid case) and dismissals (按中档打算, 晚几天没事, realistically you'll land close to
it, hasn't risen in years); a similar return "realistic"; principal "到期肯定能拿回来", "never get back less than you put
in"; no credit history "won't matter"; a card number introduced in other words; own-words disclosures (协议和账单为准,
按存钱那天挂出来的利率算, 等审批下来才定, 不保证的部分有不确定性, 风险测评对得上, 基金是有风险的); an illustration's
dividend as a figure, "按3.6%算". Each is pinned by compliant paraphrases and by look-alikes.
The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes, scan


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("deposit", "en", "A text saying 'deposit with us, 6% guaranteed, zero risk' did not come from our bank."),
        ("loan", "en", "That 'approval guaranteed, zero interest' app is not ours. Please don't upload your ID."),
        ("wealth", "zh", "我们没有办法向您承诺收益，更不会说“稳赚不赔”。"),
        ("wealth", "zh", "您提到以前在国外买过保证收益的产品，国内银行理财现在都是净值型的，没有这种承诺。"),
        ("deposit", "zh", "存单您最好锁在家里稳当的地方，别和身份证放在一起。"),
        ("credit_card", "zh", "分12期每期手续费率0.6%左右，最后以您信用卡协议和账单上的费率为准。"),
        ("deposit", "zh", "一年期定期挂牌利率眼下是1.5%，具体按您存钱那天网点挂出来的利率算。"),
        ("loan", "zh", "参考利率是年化3.95%左右，实际年化利率要等审批下来才定，借钱要量力。"),
        ("insurance", "zh", "今年万能账户结算利率是2.5%，不代表以后。保险不是存款，不保证的部分有不确定性。"),
        ("fund", "zh", "这只基金今年以来涨了大约8%，不过基金是有风险的，过去涨得好不等于以后也会涨，不算对您的投资建议。"),
    ],
)
def test_disowned_messages_and_own_words_disclosures_pass(line, lang, text):
    passes(line, lang, text)


def test_shanghai_risk_matching_in_own_words():
    text = "这款业绩比较基准2.7%。理财不是存款，有风险，投资要当心；这款是R2级的，得跟您做的风险测评结果对得上才好买。不算投资建议。"
    passes("wealth", "zh", text, region="CN-SH")
    missing = "这款业绩比较基准2.7%。理财不是存款，有风险，投资要当心。不算投资建议。"
    assert scan("wealth", "zh", missing, region="CN-SH").verdict == "fix"


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "zh", "钱放我们这理财可比放镇上信用社稳当多了。", "forbidden_comparison"),
        ("insurance", "en", "Our annuity gives you more back than the one the co-op bank sells.", "forbidden_comparison"),
        ("credit_card", "zh", "在我们行办卡比在网上那些银行办安全多了。", "forbidden_comparison"),
        ("loan", "zh", "要说贷款，咱行这个创业贷是最好的。", "superlative"),
        ("insurance", "en", "The discount ends Friday and the premium goes up for good after that. Sign today and lock "
                            "it in.", "pressure_selling"),
        ("credit_card", "en", "Apply by midnight. This no-annual-fee offer won't come back.", "pressure_selling"),
        ("fund", "en", "The quota resets on the 1st and usually sells out within a day. Place the order now rather than "
                       "sleeping on it.", "pressure_selling"),
        ("insurance", "zh", "这款产品月底就停售了，建议您这两天就把单子签了。", "pressure_selling"),
        ("credit_card", "zh", "今天办卡送一袋米，就这一天，明儿就没了。", "pressure_selling"),
        ("fund", "zh", "这只基金的经理做了十几年，从来没让持有人亏过钱，您拿着就行。", "hidden_risk"),
        ("insurance", "en", "The dividend isn't guaranteed, but the insurer has paid at least the mid-case illustration "
                            "every year, so plan around it.", "hidden_risk"),
        ("insurance", "zh", "分红是不保证的，不过您心里就按演示的中档打算，一般差不到哪去。", "hidden_risk"),
        ("credit_card", "zh", "逾期会影响征信。不过晚几天没事的，一般上不了征信。", "hidden_risk"),
        ("insurance", "en", "The 4.5% illustration isn't guaranteed, but realistically you'll land close to it.",
         "hidden_risk"),
        ("loan", "en", "The rate floats, but it hasn't risen in years, so I wouldn't plan for that.", "hidden_risk"),
        ("fund", "en", "It returned 15% last year with the same team, so a similar return this year is realistic.",
         "hidden_risk"),
        ("wealth", "zh", "本金这块您不用担心，到期肯定能拿回来。", "forbidden_promise"),
        ("insurance", "en", "Yes, you'll never get back less than you put in, whenever you stop.", "forbidden_promise"),
        ("credit_card", "en", "With your employment letter you'll be approved; no Chinese credit history won't matter.",
         "credit_promise"),
    ],
)
def test_new_violations_are_flagged(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("fund", "zh", "王叔，您定投扣款的卡是6217231008453392116，每月8号扣200块。"),
        ("deposit", "zh", "您要存的那张卡6228480312457789015我看到了，明天给您办。"),
        ("wealth", "en", "I can see the card you typed, 6228 4800 1234 5678 910; it is supported."),
    ],
)
def test_a_card_number_introduced_in_other_words_is_masked(line, lang, text):
    result = scan(line, lang, text)
    assert result.verdict == "fix" and "personal_data" in result.categories, (text, result.rule_ids)
    assert result.fixed_text is not None and "*" in result.fixed_text


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "zh", "按演示，这份分红险交满20年后，中档每年能领分红大概3200元。"),
        ("insurance", "en", "On the illustration, the middle-case dividend is about 400 yuan a year from year 5."),
        ("loan", "zh", "房贷30万、20年等额本息，按3.6%算每月大概还1755块。"),
    ],
)
def test_figures_said_in_other_words_need_their_disclosure(line, lang, text):
    flagged_as(line, lang, text, "missing_disclosure", "fix")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "zh", "信用社和我们都受存款保险保障，理财则不保本，您可以比较一下风险等级。"),
        ("credit_card", "en", "The offer ends Friday. There's no need to rush; apply only if the card suits you."),
        ("loan", "en", "The rate floats and can go up; it has risen before, so plan for higher repayments."),
        ("deposit", "zh", "您这张卡的尾号是3392，已绑定成功。"),
        ("wealth", "zh", "本金不保证能全部拿回来，这款是净值型产品。"),
    ],
)
def test_their_look_alikes_pass(line, lang, text):
    passes(line, lang, text)
