"""The OpenAPI document, finished: problem+json errors, and the reasons schema-valid requests may be refused.

FastAPI documents its own 422 (HTTPValidationError) for every route with parameters, which
is not what the API answers; this replaces it, and any other error response's content, with
the Problem schema from api/errors.py, so the document says what the server sends.

Some inputs cannot be described by JSON Schema: a SPARQL query, a plan file, a paging
cursor the server issued. A request can be schema-valid and still meaningless, and is then
rightly refused (400/422). An operation states that with `refusals(reason)` in its
`openapi_extra`: the reason lands in its description and in the `x-schema-valid-refusals`
extension, which the schemathesis tests read to know where "schema-valid → accepted"
(positive_data_acceptance) does not hold, and why.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from plankg.api.errors import ERROR_DESCRIPTIONS, PROBLEM_JSON, Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
REFUSALS = "x-schema-valid-refusals"


NAME_REFUSAL = (
    "any text may be a label or an alias, so the schema cannot tell a name of no entity (404), a name of several "
    "(400 ambiguous_name, listing them) or an entity of the wrong type (400) from a good one."
)
"""Why operations whose parameters take an entity's id, label or alias refuse some schema-valid values."""


def refusals(reason: str) -> dict[str, Any]:
    """openapi_extra for an operation whose schema admits requests it must refuse: why, in words."""
    return {REFUSALS: reason}


FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


def _problem_responses(operation: dict[str, Any]) -> None:
    for status, response in operation.get("responses", {}).items():
        if status.isdigit() and int(status) >= 400:
            response["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}
            if status == "422":
                response["description"] = ERROR_DESCRIPTIONS[422]


def _schema_refs(node: Any) -> set[str]:
    """Every components/schemas name referenced anywhere below node."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                found.add(ref.rsplit("/", 1)[1])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document with problem+json error responses (computed once, then cached on the app)."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        description=app.description,
        routes=app.routes,
    )
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict):
                _problem_responses(operation)
                if operation.get(REFUSALS):
                    text = operation.get("description", "").rstrip()
                    operation["description"] = (
                        f"{text}\n\n**Schema-valid, still refused:** {operation[REFUSALS]}".lstrip()
                    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    referenced = _schema_refs(document["paths"])
    for name in FASTAPI_VALIDATION_SCHEMAS:
        if name not in referenced:
            schemas.pop(name, None)
    app.openapi_schema = document
    return document


def install_openapi(app: FastAPI) -> None:
    """Make `app.openapi()` (and /openapi.json) answer the finished document."""
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
