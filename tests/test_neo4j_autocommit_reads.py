"""PLANKG_NEO4J_READS=autocommit: each compiled question is ONE round trip, sees what was just
committed, is retried like a managed read, and is the only auto-commit statement plankg sends.

Round trips are counted on the wire: the stores talk to Neo4j through bench/query_latency.py's
proxy (no delay added), which counts the chunks the client sends — one per flight, since the
client waits for the answer before it sends again. The managed mode is counted the same way, so
the count would show a COMMIT (or a BEGIN) if one were sent.
"""

from __future__ import annotations

import ast
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import neo4j
import pytest
from test_neo4j_round_trips import DOC, _edge, _node, batch

from bench.query_latency import DelayProxy
from plankg.graph import cypher as cy
from plankg.graph.engine import neighborhood, run_named_query
from plankg.graph.neo4j_store import Neo4jStore
from plankg.graph.store import StoreError
from plankg.model import GraphBatch
from plankg.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parent.parent
Question = Callable[[Neo4jStore], Any]
QUESTIONS: dict[str, Question] = {
    "named query (hierarchy)": lambda s: run_named_query(s, "standards_for_industry", {"industry": "rt.ind.top"}),
    "named query (one step)": lambda s: run_named_query(s, "industries_for_standard", {"standard": "rt.std.001"}),
    "named query (citations)": lambda s: run_named_query(s, "document_statements", {"document": DOC}),
    "neighbourhood": lambda s: neighborhood(s, "rt.ind.top", depth=3, limit=30),
    "paths": lambda s: s.shortest_paths("rt.ind.d", "rt.std.001", 4),
}


def _store(settings: dict[str, str], reads: str, uri: str | None = None, **options: Any) -> Neo4jStore:
    return Neo4jStore(
        uri or settings["uri"], settings["user"], settings["password"], settings["database"], reads=reads, **options
    )


@pytest.fixture(scope="module")
def proxy(neo4j_settings: dict[str, str]) -> Iterator[DelayProxy]:
    parts = urlsplit(neo4j_settings["uri"])
    counting = DelayProxy(parts.hostname or "127.0.0.1", parts.port or 7687, 0.0, max_seconds=900)
    try:
        yield counting
    finally:
        counting.close()


@pytest.fixture
def loaded(neo4j_store: Neo4jStore) -> Neo4jStore:
    neo4j_store.upsert(batch())
    return neo4j_store


def _flights(proxy: DelayProxy, store: Neo4jStore, question: Question) -> int:
    """Client flights (requests sent before waiting for an answer) of one question."""
    before = proxy.flights
    assert question(store)
    return proxy.flights - before


@pytest.mark.parametrize(("reads", "expected"), [("autocommit", 1), ("managed", 2)])
def test_each_question_is_a_fixed_number_of_round_trips(
    loaded: Neo4jStore, neo4j_settings: dict[str, str], proxy: DelayProxy, reads: str, expected: int
) -> None:
    """autocommit: RUN+PULL in one flight. managed: the same plus the COMMIT's flight."""
    uri = f"{urlsplit(neo4j_settings['uri']).scheme}://127.0.0.1:{proxy.port}"
    store = _store(neo4j_settings, reads, uri)
    try:
        for question in QUESTIONS.values():
            question(store)  # schema ensured for this URI, connection open, statement compiled
        for name, question in QUESTIONS.items():
            assert [_flights(proxy, store, question) for _ in range(3)] == [expected] * 3, name
    finally:
        store.close()


def test_autocommit_answers_equal_managed_answers(loaded: Neo4jStore, neo4j_settings: dict[str, str]) -> None:
    """The same statement either way (tests/test_contract_autocommit.py compares with the embedded store)."""
    store = _store(neo4j_settings, "autocommit")
    try:
        for name, question in QUESTIONS.items():
            mine, theirs = question(store), question(loaded)
            as_data = (lambda a: [x.to_dict() for x in a]) if isinstance(mine, list) else (lambda a: a.to_dict())
            assert as_data(mine) == as_data(theirs), name
    finally:
        store.close()


def _hub(store: Neo4jStore) -> set[str]:
    return {item.entity.id for item in run_named_query(store, "standards_for_industry", {"industry": "rt.ind.top"})}


def test_reads_see_what_was_just_committed(neo4j_store: Neo4jStore, neo4j_settings: dict[str, str]) -> None:
    """Read-your-writes as with managed reads: a question right after a commit by the same store, by
    another plankg process (its own driver) and by another application's driver sees that commit."""
    reader = _store(neo4j_settings, "autocommit")
    other = _store(neo4j_settings, "managed")
    raw = neo4j.GraphDatabase.driver(neo4j_settings["uri"], auth=(neo4j_settings["user"], neo4j_settings["password"]))
    try:
        reader.upsert(batch())
        expected = _hub(neo4j_store)
        for round_ in range(6):
            writer = reader if round_ % 2 == 0 else other
            new = f"rt.std.new{round_}"
            writer.upsert(
                GraphBatch([_node(new, "Standard")], [_edge(new, "supports_industry", "rt.ind.top")]),
            )
            expected.add(new)
            assert _hub(reader) == expected, (round_, "itself" if writer is reader else "another store")
            assert new in {n.id for n in neighborhood(reader, "rt.ind.top", depth=1, limit=500).nodes}
            assert reader.shortest_paths(new, "rt.ind.top", 1)
            # Another application edits a plankg node directly (values as parameters, as always).
            label = f"renamed {round_}"
            raw.execute_query(
                f"MATCH (n:{reader.owner} {{{cy.ID}: $id}}) SET n.{cy.LABEL_EN} = $label",
                {"id": new, "label": label},
                database_=neo4j_settings["database"],
            )
            found = run_named_query(reader, "industries_for_standard", {"standard": new})
            assert found and all(item.entity.id == "rt.ind.top" for item in found)
            path = reader.shortest_paths(new, "rt.ind.top", 1)[0]
            assert {n.id: n.labels["en"] for n in path.nodes}[new] == label
    finally:
        raw.close()
        reader.close()
        other.close()


class _Refusing:
    """A real TCP listener that accepts each connection and closes it at once: every Bolt attempt fails
    with a retryable error (the connection is lost). Counts the attempts."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.connections = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._socket.close()
        self._thread.join(5)


@pytest.mark.parametrize("reads", ["autocommit", "managed"])
def test_lost_connections_are_retried_within_the_driver_budget(reads: str) -> None:
    """A retryable failure is tried again until `retry_time` after the first failure (the driver's rule
    for managed reads, tenacity's for auto-commit ones), then it is a StoreError."""
    listener = _Refusing()
    store = Neo4jStore(f"bolt://127.0.0.1:{listener.port}", "neo4j", "x", reads=reads, retry_time=0.5)
    store._schema_ready = True  # the question itself, not the schema set-up, is what is retried
    try:
        with pytest.raises(StoreError, match="unreachable"):
            run_named_query(store, "industries_for_standard", {"standard": "rt.std.001"})
    finally:
        store.close()
        listener.close()
    # Waits of 0.2 then 0.4 s (± 20 %) after the first failure: the budget of 0.5 s is spent after the
    # third attempt (or the fourth if an attempt is quick); not one attempt, not an endless loop.
    assert 3 <= listener.connections <= 6, listener.connections


def test_a_refused_statement_is_not_retried(neo4j_settings: dict[str, str], proxy: DelayProxy) -> None:
    """A client error (here a syntax error) is not retryable: the statement's flight and the RESET that
    clears the failed connection (two), then a StoreError; a retry would send the statement again."""
    uri = f"{urlsplit(neo4j_settings['uri']).scheme}://127.0.0.1:{proxy.port}"
    store = _store(neo4j_settings, "autocommit", uri, retry_time=5.0)
    try:
        store.ping()
        store._ensure_schema()
        before = proxy.flights
        with pytest.raises(StoreError, match="refused the request"):
            store._fetch("RETURN $x +", x=1)
        assert proxy.flights - before == 2
    finally:
        store.close()


def test_the_read_mode_setting() -> None:
    assert Settings.from_env({}).neo4j.reads == "managed"
    assert Settings.from_env({"PLANKG_NEO4J_READS": " AutoCommit "}).neo4j.reads == "autocommit"
    with pytest.raises(SettingsError, match="PLANKG_NEO4J_READS"):
        Settings.from_env({"PLANKG_NEO4J_READS": "fast"})
    with pytest.raises(StoreError, match="PLANKG_NEO4J_READS"):
        Neo4jStore("bolt://127.0.0.1:9", "neo4j", "x", reads="fast")


def test_the_auto_commit_read_is_one_statement_retried_by_tenacity() -> None:
    """graph/neo4j_reads.py is the only module of graph/ that runs an auto-commit statement; it runs one,
    with no loop, sleep or try of its own: tenacity's Retrying, on the driver's `is_retryable()`."""
    graph = ROOT / "graph"
    runners = [p.name for p in sorted(graph.glob("*.py")) if "session.run(" in p.read_text(encoding="utf-8")]
    assert runners == ["neo4j_reads.py"]
    source = (graph / "neo4j_reads.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    kinds = {type(node) for node in ast.walk(tree)}
    assert not kinds & {ast.For, ast.While, ast.AsyncFor, ast.Try}, "a hand-written retry loop?"
    assert "sleep" not in source and "TransientError" not in source
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    names = [getattr(c.func, "attr", None) or getattr(c.func, "id", None) for c in calls]
    assert names.count("run") == 1 and "Retrying" in names and "is_retryable" in names
    retrying = next(c for c in calls if getattr(c.func, "id", None) == "Retrying")
    assert {k.arg for k in retrying.keywords} >= {"retry", "stop", "wait", "reraise"}


@pytest.mark.timeout(600)
def test_an_outage_is_a_store_error_and_the_same_store_recovers(tmp_path: Path) -> None:
    """A private dev server (tests/test_outage.py's) stopped under an autocommit store: the question
    is a StoreError once the retries are spent; started again (a fresh database, the plan loaded
    anew by the CLI), the same store object answers as before, its driver reconnecting by itself."""
    from tests.test_outage import PASSWORD, DevServer

    server = DevServer(tmp_path / "neo4j-home")
    server.start()
    store = Neo4jStore(f"bolt://127.0.0.1:{server.port}", "neo4j", PASSWORD, reads="autocommit")
    params = {"industry": "industry.healthcare"}
    try:
        server.load_bundled_plan()
        expected = [item.to_dict() for item in run_named_query(store, "standards_for_industry", params)]
        assert expected
        server.stop()
        with pytest.raises(StoreError, match="unreachable"):
            run_named_query(store, "standards_for_industry", params)
        server.start()
        server.load_bundled_plan()
        assert [item.to_dict() for item in run_named_query(store, "standards_for_industry", params)] == expected
    finally:
        store.close()
        server.stop()
