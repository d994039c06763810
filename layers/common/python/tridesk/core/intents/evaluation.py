"""Held-out and cross-validated accuracy of the intent model on the shipped data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tridesk.core.intents.labels import INTENTS, UNKNOWN
from tridesk.core.intents.model import Example, IntentModel, load_examples, stratified_split


@dataclass(frozen=True, slots=True)
class Report:
    """Accuracy with the unknown-threshold applied, plus the figures that explain it."""

    n_train: int
    n_test: int
    accuracy: float
    argmax_accuracy: float
    rejected: float
    per_intent: dict[str, float]
    per_lang: dict[str, float]
    confusions: list[tuple[str, str, int]]


def evaluate(
    train: Sequence[Example], test: Sequence[Example], threshold: float, model: IntentModel | None = None
) -> Report:
    """Fit on ``train`` (unless a fitted ``model`` is given) and score ``test``."""
    clf = model or IntentModel().fit(train)
    probs = clf.predict_proba([e.text for e in test])
    top = probs.argmax(axis=1)
    raw = [clf.classes[int(i)] for i in top]
    final = [UNKNOWN if probs[r, top[r]] < threshold else raw[r] for r in range(len(test))]
    gold = [e.intent for e in test]
    hits = np.array([f == g for f, g in zip(final, gold)])

    def acc_where(pred: list[bool]) -> float:
        sel = hits[np.array(pred)]
        return round(float(sel.mean()), 4) if len(sel) else float("nan")

    langs = sorted({e.lang for e in test})
    confusions = Counter((g, f) for g, f in zip(gold, final) if g != f)
    return Report(
        n_train=len(train),
        n_test=len(test),
        accuracy=round(float(hits.mean()), 4),
        argmax_accuracy=round(float(np.mean([r == g for r, g in zip(raw, gold)])), 4),
        rejected=round(float(np.mean(probs.max(axis=1) < threshold)), 4),
        per_intent={i: acc_where([g == i for g in gold]) for i in INTENTS},
        per_lang={lang: acc_where([e.lang == lang for e in test]) for lang in langs},
        confusions=[(g, f, n) for (g, f), n in confusions.most_common(8)],
    )


def holdout_report(threshold: float) -> Report:
    """The reference figure: stratified 80/20 split of the shipped data with the fixed seed."""
    train, test = stratified_split(load_examples())
    return evaluate(train, test, threshold)


def cross_validation(threshold: float, folds: int = 5) -> list[float]:
    """Accuracy of each of ``folds`` stratified random 1/folds splits (seeds 1..folds) of all the data."""
    data = load_examples()
    return [evaluate(*stratified_split(data, 1.0 / folds, seed=s), threshold).accuracy for s in range(1, folds + 1)]
