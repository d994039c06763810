"""The one way a route is declared: tenant resolution, body parsing and error mapping.

``json_route(bp, "/v1/things", ("POST",), body=True)`` registers a view that receives a
``Call`` and returns a JSON-able value (200) or a ``Response``. ``TriDeskError`` raised
anywhere below becomes the contract's error body with its status.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalice import Blueprint, Chalice, Response

from tridesk.core.errors import TriDeskError, ValidationError
from tridesk.core.i18n import Lang, parse_lang
from tridesk.core.lazy import per_container
from tridesk.core.tenant_store import DynamoTenantRepository
from tridesk.core.tenants import TENANT_HEADER, Tenant, TenantResolver
from tridesk.core.web import parse_json_object, to_json

CUSTOMER_HEADER = "X-Customer-Id"
_CUSTOMER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")  # docs/openapi.yaml: CustomerId


@per_container
def tenant_resolver() -> TenantResolver:
    """The container's tenant resolver, made on first use."""
    return TenantResolver(DynamoTenantRepository())


@dataclass(frozen=True)
class Call:
    """What a route sees of its request."""

    tenant: Tenant | None
    body: dict[str, Any] | None
    query: dict[str, str]
    headers: dict[str, str]
    lang: Lang
    customer_id: str | None = None

    @property
    def tenant_id(self) -> str:
        assert self.tenant is not None, "route declared without a tenant"
        return self.tenant.tenant_id


def _customer(value: str | None) -> str:
    if value is None or not _CUSTOMER_ID.match(value.strip()):
        raise ValidationError(f"the {CUSTOMER_HEADER} header is required (1-128 letters, digits or ._:-,"
                              " starting with a letter or digit)",
                              field=CUSTOMER_HEADER)
    return value.strip()


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=to_json(payload),
        status_code=status,
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )


def json_route(
    owner: Chalice | Blueprint,
    path: str,
    methods: tuple[str, ...] = ("GET",),
    *,
    tenant: bool = True,
    body: bool = False,
    customer: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a JSON route on an app or blueprint.

    ``customer=True``: the route acts for one end customer, named in ``X-Customer-Id``
    (set by the authorizer or the channel's back end in production); missing is a 400.
    """

    def register(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def handle(**params: str) -> Response:
            request = owner.current_request
            headers = request.headers
            try:
                resolved = tenant_resolver().resolve(headers.get(TENANT_HEADER)) if tenant else None
                parsed = parse_json_object(request.raw_body, headers.get("content-type")) if body else None
                query = dict(request.query_params or {})
                lang = parse_lang(
                    (parsed or {}).get("lang") or query.get("lang") or headers.get("accept-language"),
                    default=parse_lang(resolved.default_lang) if resolved else "zh",
                )
                customer_id = _customer(headers.get(CUSTOMER_HEADER)) if customer else None
                result = view(Call(resolved, parsed, query, dict(headers), lang, customer_id), **params)
            except TriDeskError as exc:
                return json_response(exc.status, exc.to_body())
            if isinstance(result, Response):
                return result
            return json_response(200, result)

        content_types = ["application/json"] if body else ["application/json", "text/plain", "*/*"]
        owner.route(path, methods=list(methods), content_types=content_types)(handle)
        return view

    return register
