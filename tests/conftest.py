"""Shared fixtures: an embedded store in a temp file, and a real Neo4j started by tools/neo4j-server.

Neo4j tests use NEO4J_URI when it is set; otherwise they start the project's dev server.
When CI=true a missing or failing Neo4j is an error, never a skip.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plankg.graph.memory import MemoryStore
from plankg.graph.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
STORE_KINDS = ("memory", "neo4j")
STAGED_ELEMENTS, STAGED_CHUNK = 10, 500
"""The `neo4j-staged` kind: every load above 10 elements is staged (graph/neo4j_staged.py), in chunks of 500."""
STAGED_MODULES = frozenset({"test_contract", "test_unload"})
"""Modules whose `any_store` tests also run on the `neo4j-staged` kind (the store contract, unload/reload)."""


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def neo4j_settings() -> dict[str, str]:
    """Bolt URI and credentials of a running Neo4j: NEO4J_* from the environment or the dev server."""
    if os.environ.get("NEO4J_URI"):
        return {
            "uri": os.environ["NEO4J_URI"],
            "user": os.environ.get("NEO4J_USER", "neo4j"),
            "password": os.environ.get("NEO4J_PASSWORD", ""),
            "database": os.environ.get("NEO4J_DATABASE", "neo4j"),
        }
    script = ROOT / "tools" / "neo4j-server"
    try:
        result = subprocess.run([str(script), "start"], capture_output=True, text=True, timeout=900, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        result = None
        message = str(error)
    if result is None or result.returncode != 0:
        message = result.stderr[-3000:] if result is not None else message
        if _in_ci():
            pytest.fail(f"Neo4j dev server did not start (CI=true, so this fails):\n{message}")
        pytest.skip(f"Neo4j dev server did not start: {message[-500:]}")
    values = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    os.environ.setdefault("PLANKG_TEST_NEO4J_STARTED", "1")
    return {
        "uri": values["NEO4J_URI"],
        "user": values["NEO4J_USER"],
        "password": values["NEO4J_PASSWORD"],
        "database": "neo4j",
    }


def make_neo4j_store(settings: dict[str, str], **options: Any) -> GraphStore:
    from plankg.graph.neo4j_store import Neo4jStore

    return Neo4jStore(settings["uri"], settings["user"], settings["password"], settings["database"], **options)


@pytest.fixture
def memory_store(tmp_path: Path) -> MemoryStore:
    return MemoryStore(tmp_path / "graph.json")


@pytest.fixture
def neo4j_store(neo4j_settings: dict[str, str]) -> Iterator[GraphStore]:
    store = make_neo4j_store(neo4j_settings)
    store.clear()
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def neo4j_staged_store(neo4j_settings: dict[str, str]) -> Iterator[GraphStore]:
    """The Neo4j store with a threshold so small that the tests' loads take the staged path."""
    store = make_neo4j_store(neo4j_settings, stage_elements=STAGED_ELEMENTS, stage_chunk=STAGED_CHUNK)
    store.clear()
    try:
        yield store
    finally:
        store.close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`any_store` runs once per store kind; the contract modules add the staged Neo4j load path."""
    if "any_store" in metafunc.fixturenames:
        staged = ("neo4j-staged",) if metafunc.module.__name__ in STAGED_MODULES else ()
        metafunc.parametrize("any_store", STORE_KINDS + staged, indirect=True)


@pytest.fixture
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """Each store-contract test runs once per store kind, with the same assertions."""
    if request.param == "memory":
        yield MemoryStore(tmp_path / "graph.json")
        return
    yield request.getfixturevalue("neo4j_staged_store" if request.param == "neo4j-staged" else "neo4j_store")
