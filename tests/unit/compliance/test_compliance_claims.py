"""Compositional claims: lexicon concepts, the ``claim`` rule kind, mentions and post-negation."""

from __future__ import annotations

import textwrap

import pytest

from tridesk.finance.compliance import PackLibrary, RulePackError, build_ruleset, load_ruleset

PACK = textwrap.dedent(
    """\
    pack: base
    version: 1.0.0
    business_line: wealth
    region: CN
    scope:
      mention: ['所谓|谨防|\\bbeware\\b']
      post_negation: ['不代表|\\bis\\s+not\\s+a\\s+guide\\b']
    lexicon:
      sure: {zh: ['肯定|妥妥'], en: ['\\bfor\\s+sure\\b']}
      gain: {zh: ['收益'], en: ['\\breturns?\\b']}
      sure_gain: ['{@sure}的?{@gain}']
    rules:
      - id: SURE-GAIN
        kind: claim
        category: forbidden_promise
        severity: block
        message: {zh: 不得承诺收益。, en: No promises.}
        all: [sure, gain]
        within: clause
      - id: MACRO
        kind: forbidden
        category: forbidden_promise
        severity: block
        message: {zh: 不得承诺收益。, en: No promises.}
        patterns: ['{@sure_gain}']
    """
)


def scan(text: str, line: str = "wealth", lang: str = "zh", question: str | None = None):
    return load_ruleset(line, "CN").scan(text, lang, question)  # type: ignore[arg-type]


def test_claim_needs_every_concept_in_one_clause_in_any_order():
    rs = build_ruleset({"base.yaml": PACK}, "wealth")
    assert rs.scan("收益肯定有的。").rule_ids == {"SURE-GAIN"}
    assert rs.scan("Returns, for sure.", "en").verdict == "pass"  # two clauses
    assert rs.scan("You get returns for sure.", "en").rule_ids == {"SURE-GAIN"}
    assert rs.scan("收益不错，但不肯定。").verdict == "pass"  # negated certainty


def test_concepts_expand_inside_patterns_per_script():
    rs = build_ruleset({"base.yaml": PACK}, "wealth")
    assert "MACRO" in rs.scan("妥妥的收益。").rule_ids
    assert "MACRO" not in rs.scan("收益妥妥的。").rule_ids  # the macro keeps its order, the claim does not


def test_mentions_and_post_negation_are_not_claims():
    rs = build_ruleset({"base.yaml": PACK}, "wealth")
    assert rs.scan("谨防“肯定有收益”的宣传。").verdict == "pass"
    assert rs.scan("所谓肯定的收益都不可信。").verdict == "pass"
    assert rs.scan("我们说“肯定有收益”。").verdict == "block"  # quotes without a cue of distance


@pytest.mark.parametrize(
    "change,words",
    [
        ("all: [sure, gain]", "unknown concept 'nope'"),
        ("patterns: ['{@sure_gain}']", "unknown concept {@nope}"),
    ],
)
def test_unknown_concepts_are_rejected_with_file_and_line(change, words):
    bad = PACK.replace(change, change.replace("sure_gain", "nope").replace("[sure,", "[nope,"))
    with pytest.raises(RulePackError) as info:
        PackLibrary.from_texts({"base.yaml": bad})
    assert str(info.value).startswith("base.yaml:") and words in str(info.value)
    assert info.value.line is not None


def test_concept_cycles_and_empty_claims_are_rejected():
    cyclic = PACK.replace("gain: {zh: ['收益'], en: ['\\breturns?\\b']}", "gain: ['收益|{@sure_gain}']")
    with pytest.raises(RulePackError) as info:
        PackLibrary.from_texts({"base.yaml": cyclic})
    assert "cycle" in str(info.value) and str(info.value).startswith("base.yaml:")
    empty = PACK.replace("    all: [sure, gain]\n", "")
    with pytest.raises(RulePackError) as info:
        PackLibrary.from_texts({"base.yaml": empty})
    assert "needs 'all' or 'any'" in str(info.value) and info.value.line is not None


ENGINE_2_31 = PACK.replace(
    "    patterns: ['{@sure_gain}']\n",
    "    patterns: ['{@sure_gain}']\n"
    "    unless: [advice]\n"
    "  - id: PERF\n"
    "    kind: disclosure\n"
    "    category: missing_disclosure\n"
    "    severity: fix\n"
    "    message: {zh: 须附风险提示。, en: Needs a risk warning.}\n"
    "    requires: [risk]\n"
    "    patterns: ['年化']\n",
).replace(
    "rules:\n",
    "  advice: ['建议您']\n"
    "  uncertain: ['不确定']\n"
    "disclosures:\n"
    "  risk:\n"
    "    zh: 收益不确定。\n"
    "    en: Returns are uncertain.\n"
    "    accept: ['{@uncertain}', '\\buncertain\\b']\n"
    "rules:\n",
)


def test_a_forbidden_rule_names_concepts_that_cancel_it_in_the_sentence():
    """Packs 2.31: ``unless`` on a forbidden rule, as on a disclosure rule (a hit with one in its sentence is no claim)."""
    rs = build_ruleset({"base.yaml": ENGINE_2_31}, "wealth")
    assert "MACRO" in rs.scan("妥妥的收益。").rule_ids
    assert "MACRO" not in rs.scan("建议您别信妥妥的收益。").rule_ids
    assert "MACRO" in rs.scan("建议您看看。妥妥的收益。").rule_ids  # another sentence


def test_a_disclosure_accepts_a_concept_and_must_still_accept_its_own_text():
    """Packs 2.31: ``accept`` may refer to concepts; its own texts are checked once the lexicon is merged."""
    rs = build_ruleset({"base.yaml": ENGINE_2_31}, "wealth")
    assert rs.scan("年化3%，收益不确定。").verdict == "pass"
    assert rs.scan("年化3%。").verdict == "fix"
    unknown = ENGINE_2_31.replace("'{@uncertain}'", "'{@nowhere}'")
    with pytest.raises(RulePackError) as info:
        PackLibrary.from_texts({"base.yaml": unknown})
    assert "unknown concept {@nowhere}" in info.value.problem and info.value.line is not None
    narrow = ENGINE_2_31.replace("uncertain: ['不确定']", "uncertain: ['很不确定']")
    with pytest.raises(RulePackError) as info:
        PackLibrary.from_texts({"base.yaml": narrow})
    assert "its own zh text is not accepted" in info.value.problem
    assert str(info.value).startswith("base.yaml:") and info.value.line is not None


# ---------------------------------------------------------------- the shipped packs on paraphrases


@pytest.mark.parametrize(
    "text,lang,line,category",
    [
        ("这款理财收益铁定跑不了，您就等着数钱吧。", "zh", "wealth", "forbidden_promise"),
        ("Your capital is as good as locked in with this one.", "en", "wealth", "forbidden_promise"),
        ("买了这只基金您可以高枕无忧。", "zh", "fund", "forbidden_promise"),
        ("It's practically risk-free, honestly.", "en", "fund", "forbidden_promise"),
        ("这款年金险就跟存定期一个样，还多一份保障。", "zh", "insurance", "forbidden_comparison"),
        ("It works just like a savings account, only better.", "en", "wealth", "forbidden_comparison"),
        ("这只基金是同类里最牛的。", "zh", "fund", "superlative"),
        ("It's the top performing fund on the market.", "en", "fund", "superlative"),
        ("份额快卖完了，您尽快决定。", "zh", "wealth", "pressure_selling"),
        ("Places are running out fast.", "en", "wealth", "pressure_selling"),
        ("您的资料没问题，下卡分分钟的事。", "zh", "credit_card", "credit_promise"),
        ("Regardless of your history, we get everyone a card.", "en", "credit_card", "credit_promise"),
        ("这只基金成立以来从没往下走过。", "zh", "fund", "hidden_risk"),
        ("It gained 9% last year and should keep rising next year.", "en", "fund", "hidden_risk"),
    ],
)
def test_paraphrases_of_every_category_are_caught(text, lang, line, category):
    result = scan(text, line=line, lang=lang)
    assert result.verdict == "block" and category in result.categories


@pytest.mark.parametrize(
    "text,lang,line",
    [
        ("过往业绩也不代表未来表现，投资须谨慎。", "zh", "fund"),
        ("Past performance is not a reliable guide to future returns, and funds involve risk.", "en", "fund"),
        ("请勿相信任何“保本高收益”的宣传。", "zh", "wealth"),
        ("Be wary of anyone promising you 'guaranteed returns'.", "en", "wealth"),
        ("理财产品不等同于存款，可能会亏损本金。", "zh", "wealth"),
        ("最稳妥的做法是先做风险测评。", "zh", "wealth"),
        ("Your card has been approved and will definitely arrive within 7 days.", "en", "credit_card"),
        ("Your new limit is 20,000 yuan, effective today.", "en", "credit_card"),
        ("定期存款利率比活期高，具体利率以办理当日挂牌利率为准。", "zh", "deposit"),
    ],
)
def test_disclaimers_and_plain_service_replies_pass(text, lang, line):
    assert scan(text, line=line, lang=lang).verdict == "pass"


def test_a_number_with_a_thousands_comma_is_one_clause():
    result = scan("You'll get a 30,000 limit for sure.", line="credit_card", lang="en")
    assert "credit_promise" in result.categories
