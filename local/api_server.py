"""The Chalice API on localhost, as API Gateway would serve it.

Uses the API function's own module (loaded by the dispatcher, so it is the very code the
Lambda runs). Unknown routes answer 404 with the contract's error body, as the deployed
API does through its MISSING_AUTHENTICATION_TOKEN gateway response.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from chalice.app import Chalice
from chalice.config import Config
from chalice.local import (
    ChaliceRequestHandler,
    ForbiddenError,
    LocalChalice,
    LocalDevServer,
    LocalGateway,
)

from local.lambdas import Dispatcher

API_FUNCTION = "ApiFunction"
_NOT_FOUND = json.dumps(
    {"error": {"code": "not_found", "message": "no such route", "field": None}}
).encode()


class _Gateway(LocalGateway):
    def handle_request(self, method: str, path: str, headers: Any, body: bytes | None) -> Any:
        try:
            return super().handle_request(method, path, headers, body)
        except ForbiddenError:
            return {
                "statusCode": 404,
                "headers": {"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"},
                "multiValueHeaders": {},
                "body": _NOT_FOUND,
            }


class _Handler(ChaliceRequestHandler):
    def __init__(self, request: Any, client_address: Any, server: Any, app_object: Chalice, config: Config) -> None:
        self.local_gateway = _Gateway(app_object, config)
        super(ChaliceRequestHandler, self).__init__(request, client_address, server)

    def __getattr__(self, name: str) -> Any:
        # any other method (TRACE, QUERY, ...) reaches the app, which answers 405
        if name.startswith("do_"):
            return self._generic_handle
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet access log
        return


class ApiServer:
    """Serves the API function's Chalice app on ``host:port`` in a background thread."""

    def __init__(self, dispatcher: Dispatcher, host: str = "127.0.0.1", port: int = 8000) -> None:
        module = dispatcher.load(dispatcher.source(_function_name(dispatcher)))
        app: Chalice = module.app
        if not isinstance(app, LocalChalice):
            # thread-local current_request, as `chalice local` does
            app.__class__ = type("LocalChalice", (LocalChalice, app.__class__), {})
        config = Config.create(chalice_stage="local", app_name=app.app_name, lambda_timeout=30, lambda_memory_size=512)
        self._server = LocalDevServer(app, config, host, port, handler_cls=_Handler)
        self.host = host
        self.port = self._server.server.server_address[1]
        self._thread = threading.Thread(target=self._server.server.serve_forever, name="api", daemon=True)

    def start(self) -> ApiServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.server.shutdown()
        self._server.server.server_close()
        self._thread.join(timeout=5)


def _function_name(dispatcher: Dispatcher) -> str:
    for name, source in dispatcher._functions.items():
        if source.logical_id == API_FUNCTION:
            return name
    raise LookupError("the template has no ApiFunction")
