"""What route handlers need from the app, as typed dependencies: the store, the settings, SPARQL; and id checking.

Routes take `store: StoreDep`, `settings: SettingsDep`, `sparql: SparqlDep` parameters instead of
reading `request.app.state`, so a test can override one with `app.dependency_overrides`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from plankg.api.errors import ApiError
from plankg.api.settings import ApiSettings
from plankg.graph.sparql import SparqlService
from plankg.graph.store import GraphStore
from plankg.ontology.schema import ID_PATTERN

ID_DESCRIPTION = "An entity id: a URL-safe slug of lower-case letters and digits joined by '-', '_' or '.'."


def get_store(request: Request) -> GraphStore:
    return request.app.state.store  # type: ignore[no-any-return]


def get_settings(request: Request) -> ApiSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_sparql(request: Request) -> SparqlService:
    return request.app.state.sparql  # type: ignore[no-any-return]


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
SparqlDep = Annotated[SparqlService, Depends(get_sparql)]


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
