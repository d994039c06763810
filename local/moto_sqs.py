"""Sending to a long queue no longer costs the embedded moto a slow walk over every message.

moto decides whether a message is visible or delayed by building two ``datetime`` objects per
message per question, and it asks about every message in the queue on each ``SendMessage``
(the queue's attributes, and an attempt to deliver to the queue's Lambda at once). With a few
thousand delayed messages queued (the tracking follow-ups' re-checks during an outage) one send
cost 15-40 ms of the process's CPU, which the embedded stack's other requests then waited for.
Two changes, both keeping moto's semantics:

- ``Message.visible`` and ``Message.delayed`` compare the stored millisecond timestamps with the
  wall clock read once (``time.time()``, the clock moto's own helper reads, without the
  ``datetime`` round trip);
- a message sent with a delay is appended without the immediate delivery attempt (it cannot be
  delivered at that moment anyway); the stack's poller (``local.lambdas.QueuePoller``) delivers it
  when it comes due, as it delivers every message not taken at once. Sends without a delay, and
  FIFO queues, keep moto's own path.

Development only: nothing deployed imports ``local``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

_installed = False


def _visible(message: Any) -> bool:
    return time.time() * 1000.0 > message.visible_at


def _delayed(message: Any) -> bool:
    return time.time() * 1000.0 < message.delayed_until


def _appending_delayed(add_message: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(add_message)
    def add(queue: Any, message: Any) -> None:
        if queue.fifo_queue or not message.delayed:
            return add_message(queue, message)
        with queue._messages_lock:
            queue._messages.append(message)
            queue._messages_lock.notify_all()
        return None

    return add


def install() -> None:
    """Patch moto's SQS ``Message`` and ``Queue.add_message`` (idempotent)."""
    global _installed
    if _installed:
        return
    from moto.sqs.models import Message, Queue

    Message.visible = property(_visible)  # type: ignore[method-assign,assignment]
    Message.delayed = property(_delayed)  # type: ignore[method-assign,assignment]
    Queue.add_message = _appending_delayed(Queue.add_message)  # type: ignore[method-assign]
    _installed = True
