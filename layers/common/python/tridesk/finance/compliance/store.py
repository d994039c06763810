"""DynamoDB and S3 adapters of the firewall (``COMPLIANCE_*_TABLE``, ``COMPLIANCE_RULEPACKS_BUCKET``).

- verdicts: one item per scanned reply, keyed ``tenant_id`` + ``verdict_id`` (time first, so a week is
  a key range), expiring after 90 days (TTL ``expires_at``);
- config: per tenant, ``version#<label>`` (an uploaded rule-pack version), ``active#<line>`` (the
  activated version of a business line) and ``template#<line>#<id>`` (reply templates);
- reviews: the officers' queue, keyed ``tenant_id`` + ``review_id`` (``data`` holds how the reply was
  selected, ``sample`` or ``doubted`` with the model's probability; items written before read as ``sample``);
- pack files in S3 under ``rulepacks/<tenant>/<business_line>/<version>/<file>.yaml``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import PutError

from tridesk.core import aws, events_bus
from tridesk.core.activity import new_event
from tridesk.core.errors import ConflictError
from tridesk.core.settings import get_settings
from tridesk.core.storage import TriDeskModel

from .firewall import ReplyTemplate, ReviewItem, RulesetVersion, VerdictRecord, text_hash

_TIME_KEY = "%Y%m%dT%H%M%S%fZ"


def _conditional_failed(exc: PutError) -> bool:
    return exc.cause_response_code == "ConditionalCheckFailedException"


# ---------------------------------------------------------------- verdicts


class VerdictItem(TriDeskModel):
    """One scanned reply (masked text, hash of the original, verdict, rules, ruleset version)."""

    table_key = "compliance_verdicts"

    class Meta:
        table_name = None

    tenant_id = UnicodeAttribute(hash_key=True)
    verdict_id = UnicodeAttribute(range_key=True)
    recorded_at = UTCDateTimeAttribute()
    business_line = UnicodeAttribute()
    region = UnicodeAttribute()
    lang = UnicodeAttribute()
    source = UnicodeAttribute()
    ruleset_version = UnicodeAttribute()
    ruleset_label = UnicodeAttribute(null=True)
    verdict = UnicodeAttribute()
    rule_ids = UnicodeAttribute()  # JSON list
    text_hash = UnicodeAttribute()
    text = UnicodeAttribute()
    question = UnicodeAttribute(null=True)
    expires_at = TTLAttribute(null=True)


class DynamoVerdictStore:
    def record(self, record: VerdictRecord, expires_at: datetime) -> None:
        VerdictItem(
            tenant_id=record.tenant_id,
            verdict_id=record.verdict_id,
            recorded_at=record.recorded_at,
            business_line=record.business_line,
            region=record.region,
            lang=record.lang,
            source=record.source,
            ruleset_version=record.ruleset_version,
            ruleset_label=record.ruleset_label,
            verdict=record.verdict,
            rule_ids=json.dumps(list(record.rule_ids)),
            text_hash=record.text_hash,
            text=record.text,
            question=record.question,
            expires_at=expires_at,
        ).save()

    def between(self, tenant_id: str, start: datetime, end: datetime, limit: int) -> list[VerdictRecord]:
        lo, hi = start.strftime(_TIME_KEY), end.strftime(_TIME_KEY)
        out: list[VerdictRecord] = []
        for item in VerdictItem.query(
            tenant_id, VerdictItem.verdict_id.between(lo, hi), scan_index_forward=False, limit=limit
        ):
            if item.verdict_id >= hi:
                continue
            out.append(
                VerdictRecord(
                    tenant_id=item.tenant_id, verdict_id=item.verdict_id, recorded_at=item.recorded_at,
                    business_line=item.business_line, region=item.region, lang=item.lang, source=item.source,
                    ruleset_version=item.ruleset_version, ruleset_label=item.ruleset_label, verdict=item.verdict,
                    rule_ids=tuple(json.loads(item.rule_ids)), text_hash=item.text_hash, text=item.text,
                    question=item.question,
                )
            )
            if len(out) >= limit:
                break
        return out


# ---------------------------------------------------------------- rule-pack versions and templates


class ConfigItem(TriDeskModel):
    """Per-tenant firewall configuration: versions, active pointers, reply templates."""

    table_key = "compliance_config"

    class Meta:
        table_name = None

    tenant_id = UnicodeAttribute(hash_key=True)
    item_key = UnicodeAttribute(range_key=True)
    data = UnicodeAttribute(null=True)  # JSON document of the item
    active_version = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)


def _meta_from(item: ConfigItem) -> RulesetVersion:
    d = json.loads(item.data or "{}")
    return RulesetVersion(
        tenant_id=item.tenant_id,
        version=d["version"],
        business_line=d["business_line"],
        files=tuple(d["files"]),
        packs=d["packs"],
        content_hash=d["content_hash"],
        uploaded_at=datetime.fromisoformat(d["uploaded_at"]),
        ruleset_versions=d.get("ruleset_versions", {}),
    )


class S3RulesetStore:
    """Pack files in S3, their metadata and the active pointers in the config table."""

    def __init__(self) -> None:
        self._texts: dict[tuple[str, str], dict[str, str]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(meta: RulesetVersion, file: str) -> str:
        return f"rulepacks/{meta.tenant_id}/{meta.business_line}/{meta.version}/{file}"

    def get_version(self, tenant_id: str, version: str) -> RulesetVersion | None:
        try:
            return _meta_from(ConfigItem.get(tenant_id, f"version#{version}"))
        except ConfigItem.DoesNotExist:
            return None

    def versions(self, tenant_id: str) -> list[RulesetVersion]:
        return [_meta_from(i) for i in ConfigItem.query(tenant_id, ConfigItem.item_key.startswith("version#"))]

    def put_version(self, meta: RulesetVersion, texts: Mapping[str, str]) -> bool:
        if self.get_version(meta.tenant_id, meta.version) is not None:
            return False
        s3 = aws.client("s3")
        bucket = get_settings().bucket("compliance_rulepacks")
        for file, text in texts.items():
            s3.put_object(Bucket=bucket, Key=self._key(meta, file), Body=text.encode("utf-8"),
                          ContentType="application/yaml; charset=utf-8")
        data = {
            "version": meta.version, "business_line": meta.business_line, "files": list(meta.files),
            "packs": dict(meta.packs), "content_hash": meta.content_hash,
            "uploaded_at": meta.uploaded_at.isoformat(), "ruleset_versions": dict(meta.ruleset_versions),
        }
        try:
            ConfigItem(
                tenant_id=meta.tenant_id, item_key=f"version#{meta.version}",
                data=json.dumps(data, ensure_ascii=False, sort_keys=True), updated_at=meta.uploaded_at,
            ).save(condition=ConfigItem.item_key.does_not_exist())
        except PutError as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True

    def texts(self, meta: RulesetVersion) -> dict[str, str]:
        key = (meta.tenant_id, meta.version)
        with self._lock:
            cached = self._texts.get(key)
        if cached is not None:
            return cached
        s3 = aws.client("s3")
        bucket = get_settings().bucket("compliance_rulepacks")
        texts = {
            f: s3.get_object(Bucket=bucket, Key=self._key(meta, f))["Body"].read().decode("utf-8") for f in meta.files
        }
        content = text_hash("\x00".join(f"{n}\x00{texts[n]}" for n in sorted(texts)))
        if content != meta.content_hash:
            raise ConflictError(f"the stored files of version {meta.version!r} do not match their record",
                                field="version")
        with self._lock:
            self._texts[key] = texts
        return texts

    def active(self, tenant_id: str, business_line: str) -> str | None:
        try:
            return ConfigItem.get(tenant_id, f"active#{business_line}", consistent_read=True).active_version
        except ConfigItem.DoesNotExist:
            return None

    def set_active(self, tenant_id: str, business_line: str, version: str, expected: str | None) -> bool:
        from datetime import timezone

        condition = (
            ConfigItem.item_key.does_not_exist() if expected is None else ConfigItem.active_version == expected
        )
        try:
            ConfigItem(
                tenant_id=tenant_id, item_key=f"active#{business_line}", active_version=version,
                updated_at=datetime.now(timezone.utc),
            ).save(condition=condition)
        except PutError as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True


class DynamoTemplateStore:
    """Reply templates: ``template#<line>#<id>`` items of the config table."""

    def list(self, tenant_id: str, business_line: str) -> list[ReplyTemplate]:
        out = []
        for item in ConfigItem.query(tenant_id, ConfigItem.item_key.startswith(f"template#{business_line}#")):
            d = json.loads(item.data or "{}")
            out.append(ReplyTemplate(d["template_id"], business_line, d["lang"], d["text"], d.get("region", "CN")))
        return out

    def put(self, tenant_id: str, template: ReplyTemplate) -> None:
        data = {"template_id": template.template_id, "lang": template.lang, "text": template.text,
                "region": template.region}
        ConfigItem(
            tenant_id=tenant_id, item_key=f"template#{template.business_line}#{template.template_id}",
            data=json.dumps(data, ensure_ascii=False),
        ).save()


# ---------------------------------------------------------------- reviews


class ReviewRecord(TriDeskModel):
    """A reply queued for a compliance officer, with the label once given."""

    table_key = "compliance_reviews"

    class Meta:
        table_name = None

    tenant_id = UnicodeAttribute(hash_key=True)
    review_id = UnicodeAttribute(range_key=True)
    data = UnicodeAttribute()  # JSON of the sampled reply
    status = UnicodeAttribute()
    label = UnicodeAttribute(null=True)  # JSON of the officer's label
    labelled_at = UTCDateTimeAttribute(null=True)


def _review_from(r: ReviewRecord) -> ReviewItem:
    d = json.loads(r.data)
    label = json.loads(r.label) if r.label else {}
    return ReviewItem(
        tenant_id=r.tenant_id, review_id=r.review_id, week=d["week"], verdict_id=d["verdict_id"],
        recorded_at=datetime.fromisoformat(d["recorded_at"]), business_line=d["business_line"],
        region=d["region"], lang=d["lang"], text=d["text"], verdict=d["verdict"],
        predicted=tuple(d["predicted"]), ruleset_version=d["ruleset_version"], status=r.status,
        confirmed=tuple(label["confirmed"]) if "confirmed" in label else None,
        officer_verdict=label.get("verdict"), officer=label.get("officer"), note=label.get("note"),
        labelled_at=r.labelled_at, selection=d.get("selection", "sample"), model_p=d.get("model_p"),
    )


class DynamoReviewStore:
    def add(self, item: ReviewItem) -> bool:
        data: dict[str, Any] = {
            "week": item.week, "verdict_id": item.verdict_id, "recorded_at": item.recorded_at.isoformat(),
            "business_line": item.business_line, "region": item.region, "lang": item.lang, "text": item.text,
            "verdict": item.verdict, "predicted": list(item.predicted), "ruleset_version": item.ruleset_version,
            "selection": item.selection,
        }
        if item.model_p is not None:
            data["model_p"] = item.model_p
        try:
            ReviewRecord(
                tenant_id=item.tenant_id, review_id=item.review_id,
                data=json.dumps(data, ensure_ascii=False), status="pending",
            ).save(condition=ReviewRecord.review_id.does_not_exist())
        except PutError as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True

    def get(self, tenant_id: str, review_id: str) -> ReviewItem | None:
        try:
            return _review_from(ReviewRecord.get(tenant_id, review_id, consistent_read=True))
        except ReviewRecord.DoesNotExist:
            return None

    def save_label(self, item: ReviewItem) -> None:
        label = {"confirmed": list(item.confirmed or ()), "verdict": item.officer_verdict,
                 "officer": item.officer, "note": item.note}
        ReviewRecord(tenant_id=item.tenant_id, review_id=item.review_id).update(
            actions=[
                ReviewRecord.status.set("labelled"),
                ReviewRecord.label.set(json.dumps(label, ensure_ascii=False)),
                ReviewRecord.labelled_at.set(item.labelled_at),
            ],
            condition=ReviewRecord.review_id.exists(),
        )

    def list(self, tenant_id: str, status: str | None = None, week: str | None = None) -> list[ReviewItem]:
        range_condition = ReviewRecord.review_id.startswith(f"{week}-") if week else None
        filter_condition = (ReviewRecord.status == status) if status else None
        return [
            _review_from(r)
            for r in ReviewRecord.query(tenant_id, range_condition, filter_condition=filter_condition)
        ]


# ---------------------------------------------------------------- events and tenants


def publish_event(tenant_id: str, type_: str, detail: Mapping[str, Any]) -> None:
    """Record an activity event (e.g. ``compliance.ruleset_activated``) through the events queue."""
    events_bus.publish(new_event(tenant_id, type_, detail))


def finance_tenants() -> list[str]:
    """Ids of the active finance tenants (the weekly review samples each)."""
    from tridesk.core.tenant_store import TenantRecord

    out = []
    for record in TenantRecord.scan():
        config = json.loads(record.config)
        if config.get("industry") == "finance" and config.get("status", "active") == "active":
            out.append(record.tenant_id)
    return sorted(out)
