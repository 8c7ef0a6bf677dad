"""One error shape for every failure: RFC 9457 problem details (application/problem+json) with the right status.

The problem object has the standard members (type, title, status, detail, instance) and
plankg's own: `code` (machine-readable), `message` (= detail) and `details` (structure:
validation errors, input problems, …). It also keeps `error: {code, message, details}`,
the shape answered before problem details, so clients written against it keep working.

Handlers turn validation errors, HTTP errors and the domain errors (NotFound, BadQuery,
InputError, StoreError) into that shape; a 405 lists every method the resource takes in
Allow; anything unexpected becomes a 500 that names the request id but never a stack
trace or an internal path.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from plankg.api.json_response import JSONResponse
from plankg.graph.engine import BadQuery
from plankg.graph.sparql import SparqlRefused, SparqlTimeout
from plankg.graph.store import NotFound, StoreError
from plankg.model.errors import InputError

log = logging.getLogger("plankg.api")

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_BASE = "https://plankg.org/problems/"
"""A problem's `type` is this base + its code (e.g. .../problems/not_found): one URI per kind of problem."""

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    411: "length_required",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    500: "internal_error",
    503: "unavailable",
}


class ApiError(Exception):
    """An error the API answers deliberately, with its status, code, message and details."""

    def __init__(
        self, status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers


class ErrorDetail(BaseModel):
    code: str = Field(description="Machine-readable error code, e.g. not_found.", examples=["not_found"])
    message: str = Field(description="What went wrong, in words a user can act on.")
    details: Any = Field(default=None, description="Extra structure: validation errors, input problems, …")


class Problem(BaseModel):
    """RFC 9457 problem details: the body of every error response (media type application/problem+json)."""

    type: str = Field(
        description=f"A URI naming the kind of problem: {PROBLEM_TYPE_BASE} + code.",
        examples=[PROBLEM_TYPE_BASE + "not_found"],
    )
    title: str = Field(description="The HTTP status phrase.", examples=["Not Found"])
    status: int = Field(description="The HTTP status code, as in the response.", examples=[404])
    detail: str = Field(description="What went wrong in this occurrence, in words a user can act on.")
    instance: str | None = Field(default=None, description="The path of the request that failed.")
    code: str = Field(description="Machine-readable error code, e.g. not_found.", examples=["not_found"])
    message: str = Field(description="The same as `detail`.")
    details: Any = Field(default=None, description="Extra structure: validation errors, input problems, …")
    error: ErrorDetail = Field(description="code, message and details again: the error shape before RFC 9457.")


ErrorBody = Problem
"""The former name of the error body's model."""


ERROR_DESCRIPTIONS = {
    400: "Bad request (invalid id, cursor, SPARQL, query parameter or malformed body)",
    401: "Missing or wrong bearer token",
    403: "Writes are disabled on this server",
    404: "Unknown entity, query or path",
    406: "None of the accepted media types can be produced",
    413: "Upload too large",
    415: "Unsupported request body type",
    422: "Invalid request parameters or invalid input data",
    503: "The store does not answer, or the query ran out of time",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for these error statuses, all problem+json with the Problem schema."""
    return {
        status: {
            "description": ERROR_DESCRIPTIONS[status],
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


def problem(status: int, code: str, message: str, details: Any = None, instance: str | None = None) -> dict[str, Any]:
    """The problem-details object for one error."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    return {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": message,
        "instance": instance,
        "code": code,
        "message": message,
        "details": details,
        "error": {"code": code, "message": message, "details": details},
    }


def error_response(
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: dict[str, str] | None = None,
    instance: str | None = None,
) -> JSONResponse:
    """An application/problem+json response; `instance` is the request path when known."""
    body = problem(status, code, message, details, instance)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def _validation_details(error: RequestValidationError) -> list[dict[str, Any]]:
    """Where and why each parameter failed, without echoing objects that are not JSON."""
    return [
        {
            "location": [str(part) for part in item.get("loc", ())],
            "message": str(item.get("msg", "")),
            "type": str(item.get("type", "")),
        }
        for item in error.errors()
    ]


def _message(error: Exception) -> str:
    return str(error.args[0]) if error.args else str(error)


def _path(request: Request) -> str:
    return request.url.path


PROBED_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route takes at this path (HEAD wherever GET is), for the Allow header of a 405.

    Each method is put to the app's routes as a fresh request to the same path, through the
    routes' own `matches`, so routes included from routers count too.
    """
    scope = request.scope
    allowed: list[str] = []
    for method in PROBED_METHODS:
        probe = {
            "type": "http",
            "method": method,
            "path": scope["path"],
            "root_path": scope.get("root_path", ""),
            "headers": scope.get("headers", []),
            "query_string": b"",
            "app": scope.get("app"),
        }
        if any(route.matches(probe)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    if "GET" in allowed and "HEAD" not in allowed:
        allowed.insert(allowed.index("GET") + 1, "HEAD")
    return allowed


async def _api_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    return error_response(error.status, error.code, error.message, error.details, error.headers, _path(request))


async def _validation(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    details = _validation_details(error)
    where = ", ".join(".".join(d["location"]) + ": " + d["message"] for d in details[:5])
    return error_response(422, "invalid_request", f"invalid request: {where}", details, instance=_path(request))


async def _http(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    status = error.status_code
    code = STATUS_CODES.get(status, "error")
    headers = dict(getattr(error, "headers", None) or {})
    message = str(error.detail)
    if status == 405:
        allowed = allowed_methods(request)
        headers["Allow"] = ", ".join(allowed)
        message = f"{request.method} is not allowed here; use {', '.join(allowed)}"
    return error_response(status, code, message, None, headers or None, _path(request))


async def _not_found(request: Request, error: Exception) -> JSONResponse:
    return error_response(404, "not_found", _message(error), instance=_path(request))


async def _bad_query(request: Request, error: Exception) -> JSONResponse:
    return error_response(400, "bad_query", _message(error), instance=_path(request))


async def _sparql_refused(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, SparqlRefused)
    return error_response(400, error.code, error.message, instance=_path(request))


async def _sparql_timeout(request: Request, error: Exception) -> JSONResponse:
    return error_response(503, "query_timeout", _message(error), headers={"Retry-After": "1"}, instance=_path(request))


async def _input(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, InputError)
    count = len(error.problems)
    return error_response(
        422,
        "invalid_input",
        f"{count} problem{'s' if count != 1 else ''} in the input; nothing was written",
        {"problems": [p.to_dict() for p in error.problems]},
        instance=_path(request),
    )


def store_unavailable_response(error: Exception, instance: str | None = None) -> JSONResponse:
    """The 503 answered whenever the store does not answer."""
    return error_response(503, "store_unavailable", _message(error), headers={"Retry-After": "5"}, instance=instance)


async def _store(request: Request, error: Exception) -> JSONResponse:
    return store_unavailable_response(error, _path(request))


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    request_id = request.scope.get("state", {}).get("request_id") or request.headers.get("x-request-id", "")
    log.error("unhandled error in %s %s (request %s)", request.method, request.url.path, request_id, exc_info=error)
    return error_response(
        500,
        "internal_error",
        "internal server error; the server log has the details",
        {"request_id": request_id} if request_id else None,
        instance=_path(request),
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error the same problem-details shape."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(BadQuery, _bad_query)
    app.add_exception_handler(InputError, _input)
    app.add_exception_handler(SparqlRefused, _sparql_refused)
    app.add_exception_handler(SparqlTimeout, _sparql_timeout)
    app.add_exception_handler(StoreError, _store)
    app.add_exception_handler(Exception, _unexpected)
