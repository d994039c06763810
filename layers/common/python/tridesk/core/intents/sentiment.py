"""Bilingual lexicon sentiment with negation and intensifiers, tuned for the handoff rule.

"negative" is meant as *upset*: a plain report of a problem ("还没到", "it's late") stays
neutral; anger, insults, threats to complain and repeated "!!"/"？？" make it negative.
A negator just before a word flips it ("不满意", "not happy"); "not bad" becomes mildly positive.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

SentimentLabel = Literal["negative", "neutral", "positive"]

_ZH_WORDS: dict[str, float] = {
    "垃圾": -2, "骗子": -2.5, "诈骗": -2, "欺骗": -2, "坑人": -2, "太坑": -2, "坑": -1, "气死": -2.5, "生气": -2,
    "愤怒": -2.5, "失望": -1.5, "不满": -1.5, "不满意": -1.5, "投诉": -1.5, "投素": -1.5, "举报": -2, "曝光": -2,
    "差评": -2, "恶劣": -2, "敷衍": -1.5, "过分": -1.5, "太差": -2, "很差": -1.5, "差劲": -2, "破东西": -2,
    "烂": -1.5, "恶心": -2, "离谱": -1.5, "无语": -1.5, "受够": -2.5, "忍无可忍": -3, "糟糕": -1.5, "难用": -1,
    "烦": -1, "急死": -1.5, "慢死": -1.5, "滚": -2.5, "废物": -2.5, "傻": -2, "骚扰": -1.5, "赔偿": -1,
    "什么破": -2, "搞什么": -1.5, "不靠谱": -1.5, "不好": -1, "讨厌": -1.5, "倒霉": -1, "闹心": -1.5,
    "谢谢": 1, "感谢": 1.5, "谢啦": 1, "满意": 1.5, "不错": 1, "很好": 1.5, "太好了": 2, "好评": 2, "棒": 1.5,
    "赞": 1.5, "给力": 1.5, "完美": 2, "开心": 1.5, "喜欢": 1, "辛苦了": 1, "解决了": 1, "靠谱": 1,
}
_EN_WORDS: dict[str, float] = {
    "terrible": -2, "awful": -2, "worst": -2.5, "horrible": -2, "rude": -1.5, "scam": -2.5, "scamming": -2.5,
    "fraud": -2.5, "garbage": -2, "trash": -2, "sucks": -2, "suck": -2, "ridiculous": -1.5, "unacceptable": -2,
    "angry": -2, "furious": -2.5, "disappointed": -1.5, "disappointing": -1.5, "unhappy": -1.5, "useless": -2,
    "hate": -2, "annoyed": -1.5, "annoying": -1.5, "frustrated": -1.5, "frustrating": -1.5, "rip-off": -2,
    "outrageous": -2, "complain": -1.5, "complaint": -1.5, "incompetent": -2, "pathetic": -2, "fed": -1,
    "disgusting": -2, "liars": -2.5, "harassing": -1.5, "awful service": -2, "never again": -2,
    "thanks": 1, "thank": 1, "thx": 1, "great": 1.5, "good": 1, "excellent": 2, "love": 1.5, "perfect": 2,
    "awesome": 2, "happy": 1.5, "helpful": 1.5, "appreciate": 1.5, "nice": 1, "resolved": 1, "amazing": 2,
    "bad": -1, "poor": -1,
}
_ZH_NEGATORS = ("不", "没", "没有", "别", "并不", "毫不", "不是", "一点也不")
_EN_NEGATORS = {"not", "no", "never", "don't", "didn't", "isn't", "wasn't", "aren't", "won't", "hardly", "nothing"}
_ZH_INTENSIFIERS = ("太", "非常", "特别", "超", "真的", "好", "极其", "十分", "超级", "很")
_EN_INTENSIFIERS = {"very", "so", "really", "extremely", "totally", "completely", "absolutely", "super", "such"}

_ZH_KEYS = sorted(_ZH_WORDS, key=len, reverse=True)
_EN_WORD_RE = re.compile(r"[a-z]+(?:['\-][a-z]+)*")
_BANG_RE = re.compile(r"[!?]{2,}")

NEGATIVE_AT = -1.0
POSITIVE_AT = 1.0


@dataclass(frozen=True, slots=True)
class Sentiment:
    """``label`` for rules, ``score`` in (-1, 1) for ranking (tanh of the raw lexicon sum)."""

    label: SentimentLabel
    score: float


def _zh_score(text: str) -> float:
    total = 0.0
    i = 0
    while i < len(text):
        word = next((k for k in _ZH_KEYS if text.startswith(k, i)), None)
        if word is None:
            i += 1
            continue
        weight = _ZH_WORDS[word]
        before = text[max(0, i - 6) : i]
        bare = before
        for amp in _ZH_INTENSIFIERS:
            if bare.endswith(amp):
                bare = bare[: -len(amp)]
                break
        if not word.startswith(("不", "没")) and any(bare.endswith(n) for n in _ZH_NEGATORS):
            weight = -weight * (0.5 if weight < 0 else 1.0)
        elif any(before.endswith(n) for n in _ZH_INTENSIFIERS):
            weight *= 1.5
        total += weight
        i += len(word)
    return total


def _en_score(text: str) -> float:
    words = _EN_WORD_RE.findall(text.lower())
    total = 0.0
    for i, word in enumerate(words):
        weight = _EN_WORDS.get(word)
        if weight is None:
            continue
        window = words[max(0, i - 3) : i]
        if any(w in _EN_NEGATORS or w.endswith("n't") for w in window):
            weight = -weight * (0.5 if weight < 0 else 1.0)
        elif window and window[-1] in _EN_INTENSIFIERS:
            weight *= 1.5
        total += weight
    for phrase in ("never again", "awful service", "fed up"):
        if phrase in text.lower():
            total -= 1.0
    shouted = [w for w in re.findall(r"\b[A-Z]{4,}\b", text)]
    if shouted and total < 0:
        total -= 0.5 * len(shouted)
    return total


def analyse(text: str) -> Sentiment:
    """Sentiment of one customer message, whatever its language (both lexicons are applied)."""
    norm = unicodedata.normalize("NFKC", text)
    raw = _zh_score(norm) + _en_score(norm)
    if _BANG_RE.search(norm) and raw < 0:
        raw -= 1.0
    label: SentimentLabel = "negative" if raw <= NEGATIVE_AT else "positive" if raw >= POSITIVE_AT else "neutral"
    return Sentiment(label=label, score=round(math.tanh(raw / 2.0), 4))
