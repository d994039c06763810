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


@pytest.mark.parametrize(
    ("text", "order_ids"),
    [
        ("我的快递怎么还没到 ECD20261111002", ["ECD20261111002"]),
        ("where is my order ECD20261111002?", ["ECD20261111002"]),
        ("订单ECD20261111002和ECL00000001都没到", ["ECD20261111002", "ECL00000001"]),
        ("JD20261111123456 还没发货", ["JD20261111123456"]),
        ("order ecd20261111002 is late", ["ECD20261111002"]),
        ("订单号：ecd20261111002", ["ECD20261111002"]),
        ("订单号SF20261111002", ["SF20261111002"]),  # the customer says it is an order id
    ],
)
def test_oms_order_ids_letters_and_digits(text: str, order_ids: list[str]) -> None:
    slots = extract(text)
    assert slots["order_ids"] == order_ids
    assert "tracking_number" not in slots


@pytest.mark.parametrize(
    ("text", "waybill"),
    [
        ("SF1400270151928 到哪了", "SF1400270151928"),
        ("my parcel YT8823410097312 is stuck", "YT8823410097312"),
        ("ZTO78120345561怎么不动了", "ZTO78120345561"),
        ("JDX019283746501", "JDX019283746501"),
        ("运单号 773012345678901", "773012345678901"),
        ("tracking number: 432109876543210", "432109876543210"),
    ],
)
def test_tracking_numbers_are_not_order_ids(text: str, waybill: str) -> None:
    slots = extract(text)
    assert "order_id" not in slots
    assert slots["tracking_number"] == waybill


def test_an_order_and_a_waybill_in_one_message() -> None:
    slots = extract("订单ECD20261111001的快递SF1400270151928显示已签收但我没收到")
    assert slots["order_ids"] == ["ECD20261111001"]
    assert slots["tracking_number"] == "SF1400270151928"


@pytest.mark.parametrize(
    "text",
    ["ecd20261111002", "abc12345678", "TEL13800138000", "my qq12345678901", "wx13912345678", "EA102938475CN",
     "iPhone15 and GB2312", "ISO9001 certified"],
)
def test_lettered_tokens_that_are_not_order_ids(text: str) -> None:
    slots = extract(text)
    assert "order_id" not in slots and "tracking_number" not in slots


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
