"""One error shape for every failure: {"error": {"code", "message", "details"}} with the right status.

Handlers turn validation errors, HTTP errors and the domain errors (NotFound, BadQuery,
InputError, StoreError) into that shape; anything unexpected becomes a 500 that names
the request id but never a stack trace or an internal path.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from plankg.api.json_response import JSONResponse
from plankg.graph.engine import BadQuery
from plankg.graph.sparql import SparqlRefused, SparqlTimeout
from plankg.graph.store import NotFound, StoreError
from plankg.model.errors import InputError

log = logging.getLogger("plankg.api")

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


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


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
    """OpenAPI `responses` entries for these error statuses, all with the ErrorBody schema."""
    return {status: {"model": ErrorBody, "description": ERROR_DESCRIPTIONS[status]} for status in statuses}


def error_response(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": details}}
    return JSONResponse(body, status_code=status, headers=headers)


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


async def _api_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    return error_response(error.status, error.code, error.message, error.details, error.headers)


async def _validation(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    details = _validation_details(error)
    where = ", ".join(".".join(d["location"]) + ": " + d["message"] for d in details[:5])
    return error_response(422, "invalid_request", f"invalid request: {where}", details)


async def _http(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    status = error.status_code
    code = STATUS_CODES.get(status, "error")
    return error_response(status, code, str(error.detail), None, getattr(error, "headers", None))


async def _not_found(_request: Request, error: Exception) -> JSONResponse:
    return error_response(404, "not_found", _message(error))


async def _bad_query(_request: Request, error: Exception) -> JSONResponse:
    return error_response(400, "bad_query", _message(error))


async def _sparql_refused(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, SparqlRefused)
    return error_response(400, error.code, error.message)


async def _sparql_timeout(_request: Request, error: Exception) -> JSONResponse:
    return error_response(503, "query_timeout", _message(error), headers={"Retry-After": "1"})


async def _input(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, InputError)
    count = len(error.problems)
    return error_response(
        422,
        "invalid_input",
        f"{count} problem{'s' if count != 1 else ''} in the input; nothing was written",
        {"problems": [p.to_dict() for p in error.problems]},
    )


def store_unavailable_response(error: Exception) -> JSONResponse:
    """The 503 answered whenever the store does not answer."""
    return error_response(503, "store_unavailable", _message(error), headers={"Retry-After": "5"})


async def _store(_request: Request, error: Exception) -> JSONResponse:
    return store_unavailable_response(error)


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    request_id = request.scope.get("state", {}).get("request_id") or request.headers.get("x-request-id", "")
    log.error("unhandled error in %s %s (request %s)", request.method, request.url.path, request_id, exc_info=error)
    return error_response(
        500,
        "internal_error",
        "internal server error; the server log has the details",
        {"request_id": request_id} if request_id else None,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error the same JSON shape."""
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
