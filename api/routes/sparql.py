"""SPARQL 1.1 protocol endpoint (read-only) over the RDF view of the graph.

GET takes `?query=`; POST takes a form (`query=`) or an `application/sparql-query` body.
SELECT/ASK answer application/sparql-results+json, CONSTRUCT/DESCRIBE answer Turtle.
"""

from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from plankg.api.errors import ApiError, error_responses
from plankg.graph.sparql import MAX_QUERY_CHARS, SPARQL_RESULTS_JSON, TURTLE, SparqlAnswer, SparqlService

router = APIRouter(prefix="/api/v1", tags=["sparql"])

EXAMPLE = (
    "PREFIX pk: <https://plankg.org/ontology#> SELECT ?standard WHERE "
    "{ ?standard pk:supportsIndustry <https://plankg.org/id/industry.healthcare> }"
)
SPARQL_QUERY = "application/sparql-query"
FORM = "application/x-www-form-urlencoded"
RESPONSES = {
    200: {
        "description": "SELECT/ASK: SPARQL JSON results; CONSTRUCT/DESCRIBE: Turtle",
        "content": {SPARQL_RESULTS_JSON: {"schema": {"type": "object"}}, TURTLE: {"schema": {"type": "string"}}},
    },
    **error_responses(400, 413, 415, 422, 503),
}


def _service(request: Request) -> SparqlService:
    return request.app.state.sparql


def _respond(answer: SparqlAnswer) -> Response:
    if answer.json is not None:
        body = json.dumps(answer.json, ensure_ascii=False, separators=(",", ":"))
        return Response(body, media_type=SPARQL_RESULTS_JSON)
    return Response(answer.text or "", media_type=f"{TURTLE}; charset=utf-8")


@router.get("/sparql", summary="Run a read-only SPARQL query", responses=RESPONSES)
async def sparql_get(
    request: Request,
    query: Annotated[
        str,
        Query(
            description="A SPARQL 1.1 SELECT, ASK, CONSTRUCT or DESCRIBE query. Updates, "
            "SERVICE and FROM clauses are refused. Prefixes pk:, id:, rdf:, rdfs:, "
            "skos: and xsd: are predeclared.",
            examples=[EXAMPLE],
            min_length=1,
            max_length=MAX_QUERY_CHARS,
        ),
    ],
) -> Response:
    """Evaluate the query over the graph's RDF view (the same triples as the Turtle export)."""
    return _respond(await run_in_threadpool(_service(request).run, query))


@router.post(
    "/sparql",
    summary="Run a read-only SPARQL query (POST)",
    responses=RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                FORM: {
                    "schema": {
                        "type": "object",
                        "required": ["query"],
                        "properties": {
                            "query": {
                                "type": "string",
                                "minLength": 1,
                                "description": "The SPARQL query",
                                "example": EXAMPLE,
                            }
                        },
                    }
                },
                SPARQL_QUERY: {"schema": {"type": "string", "minLength": 1, "example": EXAMPLE}},
            },
        }
    },
)
async def sparql_post(request: Request) -> Response:
    """The SPARQL protocol's POST forms: URL-encoded `query=…`, or the query itself as application/sparql-query."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if len(body) > MAX_QUERY_CHARS * 4:
        raise ApiError(413, "payload_too_large", f"the SPARQL query is longer than {MAX_QUERY_CHARS} characters")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "bad_sparql", "the request body is not UTF-8") from None
    if content_type == FORM:
        values = parse_qs(text).get("query", [])
        if len(values) != 1:
            raise ApiError(400, "bad_sparql", "the form needs exactly one `query` field")
        text = values[0]
    elif content_type != SPARQL_QUERY:
        raise ApiError(
            415,
            "unsupported_media_type",
            f"POST a form ({FORM}) or a {SPARQL_QUERY} body, not {content_type or 'no content type'}",
        )
    return _respond(await run_in_threadpool(_service(request).run, text))
