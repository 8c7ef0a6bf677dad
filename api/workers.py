"""The app factory each `plankg serve --workers N` process calls (uvicorn imports it by name).

Every worker opens the store from configuration (the CLI puts its --store / --db choice into
PLANKG_STORE / PLANKG_DB before starting them): the embedded store is one SQLite file that any
number of processes read at once, Neo4j a driver per process.
"""

from __future__ import annotations

from fastapi import FastAPI

from plankg.api.access_log import configure_access_log
from plankg.api.app import create_app


def app_factory() -> FastAPI:
    """The API over the configured store, with the access log on stderr (as in a single-process serve)."""
    configure_access_log()
    return create_app()
