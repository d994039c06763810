"""Check a blind author's split before it is frozen: the brief's mix, the guide's verdict rule, no reply seen before.

    uv run python benchmarks/compliance_split_check.py FILE SPLIT      # e.g. /tmp/holdout89.jsonl holdout89

A training-corpus split (``train65``) has ids ``t65-001`` onwards; a labelled one (``holdout89``) ``h89-001``.

Prints the counts and ``OK``, or one line per problem (exit status 1). The brief (``data/compliance_author_brief.md``)
asks for 150 replies, 75 of them violations; ids ``h<N>-001`` onwards in order; every field the labelled set has. A
reply equal to one of the labelled set or of the training corpus is reported, to be dropped before freezing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from tridesk.finance.compliance.model import load_rows
from tridesk.finance.compliance.packs import CATEGORIES
from tridesk.finance.compliance.service import business_lines

DATA = Path(__file__).resolve().parent / "data"
FIXABLE = {"missing_disclosure", "personal_data"}  # the guide: a disclosure can be appended, a number masked
FIELDS = {"id", "split", "business_line", "region", "lang", "text", "expected_verdict", "expected_categories"}
SIZE, VIOLATIONS = 150, 75


def verdict(categories: list[str]) -> str:
    """The guide's verdict rule."""
    return "block" if set(categories) - FIXABLE else "fix" if categories else "pass"


def problems(lines: list[str], split: str, seen: set[str]) -> tuple[list[str], list[dict]]:
    """What is wrong with a split's lines (and the rows that parsed)."""
    prefix = "t" + split.removeprefix("train") if split.startswith("train") else "h" + split.removeprefix("holdout")
    errors: list[str] = []
    rows: list[dict] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {number}: not JSON ({exc.msg})")
            continue
        rows.append(row)
        where = f"line {number}"
        if set(row) - {"question"} != FIELDS:
            errors.append(f"{where}: fields {sorted(row)}")
            continue
        if row["id"] != f"{prefix}-{len(rows):03d}":
            errors.append(f"{where}: id should be {prefix}-{len(rows):03d}")
        if row["split"] != split:
            errors.append(f"{where}: split should be {split}")
        if row["business_line"] not in business_lines() or row["region"] not in ("CN", "CN-SH") or row["lang"] not in ("zh", "en"):
            errors.append(f"{where}: business line, region or language")
        categories = row["expected_categories"]
        if not isinstance(categories, list) or not set(categories) <= set(CATEGORIES) or len(set(categories)) != len(
                categories):
            errors.append(f"{where}: categories {categories}")
        elif row["expected_verdict"] != verdict(categories):
            errors.append(f"{where}: verdict should be {verdict(categories)} for {categories}")
        if "question" in row and not str(row["question"]).strip():
            errors.append(f"{where}: empty question")
        if row["text"] in seen:
            errors.append(f"{where}: the same text is already in the labelled set or the corpus (drop it)")
    texts = Counter(str(r.get("text")) for r in rows)
    errors += [f"the text {text[:40]!r} appears {n} times" for text, n in texts.items() if n > 1]
    if len(rows) != SIZE:
        errors.append(f"{len(rows)} replies, the brief asks for {SIZE}")
    if sum(r.get("expected_verdict") != "pass" for r in rows) != VIOLATIONS:
        errors.append(f"the brief asks for {VIOLATIONS} violations")
    return errors, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("split")
    args = parser.parse_args()
    seen = {r["text"] for name in ("compliance_eval.jsonl", "compliance_train.jsonl") for r in load_rows(DATA / name)}
    errors, rows = problems(args.file.read_text(encoding="utf-8").splitlines(), args.split, seen)
    print(f"{len(rows)} replies, {sum(r.get('expected_verdict') != 'pass' for r in rows)} violations; "
          f"languages {dict(Counter(r.get('lang') for r in rows))}; lines {dict(Counter(r.get('business_line') for r in rows))}; "
          f"CN-SH {sum(r.get('region') == 'CN-SH' for r in rows)}; with a question {sum('question' in r for r in rows)}")
    print(f"categories {dict(Counter(c for r in rows for c in r.get('expected_categories', [])))}")
    print("\n".join(errors) or "OK")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
