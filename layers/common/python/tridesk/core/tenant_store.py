"""DynamoDB adapter for tenant configurations (table ``TENANTS_TABLE``)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute

from tridesk.core.storage import TriDeskModel
from tridesk.core.tenants import Tenant, parse_tenant


class TenantRecord(TriDeskModel):
    """One tenant's configuration, stored as a validated JSON document."""

    table_key = "tenants"

    class Meta:
        table_name = None

    tenant_id = UnicodeAttribute(hash_key=True)
    config = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute(null=True)


class DynamoTenantRepository:
    """TenantRepository on DynamoDB."""

    def get(self, tenant_id: str) -> Tenant | None:
        try:
            record = TenantRecord.get(tenant_id)
        except TenantRecord.DoesNotExist:
            return None
        return parse_tenant(json.loads(record.config))

    def put(self, tenant: Tenant) -> None:
        TenantRecord(
            tenant_id=tenant.tenant_id,
            config=json.dumps(tenant.to_dict(), ensure_ascii=False),
            updated_at=datetime.now(timezone.utc),
        ).save()
