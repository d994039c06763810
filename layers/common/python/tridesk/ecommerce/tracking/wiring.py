"""The tracking service as deployed: HTTP clients, DynamoDB stores and tuning from the settings.

Handlers keep one service per container (built lazily on the first call, reused while warm); each
container has its own L1 and breaker view, and they meet in the DynamoDB tables. Configuration:

- ``TRIDESK_OMS_URL``, ``TRIDESK_CARRIER_URL``: the upstreams' base URLs (template parameters).
- ``TRIDESK_BREAKER_ERROR_THRESHOLD`` (0.2), ``TRIDESK_BREAKER_MIN_REQUESTS`` (20),
  ``TRIDESK_BREAKER_WINDOW_S`` (2), ``TRIDESK_BREAKER_COOL_DOWN_S`` (5): the breakers.
- ``TRIDESK_TRACKING_L1_TTL_S`` (5), ``TRIDESK_TRACKING_FOLLOW_UP_MINUTES`` (15): the read path.
- ``TRIDESK_UPSTREAM_READ_TIMEOUT_S`` (0.8), ``TRIDESK_UPSTREAM_MAX_ATTEMPTS`` (2),
  ``TRIDESK_UPSTREAM_DEADLINE_S`` (1.2): the upstream calls.
- ``TRACKING_FOLLOW_UPS_TABLE`` + ``TRACKING_FOLLOW_UPS_QUEUE_URL``: where degraded answers' promises
  go (``follow_up_sink``; none when either is missing); ``TRIDESK_TRACKING_FOLLOW_UP_FIRST_CHECK_S``
  (60) and ``TRIDESK_TRACKING_FOLLOW_UP_FINAL_MARGIN_S`` (30): the re-check timings.

Why these defaults: a customer is waiting, and the breaker learns of a hang only when the attempt
times out (the clients report every attempt, so 0.8 s, not the 1.2 s of a call with its retry).
With a window full of healthy traffic, a 50% failure rate needs about 0.4 x window after its first
failure is counted to pass 20%: a 10 s window would take 4 s more; a 2 s window in 0.25 s buckets
opens the breaker about 1.6 s after the fault starts (benchmarks/tracking.py measures it), and at a
peak's request rates 20 requests fill it in milliseconds. One retry still rescues a single dropped
call; more would only lengthen the wait and the load on a sick upstream.
"""

from __future__ import annotations

from typing import Any, Literal

from tridesk.core.lazy import per_container
from tridesk.core.settings import Settings, get_settings
from tridesk.ecommerce.tracking.breaker import BreakerConfig, BreakerRegistry
from tridesk.ecommerce.tracking.clients import CarrierClient, HttpConfig, OmsClient
from tridesk.ecommerce.tracking.dynamo import DynamoBreakerStore, DynamoTrackingCacheStore
from tridesk.ecommerce.tracking.followup import FollowUpConfig, FollowUpScheduler, WriteBehindSink
from tridesk.ecommerce.tracking.followup_aws import RESOURCE, DynamoPromiseStore, SqsFollowUpQueue
from tridesk.ecommerce.tracking.freshness import FreshnessPolicy
from tridesk.ecommerce.tracking.l1 import L1Cache
from tridesk.ecommerce.tracking.service import FollowUpSink, ServiceConfig, TrackingService

UPSTREAMS = ("oms", "carrier")


def _url(settings: Settings, name: str) -> str:
    value = settings.option(f"{name}_url", "")
    if not value:
        raise RuntimeError(f"TRIDESK_{name.upper()}_URL is not configured")
    return value


def _float(settings: Settings, name: str, default: float) -> float:
    raw = settings.option(name, "")
    try:
        return float(raw) if raw else default
    except ValueError:
        raise RuntimeError(f"TRIDESK_{name.upper()} must be a number, not {raw!r}") from None


def breaker_config(settings: Settings | None = None) -> BreakerConfig:
    """The breakers' thresholds from the settings (the issue's defaults otherwise)."""
    s = settings or get_settings()
    return BreakerConfig(
        error_threshold=_float(s, "breaker_error_threshold", 0.2),
        min_requests=int(_float(s, "breaker_min_requests", 20)),
        window_s=_float(s, "breaker_window_s", 2.0),
        bucket_s=0.25,
        cool_down_s=_float(s, "breaker_cool_down_s", 5.0),
    )


def follow_up_config(settings: Settings | None = None) -> FollowUpConfig:
    """The follow-up re-check timings from the settings."""
    s = settings or get_settings()
    return FollowUpConfig(
        first_check_s=_float(s, "tracking_follow_up_first_check_s", 60.0),
        final_margin_s=_float(s, "tracking_follow_up_final_margin_s", 30.0),
    )


def follow_up_sink(settings: Settings | None = None) -> WriteBehindSink | None:
    """The promise keeper of degraded answers (DynamoDB promises + SQS re-checks), if deployed."""
    s = settings or get_settings()
    if RESOURCE not in s.resources.get("table", {}) or RESOURCE not in s.resources.get("queue", {}):
        return None
    scheduler = FollowUpScheduler(DynamoPromiseStore(), SqsFollowUpQueue(s.queue_url(RESOURCE)), follow_up_config(s))
    return WriteBehindSink(scheduler)


def build_tracking_service(
    settings: Settings | None = None,
    *,
    follow_up: FollowUpSink | None | Literal["configured"] = "configured",
    **overrides: Any,
) -> TrackingService:
    """A service over the configured OMS and carrier, the DynamoDB cache and the shared breakers.

    ``follow_up``: ``"configured"`` (default) keeps degraded answers' promises with
    ``follow_up_sink``; None makes none (the follow-up worker's own re-checks must not promise again).
    ``overrides`` replace constructor arguments (tests and benchmarks: ``policy``, ``l1``, ...).
    """
    s = settings or get_settings()
    if isinstance(follow_up, str):
        follow_up = follow_up_sink(s)
    def http(name: str) -> HttpConfig:
        return HttpConfig(
            _url(s, name),
            read_timeout_s=_float(s, "upstream_read_timeout_s", 0.8),
            max_attempts=int(_float(s, "upstream_max_attempts", 2)),
            deadline_s=_float(s, "upstream_deadline_s", 1.2),
        )

    kwargs: dict[str, Any] = {
        "store": DynamoTrackingCacheStore(),
        "breakers": BreakerRegistry(DynamoBreakerStore(), breaker_config(s)),
        "policy": FreshnessPolicy(l1_ttl_s=_float(s, "tracking_l1_ttl_s", 5.0)),
        "l1": L1Cache(4096),
        "config": ServiceConfig(follow_up_minutes=int(_float(s, "tracking_follow_up_minutes", 15))),
        "follow_up": follow_up,
    }
    kwargs.update(overrides)
    # the clients run every attempt through the service's own breakers (a timed-out attempt is
    # counted when it times out, not after the retry)
    breakers, config = kwargs["breakers"], kwargs["config"]
    kwargs.setdefault("orders", OmsClient(http("oms"), breaker=breakers.get(config.oms_breaker)))
    kwargs.setdefault("carrier", CarrierClient(http("carrier"), breaker=breakers.get(config.carrier_breaker)))
    return TrackingService(**kwargs)


def breaker_health(service: TrackingService, name: str) -> dict[str, Any]:
    """One upstream breaker as a ``/v1/health`` dependency.

    ``status`` is ``ok`` while the breaker is closed and the breaker's state (``open``,
    ``half_open``) otherwise, which marks the overall health ``failing``: the upstream is sick even
    though the API keeps answering (degraded). ``state`` always carries the breaker's own state.
    """
    breaker = service.oms_breaker if name == "oms" else service.carrier_breaker
    status = breaker.status()
    state = status.pop("state")
    status.pop("name", None)
    return {"status": "ok" if state == "closed" else state, "state": state, **status}


# The container's service: the API's tracking route and its chat capabilities share it (one L1,
# one breaker view, one connection pool per container).
tracking_service = per_container(lambda: build_tracking_service())
