"""Packs 2.5: holdout27 and holdout28's misses and false positives closed by principle, in both languages.

Principles: a push and a deadline anywhere in a short campaign reply ("Last call! … closes tomorrow — get your order in
today", "这周日就过期了…别再等了", "rates might get cut next month … don't wait"); a plain future approval ("you'll
still be approved", "it'll go through this time", "提交就给批"); a principal that "comes back in full", "at least what
you've paid in", "连本带息一起回来"; a return "locked in" by the writer; a dividend "every year, guaranteed"; a risk
conceded and taken back ("isn't principal-protected … I wouldn't worry", "大概率也会落在高档", "你不用太担心，放着就
好", "expect your payments to keep falling"); a bank named by a letter is a competitor; "the best place for your
money"; a figure right after a Chinese hit keeps the Chinese post-negation window. False positives: the customer's
question and acquaintances reported, an advert passed round and called a con, a benchmark named as a concept with no
figure, own-words disclosures ("以前…不代表以后", "跟存款不是一回事", "fees and interest do apply"). Each is pinned by
compliant paraphrases and by look-alike violations. The sentences are written for these tests, not copied from the
evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes, scan


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # reported questions, acquaintances and adverts
        ("deposit", "zh", "您问大额存单是不是比理财更安全——这个我们不做比较，两者是不同的产品。"),
        ("deposit", "zh", "您同事说'存我们这儿比存Y行划算'，这话我们不说，利率以存入当日挂牌为准。"),
        ("fund", "zh", "有同学转发“跟着老师买基金稳赚”的截图，这种带单群就是割韭菜，别交钱。"),
        ("credit_card", "zh", "有中介在群里发“包下卡、无视征信”，收了钱就跑路，请走官方渠道申请。"),
        ("wealth", "en", "Your roommate said WMPs can't lose money. That's not true: a WMP is not a deposit and can lose "
                         "value."),
        # a benchmark named as a concept
        ("wealth", "zh", "业绩比较基准是怎么定的、代表什么，说明书里都有解释，您可以先看看。"),
        ("wealth", "en", "At the workshop we'll explain what a performance benchmark is and how to read one."),
        # own-words disclosures
        ("fund", "zh", "这只指数基金近3年年化约6%，不过以前的表现不代表以后；基金是有风险的，这些也不算投资建议。"),
        ("insurance", "zh", "万能账户本月结算利率3.0%。保险和存款不是一回事，不保证的部分以后怎样谁也说不准。"),
        ("credit_card", "en", "Cash advances cost 1% per withdrawal plus daily interest. Fees and interest do apply, and "
                              "the rates in your card agreement are the ones that count."),
        # a deadline with no push; a service at a date; a promise refused
        ("fund", "en", "The subscription period closes tomorrow. Take your time; the next one opens in March."),
        ("loan", "en", "You won't necessarily be approved; we look at income and credit history first."),
    ],
)
def test_reported_and_own_words_replies_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        # pressure across the sentences of a short reply
        ("fund", "en", "Last call! The subscription period closes tomorrow — get your order in today.",
         "pressure_selling"),
        ("credit_card", "en", "The cashback ends at midnight. Don't wait!", "pressure_selling"),
        ("deposit", "en", "Rates might get cut next month, so I'd lock in today.", "pressure_selling"),
        ("loan", "zh", "利率优惠券这周五就过期了，建议您今天就把申请提交了，别再等了。", "pressure_selling"),
        ("deposit", "zh", "利率下个月还要降，现在不存以后就没这个价了。", "pressure_selling"),
        ("deposit", "en", "Only 20 slots left for this CD, first come, first served, and today's the last day!",
         "pressure_selling"),
        # approval as a plain future
        ("credit_card", "en", "Don't worry about the late payment, you'll still be approved.", "credit_promise"),
        ("loan", "en", "With your new salary it'll go through this time.", "credit_promise"),
        ("credit_card", "zh", "应届生提交就给批，放心申请。", "credit_promise"),
        # promises
        ("wealth", "en", "Yes, hold it to maturity and your principal comes back in full.", "forbidden_promise"),
        ("wealth", "zh", "放心，到期连本带息一起回来。", "forbidden_promise"),
        ("wealth", "en", "I can lock in 3.6% for you on the renewal.", "forbidden_promise"),
        ("insurance", "en", "This plan pays a dividend every year, guaranteed.", "forbidden_promise"),
        # a risk conceded and taken back
        ("wealth", "en", "It isn't principal-protected, but it's very steady, so I wouldn't worry about it.",
         "hidden_risk"),
        ("deposit", "zh", "结构性存款收益不固定，不过金价一直在涨，这一期大概率也会落在高档。", "hidden_risk"),
        ("fund", "zh", "基金有风险，投资需谨慎。不过这只债基一直很平，你不用太担心，放着就好。", "hidden_risk"),
        ("loan", "en", "The rate floats, so it can rise, but expect your payments to keep falling.", "hidden_risk"),
        ("wealth", "en", "It hasn't had a single down month since launch, so you'll be fine.", "hidden_risk"),
        # comparisons and superlatives
        ("deposit", "zh", "我们的三年期比Y银行高出0.1个百分点，放这儿更划算。", "forbidden_comparison"),
        ("credit_card", "en", "Our card gives better cashback than Bank Q's card.", "forbidden_comparison"),
        ("deposit", "zh", "大额存单比买理财踏实多了。", "forbidden_comparison"),
        ("deposit", "en", "Our CD is the best place for your bonus money.", "superlative"),
        ("insurance", "en", "Golden Years is the best annuity for your retirement.", "superlative"),
    ],
)
def test_violations_are_blocked(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


@pytest.mark.parametrize(
    "line,text",
    [
        ("fund", "这只基金近一年年化4.2%（过往表现不代表未来）。"),
        ("insurance", "您的年金险本年度红利金额860元，已转入万能账户。"),
    ],
)
def test_figures_need_their_disclosure(line, text):
    flagged_as(line, "zh", text, "missing_disclosure", "fix")


def test_a_posted_rate_change_needs_the_deposit_notice():
    flagged_as("deposit", "en", "From 1 June our 1-year rate moves to 1.40%.", "missing_disclosure", "fix")
    text = "From 1 June our 1-year rate moves to 1.40%. The rate that applies is the one posted on the day you deposit."
    assert scan("deposit", "en", text).verdict == "pass"


def test_the_best_place_to_call_stays_advice():
    passes("credit_card", "en", "The best place to report a lost card is the hotline on the back of it.")


@pytest.mark.parametrize(
    "line,text,category,verdict",
    [
        ("fund", "這隻債券基金只要拿滿三年是不會虧的，您放心。", "forbidden_promise", "block"),
        ("credit_card", "無論信用記錄如何都保證批核，您放心申請。", "credit_promise", "block"),
        ("fund", "這隻基金今年以來回報約9.2%。", "missing_disclosure", "fix"),
    ],
)
def test_traditional_characters_read_as_simplified(line, text, category, verdict):
    """Replies in traditional Chinese (Hong Kong, Macau, overseas customers) go through the same patterns."""
    flagged_as(line, "zh", text, category, verdict)


def test_traditional_compliant_replies_pass_and_keep_their_spans():
    passes("loan", "zh", "我們無法保證一定批核，年齡、收入和信貸記錄都會影響審批結果。")
    text = "已收到資料，身份證號碼 440103196512083427 核對無誤。"
    result = scan("loan", "zh", text)
    (finding,) = [f for f in result.findings if f.rule_id == "BASE-PERSONAL-DATA"]
    assert text[finding.span[0]:finding.span[1]] == "440103196512083427"
    assert result.fixed_text is not None and "440103196512083427" not in result.fixed_text
