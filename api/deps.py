"""What route handlers need from the app, as typed dependencies: the store, the settings, SPARQL; and id checking.

Routes take `store: StoreDep`, `settings: SettingsDep`, `sparql: SparqlDep` parameters instead of
reading `request.app.state`, so a test can override one with `app.dependency_overrides`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from plankg.api.errors import ApiError
from plankg.api.settings import ApiSettings
from plankg.graph.resolve import Ambiguous, resolve_entity
from plankg.graph.sparql import SparqlService
from plankg.graph.store import GraphStore, NotFound
from plankg.ontology.schema import ID_PATTERN

ID_DESCRIPTION = "An entity id: a URL-safe slug of lower-case letters and digits joined by '-', '_' or '.'."


# The getters are `async def`: FastAPI runs a plain `def` dependency on the threadpool, a thread hop per
# dependency per request (three on a named query) for what is an attribute read.
async def get_store(request: Request) -> GraphStore:
    return request.app.state.store  # type: ignore[no-any-return]


async def get_settings(request: Request) -> ApiSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_sparql(request: Request) -> SparqlService:
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


NAME_DESCRIPTION = "an id, or a label or alias that names exactly one entity (e.g. industry.healthcare, 医疗, MIIT)"


def resolve_param(store: GraphStore, value: str, name: str, type_name: str | None = None) -> str:
    """The id a parameter names: an id as given, or the one entity whose label or alias it is.

    The same resolver as the CLI (plankg.graph.resolve): an unknown name is a 404, a name
    shared by several entities a 400 listing the candidates. An id that exists is passed on
    unchanged, so a wrong type is still answered by the operation itself (naming the type).
    """
    if len(value) > 300 or not value.strip():
        raise ApiError(400, "bad_id", f"{name} must be {NAME_DESCRIPTION}", {"parameter": name})
    if ID_PATTERN.match(value) and store.get(value) is not None:
        return value
    try:
        return resolve_entity(store, value, type_name)
    except Ambiguous as error:
        candidates = [{"id": node.id, "label": node.label()} for node in error.candidates[:20]]
        raise ApiError(400, "ambiguous_name", str(error), {"parameter": name, "candidates": candidates}) from None
    except NotFound as error:
        raise ApiError(404, "not_found", f"{name}: {error}", {"parameter": name}) from None
