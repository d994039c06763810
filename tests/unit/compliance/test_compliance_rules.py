"""Every rule kind in both languages, negation and scope, and the seed's two examples."""

from __future__ import annotations

import pytest

from tridesk.finance.compliance import load_ruleset


def scan(text: str, line: str = "wealth", lang: str = "zh", region: str = "CN", question: str | None = None):
    return load_ruleset(line, region).scan(text, lang, question)  # type: ignore[arg-type]


def categories(text: str, **kw) -> set[str]:
    return set(scan(text, **kw).categories)


# ---------------------------------------------------------------- the seed's examples


def test_good_recent_returns_without_risk_warning_is_a_violation():
    # GIVEN a performance claim with no disclosure
    result = scan("This wealth product has had good recent returns.", lang="en")
    # THEN it is not passed: the missing disclosure is found and appended
    assert result.verdict == "fix"
    assert result.categories == {"missing_disclosure"}
    assert "not deposits" in result.fixed_text and "investment advice" in result.fixed_text


def test_not_guaranteed_but_stable_is_flagged_as_implying_safety():
    result = scan("It is not capital guaranteed, but the historical return is stable.", lang="en")
    assert result.verdict == "block"
    assert "hidden_risk" in result.categories


def test_not_guaranteed_but_stable_in_chinese():
    result = scan("这款理财虽然不保本，但是历史收益一直很稳定。")
    assert result.verdict == "block"
    assert "hidden_risk" in result.categories


# ---------------------------------------------------------------- forbidden promises and negation


@pytest.mark.parametrize(
    "text,lang",
    [
        ("I promise returns of 5% a year on this one.", "en"),
        ("We guarantee a 5% return on this product.", "en"),
        ("This is a risk-free way to grow your savings.", "en"),
        ("Your principal is completely safe with this product.", "en"),
        ("这款产品保本保息，稳赚不赔。", "zh"),
        ("买这个肯定能赚钱，我自己也买了。", "zh"),
        ("这个产品零风险。", "zh"),
        ("这只基金保证年化8%的收益。", "zh"),
    ],
)
def test_promises_are_blocked(text, lang):
    result = scan(text, lang=lang)
    assert result.verdict == "block"
    assert "forbidden_promise" in result.categories


@pytest.mark.parametrize(
    "text,lang",
    [
        ("We cannot promise returns on this product.", "en"),
        ("No investment is risk-free, so please choose carefully.", "en"),
        ("We do not guarantee a 5% return; it is a benchmark, not a promise.", "en"),
        ("我们无法向您承诺任何收益。", "zh"),
        ("本产品不保本，投资须谨慎。", "zh"),
        ("本产品不承诺保本和最低收益，投资者可能损失全部本金。", "zh"),
        ("没有任何理财产品是零风险的。", "zh"),
        ("请警惕所谓“稳赚不赔”的宣传，谨防诈骗。", "zh"),
    ],
)
def test_negated_promises_pass(text, lang):
    assert scan(text, lang=lang).verdict == "pass"


def test_negation_is_read_on_words_not_characters():
    # GIVEN "不仅" (not only) and "非常" (very) contain negation characters but do not negate
    assert scan("这款产品不仅保本，收益还很高。").verdict == "block"
    # AND a negation in another clause does not reach the promise
    assert scan("不用担心，这款产品稳赚。").verdict == "block"


# ---------------------------------------------------------------- disclosures, hidden risk, comparisons


def test_disclosed_performance_claim_passes():
    text = "该产品近一年年化收益率为3.2%。理财非存款，产品有风险，投资须谨慎。以上内容不构成投资建议。"
    assert scan(text).verdict == "pass"


def test_required_phrase_names_what_is_missing():
    result = scan("该产品近一年年化收益率为3.2%。理财非存款，产品有风险，投资须谨慎。")
    (finding,) = result.findings
    assert finding.required_phrase == "以上内容不构成投资建议。"
    assert result.fixed_text.endswith("以上内容不构成投资建议。")


@pytest.mark.parametrize(
    "text,lang",
    [
        ("过去三年年化都在4%以上，未来应该也能保持这个水平。", "zh"),
        ("It returned about 4% a year over the past three years, and you can expect the same going forward.", "en"),
        ("这只产品成立以来从来没亏过。", "zh"),
        ("This product has never lost money since launch.", "en"),
        ("投资是有风险的，不过这款基本没什么风险。", "zh"),
        ("There is some market risk, but honestly it's very safe.", "en"),
    ],
)
def test_hidden_risk(text, lang):
    assert "hidden_risk" in categories(text, lang=lang)


def test_past_performance_caveat_is_not_a_projection():
    text = "Past performance does not guarantee future results; it will not necessarily continue. This is not investment advice. Investment involves risk."
    assert scan(text, lang="en", line="fund").verdict == "pass"


@pytest.mark.parametrize(
    "text,lang,category",
    [
        ("这款理财比存款还安全。", "zh", "forbidden_comparison"),
        ("Honestly it's as safe as a bank deposit.", "en", "forbidden_comparison"),
        ("这是我们行目前最好的理财产品。", "zh", "superlative"),
        ("This is the best wealth product we have this year.", "en", "superlative"),
        ("名额有限，建议您抓紧购买。", "zh", "pressure_selling"),
        ("This is the last chance to join, so act now.", "en", "pressure_selling"),
    ],
)
def test_comparisons_superlatives_and_pressure_are_blocked(text, lang, category):
    result = scan(text, lang=lang)
    assert result.verdict == "block" and category in result.categories


@pytest.mark.parametrize(
    "text,lang",
    [
        ("您最好在工作日办理赎回。", "zh"),
        ("如需了解最近购买的产品，可以在手机银行查看。", "zh"),
        ("I'll do my best to get your replacement card to you quickly.", "en"),
        ("There's no hurry; take your time to read the terms.", "en"),
    ],
)
def test_everyday_words_are_not_superlatives_or_pressure(text, lang):
    assert scan(text, lang=lang).verdict == "pass"


# ---------------------------------------------------------------- credit and personal data


@pytest.mark.parametrize(
    "text,lang,line",
    [
        ("您放心申请，我们这张卡包过。", "zh", "credit_card"),
        ("Don't worry about your credit history, approval is guaranteed.", "en", "credit_card"),
        ("黑户也能贷，秒批秒到账。", "zh", "loan"),
        ("Just submit the form and we guarantee you'll be approved.", "en", "loan"),
    ],
)
def test_credit_approval_promises_are_blocked(text, lang, line):
    result = scan(text, lang=lang, line=line)
    assert result.verdict == "block" and "credit_promise" in result.categories


def test_declining_to_promise_approval_passes():
    assert scan("We can't guarantee approval; it depends on our review.", lang="en", line="credit_card").verdict == "pass"
    assert scan("审批结果以银行审核为准，我们无法保证一定通过。", line="credit_card").verdict == "pass"


def test_full_card_number_is_masked_by_a_fix():
    text = "Your card 4111 1111 1111 1111 has been locked."
    result = scan(text, lang="en", line="credit_card")
    assert result.verdict == "fix"
    (finding,) = result.findings
    assert finding.category == "personal_data"
    assert text[finding.span[0] : finding.span[1]] == "4111 1111 1111 1111"
    assert result.fixed_text == "Your card **** **** **** 1111 has been locked."


def test_chinese_id_number_needs_a_valid_check_character():
    valid, invalid = "110101199003074258", "110101199003074251"
    assert scan(f"您的身份证号为{valid}。", line="credit_card").categories == {"personal_data"}
    assert scan(f"您的工单号为{invalid}。", line="credit_card").verdict == "pass"
    # packs 1.5: a number the reply itself calls an ID number is one whatever its check character
    assert scan(f"您的身份证号为{invalid}。", line="credit_card").categories == {"personal_data"}


def test_long_numbers_that_fail_luhn_are_not_cards():
    assert scan("您的订单号为4111111111111112，退款将原路退回。", line="credit_card").verdict == "pass"


# ---------------------------------------------------------------- questions answered


def test_yes_to_is_it_guaranteed_is_a_promise():
    result = scan("是的，这款是保本的。", question="这个理财保本吗？")
    assert result.verdict == "block"
    assert scan("Yes, it's fully protected.", lang="en", question="Is this product guaranteed?").verdict == "block"


def test_no_to_will_i_lose_is_a_promise_but_honest_answers_pass():
    assert scan("不会的，这只基金很稳。", line="fund", question="买这个基金会亏钱吗？").verdict == "block"
    assert scan("有可能，基金净值会随市场波动。", line="fund", question="买这个基金会亏钱吗？").verdict == "pass"


# ---------------------------------------------------------------- spans and fixes


def test_spans_point_into_the_original_text_even_with_full_width_characters():
    text = "亲，这款产品１００％安全，RISK-FREE！"
    result = scan(text)
    spans = {text[f.span[0] : f.span[1]] for f in result.findings}
    assert "１００％安全" in spans and "RISK-FREE" in spans


def test_fixed_text_always_passes_a_rescan(wealth):
    for text in ["这款产品七日年化是2.05%。", "The expected annualised return is around 3.2%", "近一年收益不错"]:
        result = wealth.scan(text, "en" if text[0].isascii() else "zh")
        assert result.verdict == "fix"
        assert wealth.scan(result.fixed_text, "zh").verdict == "pass"


def test_messages_follow_the_request_language():
    zh = scan("这个产品零风险。", lang="zh").findings[0].message
    en = scan("这个产品零风险。", lang="en").findings[0].message
    assert zh != en and en.isascii()
