"""State-aware TTLs: settled long, in transit short, exceptions always to the source."""

from __future__ import annotations

import pytest

from tridesk.ecommerce.tracking.freshness import FreshnessPolicy
from tridesk.ecommerce.tracking.models import TrackingStatus as S


def test_settled_lives_longer_than_in_transit_and_exceptions_not_at_all() -> None:
    policy = FreshnessPolicy()
    assert policy.ttl_for(S.SIGNED) == policy.ttl_for(S.DELIVERED) == policy.settled_ttl_s
    assert policy.ttl_for(S.IN_TRANSIT) == policy.in_transit_ttl_s < policy.settled_ttl_s
    for status in (S.LOST, S.DAMAGED, S.HELD, S.RETURNED, S.REFUSED, S.UNKNOWN):
        assert policy.ttl_for(status) == 0
        assert policy.always_to_source(status)
    assert not policy.always_to_source(S.IN_TRANSIT)


def test_values_are_parameters_and_overrides_win() -> None:
    policy = FreshnessPolicy(settled_ttl_s=100, in_transit_ttl_s=10, overrides={S.OUT_FOR_DELIVERY: 3})
    assert policy.ttl_for(S.SIGNED) == 100
    assert policy.ttl_for(S.PICKED_UP) == 10
    assert policy.ttl_for(S.OUT_FOR_DELIVERY) == 3
    assert policy.expires_at(S.PICKED_UP, 1000.0) == 1010.0


def test_l1_never_outlives_the_shared_freshness() -> None:
    policy = FreshnessPolicy(settled_ttl_s=3600, in_transit_ttl_s=2, l1_ttl_s=5)
    assert policy.l1_ttl_for(S.SIGNED) == 5
    assert policy.l1_ttl_for(S.IN_TRANSIT) == 2
    assert policy.l1_ttl_for(S.SIGNED, remaining_s=1.5) == 1.5
    assert policy.l1_ttl_for(S.LOST) == 0
    assert policy.l1_ttl_for(S.SIGNED, remaining_s=-3) == 0


def test_an_exception_state_cannot_be_configured_to_cache() -> None:
    with pytest.raises(ValueError):
        FreshnessPolicy(overrides={S.LOST: 60})
    with pytest.raises(ValueError):
        FreshnessPolicy(in_transit_ttl_s=-1)


def test_records_are_retained_past_freshness_for_degraded_answers() -> None:
    policy = FreshnessPolicy(settled_ttl_s=100, retention_s=1000)
    assert policy.retain_until(0.0) >= 1000
    assert policy.retain_until(0.0) > policy.expires_at(S.SIGNED, 0.0)
