"""SPARQL 1.1 Protocol endpoint (read-only) over the RDF view of the graph.

GET takes `?query=`; POST takes a form (`query=`) or an `application/sparql-query` body; GET
without a query answers the service description. The answer's format is negotiated by
`Accept` for the query's form (api/sparql_results.py): SELECT as SPARQL JSON, XML, CSV or
TSV; ASK as JSON or XML; CONSTRUCT/DESCRIBE as Turtle, N-Triples or JSON-LD; 406 otherwise.
Evaluation (parsing, refusals, time limit) stays in plankg.graph.sparql.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from plankg.api.deps import SparqlDep
from plankg.api.errors import ApiError, error_responses
from plankg.api.negotiation import negotiate
from plankg.api.openapi import refusals
from plankg.api.rdf_views import rdf_formats, rdf_media_types, with_charset
from plankg.api.service_description import service_description
from plankg.api.settings import MAX_GET_QUERY_CHARS
from plankg.api.sparql_results import all_media_types, offered, serialize
from plankg.graph.sparql import MAX_QUERY_CHARS, SparqlService
from plankg.model import formats

router = APIRouter(prefix="/api/v1", tags=["sparql"])

EXAMPLE = (
    "PREFIX pk: <https://plankg.org/ontology#> SELECT ?standard WHERE "
    "{ ?standard pk:supportsIndustry <https://plankg.org/id/industry.healthcare> }"
)
SPARQL_QUERY = "application/sparql-query"
FORM = "application/x-www-form-urlencoded"
NOT_SPARQL = refusals(
    "a string that is not SPARQL, or is an update, a SERVICE or FROM query or a risky REGEX, is answered "
    "400 with the reason: no JSON Schema tells SPARQL from other text."
)


def _content(media_type: str) -> dict[str, Any]:
    return {"schema": {"type": "object"} if media_type.endswith("json") else {"type": "string"}}


QUERY_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "SELECT: SPARQL results as JSON, XML, CSV or TSV; ASK: JSON or XML; CONSTRUCT/DESCRIBE: "
        + ", ".join(fmt.title for fmt in rdf_formats())
        + " — by Accept (the first of each when it takes anything)",
        "content": {media_type: _content(media_type) for media_type in all_media_types()},
    },
    **error_responses(400, 406, 413, 415, 422, 503),
}
GET_RESPONSES: dict[int | str, dict[str, Any]] = {
    **QUERY_RESPONSES,
    200: {
        "description": QUERY_RESPONSES[200]["description"]
        + ". Without `query`: the SPARQL 1.1 Service Description of this endpoint, as "
        + ", ".join(fmt.title for fmt in rdf_formats()),
        "content": QUERY_RESPONSES[200]["content"],
    },
}


async def _answer(request: Request, service: SparqlService, text: str) -> Response:
    """Evaluate, then write the answer in the format Accept chooses for its form (406 when none)."""
    answer = await run_in_threadpool(service.run, text)
    media_type = negotiate(request, offered(answer.form))
    body, content_type = await run_in_threadpool(serialize, answer, media_type)
    return Response(body, media_type=content_type)


async def _describe(request: Request, service: SparqlService) -> Response:
    """The service description in the RDF format Accept chooses."""
    media_type = negotiate(request, rdf_media_types())
    fmt = formats.by_media_type(media_type)
    assert fmt is not None and fmt.rdf_syntax is not None
    graph = await run_in_threadpool(service.graph)
    endpoint = str(request.url.replace(query=None, fragment=None))
    body = service_description(endpoint, len(graph)).serialize(format=fmt.rdf_syntax, encoding="utf-8")
    return Response(body, media_type=with_charset(media_type))


@router.get(
    "/sparql",
    summary="Run a read-only SPARQL query, or describe the endpoint",
    description="Evaluate the query over the graph's RDF view (the same triples as the Turtle export). "
    "Without `query`, answer the endpoint's SPARQL 1.1 Service Description.",
    responses=GET_RESPONSES,
    openapi_extra=NOT_SPARQL,
)
async def sparql_get(
    request: Request,
    service: SparqlDep,
    query: Annotated[
        str | None,
        Query(
            description="A SPARQL 1.1 SELECT, ASK, CONSTRUCT or DESCRIBE query. Updates, "
            "SERVICE and FROM clauses are refused. Prefixes pk:, id:, rdf:, rdfs:, "
            f"skos: and xsd: are predeclared. Leave out for the service description. At most {MAX_GET_QUERY_CHARS} "
            f"characters here (a URL has to fit the server's request line); POST takes up to {MAX_QUERY_CHARS}.",
            examples=[EXAMPLE],
            min_length=1,
            max_length=MAX_GET_QUERY_CHARS,
        ),
    ] = None,
) -> Response:
    if query is None:
        return await _describe(request, service)
    return await _answer(request, service, query)


@router.post(
    "/sparql",
    summary="Run a read-only SPARQL query (POST)",
    description="The SPARQL protocol's POST forms: URL-encoded `query=…`, or the query itself as "
    "application/sparql-query. Answers as for GET.",
    responses=QUERY_RESPONSES,
    openapi_extra={
        **NOT_SPARQL,
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
        },
    },
)
async def sparql_post(request: Request, service: SparqlDep) -> Response:
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
    return await _answer(request, service, text)
