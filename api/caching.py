"""ETag and Cache-Control for GET reads, from the store's revision and the request, with 304 answers.

The tag is computed before the handler runs, so an If-None-Match hit costs one
revision lookup and never touches the query itself.
"""

from __future__ import annotations

import hashlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plankg.api.blocking import call_store
from plankg.graph.store import StoreError

CACHED_PREFIX = "/api/v1/"
CACHE_CONTROL = b"no-cache"


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return ""


def _matches(if_none_match: str, etag: str) -> bool:
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags


class ETagMiddleware:
    """Adds ETag + Cache-Control to successful GET /api/v1/ answers; 304 when If-None-Match matches."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or not scope["path"].startswith(CACHED_PREFIX)
        ):
            await self.app(scope, receive, send)
            return
        store = scope["app"].state.store
        try:
            revision = await call_store(store, store.revision)
        except StoreError as error:  # answer the 503 now rather than waiting out a second retry budget
            from plankg.api.errors import store_unavailable_response

            await store_unavailable_response(error, scope["path"])(scope, receive, send)
            return
        key = "\x1f".join(
            (revision, scope["path"], scope.get("query_string", b"").decode("latin-1"), _header(scope, b"accept"))
        )
        etag = '"' + hashlib.sha1(key.encode("utf-8")).hexdigest()[:24] + '"'
        if_none_match = _header(scope, b"if-none-match")
        if if_none_match and _matches(if_none_match, etag):
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": [(b"etag", etag.encode()), (b"cache-control", CACHE_CONTROL), (b"vary", b"Accept")],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_etag(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = [h for h in message.get("headers", []) if h[0] not in (b"etag", b"cache-control")]
                headers += [(b"etag", etag.encode()), (b"cache-control", CACHE_CONTROL), (b"vary", b"Accept")]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_etag)
