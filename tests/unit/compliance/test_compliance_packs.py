"""Rule packs: validation with file and line, inheritance, region override, versions, impact of a change."""

from __future__ import annotations

import textwrap

import pytest

from tridesk.core.errors import NotFoundError, ValidationError
from tridesk.finance.compliance import (
    PackLibrary,
    RulePackError,
    build_ruleset,
    bundled_library,
    impact,
    load_ruleset,
)

BASE = textwrap.dedent(
    """\
    pack: base
    version: 1.0.0
    region: CN
    disclosures:
      risk:
        zh: 投资有风险。
        en: Investing involves risk.
        accept: ['有风险', 'involves risk']
    rules:
      - id: PROMISE
        kind: forbidden
        category: forbidden_promise
        severity: block
        message: {zh: 不得承诺收益。, en: No promises.}
        patterns: ['稳赚', 'guaranteed returns?']
      - id: PERF
        kind: disclosure
        category: missing_disclosure
        severity: fix
        message: {zh: 须附风险提示。, en: Needs a risk warning.}
        requires: [risk]
        patterns: ['年化', 'annual return']
    """
)
LINE = textwrap.dedent(
    """\
    pack: wealth
    version: 1.0.0
    business_line: wealth
    region: CN
    extends: base
    """
)
REGION = textwrap.dedent(
    """\
    pack: wealth-sh
    version: 1.0.0
    business_line: wealth
    region: CN-SH
    extends: wealth
    disable: [PROMISE]
    rules:
      - id: SH-ONLY
        kind: forbidden
        category: pressure_selling
        severity: block
        message: {zh: 不得称内部额度。, en: No insider quotas.}
        patterns: ['内部额度']
    """
)


def packs(**extra: str) -> dict[str, str]:
    return {"base.yaml": BASE, "wealth.yaml": LINE, "wealth.CN-SH.yaml": REGION, **extra}


def error_of(files: dict[str, str]) -> RulePackError:
    with pytest.raises(RulePackError) as info:
        PackLibrary.from_texts(files)
    return info.value


# ---------------------------------------------------------------- malformed packs


def test_yaml_syntax_error_names_file_and_line():
    broken = BASE.replace("    region: CN\n", "") + "  - id: [unclosed\n"
    err = error_of(packs(**{"base.yaml": broken}))
    assert err.file == "base.yaml" and err.line is not None and err.line > 20
    assert str(err).startswith(f"base.yaml:{err.line}:")


def test_bad_regular_expression_names_its_line():
    bad = BASE.replace("'guaranteed returns?'", "'guaranteed (returns'")
    err = error_of(packs(**{"base.yaml": bad}))
    assert (err.file, err.line) == ("base.yaml", 15)
    assert "regular expression" in err.problem


@pytest.mark.parametrize(
    "old,new,line,words",
    [
        ("kind: forbidden\n", "kind: forbiden\n", 11, "unknown kind"),
        ("severity: fix\n", "severity: block\n", 19, "not blocked"),
        ("requires: [risk]", "requires: [nope]", 21, "unknown disclosure"),
        ("category: forbidden_promise", "category: rude", 12, "unknown category"),
        ("version: 1.0.0", "version: one", 2, "invalid value"),
        ("accept: ['有风险', 'involves risk']", "accept: ['有风险']", 7, "not accepted"),
    ],
)
def test_schema_errors_name_file_and_line(old, new, line, words):
    err = error_of(packs(**{"base.yaml": BASE.replace(old, new, 1)}))
    assert (err.file, err.line) == ("base.yaml", line)
    assert words in err.problem


def test_duplicate_rule_id_and_unknown_key_are_rejected():
    dup = BASE + BASE[BASE.index("  - id: PROMISE") :].split("  - id: PERF")[0]
    assert "duplicate rule id" in error_of(packs(**{"base.yaml": dup})).problem
    err = error_of(packs(**{"wealth.yaml": LINE + "colour: blue\n"}))
    assert (err.file, err.line) == ("wealth.yaml", 6)


def test_unknown_parent_and_cycles_are_rejected():
    err = error_of(packs(**{"wealth.yaml": LINE.replace("extends: base", "extends: nowhere")}))
    assert (err.file, err.line, "unknown pack" in err.problem) == ("wealth.yaml", 5, True)
    cyclic = BASE.replace("region: CN\n", "region: CN\nextends: wealth\n")
    assert "cycle" in error_of(packs(**{"base.yaml": cyclic})).problem


def test_a_pack_error_is_a_validation_error_for_the_api():
    err = error_of(packs(**{"base.yaml": "- just a list\n"}))
    assert isinstance(err, ValidationError) and err.field == "packs.base.yaml"


def test_bundled_packs_load_and_cover_every_business_line():
    assert bundled_library().business_lines == {"wealth", "fund", "insurance", "deposit", "credit_card", "loan"}


# ---------------------------------------------------------------- inheritance and region override


def test_region_pack_overrides_the_national_one():
    national = build_ruleset(packs(), "wealth", "CN")
    shanghai = build_ruleset(packs(), "wealth", "CN-SH")
    assert national.scan("稳赚！").verdict == "block"
    assert shanghai.scan("稳赚！").verdict == "pass"  # disabled in CN-SH
    assert shanghai.scan("这是内部额度。").verdict == "block"
    assert national.scan("这是内部额度。").verdict == "pass"
    assert shanghai.version == "base@1.0.0+wealth@1.0.0+wealth-sh@1.0.0"


def test_region_without_its_own_pack_falls_back_to_its_parent():
    assert build_ruleset(packs(), "wealth", "CN-BJ").version == "base@1.0.0+wealth@1.0.0"


def test_unknown_line_and_uncovered_region_are_rejected():
    with pytest.raises(ValidationError) as info:
        build_ruleset(packs(), "crypto", "CN")
    assert info.value.field == "business_line"
    with pytest.raises(ValidationError) as info:
        build_ruleset(packs(), "wealth", "US")
    assert info.value.field == "region"


def test_bundled_shanghai_wealth_needs_the_risk_level_phrase():
    text = "该产品近一年年化收益率为3.2%。理财非存款，产品有风险，投资须谨慎。以上内容不构成投资建议。"
    assert load_ruleset("wealth", "CN").scan(text).verdict == "pass"
    result = load_ruleset("wealth", "CN-SH").scan(text)
    assert result.verdict == "fix"
    assert "风险等级" in result.findings[0].required_phrase


def test_bundled_deposit_pack_allows_principal_and_interest_statements():
    text = "定期存款保本保息，属于存款保险保障范围。"
    assert load_ruleset("deposit", "CN").scan(text).verdict == "pass"
    assert load_ruleset("wealth", "CN").scan(text).verdict == "block"


# ---------------------------------------------------------------- versions and impact


def test_an_older_version_can_be_pinned_from_the_ruleset_version():
    newer = BASE.replace("version: 1.0.0", "version: 1.1.0").replace("'稳赚', ", "'稳赚', '保本', ")
    lib = PackLibrary.from_texts(packs(**{"base-1.1.yaml": newer}))
    latest = lib.resolve("wealth", "CN")
    assert latest.version == "base@1.1.0+wealth@1.0.0"
    pinned = lib.resolve("wealth", "CN", "base@1.0.0+wealth@1.0.0")
    assert pinned.chain[0].version == "1.0.0"
    with pytest.raises(NotFoundError):
        lib.resolve("wealth", "CN", "base@9.9.9+wealth@1.0.0")


def test_impact_reports_the_texts_whose_verdict_or_findings_change():
    # GIVEN a new base version that also forbids "保本" and drops the performance disclosure
    old = build_ruleset(packs(), "wealth", "CN")
    changed = BASE.replace("'稳赚', ", "'稳赚', '保本', ").replace("version: 1.0.0", "version: 1.1.0")
    changed = changed[: changed.index("  - id: PERF")]
    changed = changed.replace("version: 1.1.0", "version: 1.1.0", 1)
    new = build_ruleset(packs(**{"base.yaml": changed.replace("requires: [risk]", "")}), "wealth", "CN")
    templates = {
        "t-principal": "这款产品保本。",
        "t-perf": "年化收益3%。",
        "t-neutral": "您好，请问有什么可以帮您？",
        "t-promise": "稳赚！",
    }
    # WHEN the impact is computed over stored templates
    report = impact(old, new, templates)
    # THEN only the changed ones are listed, with the rules that appear or disappear
    by_id = {c.id: c for c in report.changes}
    assert set(by_id) == {"t-principal", "t-perf"}
    assert (by_id["t-principal"].old_verdict, by_id["t-principal"].new_verdict) == ("pass", "block")
    assert by_id["t-principal"].added_rules == ("PROMISE",)
    assert by_id["t-perf"].removed_rules == ("PERF",)
    assert report.transitions == {"pass->block": 1, "fix->pass": 1}
    assert report.to_dict()["changed"] == 2 and report.total == 4
    assert report.new_version == "base@1.1.0+wealth@1.0.0"


# ---------------------------------------------------------------- disclosures that come with another (packs 2.6)

ALSO = BASE.replace(
    "    accept: ['有风险', 'involves risk']\n",
    "    accept: ['有风险', 'involves risk']\n"
    "    also: [past]\n"
    "  past:\n"
    "    zh: 过往业绩不代表未来表现。\n"
    "    en: Past performance does not indicate future performance.\n"
    "    accept: ['不代表未来', 'does not indicate future']\n",
)


def test_a_disclosure_brings_its_also_with_it_and_a_fix_appends_only_what_is_missing():
    ruleset = build_ruleset(packs(**{"base.yaml": ALSO}), "wealth", "CN")
    (perf,) = [r for r in ruleset.rules if r.spec.id == "PERF"]
    assert perf.spec.requires == ("risk", "past")
    both = ruleset.scan("年化4%。", "zh")
    assert both.verdict == "fix" and both.fixed_text == "年化4%。投资有风险。过往业绩不代表未来表现。"
    half = ruleset.scan("年化4%，投资有风险。", "zh")
    assert half.verdict == "fix" and half.fixed_text == "年化4%，投资有风险。过往业绩不代表未来表现。"
    assert ruleset.scan("年化4%，投资有风险，过往业绩不代表未来表现。", "zh").verdict == "pass"


def test_an_unknown_also_is_rejected_with_its_file_and_line():
    err = error_of(packs(**{"base.yaml": ALSO.replace("also: [past]", "also: [nowhere]")}))
    assert err.file == "base.yaml" and err.line == 5 and "'also' names unknown disclosure 'nowhere'" in err.problem


# ---------------------------------------------------------------- a region amends an inherited disclosure (packs 2.9)

AMEND = REGION + textwrap.dedent(
    """\
    disclosures:
      risk:
        also: [level]
      level:
        zh: 请确认风险等级匹配。
        en: Please check the risk level matches.
        accept: ['风险等级', 'risk level']
    """
)


def test_a_region_amends_the_national_disclosure_with_also_and_both_are_required():
    ruleset = build_ruleset(packs(**{"wealth.CN-SH.yaml": AMEND}), "wealth", "CN-SH")
    (perf,) = [r for r in ruleset.rules if r.spec.id == "PERF"]
    assert perf.spec.requires == ("risk", "level")
    assert ruleset.spec.disclosures["risk"].zh == "投资有风险。"  # the national text and patterns stay
    level_only = ruleset.scan("年化4%，请核对风险等级。", "zh")
    assert level_only.verdict == "fix" and level_only.fixed_text == "年化4%，请核对风险等级。投资有风险。"
    assert ruleset.scan("年化4%，投资有风险，请核对风险等级。", "zh").verdict == "pass"
    national = build_ruleset(packs(**{"wealth.CN-SH.yaml": AMEND}), "wealth", "CN")
    assert national.scan("年化4%，投资有风险。", "zh").verdict == "pass"


def test_an_amendment_of_no_inherited_disclosure_is_rejected_with_its_file_and_line():
    err = error_of(packs(**{"wealth.CN-SH.yaml": AMEND.replace("  risk:\n    also: [level]", "  nothing:\n    also: [level]")}))
    assert err.file == "wealth.CN-SH.yaml" and err.line == 15 and "amends no disclosure of a parent pack" in err.problem
    err = error_of(packs(**{"wealth.CN-SH.yaml": AMEND.replace("also: [level]", "also: []")}))
    assert err.file == "wealth.CN-SH.yaml" and "'also' alone must name a disclosure" in err.problem
