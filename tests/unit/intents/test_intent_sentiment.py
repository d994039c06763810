"""Sentiment for the handoff rule: upset is negative, a plain problem report is not."""

from __future__ import annotations

import pytest

from tridesk.core.intents import analyse, detect


@pytest.mark.parametrize(
    "text",
    ["你们服务太差了，我要投诉", "骗子公司！！", "我不是很满意", "worst service ever", "I am not happy with this",
     "this is unacceptable, you are a SCAM"],
)
def test_upset_messages_are_negative(text: str) -> None:
    assert analyse(text).label == "negative"
    assert analyse(text).score < 0


@pytest.mark.parametrize("text", ["我的订单到哪了", "快递三天了还没到", "where is my order", "how do I reset my password"])
def test_plain_requests_are_neutral(text: str) -> None:
    assert analyse(text).label == "neutral"


@pytest.mark.parametrize("text", ["服务不错，谢谢", "太好了，解决了", "thanks, that was really helpful"])
def test_thanks_are_positive(text: str) -> None:
    assert analyse(text).label == "positive"


def test_negation_flips_and_softens() -> None:
    assert analyse("满意").label == "positive"
    assert analyse("不满意").label == "negative"
    assert analyse("not bad").score > 0
    assert analyse("not good").score < 0


def test_detect_carries_the_sentiment() -> None:
    result = detect("垃圾服务，气死我了")
    assert result.sentiment == "negative" and result.sentiment_score < 0
