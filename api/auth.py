"""Bearer-token check for write endpoints: 403 when writes are disabled, 401 for a missing or wrong token."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from plankg.api.deps import SettingsDep
from plankg.api.errors import ApiError

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="plankg"'}
bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearerToken",
    description="The server's PLANKG_API_TOKEN; writes are disabled when it is not set.",
)


def require_writer(
    settings: SettingsDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]
) -> None:
    """Let the request through only with `Authorization: Bearer <PLANKG_API_TOKEN>`."""
    token = settings.token
    if not token:
        raise ApiError(
            403,
            "writes_disabled",
            "writes are disabled on this server: set PLANKG_API_TOKEN to enable "
            "them, then send it as `Authorization: Bearer <token>`",
        )
    if credentials is None or not credentials.credentials.strip():
        raise ApiError(401, "unauthorized", "this endpoint needs `Authorization: Bearer <token>`", headers=CHALLENGE)
    if not hmac.compare_digest(credentials.credentials.strip().encode("utf-8"), token.encode("utf-8")):
        raise ApiError(401, "unauthorized", "the bearer token is wrong", headers=CHALLENGE)
