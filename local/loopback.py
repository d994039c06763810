"""What the local stand-ins of outside systems share: an HTTP server on loopback with run-time faults.

``LoopbackService`` serves its request handler from a daemon thread and holds the fault settings
(``Faults``: latency, error rate, hang time, outage, validated exactly as ``POST /admin/faults``
takes them), the counters and a clock that stops short when the service stops, so hung requests
never outlive it. ``local.carrier_service`` (OMS + carrier) and ``local.channel_service`` (push,
WeChat, SMS) are its two services. Development only: nothing deployed imports ``local``.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


@dataclass
class Faults:
    """Run-time health of a service's business routes (admin routes always answer).

    Validation follows each field's default: a bool is a flag, an int a count or milliseconds in
    [0, 120000], a float a rate in [0, 1]. Subclasses add fields (e.g. ``fail_next``).
    """

    latency_ms: int = 0
    error_rate: float = 0.0
    timeout_ms: int = 0
    outage: bool = False

    @classmethod
    def validated(cls, base: Faults, data: Any) -> Self:
        if not isinstance(data, dict):
            raise ValueError("body must be a JSON object")
        current = asdict(base)
        unknown = set(data) - set(current)
        if unknown:
            raise ValueError(f"unknown fields: {sorted(unknown)}")
        merged = {**current, **data}
        for f in fields(cls):
            value, default = merged[f.name], f.default
            if isinstance(default, bool):
                if not isinstance(value, bool):
                    raise ValueError(f"{f.name} must be a boolean")
            elif isinstance(default, int):
                if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 120_000:
                    raise ValueError(f"{f.name} must be an integer in [0, 120000]")
            else:
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                    raise ValueError(f"{f.name} must be a number in [0, 1]")
                merged[f.name] = float(value)
        return cls(**merged)


class JsonHandler(BaseHTTPRequestHandler):
    """The request handler base of the local services: HTTP/1.1 keep-alive, silent, JSON answers."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _error(self, status: int, code: str, message: str) -> None:
        self._send(status, {"error": {"code": code, "message": message}})


class LoopbackService:
    """An HTTP server and its mutable state; ``start()`` serves from a daemon thread.

    ``handler_for(service)`` makes the request handler class bound to this service (a
    :class:`JsonHandler` subclass), called once the service's own state is set up.
    """

    thread_name = "loopback-service"
    faults_type: type[Faults] = Faults

    def __init__(self, port: int, host: str, *, stats: dict[str, int], seed: int,
                 handler_for: Callable[[Any], type[BaseHTTPRequestHandler]]) -> None:
        self._faults: Any = self.faults_type()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.stats = stats
        self._server = ThreadingHTTPServer((host, port), handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle
    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self._server.server_address[0]}:{self.port}"

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"{self.thread_name}:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def serve_until_interrupted(self) -> None:
        """Serve in the calling thread until Ctrl-C (the modules' ``python -m`` entry points)."""
        try:
            self._server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ faults and counters
    @property
    def faults(self) -> Any:
        with self._lock:
            return self._faults

    def set_faults(self, **changes: Any) -> Any:
        """Change some fault settings (the same fields and checks as ``POST /admin/faults``)."""
        with self._lock:
            self._faults = self.faults_type.validated(self._faults, changes)
            return self._faults

    def reset_faults(self) -> Any:
        with self._lock:
            self._faults = self.faults_type()
            return self._faults

    def count(self, name: str) -> None:
        with self._lock:
            self.stats[name] += 1

    def stats_snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self.stats)

    def roll(self, rate: float) -> bool:
        """True with probability ``rate`` (the service's own seeded generator)."""
        with self._lock:
            return self._rng.random() < rate

    def wait(self, seconds: float) -> None:
        """Sleep, cut short when the service stops (so hung requests do not outlive it)."""
        if seconds > 0:
            self._stopping.wait(seconds)
