"""The pool of worker processes that :func:`pipeline.run.process.process_records_in_pool` uses.

Each worker loads the pipeline once (``load_nlp(base)``) and runs a module-level function on
a chunk of inputs; chunks come back in input order. The pool uses the ``spawn`` start method
(safe next to Prefect's threads) and is kept for the life of the process, so consecutive
batches do not reload the model. This module imports :mod:`pipeline.nlp`, never the reverse.
"""

from __future__ import annotations

import atexit
import multiprocessing
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from pipeline.nlp import load_nlp

T = TypeVar("T")
R = TypeVar("R")
_POOLS: dict[tuple[Any, int], ProcessPoolExecutor] = {}
_LOCK = threading.Lock()


def _init_worker(base: str | None) -> None:
    load_nlp(base)


def _pool(base: str | None, n_process: int) -> ProcessPoolExecutor:
    with _LOCK:
        key = (base, n_process)
        if key not in _POOLS:
            _POOLS[key] = ProcessPoolExecutor(
                max_workers=n_process, mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker, initargs=(base,),
            )
        return _POOLS[key]


def shutdown_pools() -> None:
    """Stop the worker pools (called at exit)."""
    with _LOCK:
        for pool in _POOLS.values():
            pool.shutdown(wait=True, cancel_futures=True)
        _POOLS.clear()


atexit.register(shutdown_pools)


def map_chunks(base: str | None, n_process: int, fn: Callable[..., R], chunks: Sequence[Any], *args: Any) -> Iterator[R]:
    """``fn(base, chunk, *args)`` for each chunk on the worker pool, results in chunk order.

    ``fn`` must be a module-level function (it is pickled by name); workers have
    ``load_nlp(base)`` warm.
    """
    pool = _pool(base, n_process)
    futures = [pool.submit(fn, base, chunk, *args) for chunk in chunks]
    for fut in futures:
        yield fut.result()


def chunked(items: Sequence[T], n_process: int, at_most: int) -> list[Sequence[T]]:
    """Split ``items`` into chunks of at most ``at_most``, at least about 2 per worker."""
    size = max(1, min(at_most, -(-len(items) // (2 * n_process))))
    return [items[i : i + size] for i in range(0, len(items), size)]
