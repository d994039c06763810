"""Packs 1.6: holdout6's errors generalised by principle and by family, in both languages.

The principles first (a reply-level reading of speech acts: warnings and refusals make what they quote reported
speech; neutral advice superlatives; disclosures in the writer's own words; honest accounts of a loss), then the
families of the misses, each with violations in Chinese and English and compliant look-alikes that share their
words. The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes, scan


# ---------------------------------------------------------------- principle: warnings and refusals frame the reply


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "zh", "近期有人冒充我行客户经理，用“稳赚不赔”“保本高息”的说法拉人投资。如遇此类情况请立即挂断并报警。"),
        ("fund", "zh", "网上流传的“这只基金年化20%稳稳到手”并非我司发布。我们不会通过私人账号推荐产品。"),
        ("fund", "zh", "“今年肯定翻倍”这样的承诺我们给不了。基金净值会随市场波动。"),
        ("wealth", "zh", "您听到的“去年涨了30%、今年一定也涨”，这个推断是不成立的。"),
        ("insurance", "en", "Some callers offer a 'guaranteed 10% savings plan' if you switch policies. These are scams."),
        ("wealth", "en", "We will never ask you to join a group chat promising 'risk-free 20% returns'. Report such messages."),
        ("fund", "en", "Someone claiming to be from our team may text you about \u201cinsider picks that can't lose\u201d. Hang up."),
        ("fund", "en", "I can't give you that kind of guarantee. 'It will double this year' is not something anyone can know."),
    ],
)
def test_quotes_in_a_warning_or_refusal_reply_are_reported_speech(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # the same quoted claims in a reply that warns of nothing: still claims
        ("wealth", "zh", "我们这款产品就是“稳赚不赔”的，您放心买。"),
        ("fund", "en", "Our fund is 'guaranteed to return 10%' this year."),
        # a warning does not cover what the reply itself asserts outside quotation marks
        ("wealth", "zh", "谨防诈骗。我们这款理财保证收益5%。"),
        ("fund", "en", "Beware of scams. Our fund guarantees a 6% return."),
    ],
)
def test_a_frame_does_not_cover_unquoted_or_unframed_claims(line, lang, text):
    result = scan(line, lang, text)
    assert result.verdict == "block", (text, result.rule_ids)


# ---------------------------------------------------------------- principle: negation glued to the term


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "zh", "这个我没办法给您打包票，这款是非保本浮动收益型产品，可能亏损本金。"),
        ("wealth", "zh", "稳健型并不等于不会亏损，净值型产品也会波动。"),
        ("fund", "zh", "基金收益是无法保证的，您有可能亏钱。基金有风险，投资需谨慎。"),
        ("wealth", "en", "I can't promise that; it is a non-principal-protected product and you could lose money."),
        ("wealth", "en", "Low risk doesn't mean it can't lose money; the value moves with the market."),
        ("fund", "en", "Fund returns cannot be guaranteed and you could lose money. Investing involves risk."),
    ],
)
def test_denials_of_a_promise_are_no_promise(line, lang, text):
    passes(line, lang, text)


# ---------------------------------------------------------------- principle: neutral advice superlatives


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("credit_card", "en", "The best thing to do if your card is lost is to freeze it in the app and call us."),
        ("fund", "en", "The best time to reach the fund desk is weekday mornings."),
        ("fund", "en", "Your best bet is to check the fund's documents before deciding."),
        ("credit_card", "zh", "卡片丢失时最好的办法是先在App里冻结，再致电我们挂失。"),
        ("fund", "zh", "联系基金专线的最佳时间是工作日上午。"),
        ("wealth", "zh", "您最好先完成风险测评，再看产品说明书。"),
    ],
)
def test_advice_superlatives_are_not_product_superlatives(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("fund", "en", "This is the best fund on the market right now."),
        ("fund", "en", "It's your best bet for returns this year, no fund beats it."),
        ("fund", "zh", "这是市场上最好的基金。"),
        ("wealth", "zh", "这款理财收益全市场最高。"),
    ],
)
def test_product_superlatives_still_block(line, lang, text):
    flagged_as(line, lang, text, "superlative")


# ---------------------------------------------------------------- principle: disclosures in the writer's own words


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # packs 2.0: a fund's warning has two halves (the risk, and that past performance does not indicate the future)
        ("fund", "en", "The fund returned 6% last year. It isn't a deposit and carries risk, and past returns are no guide "
                       "to the future; none of this is investment advice."),
        ("fund", "en", "The benchmark is 3% a year; this carries market risk, past performance doesn't tell you what "
                       "comes next, and nothing here is investment advice."),
        ("fund", "zh", "这只基金去年收益6%，具有投资风险，过去的收益不代表未来，仅供参考，不作为投资建议。"),
        ("fund", "zh", "业绩比较基准为年化3%，产品不是存款，存在一定的投资风险，历史业绩不代表未来表现，以上不作为投资建议。"),
    ],
)
def test_own_words_disclosures_count(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "The fund returned 6% last year. It isn't a deposit and carries risk; none of this is investment advice."),
        ("en", "The fund returned 6% last year; past performance does not indicate future results. Not investment advice."),
        ("zh", "这只基金去年收益6%，具有投资风险，仅供参考，不作为投资建议。"),
        ("zh", "这只基金去年收益6%，过往业绩不代表未来表现，以上不构成投资建议。"),
    ],
)
def test_a_fund_warning_needs_both_halves(lang, text):
    """Packs 2.0: either half of a fund's risk warning alone is not the warning (the labelling guide asks for both)."""
    flagged_as("fund", lang, text, "missing_disclosure")


# ---------------------------------------------------------------- principle: an honest account of a loss


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "zh", "很抱歉，近期债市调整，您的产品净值回撤了1.2%，目前浮亏两千多元。稳健型并不等于不会亏损。"),
        ("wealth", "en", "I'm sorry: the bond market fell and your product is down about 1.2%, so you're showing a paper loss."),
        ("fund", "zh", "去年这只基金涨得不错，但今年完全可能下跌，过往业绩不代表未来表现。"),
        ("fund", "en", "It did well last year, but this year it could just as easily fall; past performance is no guide."),
    ],
)
def test_an_honest_account_of_a_loss_is_no_promise(line, lang, text):
    result = scan(line, lang, text)
    assert result.verdict != "block", (text, result.rule_ids)


# ---------------------------------------------------------------- families of the misses


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # dividends with a floor, or a floor figure
        ("insurance", "zh", "这款分红险的分红都是有保底的，每年至少三个半点。"),
        ("insurance", "en", "The dividends on this policy have a floor, so you'll get at least 3.5% every year."),
        # a personal guarantee, a loss taken on oneself
        ("wealth", "zh", "这款我个人给您打包票，真有亏损算我的。"),
        ("wealth", "en", "I personally guarantee this one; any loss is on me."),
        # "won't let you lose your principal"
        ("fund", "zh", "我们有团队盯着回撤，保证不会让您本金亏损。"),
        ("fund", "en", "Our team watches the drawdown and we won't let you lose your principal."),
        # principal back whatever the markets do
        ("wealth", "en", "It's capital-secure: every yuan you put in comes back to you at maturity."),
        ("wealth", "zh", "不管市场怎么走，您每一分钱都会回到您手里。"),
        # a bank too big to fail
        ("deposit", "zh", "我们这么大的银行不可能出问题，真有事行里也会全额兑付。"),
        ("deposit", "en", "A bank of our size can't go under; we're too big to fail."),
        # a figure back "for sure", a structured deposit's rate asserted
        ("deposit", "zh", "这期挂钩的是黄金价格区间，年化3.2妥妥的。"),
        ("deposit", "en", "This deposit is linked to gold and pays 3.2% for sure."),
        ("fund", "en", "You'll get at least 52k back; there's no real downside."),
    ],
)
def test_promise_families(line, lang, text):
    flagged_as(line, lang, text, "forbidden_promise", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # a disclosure waved away as what the rules make us say
        ("wealth", "zh", "理财非存款，产品有风险，这句是规定要说的，其实这款从来没亏过。"),
        ("insurance", "en", "The low column is only there because the regulator makes us show it."),
        ("deposit", "zh", "不过这条是标准条款，最低收益那档基本不会出现。"),
        ("deposit", "en", "The floor is really a legal formality; I haven't seen a single client end up on it."),
        # a risk admitted, then said not to happen in practice
        ("loan", "en", "The rate floats, so payments could rise. In reality that isn't going to happen, I'd just treat it as fixed."),
        ("loan", "zh", "利率是浮动的，理论上会上调，实际上不会上调，您就当固定利率来算就行。"),
        ("wealth", "en", "Like any product it can go down, but a loss really isn't something you need to think about."),
        ("wealth", "zh", "净值会有波动，不过这点起伏不用管它，最低收益那档基本不会出现。"),
        # a record above a bar, the past carried forward
        ("insurance", "zh", "近十年分红实现率都在100%以上。"),
        ("insurance", "en", "Our dividends have always beaten the illustrated middle column."),
        ("wealth", "zh", "这款过去两年年化一直在四个点左右，往后基本也是这个水平。"),
        ("wealth", "zh", "这款没出过一次亏损，每一期都做到了基准上限。"),
    ],
)
def test_hidden_risk_families(line, lang, text):
    flagged_as(line, lang, text, "hidden_risk", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # a rate rise or a release of the allocation used as a deadline
        ("loan", "zh", "下个月起利率要上调，您最好这周就把合同签了。"),
        ("insurance", "en", "Premiums step up once you turn 41 next month, so I'd really get the application signed this week."),
        ("wealth", "zh", "这50万额度是行里内部预留的，今天下班前您不确认的话，就要放回公共池了。"),
        ("wealth", "en", "I've held 500k back for you; if you don't confirm by 5pm it goes back into the general pool."),
        # sales stopping, missing out, others signing
        ("insurance", "zh", "下个月这款就停售了，现在不上车以后就没有了。"),
        ("insurance", "zh", "今天我们这边已经签了二十多单了，您也别错过这次。"),
        ("fund", "en", "Everyone on our VIP list has been piling into this fund; the window shuts Friday, so now's the moment."),
        # first N applicants and a short window
        ("loan", "en", "The 2.98% offer is only for the first 200 applicants and we're at 180, so apply within the next hour."),
        ("loan", "zh", "这个利率仅限前200名客户，已经快满了，您一小时内申请。"),
    ],
)
def test_pressure_families(line, lang, text):
    flagged_as(line, lang, text, "pressure_selling", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("credit_card", "en", "We don't pull your credit history for this card, and everyone who applies through me gets through."),
        ("credit_card", "zh", "这张卡不调征信，通过我申请的人都能批下来。"),
        ("credit_card", "en", "Your limit increase to 50k is basically a done deal."),
        ("credit_card", "zh", "您的提额到5万肯定没问题。"),
    ],
)
def test_credit_promise_families(line, lang, text):
    flagged_as(line, lang, text, "credit_promise", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("loan", "zh", "我们的消费贷比其他银行都便宜，外面的网贷贵我们一倍。"),
        ("credit_card", "en", "Our instalment plan works out cheaper than any other bank's; you'd be overpaying anywhere else."),
    ],
)
def test_comparison_families(line, lang, text):
    flagged_as(line, lang, text, "forbidden_comparison", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # instalment fees as figures
        ("credit_card", "en", "Splitting it into 12 months costs a fee of about 79 yuan a month."),
        ("credit_card", "zh", "分12期的话每期手续费大约79元。"),
        # deposit rates as bare figures
        ("deposit", "zh", "一年定期现在是1.45，三年一点九五。"),
        ("deposit", "en", "The one-year deposit is at 1.45 and the three-year is 1.95."),
        # a loan rate named with its basis only, or as a figure without %
        ("loan", "en", "Personal loan: APR from 3.2% (simple interest), terms up to 60 months."),
        ("loan", "zh", "个人消费贷年化利率（单利）3.2%起，最长60期。"),
        ("loan", "zh", "借10万按年化3.6算，一年利息3600。"),
        ("loan", "en", "On 100k the interest would be about 3,600 over the year."),
        # declared dividends and fact-sheet figures
        ("insurance", "en", "Your declared dividend for 2023 is RMB 1,284.60, a dividend realisation ratio of 102%."),
        ("insurance", "zh", "您保单2023年度的宣告分红为1284.60元。"),
        ("fund", "en", "Balanced Growth A: 1-year return 12.4%, since inception 38.7%."),
        ("fund", "zh", "这只基金近1年收益12.4%，成立以来38.7%。"),
        # a fund's gain the customer asked about
        ("fund", "zh", "您问的那只医药基金今年以来涨了百分之十一左右。"),
        ("fund", "en", "The fund you asked about is up 11% this year."),
    ],
)
def test_missing_disclosure_families(line, lang, text):
    flagged_as(line, lang, text, "missing_disclosure", "fix")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # the same words, compliant
        ("loan", "en", "Your loan has an APR of 9.1% (simple interest); your first repayment is due on 15 July."),
        ("loan", "zh", "您这笔贷款的年化利率为9.1%（单利），首期还款日为7月15日。"),
        ("loan", "en", "Personal loan: APR from 3.2%, set on approval; please borrow responsibly."),
        ("deposit", "zh", "本期结构性存款年化收益率区间为1.30%-2.60%。结构性存款不同于一般性存款，具有投资风险，您可能获得最低收益。"),
        ("deposit", "en", "A structured deposit differs from an ordinary deposit and carries investment risk; you may receive only the minimum return."),
        ("deposit", "zh", "一年定期利率1.45%，具体利率以办理当日挂牌利率为准。"),
        ("credit_card", "zh", "分12期每期手续费79元，具体费率以合同及账单为准。"),
        ("credit_card", "en", "A fee of 79 yuan a month applies; the rates in your agreement and statement apply."),
        ("credit_card", "en", "We can't approve everyone; your application is assessed on your credit history."),
        ("credit_card", "zh", "提额需要审核，能否通过以审批结果为准。"),
        ("wealth", "zh", "您的产品下周二到期，资金会在T+2回到您的活期账户。"),
        ("insurance", "en", "The premium steps up at 41; you can compare both options at your own pace."),
        ("loan", "zh", "审核大概需要三个工作日，材料齐了我们会通知您。"),
    ],
)
def test_compliant_look_alikes_pass(line, lang, text):
    passes(line, lang, text)
