"""Named relationship queries: the list, and one documented route per query.

Each query gets its own route (`/api/v1/queries/standards_for_industry?industry=…`) so
its parameter is named, described and exemplified in OpenAPI; a catch-all answers 404
for names that are not queries.

Answers are paged as `/entities` is (`limit`, then `next_cursor` or `offset`; `total` is the whole
answer's size). The default page, DEFAULT_QUERY_PAGE items, bounds what one request builds and
sends whatever the graph's size: at a million elements one industry has over a hundred supporting
standards, each with its quoted sources, and answering them all made a request several times
dearer than a page a person reads. A client that needs the whole answer asks for `limit` up to
the page bound (MAX_PAGE_SIZE) and follows `next_cursor` until it is null.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query

from plankg.api.blocking import call_store
from plankg.api.cursor import decode_cursor, encode_cursor
from plankg.api.deps import NAME_DESCRIPTION, SettingsDep, StoreDep, resolve_param
from plankg.api.errors import ApiError, error_responses
from plankg.api.json_response import JSONResponse
from plankg.api.openapi import refusals
from plankg.api.settings import MAX_PAGE_SIZE
from plankg.api.views import query_item_json
from plankg.graph.engine import named_query_page
from plankg.graph.queries import NAMED_QUERIES, NamedQuery

router = APIRouter(prefix="/api/v1", tags=["queries"])

DEFAULT_QUERY_PAGE = 20
"""Items per page when `limit` is not given (as `/entities`): see the module's docstring."""
MAX_OFFSET = 1_000_000


@router.get("/queries", summary="The named queries and their parameters")
def list_queries() -> JSONResponse:
    """Every named query: name, titles (en, zh), description, parameters, relation steps and result types."""
    return JSONResponse({"items": [query.to_dict() for query in NAMED_QUERIES.values()]})


def _endpoint(query: NamedQuery) -> Callable[..., JSONResponse]:
    async def endpoint(store: StoreDep, settings: SettingsDep, **params: Any) -> JSONResponse:
        include = params["include_unconfirmed"]
        limit = min(params["limit"], settings.max_page_size)
        cursor, offset = params["cursor"], params["offset"]
        if offset is not None and cursor is not None:
            raise ApiError(400, "bad_paging", "give either offset or cursor, not both", {"offset": offset})

        def answer() -> dict[str, Any]:
            start = resolve_param(store, params[query.param], query.param, query.param_type)
            fingerprint = (query.name, start, include)
            first = offset if offset is not None else decode_cursor(cursor, fingerprint)
            page = named_query_page(
                store, query.name, {query.param: start, "include_unconfirmed": include}, first, limit
            )
            end = first + len(page.items)
            return {
                "query": query.name,
                "parameters": {query.param: start, "include_unconfirmed": include},
                "total": page.total,
                "offset": first,
                "limit": limit,
                "items": [query_item_json(item) for item in page.items],
                "next_cursor": encode_cursor(end, fingerprint) if end < page.total and page.items else None,
            }

        return JSONResponse(await call_store(store, answer))

    keyword = inspect.Parameter.KEYWORD_ONLY
    endpoint.__signature__ = inspect.Signature(
        [  # type: ignore[attr-defined]
            inspect.Parameter("store", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=StoreDep),
            inspect.Parameter("settings", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=SettingsDep),
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
            *_paging(keyword),
        ]
    )
    endpoint.__name__ = f"query_{query.name}"
    endpoint.__doc__ = (
        f"{query.description}\n\nEach item is an entity with the edges (and their quoted sources) that justify it. "
        f"Items come in id order, {DEFAULT_QUERY_PAGE} to a page unless `limit` says otherwise (at most "
        f"{MAX_PAGE_SIZE}); `total` counts the whole answer and `next_cursor` (null on the last page) asks for "
        "the next page."
    )
    return endpoint


def _paging(keyword: Any) -> list[inspect.Parameter]:
    """limit, cursor and offset, as `/entities` takes them."""
    return [
        inspect.Parameter(
            "limit",
            keyword,
            default=DEFAULT_QUERY_PAGE,
            annotation=Annotated[
                int,
                Query(
                    ge=1,
                    le=MAX_PAGE_SIZE,
                    description=f"Items per page (default {DEFAULT_QUERY_PAGE}, at most {MAX_PAGE_SIZE}); "
                    "`total` in the answer says how many there are in all.",
                    examples=[DEFAULT_QUERY_PAGE],
                ),
            ],
        ),
        inspect.Parameter(
            "cursor",
            keyword,
            default=None,
            annotation=Annotated[
                str | None,
                Query(
                    description="The `next_cursor` of the previous page; leave out for the first page.",
                    examples=["eyJvIjoyMCwicSI6IjEyMyJ9"],
                    max_length=200,
                ),
            ],
        ),
        inspect.Parameter(
            "offset",
            keyword,
            default=None,
            annotation=Annotated[
                int | None,
                Query(
                    ge=0,
                    le=MAX_OFFSET,
                    description="Skip this many items of the answer (random access); the cursor is the way to "
                    "walk page by page. Not together with `cursor`.",
                    examples=[DEFAULT_QUERY_PAGE],
                ),
            ],
        ),
    ]


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
            "any text may be a label, so the schema cannot tell these apart. A `cursor` is valid only as the "
            "`next_cursor` of the same query, parameter and include_unconfirmed; any other string is answered "
            "400 bad_cursor, and `cursor` with `offset` 400 bad_paging."
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
