"""Content negotiation: the offered media type an Accept header prefers, or a 406 that names the offers.

Accept headers are parsed by Werkzeug's MIMEAccept (RFC 9110 quality values, wildcards,
q=0 exclusions; ties go to the server's order). No Accept header means "anything", so the
first offer. Routes declare what they offer with `acceptable(...)`; JSON-only routes use
`JSON_ONLY`. An error body is problem+json whatever the Accept (RFC 9457 §3), so 406 and
the other errors never negotiate.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated

from fastapi import Depends, Request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from plankg.api.errors import ApiError

JSON = "application/json"


def choose(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the Accept header ranks highest; None when it admits none of them."""
    if not accept or not accept.strip():
        return offered[0]
    return parse_accept_header(accept, MIMEAccept).best_match(offered)


def not_acceptable(accept: str | None, offered: Sequence[str]) -> ApiError:
    """The 406 for an Accept header that admits none of `offered`."""
    return ApiError(
        406,
        "not_acceptable",
        f"cannot answer {(accept or '')[:120]!r}; this resource is available as {', '.join(offered)}",
        {"accept": (accept or "")[:300], "available": list(offered)},
    )


def negotiate(request: Request, offered: Sequence[str]) -> str:
    """The media type to answer `request` with, or a 406 ApiError."""
    accept = request.headers.get("accept")
    chosen = choose(accept, offered)
    if chosen is None:
        raise not_acceptable(accept, offered)
    return chosen


def acceptable(*offered: str) -> Callable[[Request], Awaitable[str]]:
    """A dependency answering the negotiated media type among `offered` (406 when the client takes none).

    `async` so FastAPI runs it in the event loop, not with a thread hop per request."""

    async def dependency(request: Request) -> str:
        return negotiate(request, offered)

    return dependency


JSON_ONLY = Depends(acceptable(JSON))
"""Router or route dependency for answers that exist only as JSON."""

JsonMediaType = Annotated[str, JSON_ONLY]
