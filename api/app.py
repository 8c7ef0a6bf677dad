"""The plankg HTTP API: `create_app(store, settings)` wires routes, errors, limits, caching and logging."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse

from plankg.api.access_log import AccessLogMiddleware
from plankg.api.caching import ETagMiddleware
from plankg.api.errors import error_responses, install_error_handlers
from plankg.api.head import HeadMiddleware
from plankg.api.negotiation import JSON_ONLY
from plankg.api.openapi import install_openapi
from plankg.api.routes import (
    ask,
    docs,
    entities,
    explorer,
    export,
    extract,
    health,
    loads,
    ontology,
    paths,
    plans,
    queries,
    schema,
    sparql,
    vendor,
)
from plankg.api.settings import ApiSettings
from plankg.api.upload_limit import UploadLimitMiddleware
from plankg.graph.sparql import SparqlService
from plankg.graph.store import GraphStore

STATIC_DIR = Path(__file__).resolve().parent / "static"
DESCRIPTION = (
    "A knowledge graph of government plans — goals, indicators, measures, industries, standards, centres — "
    "with the quoted sentence of the plan behind every answer.\n\n"
    "Start with `GET /api/v1/queries/standards_for_industry?industry=industry.healthcare`. Reads are open; "
    "`POST /api/v1/loads` needs `Authorization: Bearer <PLANKG_API_TOKEN>`.\n\n"
    "HTTP: every GET also answers HEAD; `Accept` chooses among the media types an operation lists "
    "(406 when it admits none of them); a 405 names the allowed methods in `Allow`. Errors are RFC 9457 "
    "problem details (`application/problem+json`: type, title, status, detail, instance) that also carry "
    "`code`, `message` and `details`, and the same three as `error: {code, message, details}` for older "
    "clients. `/api/v1/sparql` speaks the SPARQL 1.1 Protocol (results as JSON, XML, CSV, TSV; graphs as "
    "Turtle, N-Triples, JSON-LD) and describes itself (SPARQL 1.1 Service Description) at GET without a query."
)
JSON_ROUTERS = (health, schema, queries, paths, loads, extract, ask)
"""Routers whose answers exist only as JSON: a 406 for an Accept header that does not take JSON."""
NEGOTIATING_ROUTERS = (entities, export, sparql)
"""Routers that negotiate per route (JSON or RDF, export formats, SPARQL result formats)."""


def _mount_explorer(app: FastAPI) -> None:
    """The docs (/docs, /redoc), their and the explorer's vendor assets (/vendor), and the explorer at /.

    Without the explorer's page, / points at the API docs.
    """
    app.include_router(docs.router)
    app.include_router(vendor.router)
    if (STATIC_DIR / "index.html").is_file():
        app.include_router(explorer.router)
        return

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")


def create_app(store: GraphStore | None = None, settings: ApiSettings | None = None) -> FastAPI:
    """The API over `store` (opened from configuration when None; then also closed on shutdown)."""
    settings = settings or ApiSettings.from_env()
    owned = store is None
    if store is None:
        from plankg.graph.config import open_store

        store = open_store()
    sparql_service = SparqlService(store, settings.query_seconds)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        vendor.warn_if_missing()
        try:
            yield
        finally:
            sparql_service.close()
            if owned:
                store.close()

    # docs_url/redoc_url None: FastAPI's pages load their assets from CDNs; api/routes/docs.py serves local ones
    app = FastAPI(
        title="plankg API", version="1", description=DESCRIPTION, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    app.state.store = store
    app.state.settings = settings
    app.state.sparql = sparql_service
    install_error_handlers(app)
    app.include_router(ontology.router)  # the ontology and shapes at their IRIs (RDF, by Accept)
    for module in JSON_ROUTERS:
        app.include_router(module.router, dependencies=[JSON_ONLY], responses=error_responses(406))
    for module in NEGOTIATING_ROUTERS:
        app.include_router(module.router)
    app.include_router(plans.router)  # diff, unload/reload, report, derived answers, deadlines, analytics
    _mount_explorer(app)
    install_openapi(app)

    app.add_middleware(HeadMiddleware)
    app.add_middleware(ETagMiddleware)
    app.add_middleware(UploadLimitMiddleware, max_bytes=settings.max_upload_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "Accept", "If-None-Match"],
            expose_headers=["ETag", "X-Request-ID", "Content-Disposition"],
        )
    app.add_middleware(AccessLogMiddleware)
    return app
