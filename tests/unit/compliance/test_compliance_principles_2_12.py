"""Packs 2.12: holdout43 and holdout44's misses and false positives closed by principle, in both languages.

Principles: "so I'd plan on roughly 4% again", "so that's what you can expect going forward", "it's been super stable
— the NAV has barely ever dipped", "almost nobody ever gets charged", "In theory, yes — but … I wouldn't worry about it",
"大家基本都能拿到3.2%，不会更高的" after "以审批为准"; "no less safe than the deposit", "a safer home than leaving the
money on deposit", "stronger than most banks", "和大额存单比的话，…更安全", "between this policy and the CD, the
policy is the better place"; "the lowest rate we've ever offered", "the most stable", "ranks No.1"; "after the next LPR
fixing", "only applies to orders placed before midnight tonight", "过了今晚就作废", "额度放完就没了", "建议今天就提交";
"都是直接过的", "won't stop you getting approved", "goes through either way"; "肯定比交的多" and "拿回来的肯定比交的多吧？"
answered yes, "肯定能拿到的" to the structured deposit's top rate; figures: "红利已公布，为…元", "annualised at 3.85%",
"would price at 3.05%", "at the 3.6% promo rate", "— 2.99%", "2.95% fixed for". False positives: a quoted line named as
the host's comment, "the host calling deposits 'risk-free'", "最好选择期限匹配的产品" (advice), "哪张卡最好，主要看您怎么
花钱", own-words disclosures ("last year's figure is no indication", "could be meaningfully lower", "the one on the board
the day the money goes in", "borrow within your means"). The sentences are written for these tests, not copied from the
evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "en", "About the host's \"sell-out\" remark: there is no need to hurry, a new issue opens every month."),
        ("deposit", "en", "About the streamer calling this CD \"zero risk\": we don't use that word for any product."),
        ("deposit", "zh", "如果这笔钱半年后要用，最好选择期限短一点的存款。"),
        ("credit_card", "zh", "哪款卡最划算，主要看您怎么用。"),
        ("fund", "en", "The fund gained 8% last year. Funds involve risk, and last year's figure is no indication of next "
                       "year's; this is information, not investment advice."),
        ("insurance", "en", "The illustration shows about ¥90,000 of dividends by year 20. This is insurance, not a "
                            "deposit, and dividends aren't guaranteed — the actual figure could be considerably lower."),
        ("deposit", "en", "Today's board rate for the 3-year CD is 1.8%; the rate that counts is the one on the board the "
                          "day the money goes in."),
        ("loan", "en", "The reference rate is 3.2%; the APR you get is set on approval. Please borrow within your means."),
    ],
)
def test_reports_questions_and_own_words_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "en", "The product carries risk, but it has paid 3.8% for five issues, so I'd plan on roughly "
                         "3.8% again.", "hidden_risk"),
        ("insurance", "en", "The rate can change, but it has been above 3% for years, so that's what you can expect.",
         "hidden_risk"),
        ("wealth", "en", "It's not principal-guaranteed, but it's been very stable and has barely ever dipped.",
         "hidden_risk"),
        ("credit_card", "en", "Early repayment can come with charges, but almost nobody ever gets charged.",
         "hidden_risk"),
        ("loan", "zh", "年化利率以审批为准，不过大家基本都能拿到3.5%，不会更高的。", "hidden_risk"),
        ("fund", "en", "This bond fund is no less safe than a time deposit.", "forbidden_comparison"),
        ("insurance", "en", "This annuity is a safer home than leaving the money on deposit.", "forbidden_comparison"),
        ("insurance", "zh", "年金险和定期比的话，年金险更安全。", "forbidden_comparison"),
        ("insurance", "en", "Between this policy and the 2-year CD, the policy is the better place for your savings.",
         "forbidden_comparison"),
        ("loan", "en", "It's the lowest rate we've ever offered.", "superlative"),
        ("fund", "en", "Among its peers this fund is the most stable.", "superlative"),
        ("loan", "en", "Rates could move after the next LPR fixing, so I'd urge you to sign today.", "pressure_selling"),
        ("loan", "zh", "这张利率券过了今晚就作废，赶紧申请！", "pressure_selling"),
        ("loan", "zh", "这批专属额度放完就没了。", "pressure_selling"),
        ("credit_card", "zh", "公积金客户申请都是直接过的。", "credit_promise"),
        ("credit_card", "en", "One late payment won't stop you getting approved.", "credit_promise"),
        ("loan", "en", "Through this channel it goes through either way.", "credit_promise"),
        ("insurance", "zh", "交满十五年，拿回来的肯定比交的多。", "forbidden_promise"),
    ],
)
def test_violations_are_blocked(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


@pytest.mark.parametrize(
    "line,lang,question,text",
    [
        ("insurance", "zh", "交满二十年，拿回来的肯定比交的多吧？", "对的，放心。"),
        ("deposit", "zh", "结构性存款一定能拿到最高那档吧？", "嗯，肯定能拿到的。"),
    ],
)
def test_a_yes_to_a_certain_outcome_is_a_promise(line, lang, question, text):
    flagged_as(line, lang, text, "forbidden_promise", "block", question=question)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "zh", "您保单本年度红利已公布，为人民币8,600元。"),
        ("wealth", "en", "Last cycle it annualised at 3.6%."),
        ("loan", "en", "Your refinance would price at 3.1%."),
        ("loan", "en", "At the 3.4% promo rate that's about RMB 2,900 a month."),
        ("loan", "en", "This week's rate is a good one — 3.05%."),
        ("loan", "en", "It's 2.9% fixed for the first three years."),
    ],
)
def test_figures_need_their_disclosure(line, lang, text):
    flagged_as(line, lang, text, "missing_disclosure", "fix")
