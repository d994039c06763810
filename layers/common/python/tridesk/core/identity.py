"""OneID: one customer behind every channel identity of a tenant.

A request names the caller by channel identities (app user id, mini-program openid/unionid,
web cookie id, phone, email). Each becomes a *key* (``<kind>#<hmac>``: personal data is never
stored or logged in clear) owned by one customer, its *home*. Rules:

- Channel ids (app user id, openid, unionid, cookie id) are asserted by the channel's back end
  and are always linked. A phone or e-mail is linked only when ``*_verified`` is true: an
  unverified number proves nothing and must never open someone else's history.
- A *verified* phone or a unionid presented together with keys that belong to another customer
  merges that customer into the key's owner. Merges are recorded and reversible: un-merge
  detaches the absorbed customer, each side keeps the turns stored under it, and the pair is
  remembered so that the same evidence does not merge them again.
- Concurrent first contacts never create two customers for one verified key: the key item is
  claimed with a conditional write; the loser drops its fresh customer and resolves again.

Customers merged into another resolve to the survivor (``canonical``); the survivor's
``members`` are every customer whose turns make up its history.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Protocol

from tridesk.core.errors import ConflictError, NotFoundError, ValidationError

KINDS = ("app_user_id", "openid", "unionid", "cookie_id", "phone", "email")
CHANNEL_KINDS = ("app_user_id", "openid", "unionid", "cookie_id")
MERGE_KINDS = ("phone", "unionid")
#: which key speaks for the caller on each channel (the home of the turns it stores)
PRIMARY_BY_CHANNEL: dict[str, tuple[str, ...]] = {
    "app": ("app_user_id", "unionid", "phone", "email", "cookie_id", "openid"),
    "miniprogram": ("openid", "unionid", "phone", "app_user_id", "email", "cookie_id"),
    "web": ("cookie_id", "app_user_id", "unionid", "phone", "email", "openid"),
    "phone": ("phone", "app_user_id", "unionid", "openid", "email", "cookie_id"),
    "email": ("email", "app_user_id", "unionid", "openid", "phone", "cookie_id"),
}
CHANNELS = tuple(PRIMARY_BY_CHANNEL)
_CHANNEL_ID = re.compile(r"^[A-Za-z0-9._:@=+/-]{4,128}$")
_CN_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_CUSTOMER_ID = re.compile(r"^c-[0-9a-f]{20}$")
MAX_ATTEMPTS = 6
MAX_CHAIN = 8
DEV_PEPPER = "tridesk-dev-pepper"


@dataclass(frozen=True, slots=True)
class IdentityKey:
    """One channel identity, pseudonymised: ``key_id`` is ``<kind>#<hmac hex>``; ``masked`` is for display."""

    kind: str
    key_id: str
    masked: str
    verified: bool

    @property
    def linkable(self) -> bool:
        return self.kind in CHANNEL_KINDS or self.verified

    @property
    def merges(self) -> bool:
        """Shared by two customers, this key proves they are one person."""
        return self.kind in MERGE_KINDS and self.verified


@dataclass(frozen=True, slots=True)
class Identity:
    """The validated ``identity`` of a request: its keys in the channel's priority order."""

    keys: tuple[IdentityKey, ...]

    @property
    def linkable(self) -> tuple[IdentityKey, ...]:
        return tuple(k for k in self.keys if k.linkable)

    @property
    def primary(self) -> IdentityKey:
        return self.linkable[0]


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    """A customer as stored: ``merged_into`` when absorbed, ``members`` absorbed into it."""

    customer_id: str
    created_at: datetime
    merged_into: str | None = None
    members: frozenset[str] = frozenset()
    no_merge_with: frozenset[str] = frozenset()
    name: str | None = None
    vip: bool = False
    tier: str | None = None
    contacts: tuple[str, ...] = ()
    open_ticket_id: str | None = None
    last_handoff_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MergeRecord:
    merge_id: str
    survivor_id: str
    absorbed_id: str
    key_kind: str
    at: datetime
    status: str = "active"
    undone_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "merge_id": self.merge_id,
            "survivor_id": self.survivor_id,
            "absorbed_id": self.absorbed_id,
            "key_kind": self.key_kind,
            "at": self.at.isoformat(),
            "status": self.status,
            "undone_at": self.undone_at.isoformat() if self.undone_at else None,
        }


@dataclass(frozen=True, slots=True)
class Resolution:
    """Who is calling: the canonical customer, the home of this channel's key, the merged group."""

    customer_id: str
    home_id: str
    members: tuple[str, ...]
    profile: CustomerRecord
    created: bool = False
    merges: tuple[MergeRecord, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "customer_id": self.customer_id,
            "home_id": self.home_id,
            "members": list(self.members),
            "created": self.created,
            "merged": [m.to_dict() for m in self.merges],
        }


class IdentityStore(Protocol):
    """Where keys, customers and merges live; every write that decides ownership is conditional."""

    def get_keys(self, tenant_id: str, key_ids: Sequence[str]) -> dict[str, str]:
        """``{key_id: home customer id}`` of the keys that exist."""
        ...

    def claim_key(self, tenant_id: str, key: IdentityKey, customer_id: str, at: datetime) -> bool:
        """Link ``key`` to ``customer_id`` unless it is already linked (then False)."""
        ...

    def create_customer(self, tenant_id: str, record: CustomerRecord) -> None: ...

    def drop_customer(self, tenant_id: str, customer_id: str) -> None:
        """Remove a customer created by a first contact that lost its race (no key, no member)."""
        ...

    def get_customer(self, tenant_id: str, customer_id: str) -> CustomerRecord | None: ...

    def merge(self, tenant_id: str, record: MergeRecord) -> bool:
        """Atomically: absorbed.merged_into = survivor (only if not merged and not split before),
        survivor.members += absorbed, the merge recorded. False when a condition failed."""
        ...

    def unmerge(self, tenant_id: str, absorbed_id: str, survivor_id: str, at: datetime) -> MergeRecord | None:
        """Atomically undo the active merge of ``absorbed_id`` into ``survivor_id``; None if there is none."""
        ...


def _pepper_default() -> str:
    """The key of identity digests: ``TRIDESK_IDENTITY_PEPPER`` (a secret, set per stage).

    Only the dev stage may fall back to a fixed development value; staging and prod refuse to
    start without one, so personal identifiers are never keyed with a value found in the code.
    """
    from tridesk.core.settings import get_settings

    settings = get_settings()
    configured = settings.option("identity_pepper", "")
    if configured:
        return configured
    if settings.stage != "dev":
        raise RuntimeError("TRIDESK_IDENTITY_PEPPER must be set outside the dev stage")
    return DEV_PEPPER


def _digest(pepper: str, tenant_id: str, kind: str, value: str) -> str:
    mac = hmac.new(pepper.encode(), f"{tenant_id}|{kind}|{value}".encode(), hashlib.sha256)
    return mac.hexdigest()[:40]


def mask(kind: str, value: str) -> str:
    """A display form that identifies nobody: ``138****5678``, ``a***@example.com``, ``ab…yz``."""
    if kind == "phone":
        return value[:3] + "****" + value[-4:]
    if kind == "email":
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    return f"{value[:2]}…{value[-2:]}"


def normalise_phone(raw: str) -> str | None:
    """A mainland mobile as its 11 digits (``+86``/``0086`` dropped), any other number in E.164."""
    compact = re.sub(r"[\s()-]", "", raw)
    for prefix in ("+86", "0086"):
        if compact.startswith(prefix) and _CN_MOBILE.match(compact[len(prefix):]):
            return compact[len(prefix):]
    if _CN_MOBILE.match(compact) or _E164.match(compact):
        return compact
    return None


def parse_identity(
    tenant_id: str, data: Any, channel: str, *, pepper: str | None = None
) -> Identity:
    """Validate ``identity`` (400 naming the field) and derive its keys, the channel's own first.

    Accepted fields: app_user_id, openid, unionid, cookie_id, phone, phone_verified, email,
    email_verified. At least one linkable key is required (a channel id or a verified contact).
    """
    if channel not in CHANNELS:
        raise ValidationError(f"channel must be one of {', '.join(CHANNELS)}", field="channel")
    if not isinstance(data, Mapping) or not data:
        raise ValidationError("identity must be a non-empty object", field="identity")
    allowed = set(KINDS) | {"phone_verified", "email_verified"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationError(f"unknown identity field {unknown[0]}", field=f"identity.{unknown[0]}")
    secret = pepper if pepper is not None else _pepper_default()
    found: dict[str, IdentityKey] = {}
    for kind in KINDS:
        if kind not in data:
            continue
        raw = data[kind]
        where = f"identity.{kind}"
        if not isinstance(raw, str) or not raw.strip():
            raise ValidationError(f"{kind} must be a non-empty string", field=where)
        value = raw.strip()
        verified = True
        if kind == "phone":
            normal = normalise_phone(value)
            if normal is None:
                raise ValidationError("phone must be a mainland mobile number or +E.164", field=where)
            value, verified = normal, _flag(data, "phone_verified")
        elif kind == "email":
            if not _EMAIL.match(value) or len(value) > 254:
                raise ValidationError("email is not an e-mail address", field=where)
            value, verified = value.lower(), _flag(data, "email_verified")
        elif not _CHANNEL_ID.match(value):
            raise ValidationError(f"{kind} must be 4-128 letters, digits or ._:@=+/-", field=where)
        found[kind] = IdentityKey(kind, f"{kind}#{_digest(secret, tenant_id, kind, value)}", mask(kind, value), verified)
    for flag in ("phone_verified", "email_verified"):
        if flag in data:
            _flag(data, flag)
    ordered = tuple(found[k] for k in PRIMARY_BY_CHANNEL[channel] if k in found)
    identity = Identity(ordered)
    if not identity.linkable:
        raise ValidationError(
            "identity needs a channel id (app_user_id, openid, unionid, cookie_id) or a verified phone or email",
            field="identity",
        )
    return identity


def channel_ids(data: Any) -> dict[str, str]:
    """The channel ids of an already validated ``identity``, in clear, for the turn's capability only."""
    if not isinstance(data, Mapping):
        return {}
    return {k: data[k].strip() for k in CHANNEL_KINDS if isinstance(data.get(k), str) and data[k].strip()}


def _flag(data: Mapping[str, Any], name: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise ValidationError(f"{name} must be true or false", field=f"identity.{name}")
    return value


def new_customer_id() -> str:
    return f"c-{uuid.uuid4().hex[:20]}"


def valid_customer_id(value: str) -> bool:
    return bool(_CUSTOMER_ID.match(value))


class OneId:
    """Resolves identities to customers over an :class:`IdentityStore`."""

    def __init__(
        self,
        store: IdentityStore,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        new_id: Callable[[], str] = new_customer_id,
    ) -> None:
        self.store = store
        self.clock = clock
        self.new_id = new_id

    # ------------------------------------------------------------------ reading
    def canonical(self, tenant_id: str, customer_id: str) -> CustomerRecord:
        """The survivor at the end of ``customer_id``'s merge chain; NotFoundError if unknown."""
        record = self.store.get_customer(tenant_id, customer_id)
        if record is None:
            raise NotFoundError("unknown customer", field="customer_id")
        for _ in range(MAX_CHAIN):
            if record.merged_into is None:
                return record
            parent = self.store.get_customer(tenant_id, record.merged_into)
            if parent is None:
                return record
            record = parent
        return record

    def members(self, tenant_id: str, root: CustomerRecord) -> tuple[str, ...]:
        """Every customer whose turns form ``root``'s history: itself and all it absorbed, transitively."""
        seen = [root.customer_id]
        todo = sorted(root.members)
        while todo and len(seen) < 64:
            cid = todo.pop(0)
            if cid in seen:
                continue
            record = self.store.get_customer(tenant_id, cid)
            if record is None or record.merged_into not in seen:
                continue
            seen.append(cid)
            todo.extend(sorted(record.members))
        return tuple(seen)

    def group(self, tenant_id: str, customer_id: str) -> tuple[CustomerRecord, tuple[str, ...]]:
        root = self.canonical(tenant_id, customer_id)
        return root, self.members(tenant_id, root)

    # ------------------------------------------------------------------ resolving
    def resolve(self, tenant_id: str, identity: Identity) -> Resolution:
        """The customer behind ``identity``: found, linked, merged or created (see the module rules)."""
        for _ in range(MAX_ATTEMPTS):
            result = self._attempt(tenant_id, identity)
            if result is not None:
                return result
        raise ConflictError("the identity is being changed concurrently; retry", field="identity")

    def _attempt(self, tenant_id: str, identity: Identity) -> Resolution | None:
        keys = identity.linkable
        homes = self.store.get_keys(tenant_id, [k.key_id for k in keys])
        now = self.clock()
        if not homes:
            return self._first_contact(tenant_id, identity, now)
        owners: dict[str, CustomerRecord] = {}
        for key in keys:
            if key.key_id in homes:
                owners[key.key_id] = self.canonical(tenant_id, homes[key.key_id])
        distinct = {r.customer_id: r for r in owners.values()}
        primary = next(k for k in keys if k.key_id in owners)
        target = owners[primary.key_id]
        merges: list[MergeRecord] = []
        if len(distinct) > 1:
            evidence = next((k for k in keys if k.merges and k.key_id in owners), None)
            if evidence is not None:
                survivor = owners[evidence.key_id]
                target = survivor
                for other in distinct.values():
                    if other.customer_id == survivor.customer_id:
                        continue
                    if other.customer_id in survivor.no_merge_with or survivor.customer_id in other.no_merge_with:
                        # split on purpose earlier: this channel's own key decides who is calling
                        target = owners[primary.key_id]
                        continue
                    record = MergeRecord(
                        merge_id=f"m-{uuid.uuid4().hex[:16]}",
                        survivor_id=survivor.customer_id,
                        absorbed_id=other.customer_id,
                        key_kind=evidence.kind,
                        at=now,
                    )
                    if not self.store.merge(tenant_id, record):
                        return None
                    merges.append(record)
        for key in keys:
            if key.key_id in homes:
                continue
            if not self.store.claim_key(tenant_id, key, target.customer_id, now):
                return None
            homes[key.key_id] = target.customer_id
        root = self.canonical(tenant_id, target.customer_id)
        return Resolution(
            customer_id=root.customer_id,
            home_id=homes[identity.primary.key_id],
            members=self.members(tenant_id, root),
            profile=root,
            merges=tuple(merges),
        )

    def _first_contact(self, tenant_id: str, identity: Identity, now: datetime) -> Resolution | None:
        keys = sorted(identity.linkable, key=lambda k: not k.merges)  # verified merge keys first
        customer_id = self.new_id()
        record = CustomerRecord(customer_id, now, contacts=tuple(k.masked for k in keys if k.kind in ("phone", "email")))
        self.store.create_customer(tenant_id, record)
        claimed = 0
        for key in keys:
            if not self.store.claim_key(tenant_id, key, customer_id, now):
                if claimed == 0:
                    self.store.drop_customer(tenant_id, customer_id)
                return None  # another first contact won: resolve again and link to its customer
            claimed += 1
        return Resolution(customer_id, customer_id, (customer_id,), record, created=True)

    # ------------------------------------------------------------------ un-merging
    def unmerge(self, tenant_id: str, customer_id: str) -> MergeRecord:
        """Detach ``customer_id`` from the customer it was merged into; both keep their own history."""
        record = self.store.get_customer(tenant_id, customer_id)
        if record is None:
            raise NotFoundError("unknown customer", field="customer_id")
        if record.merged_into is None:
            raise ConflictError("the customer is not merged into another", field="customer_id", code="not_merged")
        undone = self.store.unmerge(tenant_id, customer_id, record.merged_into, self.clock())
        if undone is None:
            raise ConflictError("the merge changed concurrently; retry", field="customer_id")
        return undone


__all__ = [
    "CHANNELS",
    "CustomerRecord",
    "Identity",
    "IdentityKey",
    "IdentityStore",
    "MergeRecord",
    "OneId",
    "Resolution",
    "channel_ids",
    "mask",
    "new_customer_id",
    "parse_identity",
    "valid_customer_id",
]
