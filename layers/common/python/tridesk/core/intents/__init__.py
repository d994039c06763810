"""Intent detection for Chinese and English customer messages.

``detect(text)`` returns the intent (one of :data:`INTENTS`), its probability under a
multinomial logistic regression trained on ``data/intents.jsonl`` (see :mod:`.model` for why
it trains at first use), the slots found (:mod:`.slots`) and the sentiment (:mod:`.sentiment`).
Below :data:`CONFIDENCE_THRESHOLD` the intent is ``unknown``: asking again or handing over
costs less than confidently doing the wrong thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tridesk.core.errors import ValidationError
from tridesk.core.intents import slots as _slots
from tridesk.core.intents.features import detect_lang
from tridesk.core.intents.labels import INTENT_LABELS, INTENTS, UNKNOWN, intent_label
from tridesk.core.intents.model import IntentModel, default_model, warm_up
from tridesk.core.intents.sentiment import Sentiment, SentimentLabel, analyse

CONFIDENCE_THRESHOLD = 0.2
MAX_TEXT_CHARS = 2000

__all__ = [
    "CONFIDENCE_THRESHOLD",
    "INTENTS",
    "INTENT_LABELS",
    "UNKNOWN",
    "Intent",
    "Sentiment",
    "SentimentLabel",
    "analyse",
    "detect",
    "detect_lang",
    "intent_label",
    "warm_up",
]


@dataclass(frozen=True, slots=True)
class Intent:
    """What the customer wants, how sure the model is, and what they mentioned.

    ``confidence`` is the model's probability of its best intent (also when that was below
    the threshold and ``name`` fell back to ``unknown``; ``candidates`` then shows it).
    """

    name: str
    confidence: float
    slots: dict[str, Any]
    sentiment: SentimentLabel
    sentiment_score: float = 0.0
    lang: str = "zh"
    candidates: tuple[tuple[str, float], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "confidence": self.confidence,
            "slots": dict(self.slots),
            "sentiment": self.sentiment,
            "sentiment_score": self.sentiment_score,
            "lang": self.lang,
            "candidates": [{"intent": n, "p": p} for n, p in self.candidates],
        }


def detect(
    text: str,
    lang: str | None = None,
    *,
    products: Iterable[str] | None = None,
    courses: Iterable[str] | None = None,
    threshold: float = CONFIDENCE_THRESHOLD,
    model: IntentModel | None = None,
) -> Intent:
    """Classify one customer message and extract its slots and sentiment.

    ``lang`` ("zh"/"en") is detected when not given; ``products``/``courses`` are the tenant's
    catalogue names, preferred over the built-in vocabularies. Raises ``ValidationError``
    (field "text") for an empty or over-long text.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValidationError("text must be a non-empty string", field="text")
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(f"text is longer than {MAX_TEXT_CHARS} characters", field="text")
    resolved_lang = ("en" if lang.lower().startswith("en") else "zh") if lang else detect_lang(text)
    clf = model or default_model()
    probs = clf.predict_proba([text])[0]
    order = probs.argsort()[::-1]
    best = clf.classes[int(order[0])]
    confidence = round(float(probs[order[0]]), 4)
    name = best if confidence >= threshold else UNKNOWN
    mood = analyse(text)
    return Intent(
        name=name,
        confidence=confidence,
        slots=_slots.extract(text, products=products, courses=courses),
        sentiment=mood.label,
        sentiment_score=mood.score,
        lang=resolved_lang,
        candidates=tuple((clf.classes[int(i)], round(float(probs[i]), 4)) for i in order[:3]),
    )
