"""Bilingual texts: every text a customer reads exists in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lang = Literal["zh", "en"]
DEFAULT_LANG: Lang = "zh"


@dataclass(frozen=True, slots=True)
class BiText:
    """One customer-facing text in both languages; ``format`` fills both alike."""

    zh: str
    en: str

    def get(self, lang: str | None) -> str:
        return self.en if lang == "en" else self.zh

    def format(self, **values: object) -> BiText:
        return BiText(self.zh.format(**values), self.en.format(**values))


def parse_lang(value: object, default: Lang = DEFAULT_LANG) -> Lang:
    """Normalise a language tag ("en", "en-US", "zh-CN", None) to "zh" or "en"."""
    if not isinstance(value, str) or not value:
        return default
    return "en" if value.lower().startswith("en") else "zh"
