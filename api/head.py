"""HEAD on every GET resource: the GET's status and headers, without its body (RFC 9110 §9.3.2).

FastAPI routes declare GET only, so HEAD would answer 405. This middleware runs the GET
instead and passes on its status and headers (Content-Type, Content-Length, ETag, …), dropping
the body, so a HEAD costs what the GET costs and always agrees with it. A resource without GET
answers HEAD with the same 405 as GET, naming its methods in Allow.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadMiddleware:
    """Serves HEAD requests as GET with the body left out."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        finished = False

        async def without_body(message: Message) -> None:
            nonlocal finished
            if message["type"] != "http.response.body":
                await send(message)
                return
            if not finished and not message.get("more_body", False):
                finished = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET"}, receive, without_body)
