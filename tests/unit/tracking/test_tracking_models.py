"""Status taxonomy and the validating (de)serialisation of orders, events and snapshots."""

from __future__ import annotations

import pytest

from local.carrier_service import demo_orders, demo_shipments
from tridesk.core.errors import ValidationError
from tridesk.ecommerce.tracking.models import (
    Order,
    StatusClass,
    TrackingSnapshot,
    TrackingStatus,
    classify,
    validate_order_id,
)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("signed", StatusClass.SETTLED),
        ("delivered", StatusClass.SETTLED),
        ("picked_up", StatusClass.IN_TRANSIT),
        ("in_transit", StatusClass.IN_TRANSIT),
        ("out_for_delivery", StatusClass.IN_TRANSIT),
        ("lost", StatusClass.EXCEPTION),
        ("damaged", StatusClass.EXCEPTION),
        ("held", StatusClass.EXCEPTION),
        ("returned", StatusClass.EXCEPTION),
        ("unknown", StatusClass.EXCEPTION),
    ],
)
def test_statuses_are_classified(status: str, expected: StatusClass) -> None:
    assert classify(TrackingStatus.parse(status)) is expected


def test_every_status_has_both_languages() -> None:
    for status in TrackingStatus:
        assert status.text.zh and status.text.en and status.text.zh != status.text.en


def test_unknown_status_code_is_rejected_with_its_field() -> None:
    with pytest.raises(ValidationError) as err:
        TrackingStatus.parse("teleported", field="events[1].status")
    assert err.value.field == "events[1].status"


@pytest.mark.parametrize("bad", ["", "ab", "x" * 65, "ECD 1", "../etc", "订单123", None, 42, "-ABC"])
def test_malformed_order_ids_are_rejected(bad: object) -> None:
    with pytest.raises(ValidationError) as err:
        validate_order_id(bad)
    assert err.value.field == "order_id"


def test_snapshot_round_trip_and_order_of_events() -> None:
    # GIVEN a demo parcel
    snap = next(iter(demo_shipments().values()))
    # WHEN it travels as JSON and back
    again = TrackingSnapshot.from_dict(snap.to_dict())
    # THEN nothing is lost and events stay oldest first
    assert again == snap
    assert [e.time for e in again.events] == sorted(e.time for e in again.events)


def test_snapshot_validation_names_the_bad_field() -> None:
    body = next(iter(demo_shipments().values())).to_dict()
    body["events"][2]["time"] = "yesterday"
    with pytest.raises(ValidationError) as err:
        TrackingSnapshot.from_dict(body, prefix="tracking.")
    assert err.value.field == "tracking.events[2].time"


def test_naive_times_are_rejected() -> None:
    body = next(iter(demo_shipments().values())).to_dict()
    body["as_of"] = "2026-11-11T10:00:00"
    with pytest.raises(ValidationError) as err:
        TrackingSnapshot.from_dict(body)
    assert err.value.field == "as_of"


def test_order_round_trip() -> None:
    for order in demo_orders():
        assert Order.from_dict(order.to_dict()) == order


def test_demo_dataset_covers_every_status_class() -> None:
    classes = {classify(s.status) for s in demo_shipments().values()}
    assert classes == set(StatusClass)
    assert any(o.tracking_number is None for o in demo_orders())
