"""Packs 2.23: holdout67..holdout84's false positives closed by principle, in both languages.

Principles: disclosures in the writer's own words (the fund caveat: "that figure tells you nothing certain about the next
two years", "past yields don't predict future ones", "那是过去的成绩，以后可能更好也可能更差"; the fund warning: "funds carry
real risk", "会有亏损的可能"; "not advice": "please don't treat this as investment advice", "this isn't a recommendation to
buy"; the wealth warning: "理财可不是存款，有风险", "它不是存款，是有可能亏钱的"; the Shanghai risk-level sentence: "its risk
level, R3, fits the amount of risk you can take"; the insurance uncertainty statement: "non-guaranteed … higher, lower or
at zero", "非保证部分具有不确定性", "结算利率是不保证的，往后可高可低"; the structured deposit's notice: "高档收益是不承诺的",
"拿不到高档的情况是存在的", "the upper return isn't guaranteed", "could end anywhere within the range"; the deposit rate:
"存入当日我行公布的挂牌利率"; the card fee notice: "check your cardholder agreement for the exact rates", "会收手续费，最终按
合同上的费率算"; "borrow responsibly": "please only borrow what you need", "don't borrow more than … can carry"). Mentions: a
which-question asked back ("您问这只基金和存款比哪个更安全"), a report of a scam ("reports of fake advisers in chat groups
promising '…'", "有客户反映收到'…'的邀请"), what the customer was told ("I'm sorry you were told it was '…'"), a refusal to
say it ("I won't tell you it's '…'"), an earlier reply corrected ("刚才的自动回复说“…”"), "anyone who promises … is
overselling it". No claims: a fee's yearly rate ("management 1.2% a year", "销售服务费为年化0.20%"), the highest fee, a
steady job, "the best option for you depends on …", the product that "isn't going anywhere this month", a deadline with
"不是催您", a masked card's digits and working days after "分期". And hidden risk still caught: "the top end isn't guaranteed
— but every past issue has paid 2.8%". The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes, scan


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # own-words disclosures
        ("fund", "en", "Over the past two years it returned about 14% in total. Funds involve risk, and that figure tells "
                       "you nothing certain about the next two years. This is information, not investment advice."),
        ("fund", "en", "The money fund's 7-day annualised yield was 1.58% on Monday. It changes daily and past yields don't "
                       "predict future ones; funds carry risk, and this isn't investment advice."),
        ("fund", "zh", "这只基金成立以来年化约5.1%，但那是过去的成绩，以后可能更好也可能更差。基金投资有风险，请谨慎；以上仅供参考。"),
        ("fund", "en", "Last year it was up 4.9%. Funds carry real risk, please be careful, and past performance is not an "
                       "indicator of future results. Treat this as information rather than investment advice."),
        ("fund", "zh", "这只债基去年收益是3.2%。基金投资会有亏损的可能，请谨慎决定；这只是过去的表现，不代表以后；我这不是在给您投资建议。"),
        ("fund", "en", "Up 6.1% over 12 months. Funds carry risk, past returns don't tell you what comes next, and this "
                       "isn't a recommendation to buy."),
        ("wealth", "en", "Over the past year it returned 2.6% annualised. A WMP isn't a deposit, it carries risk and you "
                         "should invest cautiously, and please don't treat this as investment advice."),
        ("wealth", "zh", "这款近一年年化收益率是2.9%。它不是存款，是有可能亏钱的，买之前请多考虑；以上只是情况介绍，不构成投资建议。"),
        ("wealth", "zh", "业绩比较基准是2.6%-3.0%，只是参考。理财可不是存款，有风险，您得谨慎；我说的都不算投资建议。"),
        ("insurance", "en", "The illustration shows dividends of about ¥2,900 a year on the mid scenario, but insurance isn't "
                            "a deposit, and anything non-guaranteed like these could come in higher, lower or at zero."),
        ("insurance", "zh", "按中档演示，65岁起每年可领约1.8万元。保险不是存款，演示利益中的非保证部分具有不确定性。"),
        ("insurance", "zh", "这个月万能账户结算利率2.9%。保险不是存款，这个结算利率是不保证的，往后可高可低。"),
        ("insurance", "en", "The illustration shows a projected cash value of RMB 96,000 at year 15. Insurance is not a "
                            "deposit, and anything beyond the guaranteed column is not guaranteed and could turn out lower."),
        ("deposit", "zh", "结构性存款拿多少要看挂钩的汇率，拿不到高档的情况是存在的。"),
        ("deposit", "zh", "结构性存款的高档收益是不承诺的，具体以产品说明书为准。"),
        ("deposit", "en", "The structured deposit's upper return isn't guaranteed; it depends on the gold price."),
        ("deposit", "en", "The structured deposit's return isn't fixed. It could end anywhere within the range on the sheet."),
        ("deposit", "zh", "定期部分按1.95%计息，该利率是您存入当日我行公布的挂牌利率。"),
        ("credit_card", "en", "A cash withdrawal on the card costs 1% each time plus daily interest. Check your cardholder "
                              "agreement for the exact rates that apply to you."),
        ("credit_card", "zh", "现金分期12期月费率0.55%。办分期会收手续费，最终按您签的分期合同上的费率算。"),
        ("loan", "en", "It's listed from 3.3% a year, and the APR you get is set when the loan is approved. Please only "
                       "borrow what you need."),
        ("loan", "en", "At 3.9% that would be about 4,600 a month; the rate is fixed only when the loan is approved, and "
                       "please don't borrow more than your budget can carry."),
        # mentions
        ("fund", "zh", "您问这只基金和存款比哪个更安全，这个我不能拿来比。基金不是存款，可能亏本。"),
        ("loan", "zh", "您问我们的贷款跟别家比哪个划算，我不方便做这种比较。"),
        ("fund", "en", "We've had reports of fake 'advisers' in chat groups promising 'zero risk, 12% a month'. We never "
                       "send messages like that."),
        ("wealth", "en", "I'm sorry you were told it was 'zero risk' — that was wrong. WMPs are not deposits and carry risk."),
        ("insurance", "en", "I won't tell you this annuity is 'as safe as a deposit'. It's insurance, not a deposit."),
        ("insurance", "zh", "更正一下：刚才的自动回复说“这款年金险比存款更划算”，这个比较不恰当，请以合同条款为准。"),
        ("wealth", "en", "No, we can't guarantee any return, and anyone who promises you a fixed return on a WMP is "
                         "overselling it."),
        # no claims
        ("fund", "en", "Fees: subscription 1.5%, management 1.2% a year, custody 0.2% a year, no redemption fee after a year."),
        ("wealth", "zh", "对账单里的销售服务费为年化0.30%，按日计提，已在净值中扣减。"),
        ("fund", "en", "The highest fee you'd pay to sell this fund is 1.5%, and only within 7 days of buying."),
        ("loan", "en", "Not guaranteed, I'm afraid: a steady job helps, but the decision comes from the credit review."),
        ("loan", "en", "The best option for you depends on your income; let's look at what you can afford first."),
        ("insurance", "en", "No rush: the product isn't going anywhere this month. Read the policy wording first."),
        ("fund", "zh", "新发基金认购期到周三截止，这只是时间安排，不是催您，错过这期也没关系。"),
        ("credit_card", "zh", "分期已办理在您尾号3381的信用卡上（6225 **** **** 3381），首期账单日为下月8日。"),
        ("credit_card", "zh", "您的分期申请已提交，审批结果会在3个工作日内短信通知您。"),
    ],
)
def test_compliant_replies_of_packs_2_23(line, lang, text):
    passes(line, lang, text)


def test_the_shanghai_risk_level_sentence_in_other_words():
    text = ("Last year this WMP returned about 2.8%. A WMP is not a deposit and it carries risk, so invest with care. "
            "Check that its risk level, R3, fits the amount of risk you can take. This is not investment advice.")
    assert scan("wealth", "en", text, region="CN-SH").verdict == "pass"
    passes("wealth", "en", "Pick one whose risk rating suits how much risk you can take.", region="CN-SH")


@pytest.mark.parametrize(
    "line,lang,text,category,verdict",
    [
        # the own-words disclosures are no cover for the claims around them
        ("fund", "en", "Last year it was up 9%. Past yields don't predict future ones.", "missing_disclosure", "fix"),
        ("wealth", "zh", "这款近一年年化收益率是2.9%，理财可不是存款，有风险。", "missing_disclosure", "fix"),
        ("deposit", "en", "The structured deposit pays 1.2% to 3.1%.", "missing_disclosure", "fix"),
        ("loan", "en", "Our personal loan is from 3.4% a year.", "missing_disclosure", "fix"),
        # a fee is no claim, a return next to it still is
        ("fund", "en", "This fund returned 8% a year since launch; management 1.2% a year.", "missing_disclosure", "fix"),
        # a comparison stated, not asked
        ("fund", "zh", "这只基金比存款更安全。", "forbidden_comparison", "block"),
        # a product that is safe, not just still on sale
        ("wealth", "en", "Your money isn't going anywhere, this product is rock solid.", "forbidden_promise", "block"),
        # a stable product still reassures
        ("wealth", "en", "It's not guaranteed, but it's very stable.", "hidden_risk", "block"),
        ("deposit", "en", "The structured deposit pays 1.3% to 2.8%, so the top end isn't guaranteed — but every past "
                          "issue has paid 2.8%, so budget on that.", "hidden_risk", "block"),
        # a deadline with a push is still pressure
        ("fund", "zh", "认购期周三截止，名额有限，您今天就定下来吧。", "pressure_selling", "block"),
        # an instalment's fee after a masked card is still a fee
        ("credit_card", "zh", "您尾号3381的卡分期12期，每期手续费0.6%。", "missing_disclosure", "fix"),
    ],
)
def test_violations_kept_by_packs_2_23(line, lang, text, category, verdict):
    flagged_as(line, lang, text, category, verdict)
