"""Overlapping checks with writes: the next batch read and checked on a background thread while
the database takes the current one."""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.utils import translation

T = TypeVar("T")


@dataclass(frozen=True)
class _Failed:
    error: BaseException


_END = object()


def _offer(box: queue.Queue[Any], item: object, stop: threading.Event) -> bool:
    """Put `item` unless the consumer has gone away; whether it was put."""
    while not stop.is_set():
        with contextlib.suppress(queue.Full):
            box.put(item, timeout=0.1)
            return True
    return False


def prefetch(items: Iterable[T], *, depth: int = 1) -> Generator[T, None, None]:
    """`items`, produced by a background thread at most `depth` ahead of the consumer.

    Reading and checking the next batch (polars, which releases the GIL) then runs on one core
    while the database takes the current one on the other. The producer must not use the
    Django connection (it is per thread). Its errors are raised here; closing this iterator
    stops it.
    """
    box: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()
    # The active language is per thread: reports the producer words (rejects) follow the caller.
    language = translation.get_language()

    def produce() -> None:
        if language:
            translation.activate(language)
        source = iter(items)
        try:
            for item in source:
                if not _offer(box, item, stop):
                    return
            _offer(box, _END, stop)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            _offer(box, _Failed(exc), stop)
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=produce, name="muster-prefetch", daemon=True)
    worker.start()
    try:
        while (item := box.get()) is not _END:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        worker.join()
