"""The check a blind author's split goes through before it is frozen."""

from __future__ import annotations

import json

from benchmarks.compliance_split_check import DATA, problems
from tridesk.finance.compliance.model import load_rows


def _split(name: str) -> list[dict]:
    return [r for r in load_rows(DATA / "compliance_eval.jsonl") if r["split"] == name]


def _lines(rows: list[dict]) -> list[str]:
    return [json.dumps(r, ensure_ascii=False) for r in rows]


def test_a_frozen_split_passes_the_check():
    errors, rows = problems(_lines(_split("holdout86")), "holdout86", seen=set())
    assert errors == [] and len(rows) == 150


def test_a_wrong_verdict_a_repeated_reply_a_known_reply_and_a_short_split_are_reported():
    rows = _split("holdout86")
    rows[3] = {**rows[3], "expected_verdict": "pass", "expected_categories": ["superlative"]}
    rows[5] = {**rows[5], "text": rows[4]["text"]}
    errors, _ = problems(_lines(rows), "holdout86", seen={rows[7]["text"]})
    assert any(e.startswith("line 4: verdict should be block") for e in errors)
    assert any("appears 2 times" in e for e in errors)
    assert any(e.startswith("line 8: the same text is already") for e in errors)
    errors, _ = problems(_lines(rows[:149]), "holdout86", seen=set())
    assert "149 replies, the brief asks for 150" in errors


def test_ids_fields_and_json_are_checked():
    rows = _split("holdout87")
    lines = _lines(rows)
    lines[0] = lines[0].replace('"h87-001"', '"h87-002"')
    lines[1] = "{not json"
    lines[2] = json.dumps({k: v for k, v in rows[2].items() if k != "lang"}, ensure_ascii=False)
    errors, _ = problems(lines, "holdout87", seen=set())
    assert errors[:3] == ["line 1: id should be h87-001", "line 2: not JSON (Expecting property name enclosed in "
                          "double quotes)", f"line 3: fields {sorted(set(rows[2]) - {'lang'})}"]


def test_a_corpus_split_has_its_own_ids():
    rows = [r for r in load_rows(DATA / "compliance_train.jsonl") if r["split"] == "train07"]
    errors, _ = problems(_lines(rows), "train07", seen=set())
    assert errors == []
    errors, _ = problems(_lines(rows), "holdout07", seen=set())
    assert errors[0] == "line 1: id should be h07-001"
