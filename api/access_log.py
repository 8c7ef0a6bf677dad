"""A structured access log: one JSON line per request on the `plankg.access` logger, plus a request id.

The request id comes from a well-formed X-Request-ID header or is made up; it is echoed
in the response so a client can quote it, and error handlers include it in 500 answers.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_log = logging.getLogger("plankg.access")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if REQUEST_ID.match(text):
                return text
    return uuid.uuid4().hex


class AccessLogMiddleware:
    """Times each HTTP request and logs method, path, status, duration_ms and request_id as JSON."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                record: dict[str, Any] = {
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 3),
                    "request_id": request_id,
                }
                access_log.info(json.dumps(record, separators=(",", ":")))


def configure_access_log(level: int = logging.INFO) -> None:
    """Send access-log lines (bare JSON) and API errors to stderr, once."""
    for name in ("plankg.access", "plankg.api"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(
                logging.Formatter("%(message)s" if name == "plankg.access" else "%(levelname)s %(name)s: %(message)s")
            )
            logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False
