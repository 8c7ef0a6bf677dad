"""The store contract again, with Neo4j's compiled questions sent as auto-commit queries.

PLANKG_NEO4J_READS=autocommit changes how every named query, neighbourhood and path question
reaches Neo4j (graph/neo4j_reads.py), so the whole of tests/test_contract.py runs here a second
time on a Neo4j store in that mode: the `neo4j_store` and `any_store` fixtures below replace
conftest's. The embedded store has no read modes; its runs are skipped here (test_contract.py
runs them), and so is the staged-load kind, which changes writes only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

# Every test of the contract module, collected again under the fixtures of this module.
from test_contract import *  # noqa: F403

from plankg.graph.neo4j_store import Neo4jStore
from plankg.graph.store import GraphStore
from tests.conftest import make_neo4j_store


@pytest.fixture
def neo4j_store(neo4j_settings: dict[str, str]) -> Iterator[GraphStore]:
    """conftest's Neo4j store, asking its compiled questions as auto-commit queries."""
    store = make_neo4j_store(neo4j_settings, reads="autocommit")
    store.clear()
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """The auto-commit Neo4j store; the embedded store's runs are test_contract.py's."""
    if request.param != "neo4j":
        pytest.skip("no read mode to vary: tests/test_contract.py runs this store kind")
    store = request.getfixturevalue("neo4j_store")
    assert isinstance(store, Neo4jStore) and store.reads == "autocommit"
    yield store
