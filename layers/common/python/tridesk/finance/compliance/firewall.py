"""The firewall as a service: tenant-aware scans that are recorded, rule-pack versions, impact, reviews.

``ComplianceService`` holds the use cases behind the ``/v1/compliance`` routes and the weekly review
Lambda. It depends only on the small store interfaces below (DynamoDB and S3 adapters live in
``store.py``; unit tests use in-memory fakes), so the chat endpoint can call ``check_reply`` as a plain
function with the same semantics as ``POST /v1/compliance/scan``.

Records keep what impact analysis and reviews need, not the raw reply: the stored text has card and
ID numbers (and phone numbers, e-mail addresses) masked, and the hash of the original text lets the
same reply be recognised without keeping it.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from tridesk.core.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from tridesk.core.lazy import per_container
from tridesk.core.tenants import Tenant

from .packs import PackLibrary, RulePackError, parse_pack, region_ancestry
from .review import ImpactChange, precision_recall_per_rule, sample_for_review
from .scanner import Ruleset
from .service import DEFAULT_REGION, bundled_texts, business_lines, load_ruleset, scan
from .text import find_bank_cards, find_cn_ids, mask

SOURCES = ("bot", "agent")
VERDICTS = ("pass", "fix", "block")
REVIEW_STATUSES = ("pending", "labelled")
VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
FILE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}\.ya?ml$")
REVIEW_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
RULE_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
_REGION_RE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
MAX_PACK_FILES = 20
MAX_PACK_CHARS = 200_000
VERDICT_RETENTION = timedelta(days=90)
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+)")


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class VerdictRecord:
    """One scanned reply: enough to audit the verdict, re-scan the (masked) text and sample it for review."""

    tenant_id: str
    verdict_id: str
    recorded_at: datetime
    business_line: str
    region: str
    lang: str
    source: str
    ruleset_version: str
    ruleset_label: str | None
    verdict: str
    rule_ids: tuple[str, ...]
    text_hash: str
    text: str
    question: str | None = None


@dataclass(frozen=True)
class RulesetVersion:
    """An uploaded rule-pack version of one tenant and business line (the YAML files live in object storage)."""

    tenant_id: str
    version: str
    business_line: str
    files: tuple[str, ...]
    packs: Mapping[str, str]  # "name@version" -> sha256 of its text
    content_hash: str
    uploaded_at: datetime
    ruleset_versions: Mapping[str, str] = field(default_factory=dict)  # region -> chain


@dataclass(frozen=True)
class ReplyTemplate:
    """A stored reply template of a business line (what agents and the bot send verbatim)."""

    template_id: str
    business_line: str
    lang: str
    text: str
    region: str = DEFAULT_REGION


@dataclass(frozen=True)
class ReviewItem:
    """A bot reply queued for a compliance officer, and the officer's label once given.

    ``selection`` says how it was chosen: ``sample`` (the week's random sample, the basis of the
    unbiased per-rule figures), ``doubted`` (the rules passed it, the learned second opinion gave it
    ``model_p`` above its threshold) or ``contested`` (the rules flagged it, the second opinion gave
    it ``model_p`` at most ``model.VETO``: the cases a veto of the rules by the model would decide).
    """

    tenant_id: str
    review_id: str
    week: str
    verdict_id: str
    recorded_at: datetime
    business_line: str
    region: str
    lang: str
    text: str
    verdict: str
    predicted: tuple[str, ...]
    ruleset_version: str
    status: str = "pending"
    confirmed: tuple[str, ...] | None = None
    officer_verdict: str | None = None
    officer: str | None = None
    note: str | None = None
    labelled_at: datetime | None = None
    selection: str = "sample"
    model_p: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "review_id": self.review_id,
            "week": self.week,
            "verdict_id": self.verdict_id,
            "recorded_at": _iso(self.recorded_at),
            "business_line": self.business_line,
            "region": self.region,
            "lang": self.lang,
            "text": self.text,
            "verdict": self.verdict,
            "predicted_rule_ids": list(self.predicted),
            "ruleset_version": self.ruleset_version,
            "status": self.status,
            "selection": self.selection,
            "model_p": self.model_p,
            "label": None if self.status != "labelled" else {
                "confirmed_rule_ids": list(self.confirmed or ()),
                "verdict": self.officer_verdict,
                "officer": self.officer,
                "note": self.note,
                "labelled_at": _iso(self.labelled_at) if self.labelled_at else None,
            },
        }


# ---------------------------------------------------------------- ports


class VerdictStore(Protocol):
    def record(self, record: VerdictRecord, expires_at: datetime) -> None: ...

    def between(self, tenant_id: str, start: datetime, end: datetime, limit: int) -> list[VerdictRecord]:
        """Records of ``[start, end)``, newest first, at most ``limit``."""
        ...


class RulesetStore(Protocol):
    def get_version(self, tenant_id: str, version: str) -> RulesetVersion | None: ...

    def versions(self, tenant_id: str) -> list[RulesetVersion]: ...

    def put_version(self, meta: RulesetVersion, texts: Mapping[str, str]) -> bool:
        """Store files then metadata; False when the version already exists (nothing written)."""
        ...

    def texts(self, meta: RulesetVersion) -> dict[str, str]: ...

    def active(self, tenant_id: str, business_line: str) -> str | None: ...

    def set_active(self, tenant_id: str, business_line: str, version: str, expected: str | None) -> bool:
        """Point the line at ``version`` if the pointer is still ``expected``; False on a lost race."""
        ...


class TemplateStore(Protocol):
    def list(self, tenant_id: str, business_line: str) -> list[ReplyTemplate]: ...


class ReviewStore(Protocol):
    def add(self, item: ReviewItem) -> bool:
        """Store a new item; False when it already exists (a re-run of the same week keeps its labels)."""
        ...

    def get(self, tenant_id: str, review_id: str) -> ReviewItem | None: ...

    def save_label(self, item: ReviewItem) -> None: ...

    def list(self, tenant_id: str, status: str | None = None, week: str | None = None) -> list[ReviewItem]: ...


# ---------------------------------------------------------------- helpers


def mask_text(text: str) -> str:
    """The reply as stored: card and ID numbers masked in place (last four kept), phones and e-mails too."""
    out = text
    spans = [(a, b, 3) for a, b in find_cn_ids(text)] + [(a, b, 0) for a, b in find_bank_cards(text)]
    for start, end, keep_first in sorted(spans):
        out = out[:start] + mask(out[start:end], keep_first=keep_first) + out[end:]
    out = _PHONE.sub(r"\1****\2", out)
    return _EMAIL.sub(r"\1***\2", out)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def iso_week(moment: datetime) -> str:
    """``2026W48``: the ISO week a review sample belongs to (no characters that need URL escaping)."""
    year, week, _ = moment.isocalendar()
    return f"{year}W{week:02d}"


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _str(payload: Mapping[str, Any], key: str, *, required: bool = True) -> str | None:
    value = payload.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{key} is required and must be a non-empty string", field=key)
    return value


def _int(payload: Mapping[str, Any], key: str, default: int, lo: int, hi: int) -> int:
    value = payload.get(key)
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise ValidationError(f"{key} must be an integer in [{lo}, {hi}]", field=key)
    return value


# ---------------------------------------------------------------- the service


Publish = Callable[[str, str, Mapping[str, Any]], None]
Doubt = Callable[[VerdictRecord], float]


def model_doubt(record: VerdictRecord) -> float:
    """The learned second opinion's probability that a recorded reply breaks a rule (its text masked).

    The module and its weights load on the first call, once per container; the scan path asks only
    about replies the rules passed.
    """
    from . import model

    return model.predict_proba(record.text, record.lang, record.business_line, record.question)


class ComplianceService:
    """Use cases of the firewall for one container; rulesets are compiled once and cached."""

    def __init__(
        self,
        verdicts: VerdictStore,
        rulesets: RulesetStore,
        templates: TemplateStore,
        reviews: ReviewStore,
        *,
        publish: Publish | None = None,
        clock: Callable[[], datetime] = _utcnow,
        pointer_ttl_s: float = 30.0,
        doubt: Doubt | None = None,
        doubt_threshold: float | None = None,
        veto_threshold: float | None = None,
    ) -> None:
        self.verdicts = verdicts
        self.rulesets = rulesets
        self.templates = templates
        self.reviews = reviews
        self._publish = publish
        self._clock = clock
        self._pointer_ttl = pointer_ttl_s
        self._doubt = doubt or model_doubt
        self._doubt_threshold = doubt_threshold
        self._veto_threshold = veto_threshold
        self._lock = threading.Lock()
        self._pointers: dict[tuple[str, str], tuple[float, str | None]] = {}
        self._compiled: dict[tuple[str, str, str, str], Ruleset] = {}

    @property
    def doubt_threshold(self) -> float:
        """Above this probability the second opinion doubts a reply the rules passed."""
        from . import model

        return self._doubt_threshold if self._doubt_threshold is not None else model.CHOSEN.threshold

    @property
    def veto_threshold(self) -> float:
        """At or below this probability a rule flag is contested by the second opinion."""
        from . import model

        return self._veto_threshold if self._veto_threshold is not None else model.VETO

    # ------------------------------------------------------------ scanning

    def check_reply(self, tenant: Tenant, payload: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /v1/compliance/scan``: scan with the tenant's active ruleset, record the verdict, answer.

        The answer is the DESIGN.md body plus ``verdict_id`` (the stored record, for reviews and audit)
        and, when the rules pass the reply, ``second_opinion``: the learned model's probability that it
        breaks a rule and whether that is above its threshold (the chat path holds such a bot reply
        back; an agent's console should ask a supervisor). It never changes the verdict.
        """
        if not isinstance(payload, Mapping):
            raise ValidationError("the request body must be a JSON object", field=None)
        _require_finance(tenant)
        source = payload.get("source") or "bot"
        if source not in SOURCES:
            raise ValidationError("source must be 'bot' or 'agent'", field="source")
        line, region = self._line_and_region(tenant, payload)
        label = self.active_label(tenant.tenant_id, line)
        ruleset = self.ruleset(tenant.tenant_id, line, region, label)
        body = scan(payload, ruleset)
        now = self._clock()
        text = str(payload["text"])
        question = payload.get("question") or None
        record = VerdictRecord(
            tenant_id=tenant.tenant_id,
            verdict_id=f"{now.strftime('%Y%m%dT%H%M%S%fZ')}-{uuid.uuid4().hex[:8]}",
            recorded_at=now,
            business_line=line,
            region=region,
            lang="en" if str(payload.get("lang") or "zh").lower().startswith("en") else "zh",
            source=source,
            ruleset_version=body["ruleset_version"],
            ruleset_label=label,
            verdict=body["verdict"],
            rule_ids=tuple(sorted({f["rule_id"] for f in body["findings"]})),
            text_hash=text_hash(text),
            text=mask_text(text),
            question=mask_text(question) if isinstance(question, str) else None,
        )
        self.verdicts.record(record, now + VERDICT_RETENTION)
        body["verdict_id"] = record.verdict_id
        if body["verdict"] == "pass":
            # the learned second opinion on what the rules passed; the verdict stays the rules' (docs/compliance.md)
            doubt = self._doubt(record)
            body["second_opinion"] = {"probability": round(doubt, 3), "doubt": doubt > self.doubt_threshold}
        return body

    def _line_and_region(self, tenant: Tenant, payload: Mapping[str, Any]) -> tuple[str, str]:
        line = payload.get("business_line")
        if not isinstance(line, str) or not line:
            raise ValidationError("business_line is required", field="business_line")
        if line not in business_lines():
            raise ValidationError(
                f"unknown business_line {line!r} (one of {', '.join(sorted(business_lines()))})",
                field="business_line",
            )
        if tenant.rule_packs and line not in tenant.rule_packs:
            raise ForbiddenError(
                f"business_line {line!r} is not enabled for this tenant (one of {', '.join(tenant.rule_packs)})",
                field="business_line", code="business_line_not_enabled",
            )
        region = payload.get("region") or DEFAULT_REGION
        if not isinstance(region, str) or not _REGION_RE.match(region):
            raise ValidationError("region must look like CN or CN-SH", field="region")
        if not set(region_ancestry(region)) & set(tenant.regions):
            raise ForbiddenError(
                f"region {region!r} is outside the tenant's regions ({', '.join(tenant.regions)})",
                field="region", code="region_not_enabled",
            )
        return line, region

    def active_label(self, tenant_id: str, business_line: str) -> str | None:
        """The tenant's activated version for a line (None: the shipped packs), cached briefly."""
        key = (tenant_id, business_line)
        now = time.monotonic()
        with self._lock:
            cached = self._pointers.get(key)
        if cached is not None and now - cached[0] < self._pointer_ttl:
            return cached[1]
        label = self.rulesets.active(tenant_id, business_line)
        with self._lock:
            self._pointers[key] = (now, label)
        return label

    def ruleset(self, tenant_id: str, business_line: str, region: str, label: str | None) -> Ruleset:
        """The compiled ruleset of a stored version (or the shipped packs when ``label`` is None)."""
        if label is None:
            if business_line not in business_lines():
                raise ValidationError(f"unknown business_line {business_line!r}", field="business_line")
            return load_ruleset(business_line, region)
        key = (tenant_id, label, business_line, region)
        with self._lock:
            found = self._compiled.get(key)
        if found is not None:
            return found
        meta = self.rulesets.get_version(tenant_id, label)
        if meta is None:
            raise NotFoundError(f"rule-pack version {label!r} is not stored", field="version")
        library = PackLibrary.from_texts(_overlay(self.rulesets.texts(meta)))
        compiled = Ruleset.compile(library.resolve(business_line, region))
        with self._lock:
            if len(self._compiled) > 256:
                self._compiled.clear()
            self._compiled[key] = compiled
        return compiled

    # ------------------------------------------------------------ rule-pack versions

    def upload(self, tenant: Tenant, payload: Mapping[str, Any]) -> tuple[bool, dict[str, Any]]:
        """Validate and store a new rule-pack version; ``(created, body)``. Re-sending the same one is a no-op."""
        _require_finance(tenant)
        if not isinstance(payload, Mapping):
            raise ValidationError("the request body must be a JSON object", field=None)
        version = _str(payload, "version")
        assert version is not None
        if not VERSION_RE.match(version):
            raise ValidationError("version must be 1-64 letters, digits, dots, dashes or underscores", field="version")
        line = _str(payload, "business_line")
        assert line is not None
        if line not in business_lines():
            raise ValidationError(f"unknown business_line {line!r}", field="business_line")
        if tenant.rule_packs and line not in tenant.rule_packs:
            raise ForbiddenError(f"business_line {line!r} is not enabled for this tenant", field="business_line",
                                 code="business_line_not_enabled")
        packs = payload.get("packs")
        if not isinstance(packs, Mapping) or not packs:
            raise ValidationError("packs must be an object {file name: YAML text}", field="packs")
        if len(packs) > MAX_PACK_FILES:
            raise ValidationError(f"at most {MAX_PACK_FILES} pack files per version", field="packs")
        texts: dict[str, str] = {}
        for name, text in packs.items():
            if not isinstance(name, str) or not FILE_RE.match(name):
                raise ValidationError(f"pack file name {name!r} must end in .yaml (letters, digits, ._-)", field="packs")
            if not isinstance(text, str) or not text.strip() or len(text) > MAX_PACK_CHARS:
                raise ValidationError(
                    f"{name}: the pack must be a non-empty YAML text of at most {MAX_PACK_CHARS} characters",
                    field=f"packs.{name}",
                )
            texts[name] = text
        parsed = {name: parse_pack(text, name) for name, text in texts.items()}
        hashes = {f"{p.name}@{p.version}": text_hash(texts[name]) for name, p in parsed.items()}
        shipped = {f"{p.name}@{p.version}": text_hash(t) for p, t in _shipped_packs()}
        for name, pack in parsed.items():
            key = f"{pack.name}@{pack.version}"
            if key in shipped and shipped[key] != hashes[key]:
                raise RulePackError(name, pack.where.line, f"pack {key} already exists with other rules; "
                                                           "give the changed pack a new version")
        library = PackLibrary.from_texts(_overlay(texts))
        chains: dict[str, str] = {}
        touched = False
        for region in tenant.regions:
            spec = library.resolve(line, region)
            chains[region] = spec.version
            touched = touched or any(f"{p.name}@{p.version}" in hashes for p in spec.chain)
        if not touched:
            raise ValidationError(
                f"none of the uploaded packs is part of the {line} ruleset", field="packs"
            )
        for other in self.rulesets.versions(tenant.tenant_id):
            if other.version == version:
                continue
            for key, digest in hashes.items():
                if other.packs.get(key, digest) != digest:
                    raise ConflictError(
                        f"pack {key} was already uploaded with other rules in version {other.version!r}; "
                        "give the changed pack a new version",
                        field="packs",
                    )
        content = text_hash("\x00".join(f"{n}\x00{texts[n]}" for n in sorted(texts)))
        meta = RulesetVersion(
            tenant_id=tenant.tenant_id,
            version=version,
            business_line=line,
            files=tuple(sorted(texts)),
            packs=hashes,
            content_hash=content,
            uploaded_at=self._clock(),
            ruleset_versions=chains,
        )
        created = self.rulesets.put_version(meta, texts)
        if not created:
            existing = self.rulesets.get_version(tenant.tenant_id, version)
            if existing is None or existing.content_hash != content or existing.business_line != line:
                raise ConflictError(f"version {version!r} already exists with other content", field="version")
            meta = existing
        return created, self._version_body(tenant.tenant_id, meta)

    def _version_body(self, tenant_id: str, meta: RulesetVersion) -> dict[str, Any]:
        active = self.rulesets.active(tenant_id, meta.business_line)
        return {
            "version": meta.version,
            "business_line": meta.business_line,
            "files": list(meta.files),
            "ruleset_versions": dict(meta.ruleset_versions),
            "uploaded_at": _iso(meta.uploaded_at),
            "active": active == meta.version,
        }

    def _version(self, tenant: Tenant, version: str) -> RulesetVersion:
        _require_finance(tenant)
        meta = self.rulesets.get_version(tenant.tenant_id, version) if VERSION_RE.match(version) else None
        if meta is None:
            raise NotFoundError(f"no rule-pack version {version!r}", field="version")
        return meta

    def impact(self, tenant: Tenant, version: str, payload: Mapping[str, Any] | None) -> dict[str, Any]:
        """What activating ``version`` would change: stored templates and recent replies whose verdict or findings differ."""
        payload = payload or {}
        if not isinstance(payload, Mapping):
            raise ValidationError("the request body must be a JSON object", field=None)
        meta = self._version(tenant, version)
        days = _int(payload, "days", 7, 1, 90)
        limit = _int(payload, "limit", 1000, 1, 5000)
        line = meta.business_line
        current = self.rulesets.active(tenant.tenant_id, line)
        items: list[tuple[str, str, str, str, str, str | None]] = []  # id, kind, region, lang, text, question
        for t in self.templates.list(tenant.tenant_id, line):
            items.append((f"template:{t.template_id}", "template", t.region, t.lang, t.text, None))
        now = self._clock()
        replies = [
            r for r in self.verdicts.between(tenant.tenant_id, now - timedelta(days=days), now + timedelta(seconds=1), limit)
            if r.business_line == line
        ]
        for r in replies:
            items.append((f"reply:{r.verdict_id}", "reply", r.region, r.lang, r.text, r.question))
        changes: list[dict[str, Any]] = []
        transitions: Counter[str] = Counter()
        old_versions: dict[str, str] = {}
        new_versions: dict[str, str] = {}
        for item_id, kind, region, lang, text, question in items:
            old = self.ruleset(tenant.tenant_id, line, region, current)
            new = self.ruleset(tenant.tenant_id, line, region, meta.version)
            old_versions[region], new_versions[region] = old.version, new.version
            a = old.scan(text, "en" if lang == "en" else "zh", question)
            b = new.scan(text, "en" if lang == "en" else "zh", question)
            if a.verdict == b.verdict and {(f.rule_id, f.span) for f in a.findings} == {
                (f.rule_id, f.span) for f in b.findings
            }:
                continue
            if a.verdict != b.verdict:
                transitions[f"{a.verdict}->{b.verdict}"] += 1
            change = ImpactChange(
                item_id, a.verdict, b.verdict,
                tuple(sorted(b.rule_ids - a.rule_ids)), tuple(sorted(a.rule_ids - b.rule_ids)),
            ).to_dict()
            change.update(kind=kind, region=region, lang=lang, text=text)
            changes.append(change)
        return {
            "version": meta.version,
            "business_line": line,
            "active_version": current,
            "old_ruleset_versions": old_versions,
            "new_ruleset_versions": new_versions,
            "templates": sum(1 for i in items if i[1] == "template"),
            "replies": len(replies),
            "total": len(items),
            "changed": len(changes),
            "transitions": dict(transitions),
            "changes": changes,
        }

    def activate(self, tenant: Tenant, version: str) -> dict[str, Any]:
        """Make ``version`` the line's active ruleset; activating the active version changes nothing."""
        meta = self._version(tenant, version)
        line = meta.business_line
        previous = self.rulesets.active(tenant.tenant_id, line)
        changed = False
        if previous != version:
            changed = self.rulesets.set_active(tenant.tenant_id, line, version, previous)
            if not changed and self.rulesets.active(tenant.tenant_id, line) != version:
                raise ConflictError("the active version changed concurrently; retry", field="version")
        with self._lock:
            self._pointers.pop((tenant.tenant_id, line), None)
        if changed and self._publish is not None:
            self._publish(tenant.tenant_id, "compliance.ruleset_activated",
                          {"business_line": line, "version": version, "previous_version": previous})
        body = self._version_body(tenant.tenant_id, meta)
        body.update(previous_version=previous if changed else None, changed=changed)
        return body

    # ------------------------------------------------------------ the review loop

    def sample_week(
        self, tenant_id: str, now: datetime, size: int = 200, doubted_size: int | None = None
    ) -> dict[str, Any]:
        """Queue last week's bot replies for the officers: a random sample, and the replies the model doubts.

        The random sample (``size``) is deterministic, seeded by tenant and ISO week. Beside it, of the
        replies the rules passed, those the learned second opinion gives a probability above its
        threshold are queued too, highest first, at most ``doubted_size`` (default: ``size``), with
        ``selection="doubted"`` and the rounded probability; a reply in both keeps ``sample``. Likewise,
        of the replies the rules flagged, those the second opinion finds unlikely to break a rule
        (probability at most ``model.VETO``) are queued lowest first, at most ``doubted_size`` too, with
        ``selection="contested"``. Review ids are the week and the verdict id, so a re-run adds nothing
        twice and keeps the labels given.
        """
        if size < 0:
            raise ValidationError("size must not be negative", field="size")
        cap = size if doubted_size is None else doubted_size
        if cap < 0:
            raise ValidationError("doubted_size must not be negative", field="doubted_size")
        week = iso_week(now)
        records = [
            r for r in self.verdicts.between(tenant_id, now - timedelta(days=7), now, 50_000) if r.source == "bot"
        ]
        chosen = sample_for_review(records, size, seed=f"{tenant_id}:{week}", key=lambda r: r.verdict_id)
        added = sum(self.reviews.add(self._review_item(tenant_id, week, r)) for r in chosen)
        doubted: list[tuple[float, VerdictRecord]] = []
        contested: list[tuple[float, VerdictRecord]] = []
        scored = 0
        if cap:
            sampled = {r.verdict_id for r in chosen}
            scores = [(float(self._doubt(r)), r) for r in records if r.verdict_id not in sampled]
            scored = len(scores)
            doubt, veto = self.doubt_threshold, self.veto_threshold
            doubted = sorted(((p, r) for p, r in scores if r.verdict == "pass" and p > doubt),
                             key=lambda pr: (-pr[0], pr[1].verdict_id))
            contested = sorted(((p, r) for p, r in scores if r.verdict != "pass" and p <= veto),
                               key=lambda pr: (pr[0], pr[1].verdict_id))
        added_doubted = sum(
            self.reviews.add(self._review_item(tenant_id, week, r, selection="doubted", model_p=round(p, 3)))
            for p, r in doubted[:cap]
        )
        added_contested = sum(
            self.reviews.add(self._review_item(tenant_id, week, r, selection="contested", model_p=round(p, 3)))
            for p, r in contested[:cap]
        )
        return {
            "tenant_id": tenant_id, "week": week, "candidates": len(records), "sampled": len(chosen),
            "scored": scored, "doubted_candidates": len(doubted), "doubted": min(len(doubted), cap),
            "contested_candidates": len(contested), "contested": min(len(contested), cap),
            "added": added + added_doubted + added_contested, "added_doubted": added_doubted,
            "added_contested": added_contested,
        }

    @staticmethod
    def _review_item(
        tenant_id: str, week: str, r: VerdictRecord, selection: str = "sample", model_p: float | None = None
    ) -> ReviewItem:
        return ReviewItem(
            tenant_id=tenant_id, review_id=f"{week}-{r.verdict_id}", week=week, verdict_id=r.verdict_id,
            recorded_at=r.recorded_at, business_line=r.business_line, region=r.region, lang=r.lang,
            text=r.text, verdict=r.verdict, predicted=r.rule_ids, ruleset_version=r.ruleset_version,
            selection=selection, model_p=model_p,
        )

    def list_reviews(self, tenant: Tenant, query: Mapping[str, str]) -> dict[str, Any]:
        _require_finance(tenant)
        status = query.get("status")
        if status is not None and status not in REVIEW_STATUSES:
            raise ValidationError("status must be pending or labelled", field="status")
        week = query.get("week")
        if week is not None and not re.match(r"^\d{4}W\d{2}$", week):
            raise ValidationError("week must look like 2026W48", field="week")
        limit = _query_int(query, "limit", 50, 1, 500)
        items = sorted(self.reviews.list(tenant.tenant_id, status, week), key=lambda i: i.review_id)
        return {"items": [i.to_dict() for i in items[:limit]], "total": len(items)}

    def label(self, tenant: Tenant, review_id: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Store an officer's label (confirmed rule ids and verdict); the same label again changes nothing."""
        _require_finance(tenant)
        if not isinstance(payload, Mapping):
            raise ValidationError("the request body must be a JSON object", field=None)
        confirmed = payload.get("confirmed_rule_ids")
        if not isinstance(confirmed, list) or len(confirmed) > 50 or not all(
            isinstance(r, str) and RULE_ID_RE.match(r) for r in confirmed
        ):
            raise ValidationError("confirmed_rule_ids must be a list of rule ids", field="confirmed_rule_ids")
        verdict = payload.get("verdict")
        if verdict not in VERDICTS:
            raise ValidationError("verdict must be pass, fix or block", field="verdict")
        officer = _str(payload, "officer")
        assert officer is not None
        if len(officer) > 64:
            raise ValidationError("officer must be at most 64 characters", field="officer")
        note = payload.get("note")
        if note is not None and (not isinstance(note, str) or len(note) > 1000):
            raise ValidationError("note must be a string of at most 1000 characters", field="note")
        item = self.reviews.get(tenant.tenant_id, review_id) if REVIEW_ID_RE.match(review_id) else None
        if item is None:
            raise NotFoundError(f"no review item {review_id!r}", field="id")
        labelled = replace(
            item, status="labelled", confirmed=tuple(sorted(set(confirmed))), officer_verdict=verdict,
            officer=officer.strip(), note=note,
        )
        unchanged = item.status == "labelled" and (
            item.confirmed, item.officer_verdict, item.officer, item.note
        ) == (labelled.confirmed, labelled.officer_verdict, labelled.officer, labelled.note)
        if unchanged:
            return {"changed": False, "item": item.to_dict()}
        labelled = replace(labelled, labelled_at=self._clock())
        self.reviews.save_label(labelled)
        return {"changed": True, "item": labelled.to_dict()}

    def review_stats(self, tenant: Tenant, query: Mapping[str, str]) -> dict[str, Any]:
        """Precision and recall per rule, and verdict agreement, from the officers' labels.

        Only the random sample counts towards them (the doubted replies were chosen because the model
        suspects a miss, so they would bias recall down; the contested ones because it suspects a false
        alarm); the doubted ones are summarised apart: how many, how many labelled, how many the officers
        found violations (verdict other than pass), and that share of the labelled ones, the model's
        precision on what it flagged; the contested ones likewise with the share the officers found
        compliant (how often a veto of the rules by the model would have been right).
        """
        _require_finance(tenant)
        week = query.get("week")
        if week is not None and not re.match(r"^\d{4}W\d{2}$", week):
            raise ValidationError("week must look like 2026W48", field="week")
        line = query.get("business_line")
        every = [i for i in self.reviews.list(tenant.tenant_id, None, week) if line is None or i.business_line == line]
        items = [i for i in every if i.selection not in ("doubted", "contested")]
        labelled = [i for i in items if i.status == "labelled"]
        stats = precision_recall_per_rule(
            {"predicted": i.predicted, "confirmed": i.confirmed or ()} for i in labelled
        )
        agree = sum(1 for i in labelled if i.officer_verdict == i.verdict)
        return {
            "labelled": len(labelled),
            "pending": len(items) - len(labelled),
            "verdict_agreement": agree / len(labelled) if labelled else None,
            "rules": [s.to_dict() for s in stats.values()],
            # the model was right about a doubted reply when the officer found a violation, about a contested
            # one when the officer found it compliant
            "doubted": _model_selection_summary(every, "doubted", found_violation=True, count="violations",
                                                share="precision"),
            "contested": _model_selection_summary(every, "contested", found_violation=False, count="compliant",
                                                  share="veto_precision"),
        }


def _model_selection_summary(items: list[ReviewItem], selection: str, *, found_violation: bool, count: str,
                             share: str) -> dict[str, Any]:
    """How many items the model chose this way, how many are labelled, and how often the officers agreed."""
    chosen = [i for i in items if i.selection == selection]
    judged = [i for i in chosen if i.status == "labelled"]
    right = sum(1 for i in judged if (i.officer_verdict != "pass") == found_violation)
    return {
        "total": len(chosen),
        "labelled": len(judged),
        "pending": len(chosen) - len(judged),
        count: right,
        share: right / len(judged) if judged else None,
    }


def _query_int(query: Mapping[str, str], key: str, default: int, lo: int, hi: int) -> int:
    raw = query.get(key)
    if raw is None:
        return default
    if not raw.isdigit() or not lo <= int(raw) <= hi:
        raise ValidationError(f"{key} must be an integer in [{lo}, {hi}]", field=key)
    return int(raw)


def _require_finance(tenant: Tenant) -> None:
    if tenant.industry != "finance":
        raise ForbiddenError("the compliance firewall is part of the finance edition", code="not_finance")


def _overlay(texts: Mapping[str, str]) -> dict[str, str]:
    """The shipped packs with the uploaded files added (a file of the same name replaces the shipped one)."""
    merged = dict(bundled_texts())
    merged.update(texts)
    return merged


def _shipped_packs() -> Iterable[tuple[Any, str]]:
    return ((parse_pack(t, name), t) for name, t in bundled_texts().items())


# ---------------------------------------------------------------- the container's service


@per_container
def service() -> ComplianceService:
    """The container's service on DynamoDB and S3 (made on first use; nothing touches AWS at import)."""
    from . import store

    return ComplianceService(
        store.DynamoVerdictStore(), store.S3RulesetStore(), store.DynamoTemplateStore(),
        store.DynamoReviewStore(), publish=store.publish_event,
    )


def reset_service() -> None:
    """Forget the container's service (tests, settings changes)."""
    service.reset()


def check_reply(tenant: Tenant, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Scan one outgoing reply for a tenant and record the verdict: what the chat endpoint calls."""
    return service().check_reply(tenant, payload)
