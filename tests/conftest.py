"""Shared fixtures: canonical events, a Lambda context, and the local stack (once per session)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events"

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "TriDesk")
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "tridesk-tests")


def load_event(name: str) -> dict[str, Any]:
    """An event from events/ (the same files serve `sam local invoke -e`)."""
    return json.loads((EVENTS / name).read_text(encoding="utf-8"))


@dataclass
class LambdaContext:
    function_name: str = "test"
    memory_limit_in_mb: int = 128
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:test"
    aws_request_id: str = "da658bd3-2d6f-4e7b-8ec2-937234644fdc"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


@pytest.fixture
def lambda_context() -> LambdaContext:
    return LambdaContext()


@pytest.fixture(scope="session")
def stack():
    """The embedded local stack on free ports: moto, template.yaml, real handlers, the API."""
    from local.stack import LocalStack

    with LocalStack(api_port=0, aws_port=0) as running:
        yield running
