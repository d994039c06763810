"""Domain errors, told apart by type and mapped once to HTTP status codes.

Domain code raises these; the API maps them to ``{"error": {"code", "message", "field"}}``
with the status below, and Step Functions tasks let them surface as named errors
(the exception class name is the ``Error`` that ``Retry``/``Catch`` match).
"""

from __future__ import annotations

from typing import Any


class TriDeskError(Exception):
    """Base of every error a client may see. ``status`` is the HTTP status it maps to."""

    status: int = 400
    code: str = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    def to_body(self) -> dict[str, Any]:
        """The error body of the API contract."""
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


class ValidationError(TriDeskError):
    """The request is malformed or breaks a rule of the contract (400)."""

    status = 400
    code = "invalid_request"


class UnauthorizedError(TriDeskError):
    """The caller is not authenticated (401)."""

    status = 401
    code = "unauthorized"


class ForbiddenError(TriDeskError):
    """The caller may not do this, e.g. an unknown tenant (403)."""

    status = 403
    code = "forbidden"


class NotFoundError(TriDeskError):
    """The thing asked for does not exist, or is not the caller's to see (404)."""

    status = 404
    code = "not_found"


class ConflictError(TriDeskError):
    """A concurrent or repeated change conflicts with the stored state (409)."""

    status = 409
    code = "conflict"


class TooManyRequestsError(TriDeskError):
    """The caller or an upstream is rate limited (429)."""

    status = 429
    code = "too_many_requests"


class UpstreamError(Exception):
    """An external system (carrier, OMS, SMS gateway, market feed) failed or timed out.

    Not a client error: callers degrade (cache, polite reply) instead of surfacing it.
    """

    def __init__(self, upstream: str, message: str, *, retryable: bool = True) -> None:
        super().__init__(f"{upstream}: {message}")
        self.upstream = upstream
        self.retryable = retryable


class CircuitOpenError(UpstreamError):
    """The call was refused without being attempted: the upstream's circuit breaker is open.

    Transient (``retryable``: a queue may redeliver later), but an HTTP client does not retry it
    within the same call.
    """

    def __init__(self, upstream: str) -> None:
        super().__init__(upstream, "circuit open", retryable=True)


class UnsupportedMediaTypeError(TriDeskError):
    """The request body is not in a content type the route accepts (415)."""

    status = 415
    code = "unsupported_media_type"


class MethodNotAllowedError(TriDeskError):
    """The route exists but not with this HTTP method (405)."""

    status = 405
    code = "method_not_allowed"
