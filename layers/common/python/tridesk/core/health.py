"""Dependency health: every table, queue, state machine, bucket and topic the settings name.

Features add their own checks (a circuit breaker's state, say) with ``register_check``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tridesk.core import aws
from tridesk.core.settings import Settings, get_settings

CheckResult = dict[str, Any]
_extra_checks: dict[str, Callable[[], CheckResult]] = {}
_cache_lock = threading.Lock()
_cache: tuple[float, dict[str, Any]] | None = None
CACHE_SECONDS = 2.0


def register_check(name: str, check: Callable[[], CheckResult]) -> None:
    """Add a named check; it returns ``{"status": "ok"|"failing"|..., ...}`` and may raise."""
    _extra_checks[name] = check


def _probe(kind: str, value: str) -> None:
    if kind == "table":
        aws.client("dynamodb").describe_table(TableName=value)
    elif kind == "queue":
        aws.client("sqs").get_queue_attributes(QueueUrl=value, AttributeNames=["QueueArn"])
    elif kind == "state_machine":
        aws.client("stepfunctions").describe_state_machine(stateMachineArn=value)
    elif kind == "bucket":
        aws.client("s3").head_bucket(Bucket=value)
    elif kind == "topic":
        aws.client("sns").get_topic_attributes(TopicArn=value)


def _run(name: str, fn: Callable[[], Any]) -> tuple[str, CheckResult]:
    started = time.perf_counter()
    try:
        result = fn()
        status: CheckResult = result if isinstance(result, dict) else {"status": "ok"}
    except Exception as exc:  # a failing dependency is reported, never raised
        status = {"status": "failing", "error": type(exc).__name__}
    status.setdefault("status", "ok")
    status["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return name, status


def check_all(settings: Settings | None = None, *, use_cache: bool = True) -> dict[str, Any]:
    """``{"status": "ok"|"failing", "dependencies": {name: {...}}}``, cached for a moment."""
    global _cache
    now = time.monotonic()
    if use_cache and _cache is not None and now - _cache[0] < CACHE_SECONDS:
        return _cache[1]
    settings = settings or get_settings()
    jobs: list[tuple[str, Callable[[], Any]]] = []
    for kind, named in settings.resources.items():
        for name, value in sorted(named.items()):
            jobs.append((f"{kind}:{name}", lambda k=kind, v=value: _probe(k, v)))
    jobs.extend(sorted(_extra_checks.items()))
    with ThreadPoolExecutor(max_workers=max(1, min(8, len(jobs)))) as pool:
        results = dict(pool.map(lambda job: _run(*job), jobs))
    overall = "ok" if all(r["status"] in ("ok", "closed") for r in results.values()) else "failing"
    report = {"status": overall, "stage": settings.stage, "dependencies": results}
    with _cache_lock:
        _cache = (now, report)
    return report


def clear_cache() -> None:
    global _cache
    with _cache_lock:
        _cache = None
