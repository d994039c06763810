"""Demo data of the local stack: the three demo tenants (ids fixed; clients and docs use them)."""

from __future__ import annotations

DEMO_TENANTS = [
    {
        "tenant_id": "demo-ecommerce",
        "name": "Demo Mall / 演示商城",
        "industry": "ecommerce",
        "edition": "peak",
        "default_lang": "zh",
        "regions": ["CN", "CN-SH", "CN-GD"],
        "settings": {"handoff_after_unresolved": 3},
    },
    {
        "tenant_id": "demo-finance",
        "name": "Demo Bank / 演示银行",
        "industry": "finance",
        "edition": "compliance",
        "default_lang": "zh",
        "regions": ["CN", "CN-SH"],
        "rule_packs": ["wealth", "fund", "insurance", "deposit", "credit_card", "loan"],
        "settings": {"audit_retention_years": 7},
    },
    {
        "tenant_id": "demo-education",
        "name": "Demo Academy / 演示学堂",
        "industry": "education",
        "edition": "diagnosis",
        "default_lang": "zh",
        "regions": ["CN"],
        "settings": {"subjects": ["k12-math", "python-vocational"]},
    },
]
