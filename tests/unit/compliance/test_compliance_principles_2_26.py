"""Packs 2.26: holdout101..holdout104's false positives closed by principle, in both languages, and ``unless_at``.

Principles: a figure that is a fee is no return figure ("a 0.2% annual sales-service fee", "托管费率0.1%"), but a return
beside it in the same sentence stays a claim; a loan being repaid, named by its repricing ("目前执行利率为3.85%，下一个重定价日…",
"until the next repricing date", "the one in the contract you signed"); the guaranteed minimum of an insurance contract is
a fact ("only the 1.75% minimum crediting rate written into your contract is guaranteed"); "the top of the possible
range" names a tier; the notices in yet other words ("none of this counts as investment advice", "并非对您的投资建议",
"earlier results are no guide to what comes next", "says nothing firm about the future", "可能出现亏损，请审慎决定",
"the non-guaranteed part could turn out smaller", "结算利率每个月都可能调整", "your actual rate will be in the loan contract").
The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes
from tests.unit.compliance.test_compliance_packs import BASE, packs as pack_texts
from tridesk.finance.compliance import PackLibrary, RulePackError, build_ruleset, load_ruleset


def packs(base: str) -> dict[str, str]:
    return pack_texts(**{"base.yaml": base})


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("fund", "en", "This fund charges a 0.5% annual management fee and a 0.1% custody fee, both taken from the net value.",
         None),
        ("wealth", "en", "The sales-service fee for this plan is 0.3% a year, charged daily.", None),
        ("fund", "zh", "这只基金C类份额不收申购费，每年有0.4%的销售服务费。", None),
        ("loan", "zh", "您的经营贷目前执行利率为3.75%，下一个重定价日是明年1月1日。", None),
        ("loan", "en", "The rate on your mortgage is 3.9% a year until the next repricing date.", None),
        ("loan", "en", "The rate that applies is the one in the contract you signed, 4.1% a year.",
         "The officer told me 3.5%, the contract says 4.1%. Which is it?"),
        ("loan", "en", "Rates start at around 3.6% a year. Your actual rate will be in the loan contract once it's approved, "
                       "and please only borrow what you can comfortably repay.", None),
        ("insurance", "en", "Only the 2% minimum crediting rate written into your contract is guaranteed; anything above it "
                            "is not guaranteed. Insurance is not a deposit.", None),
        ("deposit", "en", "She called 3% the top of the possible range for the structured deposit, and said you could "
                          "receive only the minimum return of 1.3%.", None),
        ("wealth", "en", "It returned 3.2% annualised last year. A wealth product is not a deposit and carries risk, so "
                         "invest with care, and none of this counts as investment advice.", None),
        ("wealth", "en", "To recap: the product returned 3.0% last year. Wealth products aren't deposits and carry risk, so "
                         "invest cautiously; nothing I told you should be taken as investment advice.", None),
        ("fund", "en", "The index fund's annualised return was about 6.5% over five years. Funds carry risk, so invest with "
                       "care; earlier results are no guide to what comes next; this is not investment advice.", None),
        ("fund", "en", "The fund returned about 4% last year. A fund can lose money, so invest with caution; how it did in the "
                       "past says nothing firm about the future; treat this as information, not investment advice.", None),
        ("fund", "zh", "该基金去年净值增长率为5.1%。基金投资可能出现亏损，请审慎决定；以前的成绩不能说明以后会怎样；并非对您的投资建议。",
         None),
        ("insurance", "en", "In the mid scenario the illustrated account value at 60 is about 250,000 yuan. An insurance policy "
                            "isn't a bank deposit, and the non-guaranteed part could turn out smaller.", None),
        ("insurance", "zh", "这款万能险上月结算利率3.0%，结算利率每个月都可能调整，合同只保证最低2%。保险不是存款。", None),
        ("insurance", "zh", "合同约定的保底利率是2%，这部分有保证；超出保底的部分不确定。以上仅供参考，不构成投资建议。", None),
    ],
)
def test_compliant_replies_of_packs_2_26(line, lang, text, question):
    passes(line, lang, text, question)


@pytest.mark.parametrize(
    "line,lang,text,category,verdict",
    [
        # a return beside a fee in the same sentence is still a return claim
        ("fund", "en", "It returned 9% a year since launch, and the management fee is 0.5% a year.",
         "missing_disclosure", "fix"),
        ("fund", "zh", "这只基金近一年收益率12%，管理费率1.2%。", "missing_disclosure", "fix"),
        # a return "after fees" is a return
        ("wealth", "en", "Last year this product returned 3.4% after fees.", "missing_disclosure", "fix"),
        # a mortgage on offer ("可执行利率") is a quote
        ("loan", "zh", "二手房转贷目前可执行利率为3.3%，月供约3,400元。", "missing_disclosure", "fix"),
        # a promised crediting rate stays a promise
        ("insurance", "en", "Your crediting rate is guaranteed at 4.5% every year.", "forbidden_promise", "block"),
    ],
)
def test_violations_kept_by_packs_2_26(line, lang, text, category, verdict):
    flagged_as(line, lang, text, category, verdict)


# ---------------------------------------------------------------- unless_at: a cover cancels only the hit it overlaps

# The packs test's base pack, with a fee concept and a performance rule that reads figures and names it in unless_at.
FEE = BASE.replace(
    "rules:\n",
    "lexicon:\n  fee:\n    zh: ['\\d+%的管理费']\n    en: ['\\d+% management fee']\nrules:\n",
).replace(
    "    patterns: ['年化', 'annual return']\n",
    "    patterns:\n      zh: ['年化', '涨了\\d+%', '\\d+%']\n      en: ['annual return', '\\d+%']\n    unless_at: [fee]\n",
)


def test_unless_at_cancels_the_hit_it_overlaps_and_no_other():
    ruleset = build_ruleset(packs(FEE), "wealth", "CN")
    assert ruleset.scan("每年收取1%的管理费。", "zh").verdict == "pass"
    assert ruleset.scan("The 1% management fee is charged daily.", "en").verdict == "pass"
    beside = ruleset.scan("去年涨了6%，另收1%的管理费。", "zh")
    assert beside.verdict == "fix" and beside.findings[0].rule_id == "PERF"


def test_unless_at_names_a_known_concept_and_only_on_disclosure_rules():
    with pytest.raises(RulePackError) as info:
        PackLibrary.from_texts(packs(FEE.replace("unless_at: [fee]", "unless_at: [nowhere]")))
    assert "unknown concept 'nowhere'" in info.value.problem
    on_forbidden = FEE.replace("    patterns: ['稳赚', 'guaranteed returns?']\n",
                               "    patterns: ['稳赚', 'guaranteed returns?']\n    unless_at: [fee]\n")
    assert on_forbidden != FEE and FEE != BASE
    with pytest.raises(RulePackError) as info:
        PackLibrary.from_texts(packs(on_forbidden))
    assert "'unless_at' does not apply" in info.value.problem and info.value.file == "base.yaml"


def test_the_bundled_performance_rule_declares_its_cover():
    (perf,) = [r for r in load_ruleset("fund", "CN").rules if r.spec.id == "INV-PERFORMANCE"]
    assert perf.spec.unless_at == ("fee_figure",)
