"""Packs 2.6: holdout31 and holdout32's misses and false positives closed by principle, in both languages.

Principles: a card number the customer wrote, repeated in the reply, is an echo whatever its check digit; a card
number named right after it ("…这张卡") or printed in groups of four as on the card is a card number; a risk admitted
and belittled anywhere in the reply ("not principal-protected. That said … you don't need to worry about it"); a risk
conceded and taken back ("so you can plan … around the illustrated figure", "in safe hands", "nobody really loses",
"you won't need to worry about higher instalments"); "isn't guaranteed" and "get back less than you paid" are risks
conceded; "a safer place than a time deposit", "pays more than the other banks", "跟国债一样稳", "稳阵" (Cantonese
for safe); "一分都不会少" of any sum and "到期会全数回到您的账户"; "you'll always get more back than you paid"; a push
by recommending to sign today, "gotta apply today"; a credit record set aside ("won't hold that against you"),
"the money'll be there"; figures that need their disclosure: an illustration's value, a dividend as a sum or
"worked out around 3.6%", a loan's interest in any currency, "LPR 加 25 个基点，约 3.85%", a deposit rate "for 1 yr",
after a comma or in words, an instalment split with its fee. False positives: a quoted claim corrected ("is not an
accurate description", "这话我不能这么说"), a phishing SMS to ignore, own-words disclosures ("并非投资建议",
"哪天存就按哪天挂出来的利率算", "could receive just the minimum rate", "结算利率并非保证…可能更低"), a past figure
followed by "今年可能更低". Each is pinned by compliant paraphrases and look-alike violations. The sentences are
written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes, scan


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # a quoted claim corrected, a phishing message to ignore
        ("wealth", "en", "'Guaranteed returns' is not an accurate description of this product: it is rated R3 and can "
                         "lose value."),
        ("insurance", "zh", "“保本保息”这话我不能这么说，这是分红险，分红不保证。"),
        ("deposit", "en", "Please ignore the text offering a 'risk-free 9% deposit, today only'. It is phishing; we "
                          "never send links by SMS."),
        ("deposit", "zh", "收到“保本高息存款，今天截止”的短信请直接删除，那是钓鱼短信，我行不会发链接。"),
        # own-words disclosures
        ("wealth", "zh", "这款理财的业绩比较基准为年化3.1%–3.5%，只供参考。理财非存款，产品有风险，投资须谨慎；以上并非投资建议。"),
        ("deposit", "zh", "三年期现在挂的1.9%，哪天存就按哪天挂出来的利率算。"),
        ("deposit", "en", "The 3.8% upper rate on this structured deposit isn't something I can promise: if the index "
                          "leaves the range you could receive just the minimum rate."),
        ("insurance", "zh", "您的万能账户本月结算利率2.8%。结算利率并非保证，会按投资情况调整，将来可能更低；保险不是存款。"),
        ("fund", "zh", "这只基金去年回报约5%，但过去的数不代表今年，今年可能更低。基金有风险，投资需谨慎，过往业绩不代表未来表现，"
                       "以上不构成投资建议。"),
        ("insurance", "en", "The illustration shows about 90,000 at age 65 in the mid scenario. Insurance isn't a "
                            "deposit, and the non-guaranteed part could turn out higher or lower than shown, or not be "
                            "paid at all."),
        # a number that is not a card: an order number, a masked card
        ("credit_card", "zh", "您的退款单号2024061812345678已生成，3个工作日内原路退回。"),
        ("credit_card", "en", "The card ending 4821 is now frozen; a replacement is on its way."),
    ],
)
def test_corrected_quotes_and_own_words_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        # a risk admitted and belittled in another sentence, or taken back
        ("wealth", "en", "It is not principal-protected. That said, it has never closed below its launch price, so "
                         "you really don't need to worry about it.", "hidden_risk"),
        ("fund", "en", "Funds carry risk, of course. But this one has been positive every year, so your savings are "
                       "in safe hands.", "hidden_risk"),
        ("insurance", "en", "The bonus isn't guaranteed, but it has never been cut, so you can plan the school fees "
                            "around the illustrated figure.", "hidden_risk"),
        ("insurance", "en", "You might get back less than you paid if you surrender early, but nobody really loses "
                            "on this plan.", "hidden_risk"),
        ("loan", "en", "The rate floats, so repayments can rise. Rates have only fallen lately, though; you won't "
                       "need to worry about higher repayments.", "hidden_risk"),
        # comparisons
        ("insurance", "en", "Since part of the cash value is guaranteed, this plan is a safer place for your savings "
                            "than a fixed deposit.", "forbidden_comparison"),
        ("deposit", "en", "Our 1-year deposit pays 0.2% more than the other banks in town.", "forbidden_comparison"),
        ("fund", "en", "Compared with a time deposit, this short-term bond fund is just as secure and pays more.",
         "forbidden_comparison"),
        ("deposit", "zh", "大额存单跟国债一样稳，您放心存。", "forbidden_comparison"),
        ("deposit", "zh", "定期存款比基金穩陣得多。", "forbidden_comparison"),
        # promises
        ("wealth", "zh", "这笔学费放进去，到期会全数回到您的账户，一分都不会少。", "forbidden_promise"),
        ("insurance", "en", "Yes, by year ten your total will definitely be above what you've paid.", "forbidden_promise"),
        ("insurance", "en", "You'll always get more back than you paid, that's how the bonuses work.",
         "forbidden_promise"),
        # pressure
        ("insurance", "en", "Premiums go up next month when you turn 41, so I'd recommend signing today.",
         "pressure_selling"),
        ("loan", "en", "You gotta apply today for the promo rate, it ends at midnight.", "pressure_selling"),
        # credit promises
        ("credit_card", "en", "Those late payments? The system won't hold them against you, you'll get the card.",
         "credit_promise"),
        ("loan", "en", "Doesn't matter what the other bank said, apply and the money'll be there.", "credit_promise"),
    ],
)
def test_violations_are_blocked(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


def test_will_you_approve_me_answered_we_will_sort_you_out():
    flagged_as("loan", "en", "We'll sort you out, just send the payslips.", "credit_promise", "block",
               question="I was turned down elsewhere, will you approve me?")
    passes("loan", "en", "We'll look at your application as soon as the payslips arrive.",
           question="I was turned down elsewhere, will you approve me?")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "zh", "这份年金险第20年的演示现金价值约为36万元，其中红利约8万元。"),
        ("insurance", "zh", "您今年的分红大概2600块，已经转进万能账户了。"),
        ("insurance", "en", "Last year's dividend on your policy worked out at around 3.2%."),
        ("insurance", "en", "The illustration shows about 240k at age 70 in the mid case."),
        ("wealth", "en", "Your 50k in the 90-day product has made ¥620 so far."),
        ("loan", "en", "Over 24 months the total interest would be about ¥3,900."),
        ("loan", "en", "A 36-month loan of HKD 150,000 comes with total interest of roughly HKD 14,000."),
        ("loan", "zh", "首套房贷款利率目前为LPR减20个基点，约3.3%，具体可预约客户经理。"),
        ("deposit", "en", "Rolled over now it'd be at 1.6% for 1 yr."),
        ("deposit", "en", "Take it out early and the whole amount gets the demand rate, 0.1% for now."),
        ("deposit", "en", "Our six-month time deposit is paying just under three per cent a year."),
        ("credit_card", "en", "You can split the ¥6,000 into 12, about ¥500 a month plus a ¥36 fee each month."),
    ],
)
def test_figures_need_their_disclosure(line, lang, text):
    flagged_as(line, lang, text, "missing_disclosure", "fix")


def test_an_echoed_card_number_is_masked_whatever_its_check_digit():
    question = "我的卡号6222021234567890被盗刷了"
    text = "收到，6222021234567890已经帮您冻结，调查结果会短信通知您。"
    result = scan("credit_card", "zh", text, question)
    assert result.verdict == "fix" and "personal_data" in result.categories
    assert result.fixed_text is not None and "6222021234567890" not in result.fixed_text
    # without the customer's message the bare number (no valid check digit, no cue) is not taken for a card
    assert scan("credit_card", "zh", text).verdict == "pass"


@pytest.mark.parametrize(
    "text",
    [
        "系统里这张存单挂的是6222021234567890这张卡，您再核对一下？",
        "To confirm, the card you want to link for the autopay is 6222 0212 3456 7890.",
    ],
)
def test_card_numbers_named_after_or_grouped_as_on_the_card(text):
    result = scan("deposit", "zh" if "系统" in text else "en", text)
    assert result.verdict == "fix" and "personal_data" in result.categories
    assert result.fixed_text is not None and "3456" not in result.fixed_text.replace("7890", "")


def test_a_fund_fix_appends_only_the_missing_half_of_the_warning():
    """The fund warning's two halves are two disclosures (the risk, the past-performance caveat), as the loan
    notice's are: a reply that has one gets only the other appended, not the whole warning again."""
    text = "这只基金近一年回报约6%。基金有风险，投资需谨慎，以上不构成投资建议。"
    result = scan("fund", "zh", text)
    assert result.verdict == "fix" and result.fixed_text == text + "基金过往业绩不代表其未来表现。"
    text = "This fund returned about 6% last year. Past performance does not indicate future performance."
    result = scan("fund", "en", text)
    assert result.fixed_text is not None and result.fixed_text.startswith(text)
    assert "Funds involve risk; please invest with caution." in result.fixed_text
    assert result.fixed_text.lower().count("past performance") == 1
    assert scan("fund", "en", result.fixed_text).verdict == "pass"
