"""Tenants: who is calling, which industry edition they run and which rule packs apply.

Every request names its tenant in ``X-Tenant-Id``; a missing header is a 400, an unknown or
suspended tenant a 403. Configuration is validated here, stored by a ``TenantRepository``.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal, Protocol

from tridesk.core.errors import ForbiddenError, ValidationError

Industry = Literal["ecommerce", "finance", "education"]
INDUSTRIES: tuple[str, ...] = ("ecommerce", "finance", "education")
TENANT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")
TENANT_HEADER = "X-Tenant-Id"


@dataclass(frozen=True)
class Tenant:
    """A tenant's configuration."""

    tenant_id: str
    name: str
    industry: Industry
    edition: str = "standard"
    default_lang: str = "zh"
    regions: tuple[str, ...] = ("CN",)
    rule_packs: tuple[str, ...] = ()
    status: str = "active"
    settings: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["regions"] = list(self.regions)
        data["rule_packs"] = list(self.rule_packs)
        data["settings"] = dict(self.settings)
        return data


def _str_list(value: Any, field_name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValidationError(f"{field_name} must be a list of non-empty strings", field=field_name)
    return tuple(value)


def parse_tenant(data: Any) -> Tenant:
    """Validate a tenant configuration document; raise ValidationError naming the bad field."""
    if not isinstance(data, Mapping):
        raise ValidationError("tenant configuration must be an object", field=None)
    tenant_id = data.get("tenant_id")
    if not isinstance(tenant_id, str) or not TENANT_ID.match(tenant_id):
        raise ValidationError(
            "tenant_id must be 3-64 lowercase letters, digits or dashes", field="tenant_id"
        )
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("name is required", field="name")
    industry = data.get("industry")
    if industry not in INDUSTRIES:
        raise ValidationError(f"industry must be one of {', '.join(INDUSTRIES)}", field="industry")
    lang = data.get("default_lang", "zh")
    if lang not in ("zh", "en"):
        raise ValidationError("default_lang must be zh or en", field="default_lang")
    status = data.get("status", "active")
    if status not in ("active", "suspended"):
        raise ValidationError("status must be active or suspended", field="status")
    settings = data.get("settings") or {}
    if not isinstance(settings, Mapping):
        raise ValidationError("settings must be an object", field="settings")
    return Tenant(
        tenant_id=tenant_id,
        name=name.strip(),
        industry=industry,
        edition=str(data.get("edition") or "standard"),
        default_lang=lang,
        regions=_str_list(data.get("regions"), "regions") or ("CN",),
        rule_packs=_str_list(data.get("rule_packs"), "rule_packs"),
        status=status,
        settings=dict(settings),
    )


class TenantRepository(Protocol):
    """Where tenant configurations live."""

    def get(self, tenant_id: str) -> Tenant | None: ...

    def put(self, tenant: Tenant) -> None: ...


class TenantResolver:
    """Resolves ``X-Tenant-Id`` to a Tenant, caching lookups briefly per container."""

    def __init__(
        self,
        repository: TenantRepository,
        ttl_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._repository = repository
        self._ttl = ttl_seconds
        self._clock = clock
        self._cache: dict[str, tuple[float, Tenant | None]] = {}
        self._lock = threading.Lock()

    def resolve(self, header_value: str | None) -> Tenant:
        if header_value is None or not header_value.strip():
            raise ValidationError(f"the {TENANT_HEADER} header is required", field=TENANT_HEADER)
        tenant_id = header_value.strip()
        if not TENANT_ID.match(tenant_id):
            raise ValidationError(f"{TENANT_HEADER} is malformed", field=TENANT_HEADER)
        now = self._clock()
        with self._lock:
            cached = self._cache.get(tenant_id)
        if cached is not None and now - cached[0] < self._ttl:
            tenant = cached[1]
        else:
            tenant = self._repository.get(tenant_id)
            with self._lock:
                if len(self._cache) > 1024:
                    self._cache.clear()
                self._cache[tenant_id] = (now, tenant)
        if tenant is None:
            raise ForbiddenError("unknown tenant", field=TENANT_HEADER, code="unknown_tenant")
        if tenant.status != "active":
            raise ForbiddenError("tenant is suspended", field=TENANT_HEADER, code="tenant_suspended")
        return tenant

    def forget(self, tenant_id: str | None = None) -> None:
        with self._lock:
            if tenant_id is None:
                self._cache.clear()
            else:
                self._cache.pop(tenant_id, None)


def provision_request(data: Any) -> dict[str, Any]:
    """Validate a provisioning request and shape what the workflow stores and announces."""
    from tridesk.core.activity import new_event  # activity depends on this module

    tenant = parse_tenant(data.get("tenant") if isinstance(data, Mapping) else None)
    event = new_event(tenant.tenant_id, "tenant.provisioned", {"industry": tenant.industry})
    return {
        "tenant_id": tenant.tenant_id,
        "config_json": json.dumps(tenant.to_dict(), ensure_ascii=False, sort_keys=True),
        "updated_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+0000"),
        "event_json": event.to_json(),
    }
