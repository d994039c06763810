"""Lazy, cached boto3 clients that honour ``AWS_ENDPOINT_URL`` (moto, LocalStack, AWS alike).

Nothing is created at import time; the first call makes the client from the settings.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.config import Config

from tridesk.core.settings import get_settings

_lock = threading.Lock()
_clients: dict[str, Any] = {}
_session: boto3.session.Session | None = None

_CONFIG = Config(
    retries={"max_attempts": 3, "mode": "standard"},
    connect_timeout=2,
    read_timeout=10,
    max_pool_connections=32,
)


def client(service: str) -> Any:
    """A shared boto3 client for ``service`` (thread-safe; clients are thread-safe too)."""
    found = _clients.get(service)
    if found is not None:
        return found
    global _session
    with _lock:
        if service not in _clients:
            settings = get_settings()
            if _session is None:
                _session = boto3.session.Session()
            _clients[service] = _session.client(
                service,
                region_name=settings.region,
                endpoint_url=settings.endpoint_url,
                config=_CONFIG,
            )
        return _clients[service]


def reset_clients() -> None:
    """Drop cached clients so the next call honours changed settings."""
    global _session
    with _lock:
        _clients.clear()
        _session = None
    from tridesk.core import storage

    storage.reset_models()
