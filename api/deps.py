"""What route handlers need from the app: the store, the settings, and id checking."""

from __future__ import annotations

from fastapi import Request

from plankg.api.errors import ApiError
from plankg.api.settings import ApiSettings
from plankg.graph.store import GraphStore
from plankg.ontology.schema import ID_PATTERN

ID_DESCRIPTION = "An entity id: a URL-safe slug of lower-case letters and digits joined by '-', '_' or '.'."


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


def get_settings(request: Request) -> ApiSettings:
    return request.app.state.settings


def check_id(value: str, name: str = "id") -> str:
    """The id itself, or a 400 naming the parameter when it is not a valid slug."""
    if len(value) > 300 or not ID_PATTERN.match(value):
        raise ApiError(
            400,
            "bad_id",
            f"{name} {value[:80]!r} is not a valid id; ids are lower-case slugs like industry.healthcare",
            {"parameter": name, "pattern": ID_PATTERN.pattern},
        )
    return value
