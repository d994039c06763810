"""The finance compliance firewall: every outgoing reply is scanned against versioned rule packs.

Rule packs (``tridesk/finance/rules/*.yaml``) say what is forbidden and which claims need which
disclosures, per business line and region; ``scan`` returns the ``POST /v1/compliance/scan`` body.
"""

from __future__ import annotations

from .firewall import check_reply
from .packs import PackLibrary, RulePackError, parse_pack
from .review import ImpactReport, RuleStats, impact, precision_recall_per_rule, sample_for_review
from .scanner import Finding, Ruleset, ScanResult
from .service import MAX_TEXT_CHARS, build_ruleset, bundled_library, business_lines, load_ruleset, scan
from .text import warm_up

__all__ = [
    "MAX_TEXT_CHARS",
    "Finding",
    "ImpactReport",
    "PackLibrary",
    "RulePackError",
    "RuleStats",
    "Ruleset",
    "ScanResult",
    "build_ruleset",
    "check_reply",
    "bundled_library",
    "business_lines",
    "impact",
    "load_ruleset",
    "parse_pack",
    "precision_recall_per_rule",
    "sample_for_review",
    "scan",
    "warm_up",
]
