"""Named relationship queries: the list, and one documented route per query.

Each query gets its own route (`/api/v1/queries/standards_for_industry?industry=…`) so
its parameter is named, described and exemplified in OpenAPI; a catch-all answers 404
for names that are not queries.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query

from plankg.api.blocking import call_store
from plankg.api.deps import NAME_DESCRIPTION, StoreDep, resolve_param
from plankg.api.errors import ApiError, error_responses
from plankg.api.json_response import JSONResponse
from plankg.api.openapi import refusals
from plankg.api.views import query_item_json
from plankg.graph.engine import run_named_query
from plankg.graph.queries import NAMED_QUERIES, NamedQuery

router = APIRouter(prefix="/api/v1", tags=["queries"])


@router.get("/queries", summary="The named queries and their parameters")
def list_queries() -> JSONResponse:
    """Every named query: name, titles (en, zh), description, parameters, relation steps and result types."""
    return JSONResponse({"items": [query.to_dict() for query in NAMED_QUERIES.values()]})


def _endpoint(query: NamedQuery) -> Callable[..., JSONResponse]:
    async def endpoint(store: StoreDep, **params: Any) -> JSONResponse:
        include = params["include_unconfirmed"]

        def answer() -> dict[str, Any]:
            start = resolve_param(store, params[query.param], query.param, query.param_type)
            items = run_named_query(store, query.name, {query.param: start, "include_unconfirmed": include})
            return {
                "query": query.name,
                "parameters": {query.param: start, "include_unconfirmed": include},
                "items": [query_item_json(item) for item in items],
            }

        return JSONResponse(await call_store(store, answer))

    keyword = inspect.Parameter.KEYWORD_ONLY
    endpoint.__signature__ = inspect.Signature(
        [  # type: ignore[attr-defined]
            inspect.Parameter("store", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=StoreDep),
            inspect.Parameter(
                query.param,
                keyword,
                annotation=Annotated[
                    str,
                    Query(
                        description=f"The {query.param_type} to start from: {NAME_DESCRIPTION}.",
                        examples=[query.example] if query.example else None,
                        max_length=300,
                        min_length=1,
                    ),
                ],
            ),
            inspect.Parameter(
                "include_unconfirmed",
                keyword,
                default=True,
                annotation=Annotated[
                    bool,
                    Query(
                        description="Include facts (entities and edges) whose status is unconfirmed.",
                        examples=[True],
                    ),
                ],
            ),
        ]
    )
    endpoint.__name__ = f"query_{query.name}"
    endpoint.__doc__ = (
        f"{query.description}\n\nEach item is an entity with the edges (and their quoted sources) that justify it."
    )
    return endpoint


for _query in NAMED_QUERIES.values():
    router.add_api_route(
        f"/queries/{_query.name}",
        _endpoint(_query),
        methods=["GET"],
        summary=_query.title["en"],
        description=None,
        responses=error_responses(400, 404, 422),
        openapi_extra=refusals(
            f"the value must name one {_query.param_type}: an entity of another type is answered 400 bad_query "
            "naming its type, a name of no entity 404 and a name of several 400 ambiguous_name listing them; "
            "any text may be a label, so the schema cannot tell these apart."
        ),
        name=f"query_{_query.name}",
    )


@router.get("/queries/{name}", include_in_schema=False)
def unknown_query(name: str) -> JSONResponse:
    """Any name that is not a named query."""
    raise ApiError(
        404,
        "unknown_query",
        f"no named query {name[:80]!r}; GET /api/v1/queries lists them",
        {"queries": list(NAMED_QUERIES)},
    )
