"""Liveness (/health) and readiness (/ready: the store answers, with its counts)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from plankg.api.deps import StoreDep
from plankg.api.errors import error_response, error_responses
from plankg.api.json_response import JSONResponse
from plankg.graph.engine import statistics
from plankg.graph.store import StoreError

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness: the process answers")
def health(store: StoreDep) -> JSONResponse:
    """Always 200 while the process runs; names the store kind without contacting it."""
    return JSONResponse({"status": "ok", "store": store.kind})


@router.get("/ready", summary="Readiness: the store answers", responses=error_responses(503))
def ready(request: Request, store: StoreDep) -> JSONResponse:
    """200 with node and edge counts when the store answers a ping; 503 JSON when it does not."""
    try:
        if not store.ping():
            raise StoreError("the store did not answer a ping")
        stats: dict[str, Any] = statistics(store).to_dict()
    except StoreError as error:
        return error_response(
            503,
            "store_unavailable",
            f"the {store.kind} store is not ready: {error}",
            headers={"Retry-After": "5"},
            instance=request.url.path,
        )
    return JSONResponse(
        {
            "status": "ready",
            "store": store.kind,
            "nodes": stats["nodes"],
            "edges": stats["edges"],
            "revision": store.revision(),
        }
    )
