"""Shortest paths between two entities (direction ignored), each with its nodes in order."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from plankg.api.deps import NAME_DESCRIPTION, SettingsDep, StoreDep, resolve_param
from plankg.api.errors import error_responses
from plankg.api.json_response import JSONResponse
from plankg.api.openapi import NAME_REFUSAL, refusals
from plankg.api.settings import MAX_PATH_LENGTH
from plankg.api.views import edge_json, entity_json
from plankg.ontology.schema import ID_PATTERN

router = APIRouter(prefix="/api/v1", tags=["paths"])
_PATTERN = {"pattern": ID_PATTERN.pattern}


@router.get(
    "/paths",
    summary="Shortest paths between two entities",
    responses=error_responses(400, 404, 422),
    openapi_extra=refusals(NAME_REFUSAL),
)
def shortest_paths(
    store: StoreDep,
    settings: SettingsDep,
    source: Annotated[
        str,
        Query(
            alias="from",
            description=f"Where the path starts: {NAME_DESCRIPTION}.",
            examples=["miit-5g-sailing-2021.std.medical-convergence"],
            max_length=300,
            min_length=1,
        ),
    ],
    target: Annotated[
        str,
        Query(
            alias="to",
            description=f"Where the path ends: {NAME_DESCRIPTION}.",
            examples=["industry.healthcare"],
            max_length=300,
            min_length=1,
        ),
    ],
    max_length: Annotated[
        int, Query(ge=1, le=MAX_PATH_LENGTH, description="Longest path, in edges, to look for.", examples=[4])
    ] = 6,
    limit: Annotated[int, Query(ge=1, le=50, description="At most this many paths.", examples=[10])] = 10,
) -> JSONResponse:
    """All shortest paths (ignoring edge direction) up to `max_length` edges; an empty list when none is that short.

    Each path lists its nodes in order from `from` to `to` and the edges between consecutive
    nodes, each with its sources.
    """
    source = resolve_param(store, source, "from")
    target = resolve_param(store, target, "to")
    length = min(max_length, settings.max_path_length)
    paths = store.shortest_paths(source, target, length, limit)
    return JSONResponse(
        {
            "from": source,
            "to": target,
            "paths": [
                {
                    "length": len(path.nodes) - 1,
                    "nodes": [entity_json(n) for n in path.nodes],
                    "edges": [edge_json(e) for e in path.edges],
                }
                for path in paths
            ],
        }
    )
