"""Packs 1.9: false positives closed by principle, second round, in both languages.

Principles: an insurance benefit figure the reply itself calls non-guaranteed and uncertain; a structured deposit's
and a wealth product's warning in the writer's own words; a refusal, a correction or a denial of the source frames
what the reply quotes; a quoted question answered no, and someone's question reported; an explicit "no hurry" against
a scarcity mention; the best choice handed to the customer's circumstances. Each is pinned by compliant paraphrases
and by look-alike violations the principle must not swallow.
The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import PACK_VERSIONS, flagged_as, passes, scan


# ---------------------------------------------------------------- principle: own-words disclosures, second round


@pytest.mark.parametrize(
    "line,region,lang,text",
    [
        # an insurance benefit figure called non-guaranteed and uncertain
        ("insurance", "CN", "zh", "您的万能账户上月结算利率为年化2.7%。结算利率属于非保证利益，存在不确定性，保险不是存款。"),
        ("insurance", "CN", "zh", "这份分红险前年的分红实现率是101%。提醒您，分红属于非保证利益，以后每年分多少都不确定。"),
        ("insurance", "CN", "en", "Your policy was credited a dividend of RMB 860 last year. Insurance is not a deposit, and "
                                  "non-guaranteed benefits such as dividends are uncertain and may be zero."),
        ("insurance", "CN", "en", "The universal account credited 2.6% last month; that is a non-guaranteed benefit, and "
                                  "future crediting is uncertain."),
        # a structured deposit's low outcome in the writer's own words
        ("deposit", "CN", "en", "A structured deposit isn't a fixed-rate product; depending on the linked index you could "
                                "end up with only the minimum rate in the terms."),
        ("deposit", "CN", "en", "Its return follows the gold price, so what you get may land anywhere between the minimum "
                                "and maximum rates written in the product terms."),
        # a wealth warning in the writer's own words
        ("wealth", "CN", "zh", "这款半年持有期理财的业绩比较基准是2.8%，不代表实际收益。理财不是存款，是有风险的，"
                               "购买前请谨慎考虑，以上仅为产品信息，不构成投资建议。"),
        ("wealth", "CN", "zh", "业绩比较基准年化2.6%-3.2%，不是承诺。理财产品不等于银行存款，存在一定风险，请谨慎购买，"
                               "以上不构成投资建议。"),
        ("wealth", "CN-SH", "en", "The benchmark is 2.9% a year, not a promise. A wealth product is not a deposit and carries "
                                  "investment risk; buy it only if its R2 rating is within the risk tolerance from your "
                                  "assessment. This is not investment advice."),
    ],
)
def test_a_figure_with_its_disclosure_in_own_words_passes(line, region, lang, text):
    result = scan(line, lang, text, region=region)
    assert result.verdict == "pass", (text, result.verdict, result.rule_ids)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        # a benefit figure without the non-guaranteed statement still needs the disclosures
        ("insurance", "zh", "这份分红险前年的分红实现率是101%，表现很不错。", "missing_disclosure"),
        ("insurance", "en", "Your policy was credited a dividend of RMB 860 last year.", "missing_disclosure"),
        # "non-guaranteed" said, then the benefit promised anyway
        ("insurance", "zh", "分红属于非保证利益，存在不确定性，不过这款每年肯定都有分红，您放心。", "forbidden_promise"),
        # a structured deposit's range with no low outcome admitted
        ("deposit", "en", "This structured deposit pays between 1.5% and 3.1%, depending on the index.",
         "missing_disclosure"),
        # "not a deposit" without the risk is no wealth warning
        ("wealth", "zh", "这款理财业绩比较基准2.8%，理财不是存款，收益比存款高。", "missing_disclosure"),
        ("wealth", "en", "The benchmark of this wealth product is 2.9% a year.", "missing_disclosure"),
    ],
)
def test_figures_without_their_own_words_disclosure_are_still_flagged(line, lang, text, category):
    flagged_as(line, lang, text, category)


# ---------------------------------------------------------------- principle: refusal and correction frames


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "zh", "“保证不亏”这句话我真不能说。理财产品净值会波动，可能亏损本金，理财非存款，产品有风险，投资须谨慎。"),
        ("fund", "zh", "网上有人说这只基金“稳赚不赔”，这里必须澄清一下：基金有风险，可能亏损本金，投资须谨慎。"),
        ("fund", "zh", "您说的“绝对不会亏”，我没法跟您说这样的话。基金净值会波动，可能亏损本金，投资有风险。"),
        ("loan", "zh", "“百分百包批”我们做不到，也没有人能做到，是否批准要看审核结果。"),
        ("deposit", "zh", "您问“哪家银行利率最高”，这个我们不做跨行比较，我行利率以办理当日挂牌利率为准。"),
        ("insurance", "en", "You were told the plan was 'as safe as a bank deposit'. That should never have been said: "
                            "insurance is not a deposit, and its non-guaranteed benefits are uncertain."),
        ("loan", "en", "Posts offering 'guaranteed approval, no credit check' in our name are fake. We never charge an "
                       "upfront fee and cannot guarantee approval."),
        ("loan", "en", "That text isn't from us. \"Guaranteed approval whatever your credit, pay a small fee first\" is a "
                       "well-known loan scam, so please don't pay anything."),
        ("wealth", "en", "I can't tell you it's 'impossible to lose money'. The value can go down and the return isn't "
                         "guaranteed; investment involves risk, please invest with caution."),
        ("fund", "zh", "不管谁跟您拍胸脯说不会亏，您都要多个心眼。基金有风险，可能亏损本金。"),
    ],
)
def test_a_quoted_claim_in_a_refusal_or_correction_passes(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        # the frame reaches only what is quoted: the reply's own claim after it is still a claim
        ("fund", "zh", "“稳赚不赔”这句话我真不能说，不过这只基金您放心，肯定不会亏。", "forbidden_promise"),
        ("fund", "zh", "这里必须澄清一下：这只基金稳赚不赔。", "forbidden_promise"),
        ("loan", "en", "Those 'cash in ten minutes' ads are fake, but with us approval is guaranteed.", "credit_promise"),
        ("insurance", "en", "That should never have been said. Honestly, this policy is as good as a deposit.",
         "forbidden_comparison"),
        ("deposit", "zh", "这个我们不做跨行比较，不过我行存款利率全市最高。", "superlative"),
    ],
)
def test_own_claims_next_to_a_frame_are_still_flagged(line, lang, text, category):
    flagged_as(line, lang, text, category)


# ---------------------------------------------------------------- principle: a quoted question answered no


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "zh", "有人问是不是'最后机会'——不是的，这款没有限时，回去和家人商量好再买也来得及。"),
        ("deposit", "zh", "有人问这期是不是“仅限今天”，不是的，下周还能办。"),
    ],
)
def test_a_quoted_question_answered_no_passes(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "zh", "这是最后机会，不是吗？赶紧下单。"),
        ("deposit", "zh", "有人问还有没有名额。名额有限，仅限今天，赶紧办。"),
    ],
)
def test_pressure_not_answered_no_is_still_flagged(line, lang, text):
    flagged_as(line, lang, text, "pressure_selling")


# ---------------------------------------------------------------- principle: "no hurry" against a scarcity mention


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("deposit", "zh", "这期大额存单额度是有限的，但您不用着急，下个月还会再发。"),
        ("deposit", "zh", "每期的额度确实有限，不过您慢慢考虑，错过了下期也有。"),
        ("deposit", "en", "Each batch of large-denomination CDs will be gone within a few days, but there's no hurry, "
                          "a new batch comes out every month."),
        ("deposit", "en", "These slots will be all snapped up by Friday, but please take your time; another round opens next month."),
    ],
)
def test_scarcity_with_an_explicit_no_hurry_passes(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        # "no hurry" in another sentence does not reach the scarcity push
        ("deposit", "zh", "您不用着急。不过这期额度不多了，明天就没了。"),
        ("deposit", "en", "No hurry. But these slots will be all snapped up by Friday."),
        # a hurry denied only to push ("不用急着考虑") is no "no hurry"
        ("deposit", "zh", "不用急着考虑了，大家都在抢，再不买就没了。"),
    ],
)
def test_scarcity_without_a_no_hurry_in_its_sentence_is_still_flagged(line, lang, text):
    flagged_as(line, lang, text, "pressure_selling")


# ---------------------------------------------------------------- principle: the best choice depends on the customer


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("loan", "en", "The best option is usually one you can repay without strain, so work out your monthly budget first."),
        ("deposit", "en", "The best option depends on when you might need the money; a shorter term keeps it flexible."),
        ("loan", "en", "The best choice is the one you can comfortably afford each month."),
        ("deposit", "zh", "最好的方案取决于您什么时候要用这笔钱，短期要用就选短一点的期限。"),
    ],
)
def test_the_best_choice_handed_to_the_customer_passes(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("loan", "en", "The best option is our Easy Loan, the cheapest in town."),
        ("loan", "en", "The best option is one you can't get anywhere else: ours."),
        ("deposit", "zh", "最好的产品就是我们这款大额存单。"),
        ("deposit", "zh", "最好的方案不用看您的情况，就是这款大额存单。"),
        ("deposit", "en", "This is the best deposit product on the market."),
    ],
)
def test_a_best_of_our_product_is_still_flagged(line, lang, text):
    flagged_as(line, lang, text, "superlative")


def test_versions_of_the_packs_changed_for_packs_1_9():
    assert scan("wealth", "zh", "您好").ruleset_version == PACK_VERSIONS["wealth"]
    assert scan("insurance", "zh", "您好").ruleset_version == PACK_VERSIONS["insurance"]
    assert scan("deposit", "zh", "您好").ruleset_version == PACK_VERSIONS["deposit"]
    assert scan("wealth", "zh", "您好", region="CN-SH").ruleset_version.endswith(PACK_VERSIONS["wealth CN-SH tail"])
