"""Public entry points: load a ruleset (bundled or from stored pack texts) and scan a request payload."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from tridesk.core.errors import ValidationError
from tridesk.core.i18n import Lang

from .packs import PackLibrary
from .scanner import Ruleset

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
MAX_TEXT_CHARS = 5000
MAX_QUESTION_CHARS = 2000
DEFAULT_REGION = "CN"
_LANG_RE = re.compile(r"^(zh|en)([-_][A-Za-z0-9]+)*$", re.IGNORECASE)
_REGION_RE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")


@lru_cache(maxsize=1)
def bundled_texts() -> dict[str, str]:
    """``{file name: YAML text}`` of the packs shipped in the layer (the base an uploaded version overlays)."""
    return {f.name: f.read_text(encoding="utf-8") for f in sorted(RULES_DIR.glob("*.yaml"))}


@lru_cache(maxsize=1)
def bundled_library() -> PackLibrary:
    """The packs shipped in the layer (``tridesk/finance/rules``), parsed and checked once."""
    return PackLibrary.from_texts(bundled_texts())


@lru_cache(maxsize=256)
def load_ruleset(business_line: str, region: str = DEFAULT_REGION, version: str | None = None) -> Ruleset:
    """The compiled bundled ruleset for a business line and region (cached); ``version`` pins an old one."""
    return Ruleset.compile(bundled_library().resolve(business_line, region, version))


def build_ruleset(pack_texts: Mapping[str, str], business_line: str, region: str = DEFAULT_REGION) -> Ruleset:
    """Compile a ruleset from ``{file name: YAML text}``, e.g. a candidate version stored in S3 or DynamoDB.

    Raises RulePackError (a ValidationError naming the file and line) when a pack is malformed.
    """
    return Ruleset.compile(PackLibrary.from_texts(pack_texts).resolve(business_line, region))


@lru_cache(maxsize=1)
def business_lines() -> frozenset[str]:
    """The bundled packs' business lines (asked on every model prediction, so read once)."""
    return bundled_library().business_lines


def scan(payload: Mapping[str, Any], ruleset: Ruleset | None = None) -> dict[str, Any]:
    """Validate a ``POST /v1/compliance/scan`` body, scan its text and return the response body.

    With ``ruleset`` given (an activated stored version), its business line and region are used and
    the payload's are only checked for consistency.
    """
    if not isinstance(payload, Mapping):
        raise ValidationError("the request body must be a JSON object", field=None)
    text = payload.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValidationError("text is required and must be a non-empty string", field="text")
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(f"text is longer than {MAX_TEXT_CHARS} characters", field="text")
    lang = _lang(payload.get("lang"))
    question = payload.get("question")
    if question is not None and (not isinstance(question, str) or len(question) > MAX_QUESTION_CHARS):
        raise ValidationError(
            f"question must be a string of at most {MAX_QUESTION_CHARS} characters", field="question"
        )
    line = payload.get("business_line")
    if not isinstance(line, str) or not line:
        raise ValidationError("business_line is required", field="business_line")
    region = payload.get("region") or DEFAULT_REGION
    if not isinstance(region, str) or not _REGION_RE.match(region):
        raise ValidationError("region must look like CN or CN-SH", field="region")
    if ruleset is None:
        if line not in business_lines():
            raise ValidationError(
                f"unknown business_line {line!r} (one of {', '.join(sorted(business_lines()))})",
                field="business_line",
            )
        ruleset = load_ruleset(line, region)
    elif line != ruleset.business_line:
        raise ValidationError(
            f"business_line {line!r} does not match the ruleset's {ruleset.business_line!r}", field="business_line"
        )
    return ruleset.scan(text, lang, question or None).to_dict()


def _lang(value: object) -> Lang:
    if value is None:
        return "zh"
    if not isinstance(value, str) or not _LANG_RE.match(value):
        raise ValidationError("lang must be 'zh' or 'en'", field="lang")
    return "en" if value[:2].lower() == "en" else "zh"
