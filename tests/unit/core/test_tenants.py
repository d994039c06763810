from __future__ import annotations

import pytest

from tridesk.core.activity import parse_event
from tridesk.core.errors import ForbiddenError, ValidationError
from tridesk.core.feedback import feedback_event
from tridesk.core.tenants import Tenant, TenantResolver, parse_tenant, provision_request


class InMemoryTenants:
    def __init__(self, *tenants: Tenant) -> None:
        self.items = {t.tenant_id: t for t in tenants}
        self.reads = 0

    def get(self, tenant_id: str) -> Tenant | None:
        self.reads += 1
        return self.items.get(tenant_id)

    def put(self, tenant: Tenant) -> None:
        self.items[tenant.tenant_id] = tenant


SHOP = parse_tenant({"tenant_id": "demo-ecommerce", "name": "Shop", "industry": "ecommerce"})


def test_missing_header_is_400_and_unknown_tenant_is_403():
    resolver = TenantResolver(InMemoryTenants(SHOP))
    with pytest.raises(ValidationError) as missing:
        resolver.resolve(None)
    assert missing.value.status == 400 and missing.value.field == "X-Tenant-Id"
    with pytest.raises(ValidationError):
        resolver.resolve("Not A Tenant!")
    with pytest.raises(ForbiddenError) as unknown:
        resolver.resolve("someone-else")
    assert unknown.value.status == 403


def test_suspended_tenant_is_refused():
    suspended = parse_tenant({"tenant_id": "gone-shop", "name": "Gone", "industry": "ecommerce", "status": "suspended"})
    with pytest.raises(ForbiddenError) as caught:
        TenantResolver(InMemoryTenants(suspended)).resolve("gone-shop")
    assert caught.value.code == "tenant_suspended"


def test_resolution_is_cached_briefly_per_container():
    now = [0.0]
    repo = InMemoryTenants(SHOP)
    resolver = TenantResolver(repo, ttl_seconds=30, clock=lambda: now[0])
    assert resolver.resolve("demo-ecommerce").industry == "ecommerce"
    resolver.resolve("demo-ecommerce")
    assert repo.reads == 1
    now[0] = 31.0
    resolver.resolve("demo-ecommerce")
    assert repo.reads == 2


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"tenant_id": "x", "name": "n", "industry": "ecommerce"}, "tenant_id"),
        ({"tenant_id": "good-id", "name": " ", "industry": "ecommerce"}, "name"),
        ({"tenant_id": "good-id", "name": "n", "industry": "retail"}, "industry"),
        ({"tenant_id": "good-id", "name": "n", "industry": "finance", "default_lang": "fr"}, "default_lang"),
        ({"tenant_id": "good-id", "name": "n", "industry": "finance", "rule_packs": "wealth"}, "rule_packs"),
    ],
)
def test_bad_tenant_configuration_names_the_field(config, field):
    with pytest.raises(ValidationError) as caught:
        parse_tenant(config)
    assert caught.value.field == field


def test_provision_request_shapes_what_the_workflow_stores_and_announces():
    result = provision_request({"tenant": {"tenant_id": "acme-bank", "name": "Acme", "industry": "finance"}})
    assert result["tenant_id"] == "acme-bank"
    assert parse_tenant(__import__("json").loads(result["config_json"])).industry == "finance"
    event = parse_event(__import__("json").loads(result["event_json"]))
    assert event.type == "tenant.provisioned" and event.tenant_id == "acme-bank"
    with pytest.raises(ValidationError):
        provision_request({"nothing": True})


def test_feedback_is_idempotent_on_feedback_id_and_validated():
    first = feedback_event("demo-ecommerce", {"session_id": "s1", "rating": 4, "feedback_id": "fb-1"})
    again = feedback_event("demo-ecommerce", {"session_id": "s1", "rating": 4, "feedback_id": "fb-1"})
    other_tenant = feedback_event("demo-finance", {"session_id": "s1", "rating": 4, "feedback_id": "fb-1"})
    assert first.event_id == again.event_id != other_tenant.event_id
    for body, field in [
        ({"rating": 3}, "session_id"),
        ({"session_id": "s1", "rating": 6}, "rating"),
        ({"session_id": "s1", "rating": True}, "rating"),
        ({"session_id": "s1", "rating": 2, "channel": "fax"}, "channel"),
    ]:
        with pytest.raises(ValidationError) as caught:
            feedback_event("demo-ecommerce", body)
        assert caught.value.field == field


def test_queued_events_are_validated():
    with pytest.raises(ValidationError) as caught:
        parse_event({"event_id": "12345678", "tenant_id": "demo-ecommerce", "type": "nodots", "occurred_at": "2026-01-01T00:00:00Z"})
    assert caught.value.field == "type"
    with pytest.raises(ValidationError) as naive:
        parse_event({"event_id": "12345678", "tenant_id": "demo-ecommerce", "type": "a.b", "occurred_at": "2026-01-01T00:00:00"})
    assert naive.value.field == "occurred_at"
