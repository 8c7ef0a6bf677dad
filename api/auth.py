"""Bearer-token check for write endpoints: 403 when writes are disabled, 401 for a missing or wrong token."""

from __future__ import annotations

import hmac

from fastapi import Request

from api.deps import get_settings
from api.errors import ApiError

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="plankg"'}


def require_writer(request: Request) -> None:
    """Let the request through only with `Authorization: Bearer <PLANKG_API_TOKEN>`."""
    token = get_settings(request).token
    if not token:
        raise ApiError(403, "writes_disabled", "writes are disabled on this server: set PLANKG_API_TOKEN to enable "
                       "them, then send it as `Authorization: Bearer <token>`")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(401, "unauthorized", "this endpoint needs `Authorization: Bearer <token>`", headers=CHALLENGE)
    if not hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8")):
        raise ApiError(401, "unauthorized", "the bearer token is wrong", headers=CHALLENGE)
