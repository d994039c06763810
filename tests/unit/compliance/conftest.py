"""Shared fixtures: jieba loaded once per session, and the bundled wealth ruleset."""

from __future__ import annotations

import pytest

from tridesk.finance.compliance import Ruleset, load_ruleset, warm_up


@pytest.fixture(scope="session", autouse=True)
def _jieba_loaded() -> None:
    warm_up()


@pytest.fixture
def wealth() -> Ruleset:
    return load_ruleset("wealth", "CN")
