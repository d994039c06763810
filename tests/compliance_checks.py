"""Assertions the compliance family tests share: scan a reply with a line's national ruleset (or a region's),
then check it; and the versions of today's packs, which each round's version test pins."""

from __future__ import annotations

from tridesk.finance.compliance import load_ruleset


# The merged ruleset version per business line (and the Shanghai wealth chain's tail), bumped with each pack round.
PACK_VERSIONS = {
    "wealth": "base@2.32.0+investment@2.32.0+wealth@1.8.0",
    "fund": "base@2.32.0+investment@2.32.0+fund@2.32.0",
    "insurance": "base@2.32.0+investment@2.32.0+insurance@2.32.0",
    "deposit": "base@2.32.0+deposit@2.32.0",
    "loan": "base@2.32.0+credit_card@2.32.0+loan@2.32.0",
    "wealth CN-SH tail": "wealth@1.8.0+wealth-cn-sh@2.32.0",
}


def scan(line: str, lang: str, text: str, question: str | None = None, *,  # type: ignore[no-untyped-def]
         region: str = "CN"):
    return load_ruleset(line, region).scan(text, lang, question)  # type: ignore[arg-type]


def flagged_as(line: str, lang: str, text: str, category: str, verdict: str | None = None, *,
               question: str | None = None) -> None:
    """Not passed, with ``category`` among the findings (and the given verdict, when one is given)."""
    result = scan(line, lang, text, question)
    assert result.verdict != "pass" and category in result.categories, (text, result.verdict, result.rule_ids)
    if verdict is not None:
        assert result.verdict == verdict, (text, result.verdict, result.rule_ids)


def passes(line: str, lang: str, text: str, question: str | None = None, *, region: str = "CN") -> None:
    result = scan(line, lang, text, question, region=region)
    assert result.verdict == "pass", (text, result.verdict, result.rule_ids)


def assert_alternations_keep_every_match(script: str, texts: list[str], lines: tuple[str, ...]) -> int:
    """Each rule's and concept's compiled ``script`` alternation (with the scanner's guards) finds exactly what the
    plain alternation of its patterns finds, over ``texts`` (folded replies); returns how many were compared."""
    import re

    from tridesk.finance.compliance.text import fold_pattern

    checked = 0
    for line in lines:
        ruleset = load_ruleset(line, "CN")
        sources = [(rule.spec.patterns, rule.rx[script]) for rule in ruleset.rules if rule.spec.patterns is not None]
        sources += [(ruleset.spec.lexicon[name], by_script[script]) for name, by_script in ruleset.concepts.items()]
        for patterns, compiled in sources:
            source = patterns.combined(script)
            if source is None:
                assert compiled is None
                continue
            plain = re.compile(fold_pattern(source))
            for text in texts:
                assert [m.span() for m in plain.finditer(text)] == [m.span() for m in compiled.finditer(text)]
            checked += 1
    return checked


def labelled_replies(script: str) -> list[str]:
    """The labelled replies of one script (``zh``, ``en`` or ``both``), folded as the scanner reads them."""
    import json
    from pathlib import Path

    from tridesk.finance.compliance.text import normalise_reply, script_of

    data = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "compliance_eval.jsonl"
    texts = [normalise_reply(json.loads(line)["text"]) for line in data.read_text(encoding="utf-8").splitlines() if line]
    return [t for t in texts if script_of(t) == script]
