"""Every environment variable plankg reads, in one typed settings object.

`Settings.from_env()` reads them once; the stores, the API and the CLI take their
values from it (FastAPI gets it through a typed dependency), so each variable is
named, parsed and documented here only.

| variable | meaning | default |
|---|---|---|
| PLANKG_STORE | `memory` or `neo4j` | neo4j when NEO4J_URI is set, else memory |
| PLANKG_DB | the embedded store's file | $XDG_DATA_HOME/plankg/graph.json |
| XDG_DATA_HOME | base of the default PLANKG_DB | ~/.local/share |
| NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE | the Neo4j connection | –, neo4j, –, neo4j |
| PLANKG_NEO4J_LABEL | the label marking plankg's own nodes in a shared Neo4j | Plankg |
| PLANKG_NEO4J_STAGE_ELEMENTS | Neo4j loads of more nodes + edges are staged in bounded transactions | 100000 |
| PLANKG_NEO4J_READS | compiled Neo4j questions as a `managed` read (2 round trips) or `autocommit` (1) | managed |
| PLANKG_API_TOKEN | bearer token that enables writes through the API | none (writes off) |
| PLANKG_CORS_ORIGINS | comma-separated origins allowed by CORS | none |
| PLANKG_MAX_UPLOAD_BYTES | largest upload to POST /api/v1/loads | 20 MiB |
| PLANKG_QUERY_SECONDS | time limit of one SPARQL query | 10 |
| PLANKG_CHECK_WORKERS | processes for a large load's shape checks (≥ 2: a second is forked) | the usable cores |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1024 * 1024
DEFAULT_UPLOAD_BYTES = 20 * MIB
DEFAULT_QUERY_SECONDS = 10.0
DEFAULT_NEO4J_LABEL = "Plankg"
DEFAULT_NEO4J_STAGE_ELEMENTS = 100_000
NEO4J_READ_MODES = ("managed", "autocommit")
"""How graph/neo4j_store.py sends a compiled question (a named query, neighbourhood or path):
`managed` in a read transaction the driver retries (the statement, then its COMMIT: two round trips);
`autocommit` as one auto-commit query (RUN and PULL in one flight: one round trip), retried by
tenacity on the driver's retryable errors within the same time budget (graph/neo4j_reads.py).
`managed` stays the default: every statement plankg sends then runs in a managed transaction, which
tests/test_security.py and tests/test_outage.py hold the store to; `autocommit` is for links where
a round trip is dear (Aura, a cluster in another region) — graph/NEO4J.md, "Read modes"."""
DEFAULT_NEO4J_READS = "managed"


class SettingsError(ValueError):
    """An environment variable has a value plankg cannot use; the message names it."""


def _positive(env: Mapping[str, str], name: str, default: float, kind: type[int] | type[float], what: str) -> float:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        number = kind(value)
    except ValueError:
        raise SettingsError(f"{name} must be {what}, got {value!r}") from None
    if number <= 0:
        raise SettingsError(f"{name} must be positive, got {number}")
    return number


@dataclass(frozen=True)
class Neo4jSettings:
    """Where Neo4j is and how plankg marks its own nodes there."""

    uri: str = ""
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str = "neo4j"
    owner_label: str = DEFAULT_NEO4J_LABEL
    stage_elements: int = DEFAULT_NEO4J_STAGE_ELEMENTS
    """Loads above this many elements are staged (about 0.6 GiB of transaction state per 100k in one)."""
    reads: str = DEFAULT_NEO4J_READS
    """How compiled questions are sent: one of NEO4J_READ_MODES."""


@dataclass(frozen=True)
class Settings:
    """The whole configuration of one plankg process."""

    store: str = "memory"
    db_path: Path = field(default_factory=lambda: Path.home() / ".local" / "share" / "plankg" / "graph.json")
    neo4j: Neo4jSettings = field(default_factory=Neo4jSettings)
    api_token: str | None = field(default=None, repr=False)
    cors_origins: tuple[str, ...] = ()
    max_upload_bytes: int = DEFAULT_UPLOAD_BYTES
    query_seconds: float = DEFAULT_QUERY_SECONDS
    check_workers: int = 1
    """Processes for the shape checks of a large load (loaders/checks.py forks a second one when ≥ 2)."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read every variable of the table above (os.environ unless a mapping is given)."""
        env = os.environ if env is None else env
        reads = (env.get("PLANKG_NEO4J_READS") or DEFAULT_NEO4J_READS).strip().lower()
        if reads not in NEO4J_READ_MODES:
            raise SettingsError(f"PLANKG_NEO4J_READS must be one of {', '.join(NEO4J_READ_MODES)}, got {reads!r}")
        neo4j = Neo4jSettings(
            uri=env.get("NEO4J_URI", "").strip(),
            user=env.get("NEO4J_USER") or "neo4j",
            password=env.get("NEO4J_PASSWORD", ""),
            database=env.get("NEO4J_DATABASE") or "neo4j",
            owner_label=env.get("PLANKG_NEO4J_LABEL") or DEFAULT_NEO4J_LABEL,
            stage_elements=int(
                _positive(
                    env, "PLANKG_NEO4J_STAGE_ELEMENTS", DEFAULT_NEO4J_STAGE_ELEMENTS, int, "a whole number of elements"
                )
            ),
            reads=reads,
        )
        if env.get("PLANKG_DB"):
            db_path = Path(env["PLANKG_DB"]).expanduser()
        else:
            db_path = Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "plankg" / "graph.json"
        return cls(
            store=env.get("PLANKG_STORE") or ("neo4j" if neo4j.uri else "memory"),
            db_path=db_path,
            neo4j=neo4j,
            api_token=env.get("PLANKG_API_TOKEN") or None,
            cors_origins=tuple(o.strip() for o in env.get("PLANKG_CORS_ORIGINS", "").split(",") if o.strip()),
            max_upload_bytes=int(
                _positive(env, "PLANKG_MAX_UPLOAD_BYTES", DEFAULT_UPLOAD_BYTES, int, "a whole number of bytes")
            ),
            query_seconds=_positive(env, "PLANKG_QUERY_SECONDS", DEFAULT_QUERY_SECONDS, float, "a number of seconds"),
            check_workers=int(
                _positive(env, "PLANKG_CHECK_WORKERS", _usable_cores(), int, "a whole number of processes")
            ),
        )


def _usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it), at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1
