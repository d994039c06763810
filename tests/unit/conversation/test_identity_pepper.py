from __future__ import annotations

import pytest

from tridesk.core import identity
from tridesk.core.settings import reset_settings


@pytest.fixture
def stage(monkeypatch):
    def set_stage(name: str, pepper: str | None = None) -> None:
        monkeypatch.setenv("TRIDESK_STAGE", name)
        if pepper is None:
            monkeypatch.delenv("TRIDESK_IDENTITY_PEPPER", raising=False)
        else:
            monkeypatch.setenv("TRIDESK_IDENTITY_PEPPER", pepper)
        reset_settings()

    yield set_stage
    reset_settings()


def test_only_dev_may_use_the_development_pepper(stage):
    stage("dev")
    assert identity._pepper_default() == identity.DEV_PEPPER
    stage("prod")
    with pytest.raises(RuntimeError, match="TRIDESK_IDENTITY_PEPPER"):
        identity._pepper_default()
    stage("prod", "s3cr3t-from-the-vault")
    assert identity._pepper_default() == "s3cr3t-from-the-vault"
