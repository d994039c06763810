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


def test_insurance_notices_share_one_statement():
    """Both insurance notices accept the statement that the part above the guarantee is uncertain, from one concept."""
    rs = load_ruleset("insurance", "CN")
    line = "保证利率以外的部分是不确定的"
    for key in ("risk_warning", "not_advice"):
        assert rs.spec.disclosures[key].accept.refs == set()  # expanded once the chain is merged
        assert rs.disclosures[key].accept.search(line)
