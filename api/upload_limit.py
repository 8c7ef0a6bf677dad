"""Bound request bodies: refuse a declared Content-Length over the limit, and stop counting bodies at it.

FastAPI parses multipart bodies before any dependency runs, so the bound has to sit in
front of the app; an over-long body raises a 413 while it is being read.
"""

from __future__ import annotations

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plankg.api.errors import error_response

MULTIPART_OVERHEAD = 64 * 1024
"""Room for multipart boundaries and part headers on top of the file's own size."""


class UploadLimitMiddleware:
    """Answers 413 when a request body to a write endpoint exceeds the configured upload size."""

    def __init__(self, app: ASGIApp, max_bytes: int, prefixes: tuple[str, ...] = ("/api/v1/loads",)) -> None:
        self.app = app
        self.max_bytes = max_bytes + MULTIPART_OVERHEAD
        self.file_bytes = max_bytes
        self.prefixes = prefixes

    def _too_large(self) -> str:
        return f"the upload is larger than the server's limit of {self.file_bytes} bytes (PLANKG_MAX_UPLOAD_BYTES)"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                response = error_response(
                    413,
                    "payload_too_large",
                    self._too_large(),
                    {"limit_bytes": self.file_bytes},
                    instance=scope["path"],
                )
                await response(scope, receive, send)
                return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise HTTPException(413, self._too_large())
            return message

        await self.app(scope, counting_receive, send)
