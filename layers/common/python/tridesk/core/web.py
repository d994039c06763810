"""HTTP helpers shared by the API, free of any web framework.

Parsing of request bodies and the one mapping from errors to the contract's error body
``{"error": {"code", "message", "field"}}`` live here, so every route behaves alike.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tridesk.core.errors import UnsupportedMediaTypeError, ValidationError

MAX_BODY_BYTES = 1_000_000

# Chalice's own error names (raised before a view runs) mapped to the contract's codes.
_FRAMEWORK_CODES = {
    "BadRequestError": "invalid_request",
    "BadRequest": "invalid_request",
    "UnauthorizedError": "unauthorized",
    "ForbiddenError": "forbidden",
    "NotFoundError": "not_found",
    "MethodNotAllowedError": "method_not_allowed",
    "ConflictError": "conflict",
    "UnprocessableEntityError": "invalid_request",
    "TooManyRequestsError": "too_many_requests",
    "UnsupportedMediaType": "unsupported_media_type",
    "RequestTimeoutError": "request_timeout",
    "InternalServerError": "internal_error",
}


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


def error_from_framework(status: int, body: Any) -> dict[str, Any] | None:
    """Rewrite a framework's native error body (``{"Code", "Message"}``) into the contract's."""
    if isinstance(body, (bytes, str)):
        try:
            body = json.loads(body)
        except ValueError:
            return None
    if not isinstance(body, Mapping) or "error" in body:
        return None
    name = body.get("Code")
    message = body.get("Message") or body.get("message")
    if name is None and message is None:
        return None
    code = _FRAMEWORK_CODES.get(str(name), "internal_error" if status >= 500 else "invalid_request")
    if status >= 500:
        message = "internal error"
    return error_body(code, str(message or code))


def parse_json_object(raw: bytes | str | None, content_type: str | None) -> dict[str, Any]:
    """Parse a request body that must be a JSON object; raise a 4xx error otherwise."""
    if content_type and "json" not in content_type.split(";")[0].lower():
        raise UnsupportedMediaTypeError(f"content type {content_type} is not accepted; send application/json")
    if raw is None or (isinstance(raw, (bytes, str)) and not raw.strip()):
        raise ValidationError("a JSON object body is required", field="body")
    if len(raw) > MAX_BODY_BYTES:
        raise ValidationError("the body is larger than 1 MB", field="body")
    try:
        value = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError(f"the body is not valid JSON: {exc}", field="body") from None
    if not isinstance(value, dict):
        raise ValidationError("the body must be a JSON object", field="body")
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
