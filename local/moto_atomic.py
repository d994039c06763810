"""Per-item atomic writes in the embedded moto DynamoDB, as DynamoDB guarantees them.

moto checks a ``ConditionExpression`` and then writes, in Python, while the server answers
requests on many threads: two conditional writes can both pass their check. Its
TransactWriteItems also rolls a failed transaction back by restoring a copy of the whole
table, which would erase what other threads wrote meanwhile. One lock around moto's write
paths makes conditional writes and transactions behave as on AWS (reads stay lock-free).
Development only: nothing deployed imports ``local``.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

_lock = threading.RLock()
_installed = False
_WRITES = ("put_item", "update_item", "delete_item", "transact_write_items")


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def run(*args: Any, **kwargs: Any) -> Any:
        with _lock:
            return method(*args, **kwargs)

    run.__moto_atomic__ = True  # type: ignore[attr-defined]
    return run


def install() -> None:
    """Wrap moto's DynamoDB write operations in one lock (idempotent)."""
    global _installed
    if _installed:
        return
    from moto.dynamodb.models import DynamoDBBackend

    for name in _WRITES:
        method = getattr(DynamoDBBackend, name)
        if not getattr(method, "__moto_atomic__", False):
            setattr(DynamoDBBackend, name, _locked(method))
    _installed = True
