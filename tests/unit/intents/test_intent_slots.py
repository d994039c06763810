"""Slots: order ids, amounts, products, courses."""

from __future__ import annotations

import pytest

from tridesk.core.intents import detect
from tridesk.core.intents.slots import extract, parse_chinese_number


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("三百", 300), ("两千五", 2500), ("一万二", 12000), ("十五", 15), ("一千零五", 1005), ("三百五十", 350),
     ("二十万", 200000)],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert parse_chinese_number(numeral) == value


@pytest.mark.parametrize(
    ("text", "order_ids"),
    [
        ("订单E202405180012345我要退款", ["E202405180012345"]),
        ("my orders 202406010000123456 and e88812345678", ["202406010000123456", "E88812345678"]),
        ("单号：１２３４５６７８９０１２", ["123456789012"]),
    ],
)
def test_order_ids(text: str, order_ids: list[str]) -> None:
    slots = extract(text)
    assert slots["order_ids"] == order_ids
    assert slots["order_id"] == order_ids[0]


def test_phone_numbers_and_bank_cards_are_not_order_ids() -> None:
    assert "order_id" not in extract("我的手机号是13812345678")
    slots = extract("请转到我的卡6222021234567890123")
    assert "order_id" not in slots
    assert slots["card_last4"] == "0123"
    assert extract("card 4111111111111111 was charged")["card_last4"] == "1111"


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("退了三百元还没到账", 30000),
        ("扣了我 ¥1,299.50", 129950),
        ("给我妈转两千块钱", 200000),
        ("买了1.5万的理财", 1500000),
        ("I paid 299 yuan", 29900),
        ("refund 50 RMB please", 5000),
    ],
)
def test_amounts_in_cents_and_yuan(text: str, cents: int) -> None:
    slots = extract(text)
    assert slots["amount_cents"] == cents
    assert slots["amount"] == f"{cents // 100}.{cents % 100:02d}"


def test_numbers_without_a_currency_are_not_amounts() -> None:
    assert "amount" not in extract("我买了3件衣服，第2件有问题")


def test_products_prefer_the_tenant_catalogue() -> None:
    assert extract("我买的耳机发出来没")["product"] == "耳机"
    assert extract("稳盈180天风险等级是什么")["product"] == "稳盈180天"
    catalog = ["AirSound Pro 2", "AirSound"]
    assert extract("my airsound pro 2 won't charge", products=catalog)["product"] == "AirSound Pro 2"


@pytest.mark.parametrize(
    ("text", "course"),
    [
        ("《高中数学冲刺班》的课程大纲是什么", "高中数学冲刺班"),
        ("雅思课程多少钱", "雅思课程"),
        ("How much is the IELTS prep course?", "IELTS"),
        ("how do I enroll in the intro to programming course", "intro to programming"),
    ],
)
def test_courses(text: str, course: str) -> None:
    assert extract(text)["course"] == course


def test_detect_returns_the_slots() -> None:
    result = detect("订单E202405180012345退款三百元还没到")
    assert result.slots["order_id"] == "E202405180012345"
    assert result.slots["amount_cents"] == 30000
