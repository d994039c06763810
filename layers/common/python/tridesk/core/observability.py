"""Logger, Tracer and Metrics shared by every function, configured by POWERTOOLS_* variables.

Creating them touches no AWS service: the Tracer only records inside Lambda (or when
POWERTOOLS_TRACE_DISABLED is false) and Metrics are written as EMF to stdout.
"""

from __future__ import annotations

import re
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger(log_uncaught_exceptions=True)
tracer = Tracer()
metrics = Metrics()

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_CARD_OR_ID = re.compile(r"(?<![\dA-Za-z])(\d{4})\d{7,12}([\dXx]{4})(?![\dA-Za-z])")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+)")


def mask_pii(text: str) -> str:
    """Mask phone numbers, card/ID numbers and e-mail addresses before a text is logged."""
    text = _CARD_OR_ID.sub(r"\1********\2", text)
    text = _PHONE.sub(r"\1****\2", text)
    return _EMAIL.sub(r"\1***\2", text)


def set_correlation_id(value: str | None) -> None:
    """Tag every following log line of this invocation with ``value``."""
    logger.set_correlation_id(value)


def log_extra(**values: Any) -> dict[str, Any]:
    """Masked ``extra=`` for a structured log line."""
    return {k: mask_pii(v) if isinstance(v, str) else v for k, v in values.items()}
