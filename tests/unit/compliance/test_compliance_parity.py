"""Packs 1.3: every concept in both languages, and the categories generalised in both languages.

The sentences here are written for the tests, not copied from the evaluation set: each category has a
Chinese and an English violation and a compliant counterpart that shares its vocabulary.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import PACK_VERSIONS

from tridesk.finance.compliance import load_ruleset

LINES = ("wealth", "fund", "insurance", "deposit", "credit_card", "loan")


@pytest.mark.parametrize("line", LINES)
def test_every_shipped_concept_has_chinese_and_english_variants(line):
    spec = load_ruleset(line, "CN").spec
    assert spec is not None
    one_sided = {
        name: sorted(set(patterns.script_tags))
        for name, patterns in spec.lexicon.items()
        if not {"zh", "en"} <= set(patterns.script_tags)
    }
    assert one_sided == {}


def test_versions_of_the_changed_packs_are_bumped():
    assert load_ruleset("wealth", "CN").version == PACK_VERSIONS["wealth"]
    assert load_ruleset("loan", "CN").version == PACK_VERSIONS["loan"]
    assert load_ruleset("deposit", "CN").version == PACK_VERSIONS["deposit"]


def verdict(text: str, line: str = "wealth", lang: str = "zh", question: str | None = None) -> tuple[str, set[str]]:
    result = load_ruleset(line, "CN").scan(text, lang, question)  # type: ignore[arg-type]
    return result.verdict, set(result.categories)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "zh", "这是公司内部员工才能买的分红险，我悄悄给您留了一份。"),
        ("credit_card", "zh", "我们有内部渠道办卡，员工专享额度。"),
        ("loan", "en", "There's a staff-only allocation of low-rate loans I can slip you into."),
        ("credit_card", "en", "I can get you in through a back door at the card centre."),
        ("wealth", "en", "This is a friends-and-family allocation, I've set one aside for you."),
    ],
)
def test_insider_access_is_pressure_selling_nationally_in_both_languages(line, lang, text):
    assert verdict(text, line, lang) == ("block", {"pressure_selling"})


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Our internal team will review the complaint within three days."),
        ("zh", "我行工作人员不会向您索要验证码，请谨防诈骗。"),
        ("zh", "我们不会向您推荐所谓的“内部额度”，请谨防诈骗。"),
        ("en", "Beware of anyone offering an insider allocation; we never sell that way."),
        ("zh", "私募产品仅面向合格投资者，不得公开宣传。"),
    ],
)
def test_internal_words_denials_and_warnings_are_not_insider_claims(lang, text):
    assert verdict(text, "wealth", lang)[0] == "pass"


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "en", "Only two or three of these high-yield notes are still left, so lock yours in today."),
        ("deposit", "en", "We have only a couple of the five-year CDs left at this rate, grab one before the weekend."),
        ("deposit", "zh", "这期大额存单就剩最后几份了，您今天定下来吧。"),
        ("wealth", "en", "Everybody is buying this one right now, it'll be gone by Friday."),
        ("wealth", "zh", "大家都在抢这款，周五前估计就没了。"),
    ],
)
def test_scarcity_with_a_gap_inside_the_clause_is_pressure(line, lang, text):
    assert verdict(text, line, lang) == ("block", {"pressure_selling"})


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("deposit", "en", "There are only two branches left open on Sunday, please book an appointment before Friday."),
        ("wealth", "en", "This product is fully subscribed; I'll let you know when the next one opens."),
        ("wealth", "zh", "这款产品已经全部售罄，下一期开放时间我们会提前通知您。"),
        ("deposit", "zh", "大额存单今天额度已用完，明天上午九点会重新开放。"),
    ],
)
def test_scarcity_needs_a_product_and_a_push(line, lang, text):
    assert verdict(text, line, lang)[0] == "pass"


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("fund", "en", "There may be some volatility along the way, but in the end you'll make money."),
        ("fund", "zh", "短期可能有回撤，不过拿久了总会涨回来的。"),
        ("wealth", "zh", "虽然有波动，但最终肯定赚。"),
    ],
)
def test_a_risk_cancelled_by_an_asserted_gain_is_hidden_risk(line, lang, text):
    result, categories = verdict(text, line, lang)
    assert result == "block" and "hidden_risk" in categories


@pytest.mark.parametrize(
    "lang,text",
    [
        (
            "en",
            "Funds can have dips; nobody can promise you'll come out ahead. Past performance does not indicate future performance.",
        ),
        ("zh", "基金有波动，没人能保证最终一定赚钱，投资需谨慎。"),
        ("en", "The fund is volatile and you could lose money; it may take years to recover, if it does at all."),
        ("zh", "基金净值会有波动，长期持有也可能亏损，请根据自身情况决定。"),
    ],
)
def test_a_risk_with_an_honest_outlook_passes(lang, text):
    assert verdict(text, "fund", lang)[0] == "pass"


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "en", "Other banks' products can't touch ours on safety.", "forbidden_comparison"),
        ("wealth", "zh", "别家的理财跟我们没法比，我们稳多了。", "forbidden_comparison"),
        (
            "wealth",
            "en",
            "This product is as dependable as a government bond, with a better yield.",
            "forbidden_comparison",
        ),
        ("fund", "zh", "这只基金在同类里排名第一，业绩没得说。", "superlative"),
        ("wealth", "zh", "这款理财闭着眼买就行，稳如磐石。", "forbidden_promise"),
        (
            "wealth",
            "en",
            "Honestly, your money is as safe here as anywhere; buy it with your eyes closed.",
            "forbidden_promise",
        ),
        ("fund", "zh", "我跟您打包票，这只基金能翻倍。", "forbidden_promise"),
        ("fund", "en", "Mark my words, this fund will double your money.", "forbidden_promise"),
    ],
)
def test_parity_additions_in_both_languages(line, lang, text, category):
    result, categories = verdict(text, line, lang)
    assert result == "block" and category in categories


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("credit_card", "zh", "肯定没问题，您放心申请。", "我这种情况能批下来吗？"),
        ("credit_card", "en", "Definitely, just submit the form.", "Will I get approved?"),
        ("fund", "en", "Not really, it's a bond fund.", "Could I lose money on this?"),
        ("fund", "zh", "基本不会，这是债券基金。", "这个会亏吗？"),
    ],
)
def test_affirmations_to_approval_and_loss_questions(line, lang, text, question):
    assert verdict(text, line, lang, question)[0] == "block"
    assert verdict(text, line, lang)[0] == "pass"  # the same words without the question are no promise


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("credit_card", "zh", "放心，我们会尽快审核，结果以审批为准。", "我能批下来吗？"),
        (
            "credit_card",
            "en",
            "I can't say in advance; the decision depends on your credit assessment.",
            "Will I be approved?",
        ),
        ("fund", "en", "Yes, you could; bond funds also fall when rates rise.", "Could I lose money on this?"),
        ("fund", "zh", "会的，基金净值可能下跌，请您注意风险。", "这个会亏吗？"),
    ],
)
def test_honest_answers_to_approval_and_loss_questions_pass(line, lang, text, question):
    assert verdict(text, line, lang, question)[0] == "pass"


@pytest.mark.parametrize(
    "lang,text",
    [("en", "The fund is up 9% year to date."), ("zh", "这只基金今年以来上涨9%。")],
)
def test_performance_figures_need_the_disclosures(lang, text):
    assert verdict(text, "fund", lang) == ("fix", {"missing_disclosure"})
