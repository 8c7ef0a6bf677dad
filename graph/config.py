"""Choose and open a store from configuration: embedded by default, Neo4j when configured."""

from __future__ import annotations

from pathlib import Path

from plankg.graph.store import GraphStore, StoreError
from plankg.settings import Settings

STORE_KINDS = ("memory", "neo4j")


def configured_kind(kind: str | None = None) -> str:
    """The store kind: the explicit one, else neo4j when NEO4J_URI is set, else memory."""
    chosen = kind or Settings.from_env().store
    if chosen not in STORE_KINDS:
        raise StoreError(f"unknown store {chosen!r}; expected one of {', '.join(STORE_KINDS)}")
    return chosen


def open_store(kind: str | None = None, db_path: Path | None = None) -> GraphStore:
    """Open the configured store (see README: PLANKG_DB, NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE)."""
    chosen = configured_kind(kind)
    if chosen == "neo4j":
        from plankg.graph.neo4j_store import Neo4jStore

        return Neo4jStore.from_env()
    from plankg.graph.memory import MemoryStore

    return MemoryStore(db_path)
