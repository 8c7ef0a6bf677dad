"""Run a store call from async code: inline for the embedded store, in a worker thread otherwise.

The embedded store answers from memory while holding the GIL, so a thread hop adds latency
without adding parallelism; Neo4j waits on the network, so its calls go to the threadpool.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from plankg.graph.store import GraphStore

T = TypeVar("T")
INLINE_KINDS = frozenset({"memory"})


async def call_store(store: GraphStore, function: Callable[[], T]) -> T:
    """function() — inline when the store is in-process, else on the threadpool."""
    if store.kind in INLINE_KINDS:
        return function()
    return await run_in_threadpool(function)
