"""The public entry point: request validation, the response shape, and the review-loop statistics."""

from __future__ import annotations

import pytest

from tridesk.core.errors import ValidationError
from tridesk.finance.compliance import (
    load_ruleset,
    precision_recall_per_rule,
    sample_for_review,
    scan,
)


def body(**kw):
    return {"text": "您好，请问有什么可以帮您？", "business_line": "wealth", "region": "CN", "lang": "zh", **kw}


def test_response_has_exactly_the_contract_shape():
    # GIVEN a reply that needs a disclosure
    out = scan(body(text="This product has had strong returns lately.", lang="en"))
    # THEN the body is the DESIGN.md response
    assert set(out) == {"verdict", "findings", "fixed_text", "ruleset_version"}
    assert out["verdict"] == "fix"
    (finding,) = out["findings"]
    assert set(finding) == {"rule_id", "category", "severity", "span", "message", "required_phrase"}
    assert isinstance(finding["span"], list) and len(finding["span"]) == 2
    assert out["ruleset_version"] == load_ruleset("wealth", "CN").version


def test_a_passing_reply_has_no_fixed_text():
    out = scan(body())
    assert out == {"verdict": "pass", "findings": [], "ruleset_version": out["ruleset_version"]}


def test_region_defaults_to_national_and_language_tags_are_normalised():
    out = scan({"text": "这个产品零风险。", "business_line": "wealth", "lang": "en-US"})
    assert out["verdict"] == "block" and out["findings"][0]["message"].isascii()


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"business_line": "wealth"}, "text"),
        (body(text="   "), "text"),
        (body(text=123), "text"),
        (body(text="字" * 5001), "text"),
        (body(business_line="crypto"), "business_line"),
        (body(business_line=None), "business_line"),
        (body(lang="fr"), "lang"),
        (body(region="shanghai"), "region"),
        (body(region="US"), "region"),
        (body(question=["not", "text"]), "question"),
    ],
)
def test_bad_requests_name_the_field(payload, field):
    with pytest.raises(ValidationError) as info:
        scan(payload)
    assert info.value.field == field


def test_an_explicit_ruleset_must_match_the_business_line():
    with pytest.raises(ValidationError) as info:
        scan(body(business_line="loan"), ruleset=load_ruleset("wealth", "CN"))
    assert info.value.field == "business_line"


def test_precision_and_recall_per_rule_from_officer_labels():
    labels = [
        {"predicted": ["A"], "confirmed": ["A"]},
        {"predicted": ["A", "B"], "confirmed": ["A"]},
        {"predicted": [], "confirmed": ["B"]},
        {"predicted": ["B"], "confirmed": ["B"]},
        {"predicted": [], "confirmed": []},
    ]
    stats = precision_recall_per_rule(labels)
    assert (stats["A"].precision, stats["A"].recall) == (1.0, 1.0)
    assert (stats["B"].tp, stats["B"].fp, stats["B"].fn) == (1, 1, 1)
    assert stats["B"].precision == 0.5 and stats["B"].recall == 0.5
    with pytest.raises(ValidationError) as info:
        precision_recall_per_rule([{"predicted": []}])
    assert info.value.field == "labels[0]"


def test_weekly_sample_is_reproducible_and_sized():
    replies = [{"id": f"r{i}"} for i in range(1000)]
    week = sample_for_review(replies, size=200, seed="2025-W23")
    assert len(week) == 200 and len({r["id"] for r in week}) == 200
    assert week == sample_for_review(list(reversed(replies)), size=200, seed="2025-W23")
    assert week != sample_for_review(replies, size=200, seed="2025-W24")
