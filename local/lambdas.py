"""In-process Lambda: moto's Lambda invocations run the real handlers named in template.yaml.

moto (``lambda.use_docker = false``) would return canned payloads. Here its invoke is replaced
by a dispatcher that loads each function's own ``app.py`` under a module name of its own
(``tridesk_functions.<folder>``, so the many ``app.py`` never shadow each other) and calls
the handler with the event. SQS event-source mappings deliver real batches: partial batch
responses (``batchItemFailures``) are honoured, failed messages become visible again and a
poller redelivers them until the queue's redrive policy moves them to the dead-letter queue.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from local.template import FunctionSource


# One loaded module per function file in this process, shared by every dispatcher (as one
# warm container would): loading an app twice would register its blueprints twice.
_modules: dict[Path, ModuleType] = {}
_modules_lock = threading.Lock()


class LambdaContext:
    """The parts of the Lambda context object the handlers and powertools read."""

    def __init__(self, function_name: str, memory_mb: int = 512, timeout_s: int = 15) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = memory_mb
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + timeout_s

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class Dispatcher:
    """Maps deployed function names to their code and runs them in this process."""

    def __init__(self) -> None:
        self._functions: dict[str, FunctionSource] = {}
        self.invocations: list[tuple[str, float]] = []

    def register(self, function_name: str, source: FunctionSource) -> None:
        self._functions[function_name] = source

    def source(self, function_name_or_arn: str) -> FunctionSource:
        name = function_name_or_arn.split(":function:")[-1].split(":")[0]
        try:
            return self._functions[name]
        except KeyError:
            raise LookupError(f"no local code for Lambda function {name}") from None

    def load(self, source: FunctionSource) -> ModuleType:
        """Import a function's module once, under a name unique to its folder."""
        module_file, _, _ = source.handler.rpartition(".")
        path = source.code_dir / f"{module_file.replace('.', '/')}.py"
        with _modules_lock:
            module = _modules.get(path)
            if module is None:
                _expose_chalicelib(source.code_dir)
                name = f"tridesk_functions.{source.code_dir.name}.{module_file}"
                spec = importlib.util.spec_from_file_location(name, path)
                if spec is None or spec.loader is None:
                    raise ImportError(f"cannot load {path}")
                module = importlib.util.module_from_spec(spec)
                sys.modules[name] = module
                spec.loader.exec_module(module)
                _modules[path] = module
        return module

    def handler(self, function_name: str) -> Callable[[Any, Any], Any]:
        source = self.source(function_name)
        return getattr(self.load(source), source.handler.rpartition(".")[2])

    def invoke(self, function_name: str, event: Any) -> tuple[Any, str | None]:
        """Run the handler; returns (result, error type or None) like Lambda's Invoke."""
        source = self.source(function_name)
        started = time.perf_counter()
        try:
            result = self.handler(function_name)(event, LambdaContext(source.logical_id))
            return result, None
        except Exception as exc:
            return {
                "errorType": type(exc).__name__,
                "errorMessage": str(exc),
                "stackTrace": traceback.format_exception(exc)[-5:],
            }, type(exc).__name__
        finally:
            self.invocations.append((source.logical_id, time.perf_counter() - started))


def _expose_chalicelib(code_dir: Path) -> None:
    """Make a function's ``chalicelib`` importable, as Lambda does from its code root.

    Only one function (the API) may have one, so no module shadows another.
    """
    if not (code_dir / "chalicelib").is_dir():
        return
    loaded = sys.modules.get("chalicelib")
    if loaded is not None:
        if Path(loaded.__file__ or "").resolve().parent.parent != code_dir.resolve():
            raise ImportError(f"two functions ship a chalicelib: {code_dir} and {loaded.__file__}")
        return
    sys.path.insert(0, str(code_dir))


_dispatcher: Dispatcher | None = None


def install(dispatcher: Dispatcher) -> None:
    """Route moto's Lambda invocations and SQS deliveries to ``dispatcher``."""
    global _dispatcher
    _dispatcher = dispatcher
    from moto.awslambda.models import LambdaBackend
    from moto.awslambda_simple.models import LambdaSimpleBackend

    LambdaSimpleBackend.invoke = _invoke  # type: ignore[method-assign]
    LambdaBackend.send_sqs_batch = _send_sqs_batch  # type: ignore[method-assign]


def _invoke(self: Any, function_name: str, qualifier: Any, body: Any, headers: Any, response_headers: Any) -> bytes:
    assert _dispatcher is not None
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    event = json.loads(body) if body else {}
    fn = self.get_function(function_name, qualifier)
    result, error = _dispatcher.invoke(fn.function_name, event)
    if error is not None:
        response_headers["x-amz-function-error"] = "Unhandled"
    payload = json.dumps(result, default=str).encode("utf-8")
    response_headers["Content-Length"] = str(len(payload))
    return payload


def _send_sqs_batch(self: Any, function_arn: str, messages: list[Any], queue_arn: str) -> bool:
    """One invocation per batch, as Lambda does; keep only delivered messages in ``messages``.

    moto deletes what is left in ``messages`` when this returns True; failed messages are made
    visible again for the poller to redeliver (and the redrive policy to dead-letter).
    """
    from moto.sqs.models import sqs_backends

    if not messages:
        return True
    records = [
        {
            "messageId": m.id,
            "receiptHandle": m.receipt_handle,
            "body": m.body,
            "attributes": {
                "ApproximateReceiveCount": str(m.approximate_receive_count),
                "SentTimestamp": str(m.sent_timestamp),
                "SenderId": "local",
                "ApproximateFirstReceiveTimestamp": str(m.approximate_first_receive_timestamp),
            },
            "messageAttributes": {},
            "md5OfBody": m.body_md5,
            "eventSource": "aws:sqs",
            "eventSourceARN": queue_arn,
            "awsRegion": self.region_name,
        }
        for m in messages
    ]
    response_headers: dict[str, Any] = {}
    payload = self.invoke(function_arn, None, json.dumps({"Records": records}), {}, response_headers)
    failed: set[str] = set()
    if "x-amz-function-error" in response_headers:
        failed = {m.id for m in messages}
    else:
        try:
            result = json.loads(payload)
        except ValueError:
            result = None
        if isinstance(result, dict):
            failed = {f.get("itemIdentifier") for f in result.get("batchItemFailures") or []}
    if failed:
        queue_name = queue_arn.split(":")[-1]
        backend = sqs_backends[self.account_id][self.region_name]
        for m in messages:
            if m.id in failed:
                backend.change_message_visibility(queue_name, m.receipt_handle, visibility_timeout=0)
        messages[:] = [m for m in messages if m.id not in failed]
    return True


class QueuePoller:
    """Redelivers visible messages of queues with event-source mappings (retries after failures)."""

    def __init__(self, account_id: str, region: str, interval_s: float = 0.5) -> None:
        self._account_id = account_id
        self._region = region
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqs-poller", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def poll_once(self) -> int:
        """Deliver one batch from each mapped queue that has visible messages; returns batches sent."""
        from moto.awslambda.utils import get_backend
        from moto.sqs.models import sqs_backends

        sqs = sqs_backends[self._account_id][self._region]
        sent = 0
        for queue in list(sqs.queues.values()):
            for esm in list(queue.lambda_event_source_mappings.values()):
                if not esm.enabled or not queue.messages:
                    continue
                batch = sqs.receive_message(queue.name, esm.batch_size, 0, queue.visibility_timeout)
                if not batch:
                    continue
                lambda_backend = get_backend(self._account_id, self._region)
                if lambda_backend.send_sqs_batch(esm.function_arn, batch, queue.queue_arn):
                    for m in batch:
                        sqs.delete_message(queue.name, m.receipt_handle)
                sent += 1
        return sent

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.poll_once()
            except Exception:  # the poller must outlive one bad delivery
                traceback.print_exc()
