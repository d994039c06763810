"""Slot extraction: order ids, amounts in yuan, products and courses, in Chinese and English.

Order id formats: the OMS's, an upper-case prefix of 1-4 letters and 8-20 digits
(``ECD20261111002``, ``E202405180012345``, ``JD20261111123456``; a lower-case ``e``, or any
prefix after 订单/order, is read in upper case), or a bare run of 12-20 digits. An 11-digit mobile number is never an order id (nor
``TEL``/``QQ``/``WX``/``VX`` + digits); neither is a 16-19 digit Luhn-valid bank card number
(UnionPay/Visa/Mastercard prefixes), of which only the last four digits are kept (``card_last4``).

Tracking (waybill) numbers look alike (``SF1400270151928``) but the OMS does not know them, so
they are never order ids: a token whose prefix is a carrier's (SF, YT, YTO, ZTO, STO, YD, JT,
EMS, DPK, DBL, ZJS, HTKY, JDX, JDV, JDVA...) or that follows 快递单号/运单号/物流单号/tracking
number/waybill is a ``tracking_number``; 订单号/order before a carrier-looking token makes it an
order id again. UPU numbers (``EA102938475CN``) end in letters and match neither. Amounts need a currency cue (元/块/¥/RMB/CNY/yuan) or 万/k;
Chinese numerals (三百, 两千五, 一万二, 1.5万) are read. Products and courses come from the
tenant's catalogue when given, else from small built-in vocabularies and quoted titles (《…》).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_CN_NUM = "零〇一二两三四五六七八九十百千万亿"

_ORDER_E_RE = re.compile(r"(?<![A-Za-z0-9])(?P<prefix>[A-Za-z]{1,4})(?P<digits>\d{8,20})(?![A-Za-z0-9])")
#: waybill prefixes of the carriers customers quote; JD orders are "JD" + digits, JD waybills "JDX"/"JDV.."
CARRIER_PREFIXES = frozenset(
    {"SF", "YT", "YTO", "ZTO", "STO", "YD", "YUND", "JT", "JTSD", "EMS", "DPK", "DBL", "ZJS", "HTKY", "BEST",
     "JDX", "JDV", "JDVA", "JDVB", "JDVC", "JDAZ", "JDK", "UC", "TT", "KYE"}
)
_NOT_ORDER_PREFIXES = frozenset({"TEL", "QQ", "WX", "VX"})
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_TRACKING_CUE_RE = re.compile(
    r"(快递单号|运单号|物流单号|快递号|运单|waybill|tracking(?:\s*(?:number|no\.?|#))?)\W{0,3}$", re.IGNORECASE
)
_ORDER_CUE_RE = re.compile(r"(订单号|订单|order(?:\s*(?:number|no\.?|id|#))?)\W{0,3}$", re.IGNORECASE)
_DIGIT_RUN_RE = re.compile(r"(?<![A-Za-z0-9])(\d{12,20})(?!\d)")
_CARD_CUE_RE = re.compile(r"(卡号|卡|账号|帐号|账户|card|account)\D{0,6}$", re.IGNORECASE)

_NUM = rf"(?:\d[\d,]*(?:\.\d+)?|[{_CN_NUM}]+)"
_AMOUNT_RE = re.compile(
    rf"(?:(?:¥|RMB|CNY)\s*(?P<pre>\d[\d,]*(?:\.\d+)?)\s*(?P<pre_mult>[万千kK]?))"
    rf"|(?:(?P<num>{_NUM})\s*(?P<mult>[万千kK]?)\s*(?P<unit>元|块钱|块|圆|yuan|rmb|cny)(?![a-z]))"
    rf"|(?:(?P<wan>\d+(?:\.\d+)?)\s*(?P<wan_mult>万))",
    re.IGNORECASE,
)
_MULT = {"": 1, "万": 10_000, "千": 1000, "k": 1000, "K": 1000}

DEFAULT_PRODUCTS: tuple[str, ...] = (
    "手机", "耳机", "连衣裙", "衬衫", "鞋子", "鞋", "电脑", "笔记本电脑", "平板", "手表", "电视", "冰箱", "洗衣机",
    "空调", "口红", "面膜", "生鲜", "衣服", "外套", "裤子", "背包",
    "phone", "headphones", "earbuds", "dress", "shirt", "shoes", "laptop", "tablet", "watch", "tv",
    "fridge", "jacket", "backpack",
    "理财产品", "基金", "货币基金", "债券基金", "大额存单", "定期理财", "稳盈180天",
    "money market fund", "bond fund", "wealth product",
)
_PRODUCT_NAME_RE = re.compile(r"[\u4e00-\u9fff]{2,6}\d{1,4}天")

_SUBJECTS = (
    "数学", "英语", "语文", "物理", "化学", "生物", "编程", "少儿编程", "口语", "雅思", "托福", "考研英语", "钢琴",
    "数据分析", "机器学习", "Python", "Java", "IELTS", "TOEFL", "GRE", "GMAT",
)
_ZH_COURSE_RE = re.compile(
    r"((?:小学|初中|高中|大学|少儿|成人)?(?:" + "|".join(map(re.escape, _SUBJECTS)) + r")"
    r"(?:的)?[\u4e00-\u9fffA-Za-z]{0,6}?(?:课程|课|班))",
    re.IGNORECASE,
)
_EN_COURSE_RE = re.compile(
    r"\b((?:[A-Za-z][\w+\-]*\s+){0,3}?[A-Za-z][\w+\-]*)\s+(?:prep\s+)?(?:course|class|classes|tutoring)\b",
    re.IGNORECASE,
)
_EN_COURSE_STOP = {
    "the", "a", "an", "this", "that", "my", "your", "which", "what", "any", "is", "in", "for", "of", "much",
    "how", "do", "does", "you", "have", "offer", "next", "free", "trial", "weekend", "online", "offline",
    "summer", "whole", "each", "one", "or", "about", "take", "join", "enroll", "book",
}
_QUOTED_RE = re.compile(r"《([^》]{1,40})》")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _looks_like_card(digits: str, before: str) -> bool:
    if _CARD_CUE_RE.search(before):
        return True
    return 16 <= len(digits) <= 19 and digits[0] in "456" and _luhn_ok(digits)


def _lettered_id(prefix: str, digits: str, before: str) -> tuple[str, str] | None:
    """``("order", id)``, ``("tracking", number)`` or None for a letters+digits token (see the module doc)."""
    token = prefix.upper() + digits
    if prefix.upper() in _NOT_ORDER_PREFIXES or _MOBILE_RE.match(digits):
        return None
    if not prefix.isupper() and prefix != "e" and not _ORDER_CUE_RE.search(before):
        return None  # "abc12345678" is anything; typed in lower case it needs 订单/order before it
    if _TRACKING_CUE_RE.search(before):
        return "tracking", token
    if prefix.upper() in CARRIER_PREFIXES and not _ORDER_CUE_RE.search(before):
        return "tracking", token
    return "order", token


def identifiers(text: str) -> tuple[list[str], list[str], str | None]:
    """Order ids and tracking numbers in order of appearance, and a bank card's last four digits."""
    found: list[tuple[int, str]] = []
    waybills: list[tuple[int, str]] = []
    card: str | None = None
    for m in _ORDER_E_RE.finditer(text):
        kind = _lettered_id(m.group("prefix"), m.group("digits"), text[max(0, m.start() - 24) : m.start()])
        if kind is not None:
            (found if kind[0] == "order" else waybills).append((m.start(), kind[1]))
    for m in _DIGIT_RUN_RE.finditer(text):
        digits = m.group(1)
        before = text[max(0, m.start() - 24) : m.start()]
        if _looks_like_card(digits, before[-12:]):
            card = digits[-4:]
            continue
        if _TRACKING_CUE_RE.search(before):
            waybills.append((m.start(), digits))
            continue
        found.append((m.start(), digits))
    return _unique(found), _unique(waybills), card


def _unique(found: list[tuple[int, str]]) -> list[str]:
    seen: dict[str, None] = {}
    for _, value in sorted(found):
        seen.setdefault(value, None)
    return list(seen)


def order_ids(text: str) -> tuple[list[str], str | None]:
    """Order ids in order of appearance, and the last four digits of a bank card if one was seen."""
    ids, _, card = identifiers(text)
    return ids, card


def parse_chinese_number(text: str) -> Decimal:
    """Read a Chinese numeral: 三百 -> 300, 两千五 -> 2500, 一万二 -> 12000, 十五 -> 15."""
    if not text or any(ch not in _CN_NUM for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    total = 0
    section = 0
    number = 0
    last_unit = 1
    for ch in text:
        if ch in _CN_DIGITS:
            number = _CN_DIGITS[ch]
            last_unit = 1 if last_unit == 1 else last_unit
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            section += (number or 1) * unit
            number = 0
            last_unit = unit
        else:
            big = _CN_BIG[ch]
            total += (section + number) * big
            section = number = 0
            last_unit = big
    if number and last_unit >= 100 and text[-1] in _CN_DIGITS and text[-2:-1] and text[-2] not in "零〇":
        number *= last_unit // 10
    return Decimal(total + section + number)


def _to_decimal(raw: str) -> Decimal:
    raw = raw.replace(",", "")
    if raw and raw[0] in _CN_NUM:
        return parse_chinese_number(raw)
    return Decimal(raw)


def amounts(text: str) -> list[int]:
    """Amounts in integer cents (fen), in order of appearance."""
    out: list[int] = []
    for m in _AMOUNT_RE.finditer(text):
        if m.group("pre"):
            raw, mult = m.group("pre"), m.group("pre_mult")
        elif m.group("num"):
            raw, mult = m.group("num"), m.group("mult")
        else:
            raw, mult = m.group("wan"), m.group("wan_mult")
        try:
            value = _to_decimal(raw) * _MULT[mult or ""]
        except (ValueError, InvalidOperation, KeyError):
            continue
        cents = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if cents > 0:
            out.append(cents)
    return out


def _catalog_match(text: str, names: Iterable[str]) -> str | None:
    low = text.lower()
    best: tuple[int, int, str] | None = None
    for name in names:
        if not name:
            continue
        name_low = name.lower()
        if name_low.isascii():
            m = re.search(rf"\b{re.escape(name_low)}\b", low)
            pos = m.start() if m else -1
        else:
            pos = low.find(name_low)
            while pos >= 0 and low[pos + len(name_low) : pos + len(name_low) + 1] == "号":
                pos = low.find(name_low, pos + 1)
        if pos >= 0 and (best is None or (-len(name), pos) < (best[0], best[1])):
            best = (-len(name), pos, name)
    return best[2] if best else None


def product(text: str, catalog: Iterable[str] | None = None) -> str | None:
    """The product mentioned: the longest catalogue name found, else a generic product word."""
    if catalog is not None:
        hit = _catalog_match(text, catalog)
        if hit:
            return hit
    m = _PRODUCT_NAME_RE.search(text)
    if m:
        return m.group(0)
    return _catalog_match(text, DEFAULT_PRODUCTS)


def course(text: str, catalog: Iterable[str] | None = None) -> str | None:
    """The course mentioned: a catalogue name, a 《title》, or a subject + 课/course phrase."""
    if catalog is not None:
        hit = _catalog_match(text, catalog)
        if hit:
            return hit
    m = _QUOTED_RE.search(text)
    if m:
        return m.group(1).strip()
    m = _ZH_COURSE_RE.search(text)
    if m:
        return m.group(1).replace("的", "")
    m = _EN_COURSE_RE.search(text)
    if m:
        words: list[str] = []
        for word in reversed(m.group(1).split()):
            if word.lower() in _EN_COURSE_STOP:
                break
            words.insert(0, word)
        if words:
            return " ".join(words)
    return None


def extract(
    text: str,
    *,
    products: Iterable[str] | None = None,
    courses: Iterable[str] | None = None,
) -> dict[str, Any]:
    """All slots found in ``text``; keys are present only when a value was found.

    ``order_id`` (first), ``order_ids`` (all), ``tracking_number`` (a waybill, first), ``amount`` ("300.00" yuan), ``amount_cents``,
    ``card_last4``, ``product``, ``course``.
    """
    norm = unicodedata.normalize("NFKC", text)
    slots: dict[str, Any] = {}
    ids, waybills, card = identifiers(norm)
    if ids:
        slots["order_id"] = ids[0]
        slots["order_ids"] = ids
    if waybills:
        slots["tracking_number"] = waybills[0]
    if card:
        slots["card_last4"] = card
    money = amounts(norm)
    if money:
        slots["amount_cents"] = money[0]
        slots["amount"] = f"{money[0] // 100}.{money[0] % 100:02d}"
    found_course = course(norm, courses)
    if found_course:
        slots["course"] = found_course
    found_product = product(norm, products)
    if found_product and found_product != found_course:
        slots["product"] = found_product
    return slots
