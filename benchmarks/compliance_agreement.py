"""Do independent reviewers label the blind splits as their authors did? Agreement on the labelled set.

Each split of ``compliance_eval.jsonl`` was written and labelled by one author from the labelling guide.
``compliance_relabel.jsonl`` holds second and third opinions: reviewers who saw only the guide and the
replies (business line, region, language, the customer's question, the text; shuffled, renumbered, no
labels) labelled every reply of holdout63..holdout66 again, two reviewers per split, each on their own, and
one reviewer each for holdout85..holdout100 (written and reviewed from the guide as rewritten for them).
If the authors' labels were a matter of taste, a scanner could not be asked for 99% recall and 2% false
positives on fresh text: the labels themselves would disagree more than that. This prints how often they
agree: the verdict, violation or not, and the category set, with Cohen's kappa on the verdict.

    uv run python benchmarks/compliance_agreement.py
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from tridesk.finance.compliance.model import load_rows

DATA = Path(__file__).resolve().parent / "data"
VERDICTS = ("pass", "fix", "block")


def kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two labellings given as (first, second) pairs."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[v] * second[v] for v in VERDICTS) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def agreement(pairs: list[tuple[dict, dict]]) -> str:
    n = len(pairs)
    verdict = sum(a["expected_verdict"] == b["expected_verdict"] for a, b in pairs)
    violation = sum((a["expected_verdict"] != "pass") == (b["expected_verdict"] != "pass") for a, b in pairs)
    cats = sum(sorted(a["expected_categories"]) == sorted(b["expected_categories"]) for a, b in pairs)
    k = kappa([(a["expected_verdict"], b["expected_verdict"]) for a, b in pairs])
    return (f"verdict {verdict}/{n} ({100 * verdict / n:.1f}%, kappa {k:.3f})  violation or not {violation}/{n}  "
            f"category set {cats}/{n}")


def main() -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    authors = {r["id"]: r for r in load_rows(DATA / "compliance_eval.jsonl")}
    reviews = load_rows(DATA / "compliance_relabel.jsonl")
    by_reviewer: dict[str, dict[str, dict]] = {}
    for review in reviews:
        by_reviewer.setdefault(review["reviewer"], {})[review["id"]] = review
    print(f"{len(reviews)} second opinions by {len(by_reviewer)} reviewers on {len({r['id'] for r in reviews})} replies")
    print("author against each reviewer:")
    for reviewer, labels in sorted(by_reviewer.items()):
        print(f"  {reviewer:<14} {agreement([(authors[i], r) for i, r in sorted(labels.items())])}")
    print("reviewers of one split against each other:")
    by_split: dict[str, list[dict[str, dict]]] = {}
    for name in sorted(by_reviewer):  # reviewer names are "<split>-a", "<split>-b"
        by_split.setdefault(name.rsplit("-", 1)[0], []).append(by_reviewer[name])
    for split, labellings in sorted(by_split.items()):
        if len(labellings) == 2:  # splits with a single reviewer have only the author to be compared with
            first, second = labellings
            print(f"  {split:<14} {agreement([(first[i], second[i]) for i in sorted(first) if i in second])}")
    pooled = [(authors[r["id"]], r) for r in reviews]
    print(f"pooled, author against reviewer: {agreement(pooled)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
