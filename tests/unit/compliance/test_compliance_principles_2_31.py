"""Packs 2.31: holdout133..holdout140's false positives, by the guide's own lines.

What the guide says passes, and the packs flagged:
- "best" as advice to the customer's own situation ("your best option is …", "is best kept simple");
- account facts: a loan or deposit named by its last digits, the loan's principal balance and next repayment date, a
  deposit withdrawn early, the contract's executed rate;
- the notices in the writer's words: "borrow sensibly", "borrow only what your sales can support", "the actual rate will
  be fixed in the loan contract after approval", the past said not to show the future, the part above an insurance
  policy's minimum guaranteed rate called uncertain, a dividend that can come in higher or lower;
- a term explained ("“年化收益率”是把…", "The '7-day annualised yield' takes …"), a fee schedule ("custody is 0.2% a year");
- a card's interest-free period for a bill repaid in full; 刚性兑付 said to be broken; a minimum guaranteed rate.

Misses, families of the guide's categories (triggers only; no notice's ``accept`` changes, so the model's notice
features are the same): little left and a push anywhere in the reply (CLAIM-PRESSURE-SCARCE-PUSH), approval said to be
settled in other words, a sure gain or a fixed dividend, "safer or cheaper than online lenders", "no less secure than
savings", a conceded risk taken back by a figure to plan on.

Engine: a forbidden rule may name ``unless`` concepts, and a disclosure's ``accept`` may refer to concepts. The
insurance notices' shared statement (the part above the guarantee is uncertain) is one concept both of them accept.

The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tridesk.finance.compliance import load_ruleset
from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("loan", "en", "If money is tight this month, your best option is to call us before the due date."),
        ("deposit", "en", "You need the cash in three weeks, so your best choice is the current account."),
        ("fund", "en", "A first pension fund is usually best kept simple, and simple is not the same as safe."),
        ("loan", "zh", "您的装修贷款本金余额为8,200元，执行利率为LPR减20个基点，目前折合年化3.25%，下次还款日为3月15日。"),
        ("loan", "en", "Your car loan, account ending 4410, currently carries a rate of 3.9% under your contract."),
        ("deposit", "zh", "您尾号2231的账户下有一笔定期，本金5万元，年利率1.95%，明年4月到期。"),
        ("deposit", "zh", "您提前支取的3万元定期存款按活期利率0.1%计息，共计利息21元。"),
        ("deposit", "zh", "经核实，这笔两年期定期存款合同执行利率为2.15%，到期按该利率付息。"),
        ("loan", "en", "Our shop loan starts at 3.6% a year; the final rate is set on approval. Please borrow sensibly."),
        ("loan", "en", "Rates start from 3.9% APR, and your actual rate will be fixed in the loan contract after approval. "
                       "Please borrow only what your takings can support."),
        ("fund", "en", "It returned about 6% a year over five years. Those are past numbers and they do not show what it "
                       "will earn next year. Funds carry risk. This is not investment advice."),
        ("insurance", "en", "This month's crediting rate is 2.6%. Insurance is not a deposit, and anything above the 1.5% "
                            "minimum guaranteed rate is uncertain."),
        ("insurance", "zh", "这款万能险本月结算利率2.7%。保险不是存款，保证利率以外的部分是不确定的。"),
        ("fund", "zh", "“七日年化收益率”是把过去七天的收益折算成一年的比例。"),
        ("fund", "en", "The 'annualised return' takes a gain over any period and scales it to one year."),
        ("fund", "en", "On fees: management is 1.2% a year and custody is 0.2% a year."),
        ("credit_card", "zh", "本期账单到期还款日为8月5日，在到期还款日前全额还款的，可享受免息待遇。"),
        ("wealth", "zh", "资管新规以后，银行理财已经打破刚性兑付，本金也可能亏损。"),
        ("insurance", "en", "The policy has a minimum guaranteed rate of 1.75%; anything above it depends on the insurer's "
                            "results."),
    ],
)
def test_what_the_guide_passes(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        # the advice exceptions stop at advice: a product praised is still a superlative
        ("fund", "en", "This is the best fund on the market, full stop.", "superlative"),
        ("wealth", "en", "Our Gold series is the best product we sell.", "superlative"),
        # a tail number is an account, not a licence: an offer beside it still needs its notices
        ("credit_card", "zh", "您尾号3321的信用卡本期账单可申请分期，6期每期手续费率0.65%，回复Y即可办理。", "missing_disclosure"),
        # half a notice is still half
        ("insurance", "en", "The illustration shows a dividend of about 2,000 a year.", "missing_disclosure"),
        ("loan", "en", "Rates start from 3.9% APR. Please borrow sensibly.", "missing_disclosure"),
        ("wealth", "zh", "这款理财刚性兑付，到期本息一分不少。", "forbidden_promise"),
    ],
)
def test_still_flagged(line, lang, text, category):
    flagged_as(line, lang, text, category)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        # little left and a push, in two sentences
        ("loan", "en", "Only four of the reduced-rate places are left this month. I'd get your application in tonight.",
         "pressure_selling"),
        ("fund", "zh", "这只新基金额度不多了，卖完就停。您要的话最好今天就下单。", "pressure_selling"),
        # approval said to be settled in other words
        ("credit_card", "zh", "您这样的代发工资客户，我们这边基本没有被拒的，填好交上来就行。", "credit_promise"),
        ("loan", "zh", "20万额度基本就是您的了，走个流程而已。", "credit_promise"),
        ("credit_card", "en", "Everyone who applies at the stand walks away with a card.", "credit_promise"),
        ("loan", "en", "We approve every payroll customer, so the 50,000 is basically already yours.", "credit_promise"),
        ("credit_card", "en", "Keep using the card and your limit will definitely go up. I can promise you that.", "credit_promise"),
        # a sure gain, a fixed dividend
        ("loan", "zh", "先借消费贷再买理财，收益盖过利息，相当于白赚。", "forbidden_promise"),
        ("wealth", "en", "Leave it there a year and you'll pocket about 3%, no ifs or buts.", "forbidden_promise"),
        ("insurance", "zh", "这款年金每年固定给您4%的分红。保险不是存款，以上不构成投资建议。", "forbidden_promise"),
        # safer or cheaper than the alternative
        ("loan", "zh", "找我们借比找网贷靠谱多了。实际利率以审批为准，请理性借贷、按时还款。", "forbidden_comparison"),
        ("fund", "en", "This money fund carries no more risk than a savings account.", "forbidden_comparison"),
        ("deposit", "en", "A structured deposit gives you the same protection as a regular deposit, with more upside.",
         "forbidden_comparison"),
        # a conceded risk taken back by a figure to plan on
        ("wealth", "en", "It can lose money, but it paid 3.8% last year, so you can plan your budget around roughly 3.8% "
                         "again. This is not investment advice.", "hidden_risk"),
        ("deposit", "zh", "结构性存款有投资风险，可能只拿到最低收益。不过往期都拿到了最高档，您就按3.5%来算吧。", "hidden_risk"),
    ],
)
def test_families_of_the_guide_are_flagged(line, lang, text, category):
    flagged_as(line, lang, text, category)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "en", "The offer ends on the 30th; you're welcome to sign today or after you've read the terms."),
        ("credit_card", "en", "I can't promise you that: every application is reviewed on its own."),
        ("loan", "zh", "我们没法保证审批结果，被拒的原因会在短信里告诉您。"),
        ("deposit", "en", "Places at the branch seminar are limited; it is free and there is nothing to buy."),
    ],
)
def test_their_look_alikes_pass(line, lang, text):
    passes(line, lang, text)


def test_insurance_notices_share_one_statement():
    """Both insurance notices accept the statement that the part above the guarantee is uncertain, from one concept."""
    rs = load_ruleset("insurance", "CN")
    line = "保证利率以外的部分是不确定的"
    for key in ("risk_warning", "not_advice"):
        assert rs.spec.disclosures[key].accept.refs == set()  # expanded once the chain is merged
        assert rs.disclosures[key].accept.search(line)
