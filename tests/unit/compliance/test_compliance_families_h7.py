"""Packs 1.7: holdout7's errors generalised by principle and by family, in both languages.

The principles first (a rhetorical question negates what it asks, and one that asserts safety is a claim; disclosures
in the writer's own words; a position on a page is no superlative), then the families of the misses, each with
violations in Chinese and English and compliant look-alikes that share their words (negated, reported, advice-sense).
The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import PACK_VERSIONS, flagged_as, passes, scan


# ---------------------------------------------------------------- principle: rhetorical questions


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # a rhetorical question negates what it asks about
        ("fund", "zh", "哪有能闭着眼买的基金呢？还是要先看清持仓再决定。基金有风险，投资需谨慎。"),
        ("wealth", "zh", "理财哪能保本呢，净值型产品都会有波动。理财非存款，产品有风险，投资须谨慎。"),
        ("fund", "zh", "怎么可能稳赚不赔？基金净值每天都在变。基金有风险，投资需谨慎。"),
        ("wealth", "zh", "哪里有零风险的理财，您千万别信。理财非存款，产品有风险，投资须谨慎。"),
        ("fund", "en", "There's no such thing as a fund you can buy with your eyes closed; check the holdings first. "
                       "Funds involve risk; please invest with caution."),
        # the customer's own experience is reported, not claimed
        ("wealth", "zh", "您见过的那种保本理财，现在已经没有了，目前都是净值型。理财非存款，产品有风险，投资须谨慎。"),
    ],
)
def test_a_rhetorical_question_negates_what_it_asks(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        # a rhetorical question that borrows the safety of bonds or deposits, or asserts a spotless record
        ("wealth", "zh", "我们这款底层全是国债，您听说过国债违约的吗？", "forbidden_comparison"),
        ("wealth", "zh", "这款主要配置国债，国债哪有亏钱的？", "forbidden_comparison"),
        ("wealth", "en", "It mostly holds government bonds, and have you ever seen a government bond lose money?",
         "forbidden_comparison"),
        ("fund", "zh", "这只债基运作十年了，您见过它亏钱吗？", "hidden_risk"),
        ("fund", "en", "This bond fund has run for ten years. Have you ever heard of anyone losing money on it?",
         "hidden_risk"),
        # and one that denies a loss
        ("wealth", "zh", "这款哪会亏呢？底层都是存款和国债。", "forbidden_promise"),
        ("wealth", "en", "How could this one possibly lose? It only buys deposits.", "forbidden_promise"),
    ],
)
def test_a_rhetorical_question_that_asserts_safety_is_a_claim(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


# ---------------------------------------------------------------- principle: disclosures in the writer's own words


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("fund", "en", "The fund returned 5.2% last year. Fund investments carry risk and past returns are no guide to "
                       "the future; this is information only and not a recommendation to invest."),
        ("fund", "en", "Over the past year the fund gained 3.8%. Bear in mind that investments involve risk and past "
                       "returns are no guide to the future; this is for information only, not an offer to buy."),
        ("insurance", "zh", "这个月万能账户的结算利率是年化3.05%，它属于非保证利益，以后可能下降，保险也不同于存款。以上信息仅供参考。"),
        ("insurance", "en", "This month's crediting rate is 2.9% a year. Crediting rates are a non-guaranteed benefit and "
                            "may change, and insurance is not the same as a bank deposit. This is not investment advice."),
        ("loan", "en", "Your approved loan carries an APR of 3.9% (simple interest); the rate that applies is the one "
                       "written in your loan agreement, so please borrow only what you can pay back."),
        ("loan", "zh", "您已获批的贷款年化利率为4.1%（单利），最终利率以借款合同载明的为准，请量力而借。"),
    ],
)
def test_own_words_disclosures_count(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # the same figures without the disclosure still need it
        ("fund", "en", "The fund returned 6.1% last year."),
        ("insurance", "zh", "本月结算利率为年化3.1%。"),
        ("loan", "en", "Personal loans from 3.6% a year, up to five years."),
        ("loan", "zh", "消费贷年化利率4.1%起，最长五年。"),
    ],
)
def test_figures_without_a_disclosure_still_need_one(line, lang, text):
    flagged_as(line, lang, text, "missing_disclosure", "fix")


# ---------------------------------------------------------------- principle: a position on a page is no superlative


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("loan", "en", "The remaining balance of your loan is shown at the top of the loan details screen."),
        ("credit_card", "en", "Tap the card icon in the top right corner to see your card statement."),
        ("fund", "en", "Your fund holdings are listed at the top of the app's home page; the best way to switch funds "
                       "is under 'Convert'."),
        ("loan", "zh", "贷款剩余本金显示在详情页的最上方。"),
        ("loan", "zh", "提前归还部分本金是减少贷款总利息最好的办法。"),
    ],
)
def test_positional_and_advice_words_are_not_superlatives(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("fund", "en", "This is the top fund in its category this year."),
        ("credit_card", "en", "It's the top card on the market for cashback."),
        ("loan", "zh", "这是全网利率最低的消费贷。"),
    ],
)
def test_product_superlatives_still_block(line, lang, text):
    flagged_as(line, lang, text, "superlative", "block")


# ---------------------------------------------------------------- families of the misses


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # a loss said not to be worth a thought
        ("wealth", "zh", "底层都是高等级债券，您完全不用担心亏损的问题。"),
        ("fund", "zh", "这只货币基金您根本不用担心会亏钱，随时能取。"),
        ("wealth", "en", "It only holds top-grade bonds, so you don't need to worry about losing money."),
        ("insurance", "en", "There's no need to worry about your principal at all with this plan."),
    ],
)
def test_loss_not_worth_worrying_about_is_a_promise(line, lang, text):
    flagged_as(line, lang, text, "forbidden_promise", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "zh", "没有哪款理财能让您完全不用担心亏损，净值型产品都会波动。理财非存款，产品有风险，投资须谨慎。"),
        ("deposit", "zh", "定期存款受存款保险保障，50万以内的本息您不用担心损失。"),
        ("fund", "en", "We can't say you don't need to worry about losing money: bond funds can fall too. "
                       "Funds involve risk; please invest with caution."),
    ],
)
def test_loss_worry_look_alikes_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # a past trend carried forward into what the customer will get
        ("wealth", "zh", "这款近一年年化4.3%。照目前的走势，您投20万一年能拿八千多。"),
        ("fund", "zh", "这只基金过去三年每年都有8%左右，按这个趋势，明年您也能赚这么多。"),
        ("wealth", "en", "It returned 4.3% over the past year; going by this trend, 200k would earn you about 8,600 "
                         "next year."),
        # a risk admitted, then outweighed by the record
        ("fund", "en", "The fund can drop, sure, but with a ten-year record of 8% a year you'll be fine in the long run."),
        ("fund", "zh", "基金会有涨跌，这很正常，不过按它过去五年年化9%的表现，长期拿着肯定没问题。"),
    ],
)
def test_past_trend_carried_forward_is_hidden_risk(line, lang, text):
    flagged_as(line, lang, text, "hidden_risk", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("fund", "zh", "这只基金过去三年年化8%，但照目前的走势无法推断未来收益。基金有风险，投资需谨慎。基金过往业绩不代表其未来表现。"
                       "以上内容不构成投资建议。"),
        ("fund", "en", "The fund has done 8% a year for five years; whether you'll be fine in the long run depends on the "
                       "market. Funds involve risk; please invest with caution; past performance does not indicate future "
                       "performance. This does not constitute investment advice."),
        ("fund", "zh", "长期持有能不能赚钱，谁也没法保证。基金有风险，投资需谨慎。"),
        ("wealth", "en", "Last year it returned 3.2%. Based on this trend alone, nobody can tell you what it will earn "
                         "next year. Wealth management products are not deposits; investment involves risk, please "
                         "invest with caution. This does not constitute investment advice."),
        # an honest outlook that the return may fall short is no projection
        ("wealth", "zh", "和去年相比，今年的业绩比较基准下调了，实际收益可能低于基准。理财非存款，产品有风险，投资须谨慎。以上内容不构成投资建议。"),
    ],
)
def test_past_trend_look_alikes_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # every dip made good, never below a bar, the customer told to count on the middle or top scenario
        ("fund", "zh", "这只基金历史上每次回调完都涨回来了，您拿着就行。"),
        ("fund", "zh", "短期跌一点不用管，等它涨回来就好。"),
        ("insurance", "zh", "我们的分红这些年都没低于过中档演示，收益直接按中档算就行。"),
        ("fund", "en", "Every time this fund dipped, it came back within months, so just hold it."),
        ("insurance", "en", "Our dividends have never been below the middle illustration, so just count on the middle one."),
        ("fund", "en", "Short-term drops don't matter; just wait for it to come back."),
    ],
)
def test_recovery_records_and_dismissed_scenarios_are_hidden_risk(line, lang, text):
    flagged_as(line, lang, text, "hidden_risk", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("fund", "zh", "并不是每次下跌都能涨回来，也有长期低迷的基金。基金有风险，投资需谨慎。"),
        ("insurance", "zh", "万能账户结算利率从来没低于过合同约定的保底利率，这部分是合同保证的。"),
        ("fund", "en", "It has not always come back quickly after a fall; some drawdowns lasted years. "
                       "Funds involve risk; please invest with caution."),
        ("insurance", "en", "Dividends can be lower than the middle illustration, so please don't count on the middle one. "
                            "Insurance is not a deposit; dividends, universal-life crediting rates and other "
                            "non-guaranteed benefits are uncertain."),
    ],
)
def test_recovery_look_alikes_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # a disclosure waved away as what the regulator makes us show
        ("insurance", "en", "The low column is only there because the regulator requires it; realistically you'll get "
                            "the high one."),
        ("insurance", "en", "That low scenario is just required by the regulators, you'll be on the middle one anyway."),
        ("insurance", "zh", "低档只是监管要求写的，实际能拿到高档。"),
        ("deposit", "zh", "最低收益那句只是因为监管规定才写的，实际上都是拿最高档。"),
    ],
)
def test_disclosure_waved_away_as_the_regulators_is_hidden_risk(line, lang, text):
    flagged_as(line, lang, text, "hidden_risk", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "en", "The low, middle and high columns are required by the regulator so that you can see the "
                            "range; none of them is guaranteed. Insurance is not a deposit; dividends, universal-life "
                            "crediting rates and other non-guaranteed benefits are uncertain."),
        ("insurance", "zh", "低中高三档演示是监管要求展示的，实际分红可能低于低档。保险产品不是存款，分红、万能账户结算利率等非保证利益具有不确定性。"),
    ],
)
def test_regulator_look_alikes_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # the chance of an admitted risk said to be nil, the risk not worth considering, a rise said not to come
        ("deposit", "en", "You might end up with only the minimum return, but the chance of that is practically zero."),
        ("deposit", "zh", "有可能只拿到最低收益，不过这种概率几乎为零。"),
        ("wealth", "en", "There's a small risk of loss, but the odds of that are almost zero."),
        ("loan", "zh", "这个利率是浮动的，可能会上调，但以后基本不会涨了，您不用考虑这个风险。"),
        ("loan", "en", "The rate floats and could rise, but it basically won't go up again, so you don't need to "
                       "consider that risk."),
        ("deposit", "en", "Don't worry about the minimum rate, the odds of it happening are close to zero."),
    ],
)
def test_risk_said_not_to_happen_is_hidden_risk(line, lang, text):
    flagged_as(line, lang, text, "hidden_risk", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("loan", "zh", "如果您选择固定利率，就不用考虑这个风险了。"),
        ("loan", "en", "If you choose the fixed rate, you don't need to worry about this risk."),
        ("deposit", "zh", "您可能只拿到最低收益，这种可能性并不低，请您充分了解。"),
        ("loan", "en", "The rate is floating, so your repayments could rise; we cannot tell you it won't happen."),
    ],
)
def test_risk_look_alikes_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # "compared with" a deposit or another institution, then a bare favourable comparative
        ("wealth", "en", "Compared with a savings account, this plan is every bit as safe and pays more."),
        ("loan", "en", "Compared to other lenders, our approval is faster and the rate is lower."),
        ("loan", "zh", "跟别家银行相比，我们的利率更低，手续也更简单。"),
        ("wealth", "zh", "和定期存款比起来，这款一样安全，收益还更高。"),
        # no need to look elsewhere
        ("credit_card", "en", "Our card fees are low, so there's no need to shop around."),
        ("loan", "zh", "我们的利率已经很低了，您不用再货比三家。"),
    ],
)
def test_framed_comparisons_block(line, lang, text):
    flagged_as(line, lang, text, "forbidden_comparison", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("fund", "en", "Compared with a bank deposit, a bond fund can fall in value and is not covered by deposit "
                       "insurance. Funds involve risk; please invest with caution."),
        ("loan", "en", "Compared with other lenders, our rate may be higher or lower depending on your profile; "
                       "the annualised interest rate (APR, simple interest) is set on approval."),
        ("deposit", "en", "Compared with a one-year deposit, the three-year deposit pays a higher rate. The rate that "
                          "applies is the one posted on the day you open the deposit."),
        ("loan", "en", "It's worth shopping around and comparing APRs before you borrow."),
        ("loan", "zh", "建议您多比较几家银行的利率再决定。"),
        # the deposit, not our product, is the better side
        ("wealth", "zh", "相比之下，定期存款更安全，适合短期要用的钱。"),
        ("fund", "en", "Compared with this fund, a time deposit is safer for money you need soon."),
        ("loan", "en", "Compared with other banks, our rate is not lower; please compare the APR before you choose."),
    ],
)
def test_comparison_look_alikes_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # a structured deposit likened to a bond or an ordinary deposit
        ("deposit", "zh", "这款结构性存款跟国债一样，都是稳稳的。"),
        ("deposit", "zh", "结构性存款其实就像定期，只是利率高一点。结构性存款不同于一般性存款，具有投资风险，您可能获得最低收益。"),
        ("deposit", "en", "This structured deposit is basically a time deposit with a better rate."),
        ("deposit", "en", "Our gold-linked deposit is just as safe as a government bond."),
    ],
)
def test_structured_deposit_likened_to_a_bond_blocks(line, lang, text):
    flagged_as(line, lang, text, "forbidden_comparison", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("deposit", "zh", "结构性存款和普通定期不一样，具有投资风险，您可能获得最低收益。"),
        ("deposit", "en", "A structured deposit is not the same as a time deposit: it carries investment risk and you "
                          "may receive only the minimum return."),
        ("deposit", "zh", "大额存单和定期存款一样受存款保险保障。"),
    ],
)
def test_structured_deposit_look_alikes_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # offer deadlines, social proof, the normal price coming back, a share held, with a push
        ("fund", "en", "The fee discount ends on Sunday and lots of our customers have already switched, so I'd "
                       "recommend you subscribe today."),
        ("loan", "en", "This rate is only available until Friday and rates will rise after that; I suggest you apply now."),
        ("credit_card", "en", "The annual-fee waiver is only for this week, and from Monday it goes back to the normal "
                              "price, so better you do it now."),
        ("wealth", "en", "Only a small quota is left in this issue; I can reserve one share for you until 3pm. If you "
                         "miss it, you will have to wait for the next issue."),
        ("wealth", "en", "I can hold one unit for you until 5pm; after that it's released."),
        ("wealth", "zh", "很多客户这周都已经买了，额度也不多了，建议您今天就定下来。"),
        ("credit_card", "zh", "分期手续费优惠只有今天，明天就恢复原价了，好多客户都办了，建议您现在就办。"),
    ],
)
def test_pressure_families(line, lang, text):
    flagged_as(line, lang, text, "pressure_selling", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "en", "The subscription window closes on Friday; there is no rush, so please read the prospectus first."),
        ("credit_card", "en", "The annual-fee waiver runs until 30 June under the published terms; you can apply "
                              "whenever suits you."),
        ("loan", "en", "Many customers have already moved to autopay; you can set it up in the app."),
        ("fund", "zh", "很多客户已经开通了定投，您可以根据自己的情况考虑。"),
        ("wealth", "en", "Shall I reserve a meeting room for you at the branch?"),
    ],
)
def test_pressure_look_alikes_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        # an outcome stated as arranged or settled, a guarantee by the agent, an inside channel, a yes to a raise
        ("credit_card", "en", "Of course, I'll sort it out for you; your new limit will be 80,000 from Monday.",
         "Could you increase my limit to 80k?"),
        ("credit_card", "en", "Your limit will be raised to 60,000 tomorrow, it's all settled.", None),
        ("loan", "zh", "您这笔贷款我们内部有渠道，保证帮您批下来。", None),
        ("credit_card", "zh", "没问题，明天额度就调到5万，这个已经定了。", "能帮我提额到5万吗？"),
        ("loan", "en", "Small issue, it won't affect anything; we have an internal channel for this.",
         "I have two late payments, can I still get a loan?"),
        ("loan", "zh", "不影响的，这边有门路，放心。", "我征信有逾期，还能贷吗？"),
        ("loan", "en", "I guarantee to get your loan approved.", None),
    ],
)
def test_credit_promise_families(line, lang, text, question):
    flagged_as(line, lang, text, "credit_promise", "block", question=question)


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("credit_card", "en", "I can submit the request for you; whether it is raised, and by how much, depends on our "
                              "review.", "Can you raise my limit?"),
        ("credit_card", "en", "Once it is confirmed, your new limit will be shown in the app.", None),
        ("credit_card", "zh", "提额申请已提交，审批结果确定后会短信通知您。", None),
        ("loan", "zh", "我们没有任何内部渠道，所有贷款都以审批结果为准。", None),
        ("loan", "en", "We don't have any internal channel; every application goes through the same review.", None),
        ("loan", "zh", "会有影响，我们需要先查询您的征信，是否能贷以审批结果为准。", "有逾期还能贷吗？"),
    ],
)
def test_credit_look_alikes_pass(line, lang, text, question):
    passes(line, lang, text, question)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # internet slang and market-scoped superlatives
        ("loan", "zh", "这款消费贷放款速度yyds，年化3.6%起。贷款年化利率（单利）以审批结果为准，请理性借贷、按时还款。"),
        ("credit_card", "zh", "这张卡的权益绝绝子，全网费率最低。分期及取现可能收取手续费或利息，具体费率以合同及账单为准。"),
        ("fund", "zh", "选债基的话非这只莫属。"),
        ("loan", "en", "Lowest rate on the whole market and the fastest payout: this loan is the GOAT. The annualised "
                       "interest rate (APR, simple interest) is set on approval; please borrow responsibly."),
        ("credit_card", "en", "It's the cheapest card anywhere in town for cashback."),
    ],
)
def test_slang_and_scoped_superlatives_block(line, lang, text):
    flagged_as(line, lang, text, "superlative", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("loan", "zh", "最快的办理方式是在App上提交申请。"),
        ("credit_card", "zh", "最低还款额是账单金额的10%，最低10元。"),
        ("loan", "en", "The fastest way to apply is in the app; a decision usually takes one working day."),
        ("loan", "en", "Rates start from 3.45% a year, and the lowest rate is offered only after review. The annualised "
                       "interest rate (APR, simple interest) is set on approval; please borrow responsibly."),
    ],
)
def test_superlative_look_alikes_pass(line, lang, text):
    passes(line, lang, text)


def test_versions_of_the_packs_changed_for_holdout7():
    assert scan("wealth", "zh", "您好").ruleset_version == PACK_VERSIONS["wealth"]
    assert scan("fund", "zh", "您好").ruleset_version == PACK_VERSIONS["fund"]
    assert scan("insurance", "zh", "您好").ruleset_version == PACK_VERSIONS["insurance"]
    assert scan("deposit", "zh", "您好").ruleset_version == PACK_VERSIONS["deposit"]
    assert scan("loan", "zh", "您好").ruleset_version == PACK_VERSIONS["loan"]
