"""In-memory stand-ins of the firewall's stores (the DynamoDB/S3 adapters have the same methods)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from tridesk.finance.compliance.firewall import ReplyTemplate, ReviewItem, RulesetVersion, VerdictRecord


class MemoryVerdicts:
    def __init__(self) -> None:
        self.items: list[tuple[VerdictRecord, datetime]] = []

    def record(self, record: VerdictRecord, expires_at: datetime) -> None:
        self.items.append((record, expires_at))

    def between(self, tenant_id: str, start: datetime, end: datetime, limit: int) -> list[VerdictRecord]:
        found = [r for r, _ in self.items if r.tenant_id == tenant_id and start <= r.recorded_at < end]
        return sorted(found, key=lambda r: r.verdict_id, reverse=True)[:limit]


class MemoryRulesets:
    def __init__(self) -> None:
        self.meta: dict[tuple[str, str], RulesetVersion] = {}
        self.files: dict[tuple[str, str], dict[str, str]] = {}
        self.pointers: dict[tuple[str, str], str] = {}

    def get_version(self, tenant_id: str, version: str) -> RulesetVersion | None:
        return self.meta.get((tenant_id, version))

    def versions(self, tenant_id: str) -> list[RulesetVersion]:
        return [m for (t, _), m in self.meta.items() if t == tenant_id]

    def put_version(self, meta: RulesetVersion, texts: dict[str, str]) -> bool:
        key = (meta.tenant_id, meta.version)
        if key in self.meta:
            return False
        self.meta[key], self.files[key] = meta, dict(texts)
        return True

    def texts(self, meta: RulesetVersion) -> dict[str, str]:
        return self.files[(meta.tenant_id, meta.version)]

    def active(self, tenant_id: str, business_line: str) -> str | None:
        return self.pointers.get((tenant_id, business_line))

    def set_active(self, tenant_id: str, business_line: str, version: str, expected: str | None) -> bool:
        if self.pointers.get((tenant_id, business_line)) != expected:
            return False
        self.pointers[(tenant_id, business_line)] = version
        return True


class MemoryTemplates:
    def __init__(self, templates: list[tuple[str, ReplyTemplate]] | None = None) -> None:
        self.templates = templates or []

    def list(self, tenant_id: str, business_line: str) -> list[ReplyTemplate]:
        return [t for owner, t in self.templates if owner == tenant_id and t.business_line == business_line]


class MemoryReviews:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], ReviewItem] = {}

    def add(self, item: ReviewItem) -> bool:
        key = (item.tenant_id, item.review_id)
        if key in self.items:
            return False
        self.items[key] = item
        return True

    def get(self, tenant_id: str, review_id: str) -> ReviewItem | None:
        return self.items.get((tenant_id, review_id))

    def save_label(self, item: ReviewItem) -> None:
        self.items[(item.tenant_id, item.review_id)] = replace(item)

    def list(self, tenant_id: str, status: str | None = None, week: str | None = None) -> list[ReviewItem]:
        return [i for (t, _), i in self.items.items()
                if t == tenant_id and (status is None or i.status == status) and (week is None or i.week == week)]
