"""Multinomial logistic regression over the shared features, in numpy.

Why train at first use instead of shipping weights: the labelled file is the single source of
truth (no binary artefact that can drift from it), training is deterministic (zero start,
full-batch Adam, no sampling) and takes well under a second on the ~600 shipped utterances,
and the result is cached for the life of the process (one Lambda container). A handler may
call :func:`warm_up` during its init phase so that the first customer does not wait for it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from tridesk.core.errors import ValidationError
from tridesk.core.intents.features import Vectorizer
from tridesk.core.intents.labels import INTENTS

DATA_FILE = "intents.jsonl"
SPLIT_SEED = 20240518
TEST_FRACTION = 0.2


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled utterance of the training file."""

    text: str
    intent: str
    lang: str


def load_examples(path: str | None = None) -> list[Example]:
    """The labelled utterances: the file shipped in the package, or ``path``."""
    if path is None:
        raw = resources.files("tridesk.core.intents").joinpath("data").joinpath(DATA_FILE).read_text("utf-8")
    else:
        with open(path, encoding="utf-8") as fh:
            raw = fh.read()
    examples: list[Example] = []
    for lineno, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("intent") not in INTENTS or not str(row.get("text", "")).strip():
            raise ValidationError(f"bad training row at line {lineno}", field=f"{DATA_FILE}[{lineno}]")
        examples.append(Example(text=row["text"], intent=row["intent"], lang=row.get("lang", "")))
    return examples


def stratified_split(
    examples: Sequence[Example], test_fraction: float = TEST_FRACTION, seed: int = SPLIT_SEED
) -> tuple[list[Example], list[Example]]:
    """Per-intent shuffled split with a fixed seed: the same held-out set on every machine."""
    rng = np.random.default_rng(seed)
    train: list[Example] = []
    test: list[Example] = []
    for intent in INTENTS:
        group = [e for e in examples if e.intent == intent]
        order = rng.permutation(len(group))
        n_test = int(round(len(group) * test_fraction))
        test.extend(group[i] for i in order[:n_test])
        train.extend(group[i] for i in order[n_test:])
    return train, test


class IntentModel:
    """Vectoriser plus softmax weights; ``predict_proba`` returns one row of probabilities per text."""

    def __init__(self, l2: float = 1e-4, epochs: int = 100, learning_rate: float = 0.5) -> None:
        self.l2 = l2
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.classes: tuple[str, ...] = INTENTS
        self.vectorizer = Vectorizer()
        self.weights = np.zeros((0, len(INTENTS)), dtype=np.float32)
        self.bias = np.zeros(len(INTENTS), dtype=np.float32)

    def fit(self, examples: Sequence[Example]) -> IntentModel:
        """Minimise class-balanced cross-entropy + L2 with full-batch Adam from zero weights."""
        texts = [e.text for e in examples]
        index = {c: i for i, c in enumerate(self.classes)}
        y = np.array([index[e.intent] for e in examples])
        x = self.vectorizer.fit(texts).transform(texts)
        n, d = x.shape[0], x.shape[1]
        k = len(self.classes)
        onehot = np.zeros((n, k), dtype=np.float32)
        onehot[np.arange(n), y] = 1.0
        counts = np.bincount(y, minlength=k).astype(np.float32)
        sample_w = (n / (k * np.maximum(counts, 1.0)))[y][:, None] / n

        w = np.zeros((d, k), dtype=np.float32)
        b = np.zeros(k, dtype=np.float32)
        mw, vw = np.zeros_like(w), np.zeros_like(w)
        mb, vb = np.zeros_like(b), np.zeros_like(b)
        beta1, beta2, eps = 0.9, 0.999, 1e-8
        for t in range(1, self.epochs + 1):
            p = _softmax(x @ w + b)
            err = (p - onehot) * sample_w
            gw = x.rmatmul(err) + self.l2 * w
            gb = err.sum(axis=0)
            mw = beta1 * mw + (1 - beta1) * gw
            vw = beta2 * vw + (1 - beta2) * gw * gw
            mb = beta1 * mb + (1 - beta1) * gb
            vb = beta2 * vb + (1 - beta2) * gb * gb
            step = self.learning_rate * np.sqrt(1 - beta2**t) / (1 - beta1**t)
            w -= step * mw / (np.sqrt(vw) + eps)
            b -= step * mb / (np.sqrt(vb) + eps)
        self.weights, self.bias = w, b
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return _softmax(self.vectorizer.transform(texts) @ self.weights + self.bias)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@lru_cache(maxsize=1)
def default_model() -> IntentModel:
    """The model trained on every shipped utterance, built once per process."""
    return IntentModel().fit(load_examples())


def warm_up() -> None:
    """Train the default model now (call it from a Lambda's init phase)."""
    default_model()
