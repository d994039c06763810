"""OneID rules over an in-memory store: linking, verified merges, un-merge, races, privacy."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.fakes.conversation import FakeIdentityStore
from tridesk.core.errors import ConflictError, NotFoundError, ValidationError
from tridesk.core.identity import OneId, parse_identity

T = "demo-ecommerce"


def ident(channel: str, **fields):
    return parse_identity(T, fields, channel, pepper="test-pepper")


@pytest.fixture
def oneid() -> OneId:
    return OneId(FakeIdentityStore())


def test_keys_are_pseudonymous_and_masked():
    identity = ident("app", app_user_id="u-1001", phone="+86 138-0013-8000", phone_verified=True)
    phone = next(k for k in identity.keys if k.kind == "phone")
    assert "13800138000" not in phone.key_id and phone.masked == "138****8000"
    assert identity.primary.kind == "app_user_id"
    # the same number in another tenant is another key: no cross-tenant linking
    other = parse_identity("demo-finance", {"phone": "13800138000", "phone_verified": True}, "app", pepper="test-pepper")
    assert other.keys[0].key_id != phone.key_id


@pytest.mark.parametrize(
    "fields, field",
    [
        ({}, "identity"),
        ({"phone": "13800138000"}, "identity"),
        ({"phone": "999", "phone_verified": True}, "identity.phone"),
        ({"app_user_id": "u-0001", "phone_verified": "yes"}, "identity.phone_verified"),
        ({"app_user_id": ""}, "identity.app_user_id"),
        ({"app_user_id": "u-1001", "password": "x"}, "identity.password"),
    ],
)
def test_bad_identities_name_their_field(fields, field):
    with pytest.raises(ValidationError) as err:
        ident("app", **fields)
    assert err.value.field == field


def test_first_contact_creates_then_resolves_the_same_customer(oneid):
    first = oneid.resolve(T, ident("app", app_user_id="u-1001"))
    again = oneid.resolve(T, ident("app", app_user_id="u-1001"))
    assert first.created and not again.created and again.customer_id == first.customer_id


def test_a_new_channel_with_a_verified_phone_links_to_the_phone_owner(oneid):
    owner = oneid.resolve(T, ident("app", app_user_id="u-0001", phone="13800138000", phone_verified=True))
    web = oneid.resolve(T, ident("web", cookie_id="ck-0001", phone="13800138000", phone_verified=True))
    assert web.customer_id == owner.customer_id and not web.merges


def test_an_unverified_phone_links_nothing(oneid):
    owner = oneid.resolve(T, ident("app", app_user_id="u-0001", phone="13800138000", phone_verified=True))
    other = oneid.resolve(T, ident("web", cookie_id="ck-0001", phone="13800138000"))
    assert other.customer_id != owner.customer_id


def test_shared_unionid_merges_and_unmerge_restores_both_sides(oneid):
    a = oneid.resolve(T, ident("app", app_user_id="u-0001", unionid="un-777"))
    b = oneid.resolve(T, ident("miniprogram", openid="op-42"))
    merged = oneid.resolve(T, ident("miniprogram", openid="op-42", unionid="un-777"))
    assert merged.customer_id == a.customer_id and merged.home_id == b.customer_id
    assert set(merged.members) == {a.customer_id, b.customer_id}
    assert [m.absorbed_id for m in merged.merges] == [b.customer_id]

    undone = oneid.unmerge(T, b.customer_id)
    assert undone.status == "undone" and undone.survivor_id == a.customer_id
    root, members = oneid.group(T, a.customer_id)
    assert members == (a.customer_id,)
    # the same evidence does not merge the pair again: each channel speaks for its own customer
    assert oneid.resolve(T, ident("miniprogram", openid="op-42", unionid="un-777")).customer_id == b.customer_id
    assert oneid.resolve(T, ident("app", app_user_id="u-0001")).customer_id == a.customer_id
    with pytest.raises(ConflictError):
        oneid.unmerge(T, b.customer_id)
    with pytest.raises(NotFoundError):
        oneid.unmerge(T, "c-00000000000000000000")


def test_racing_first_contacts_on_one_verified_phone_create_one_customer():
    store = FakeIdentityStore()
    oneid = OneId(store)
    barrier = threading.Barrier(8)

    def contact(i: int) -> str:
        barrier.wait()
        channel, field = (("app", "app_user_id"), ("miniprogram", "openid"), ("web", "cookie_id"))[i % 3]
        return oneid.resolve(T, ident(channel, **{field: f"id-{i:04d}", "phone": "13900001111", "phone_verified": True})).customer_id

    with ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(contact, range(8)))
    assert len(ids) == 1
    assert {c.customer_id for c in store.customers.values() if c.merged_into is None} == ids
