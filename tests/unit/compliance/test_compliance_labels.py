"""The labelled set and its second opinions are well formed, and the agreement figures are computed right."""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest

from benchmarks.compliance_agreement import DATA, agreement, kappa
from benchmarks.compliance_split_check import verdict
from tridesk.finance.compliance.model import is_corpus, load_rows
from tridesk.finance.compliance.packs import CATEGORIES


@cache
def _load(name: str) -> list[dict]:
    """Each data file read once for the module (the rows are not changed by the tests)."""
    return load_rows(DATA / name)


@pytest.mark.parametrize("name", ["compliance_eval.jsonl", "compliance_relabel.jsonl", "compliance_train.jsonl"])
def test_every_verdict_follows_the_guides_rule_from_its_categories(name: str) -> None:
    for row in _load(name):
        assert set(row["expected_categories"]) <= set(CATEGORIES), row["id"]
        assert row["expected_verdict"] == verdict(row["expected_categories"]), row["id"]


def test_the_training_corpus_is_apart_from_the_labelled_set() -> None:
    """The corpus only trains the second opinion: its own split names, and no reply of the labelled set."""
    labelled = _load("compliance_eval.jsonl")
    corpus = _load("compliance_train.jsonl")
    assert corpus and all(map(is_corpus, corpus))
    assert not any(map(is_corpus, labelled))
    assert len({r["id"] for r in corpus}) == len(corpus)
    assert not {r["text"] for r in corpus} & {r["text"] for r in labelled}


def test_each_reviewer_labelled_one_whole_split_once() -> None:
    splits = {r["id"]: r["split"] for r in _load("compliance_eval.jsonl")}
    sizes = Counter(splits.values())
    reviews = _load("compliance_relabel.jsonl")
    assert len({(r["id"], r["reviewer"]) for r in reviews}) == len(reviews)
    by_reviewer: dict[str, set[str]] = {}
    for review in reviews:
        by_reviewer.setdefault(review["reviewer"], set()).add(review["id"])
    for reviewer, ids in by_reviewer.items():
        split = reviewer.rsplit("-", 1)[0]
        assert {splits[i] for i in ids} == {split}
        assert len(ids) == sizes[split]


def test_kappa_is_one_for_identical_labels_and_zero_at_chance() -> None:
    same = [("pass", "pass"), ("fix", "fix"), ("block", "block"), ("pass", "pass")]
    assert kappa(same) == 1.0
    # each labeller says pass half the time, independently of the other: observed = expected agreement
    chance = [("pass", "pass"), ("pass", "block"), ("block", "pass"), ("block", "block")]
    assert kappa(chance) == pytest.approx(0.0)
    assert kappa([("pass", "block"), ("block", "pass")]) < 0


def test_agreement_counts_verdicts_violations_and_category_sets_apart() -> None:
    author = [{"expected_verdict": "fix", "expected_categories": ["missing_disclosure"]},
              {"expected_verdict": "block", "expected_categories": ["superlative", "missing_disclosure"]},
              {"expected_verdict": "pass", "expected_categories": []}]
    reviewer = [{"expected_verdict": "block", "expected_categories": ["hidden_risk"]},
                {"expected_verdict": "block", "expected_categories": ["missing_disclosure", "superlative"]},
                {"expected_verdict": "pass", "expected_categories": []}]
    text = agreement(list(zip(author, reviewer)))
    assert "verdict 2/3" in text
    assert "violation or not 3/3" in text
    assert "category set 2/3" in text
