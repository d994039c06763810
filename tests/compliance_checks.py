"""Assertions the compliance family tests share: scan a reply with a line's national ruleset, then check it."""

from __future__ import annotations

from tridesk.finance.compliance import load_ruleset


def scan(line: str, lang: str, text: str, question: str | None = None):  # type: ignore[no-untyped-def]
    return load_ruleset(line, "CN").scan(text, lang, question)  # type: ignore[arg-type]


def flagged_as(line: str, lang: str, text: str, category: str, verdict: str | None = None, *,
               question: str | None = None) -> None:
    """Not passed, with ``category`` among the findings (and the given verdict, when one is given)."""
    result = scan(line, lang, text, question)
    assert result.verdict != "pass" and category in result.categories, (text, result.verdict, result.rule_ids)
    if verdict is not None:
        assert result.verdict == verdict, (text, result.verdict, result.rule_ids)


def passes(line: str, lang: str, text: str, question: str | None = None) -> None:
    result = scan(line, lang, text, question)
    assert result.verdict == "pass", (text, result.verdict, result.rule_ids)
