"""One settings object for the whole suite, read from the environment once, on first use.

template.yaml sets the variables; the naming convention lets code and the health check
discover every resource without a hand-kept list:

- ``*_TABLE``               DynamoDB table names
- ``*_QUEUE_URL``           SQS queue URLs
- ``*_STATE_MACHINE_ARN``   Step Functions state machine ARNs
- ``*_BUCKET``              S3 bucket names
- ``*_TOPIC_ARN``           SNS topic ARNs
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

_KINDS = {
    "table": "_TABLE",
    "queue": "_QUEUE_URL",
    "state_machine": "_STATE_MACHINE_ARN",
    "bucket": "_BUCKET",
    "topic": "_TOPIC_ARN",
}


@dataclass(frozen=True)
class Settings:
    """Configuration of one process (a Lambda container, the local stack, a test)."""

    stage: str = "dev"
    region: str = "us-east-1"
    endpoint_url: str | None = None
    resources: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        resources: dict[str, dict[str, str]] = {kind: {} for kind in _KINDS}
        for key, value in env.items():
            if not value:
                continue
            for kind, suffix in _KINDS.items():
                if key.endswith(suffix) and key != suffix.lstrip("_"):
                    resources[kind][key[: -len(suffix)].lower()] = value
                    break
        return cls(
            stage=env.get("TRIDESK_STAGE", "dev"),
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
            endpoint_url=env.get("AWS_ENDPOINT_URL") or None,
            resources=resources,
            extra={k: v for k, v in env.items() if k.startswith("TRIDESK_")},
        )

    def _get(self, kind: str, name: str) -> str:
        try:
            return self.resources[kind][name.lower()]
        except KeyError:
            suffix = _KINDS[kind]
            raise RuntimeError(f"{name.upper()}{suffix} is not configured") from None

    def table(self, name: str) -> str:
        """Table name for ``name`` (``table("tenants")`` reads ``TENANTS_TABLE``)."""
        return self._get("table", name)

    def queue_url(self, name: str) -> str:
        return self._get("queue", name)

    def state_machine_arn(self, name: str) -> str:
        return self._get("state_machine", name)

    def bucket(self, name: str) -> str:
        return self._get("bucket", name)

    def topic_arn(self, name: str) -> str:
        return self._get("topic", name)

    def option(self, name: str, default: str) -> str:
        """A tuning value from ``TRIDESK_<NAME>``."""
        return self.extra.get(f"TRIDESK_{name.upper()}", default)


_lock = threading.Lock()
_settings: Settings | None = None


def get_settings() -> Settings:
    """The process's settings, read from the environment on the first call."""
    global _settings
    if _settings is None:
        with _lock:
            if _settings is None:
                _settings = Settings.from_env()
    return _settings


def reset_settings() -> None:
    """Forget the cached settings and every client made from them (tests, the local stack)."""
    global _settings
    with _lock:
        _settings = None
    from tridesk.core import aws

    aws.reset_clients()
