"""Staged Neo4j loads (graph/neo4j_staged.py) on a real server: the same graph as one transaction, no
read ever sees staged data, a failure anywhere leaves the store as it was with no staging left, a
killed load's staging is cleaned by the next one, two large loads cannot interleave.

The store here stages every batch above 10 elements in chunks of 300, so the test batches take
several staging transactions (the threshold is PLANKG_NEO4J_STAGE_ELEMENTS in production).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_contract import dump, query_cases, synthetic

from plankg.graph.engine import run_named_query
from plankg.graph.memory import MemoryStore
from plankg.graph.neo4j_staged import staged_counts
from plankg.graph.neo4j_store import Neo4jStore
from plankg.graph.store import GraphStore, StoreError
from plankg.model import Edge, GraphBatch, Node, Source

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 300


def staged_store(settings: dict[str, str], **options: Any) -> Neo4jStore:
    return Neo4jStore(
        settings["uri"],
        settings["user"],
        settings["password"],
        settings["database"],
        stage_elements=10,
        stage_chunk=CHUNK,
        **options,
    )


@pytest.fixture
def store(neo4j_settings: dict[str, str]) -> Iterator[Neo4jStore]:
    store = staged_store(neo4j_settings)
    store.clear()
    try:
        yield store
    finally:
        store.clear()
        store.close()


def split(batch: GraphBatch, plans: int) -> GraphBatch:
    """The shared vocabulary and the first `plans` plans, with the edges among them (a closed part)."""
    plan = re.compile(r"gen-plan-(\d+)")

    def kept(node_id: str) -> bool:
        found = plan.match(node_id)
        return found is None or int(found.group(1)) < plans

    nodes = [n for n in batch.nodes if kept(n.id)]
    ids = {n.id for n in nodes}
    return GraphBatch(nodes, [e for e in batch.edges if e.source in ids and e.target in ids])


def reference(tmp_path: Path, *batches: GraphBatch) -> MemoryStore:
    memory = MemoryStore(tmp_path / "reference.json")
    for batch in batches:
        memory.upsert(batch)
    return memory


def answers(store: GraphStore, cases: list[tuple[str, dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    return [[item.to_dict() for item in run_named_query(store, name, params)] for name, params in cases]


def lease_nodes(store: Neo4jStore) -> int:
    def work(tx: Any) -> int:
        return int(tx.run(f"MATCH (l:{store.cypher.lease}) RETURN count(l) AS c").single(strict=True)["c"])

    return store._execute(work)


def staging_labels(store: Neo4jStore) -> int:
    def work(tx: Any) -> int:
        return int(tx.run(f"MATCH (n:{store.cypher.staged}) RETURN count(n) AS c").single(strict=True)["c"])

    return store._execute(work)


def assert_no_staging(store: Neo4jStore) -> None:
    assert staged_counts(store) == {"nodes": 0, "rels": 0}
    assert lease_nodes(store) == 0
    assert staging_labels(store) == 0


# ---------------------------------------------------------------- the same graph
def test_staged_load_gives_the_embedded_store_graph(store: Neo4jStore, tmp_path: Path) -> None:
    batch = synthetic()
    chunks: list[tuple[str, int]] = []
    store.load_staged(batch, between_chunks=lambda step, count: chunks.append((step, count)))
    assert len(chunks) > 10 and max(count for _step, count in chunks) <= CHUNK
    memory = reference(tmp_path, batch)
    assert dump(store) == dump(memory)
    assert store.stats() == memory.stats()
    cases = query_cases(batch)
    assert answers(store, cases) == answers(memory, cases)
    assert_no_staging(store)


def test_upsert_above_the_threshold_is_staged_and_a_reload_is_idempotent(store: Neo4jStore, tmp_path: Path) -> None:
    batch = synthetic()
    store.upsert(split(batch, 2))
    staged: list[str] = []
    store.load_staged(batch, between_chunks=lambda step, _count: staged.append(step))
    assert staged, "the load of what is not stored yet is staged"
    before = dump(store)
    assert before == dump(reference(tmp_path, split(batch, 2), batch))
    staged.clear()
    store.upsert(batch)  # above stage_elements: staged; nothing is new, nothing changes
    assert staged == [] and dump(store) == before
    assert_no_staging(store)


def test_stored_elements_are_merged_at_publish(store: Neo4jStore, tmp_path: Path) -> None:
    """Sources of stored nodes and edges are united with the staged load's, and a new edge between two
    stored nodes is written; a small upsert between chunks keeps its sources too."""
    batch = synthetic()
    first = split(batch, 2)
    store.upsert(first)
    extra = Source("extra.doc", "§1", "an extra quote")
    node = first.nodes[0]
    edge = first.edges[0]
    changed = GraphBatch(
        [*batch.nodes, Node(node.id, node.type, node.labels, node.properties, [extra], node.status, node.aliases)],
        [*batch.edges, Edge(edge.source, edge.relation, edge.target, [extra], edge.status)],
    )
    side = Source("side.doc", "§2", "written between chunks")
    side_node = first.nodes[1]

    def small_upsert(step: str, _count: int) -> None:
        if step == "edges" and not done:
            done.append(True)
            store.upsert(
                GraphBatch([Node(side_node.id, side_node.type, side_node.labels, side_node.properties, [side])])
            )

    done: list[bool] = []
    store.load_staged(changed, between_chunks=small_upsert)
    expected = reference(
        tmp_path,
        first,
        GraphBatch([Node(side_node.id, side_node.type, side_node.labels, side_node.properties, [side])]),
        changed,
    )
    assert done and dump(store) == dump(expected)
    assert_no_staging(store)


# ---------------------------------------------------------------- readers see the old graph
def test_readers_between_chunks_see_the_old_graph(store: Neo4jStore) -> None:
    """Staged nodes carry type labels and relationships to stored nodes carry the plankg marker, yet no
    read (dump, stats, search, named queries with the hierarchy closure) sees them before publish."""
    batch = synthetic()
    first = split(batch, 2)
    store.upsert(first)
    stored = {n.id for n in first.nodes}
    cases = [(name, params) for name, params in query_cases(batch) if set(params.values()) & stored]
    assert len(cases) > 20
    before = (dump(store), store.stats(), answers(store, cases), store.search("", limit=10_000).total)
    checks: list[str] = []

    def read(step: str, _count: int) -> None:
        now = (dump(store), store.stats(), answers(store, cases), store.search("", limit=10_000).total)
        assert now == before, f"a reader saw staged data after a {step} chunk"
        checks.append(step)

    store.load_staged(batch, between_chunks=read)
    assert {"nodes", "edges"} <= set(checks)
    assert staged_counts(store)["nodes"] == 0 and dump(store) != before[0]
    assert_no_staging(store)


def test_a_load_that_died_after_publishing_leaves_only_labels_the_next_load_removes(store: Neo4jStore) -> None:
    """Published nodes still carrying the staging label (the process died before removing it) are
    plankg's for every reader; the next staged load removes the label and deletes none of them."""
    batch = synthetic()
    first = split(batch, 1)
    store.upsert(first)
    store._write(f"MATCH (n:{store.owner}) SET n:{store.cypher.staged}")
    before = dump(store)
    assert staged_counts(store) == {"nodes": 0, "rels": 0} and staging_labels(store) == len(first.nodes)
    store.load_staged(first)
    assert dump(store) == before
    assert_no_staging(store)


# ---------------------------------------------------------------- failures leave nothing
def test_an_exception_between_chunks_leaves_the_store_as_it_was(store: Neo4jStore) -> None:
    batch = synthetic()
    store.upsert(split(batch, 2))
    before, stats = dump(store), store.stats()
    seen: list[str] = []

    def fail_late(step: str, _count: int) -> None:
        seen.append(step)
        if seen.count("edges") == 3:
            assert staged_counts(store)["nodes"] > 0  # there was staging to clean
            raise RuntimeError("injected failure")

    with pytest.raises(RuntimeError, match="injected"):
        store.load_staged(batch, between_chunks=fail_late)
    assert dump(store) == before and store.stats() == stats
    assert_no_staging(store)


def test_a_dangling_edge_is_refused_before_anything_is_written(store: Neo4jStore) -> None:
    batch = synthetic()
    store.upsert(split(batch, 2))
    before, revision = dump(store), store.revision()
    late = batch.edges[-1]
    bad = GraphBatch(batch.nodes, [*batch.edges, Edge(late.source, late.relation, "industry.not-there")])
    with pytest.raises(StoreError, match="do not exist"):
        store.load_staged(bad)
    assert dump(store) == before and store.revision() == revision
    assert_no_staging(store)


def test_a_stored_end_deleted_between_chunks_refuses_the_publish(store: Neo4jStore) -> None:
    """A concurrent retraction removes a stored node that staged relationships point at: the publish
    finds fewer staged relationships than it wrote and publishes nothing."""
    batch = synthetic()
    first = split(batch, 2)
    store.upsert(first)
    target = next(
        e.target for e in batch.edges if e.target in {n.id for n in first.nodes} and "gen-plan-0005" in e.source
    )

    stored = {n.id for n in first.nodes}
    to_stage = sum(1 for e in batch.edges if not (e.source in stored and e.target in stored))

    def retract(step: str, count: int) -> None:
        if step == "edges":
            done.append(count)
            if sum(done) == to_stage:  # after the last staging transaction, before the publish
                store._write(store.cypher.delete_nodes(), ids=[target])

    done: list[int] = []
    before_ids = {n["id"] for n in dump(store)[0]} - {target}
    with pytest.raises(StoreError, match="changed under the load"):
        store.load_staged(batch, between_chunks=retract)
    assert {n["id"] for n in dump(store)[0]} == before_ids
    assert_no_staging(store)


def test_a_conflicting_new_id_refuses_the_publish(store: Neo4jStore) -> None:
    """A small upsert creates an id the staged load staged as new: the owner label's uniqueness
    constraint refuses the publish, and only the small upsert's node is there."""
    batch = synthetic()
    first = split(batch, 2)
    store.upsert(first)
    newcomer = next(n for n in batch.nodes if n.id.startswith("gen-plan-0004"))

    def interfere(step: str, _count: int) -> None:
        if not done:
            done.append(True)
            store.upsert(GraphBatch([newcomer]))

    done: list[bool] = []
    with pytest.raises(StoreError):
        store.load_staged(batch, between_chunks=interfere)
    assert {n["id"] for n in dump(store)[0]} == {n.id for n in first.nodes} | {newcomer.id}
    assert_no_staging(store)


# ---------------------------------------------------------------- concurrency and killed loads
def test_a_second_large_load_is_refused_while_one_runs(store: Neo4jStore, neo4j_settings: dict[str, str]) -> None:
    batch = synthetic()
    other = staged_store(neo4j_settings)
    refused: list[str] = []

    def second(step: str, _count: int) -> None:
        if not refused:
            with pytest.raises(StoreError, match="in progress") as error:
                other.load_staged(split(batch, 1))
            refused.append(str(error.value))

    try:
        store.load_staged(batch, between_chunks=second)
    finally:
        other.close()
    assert refused
    assert [n["id"] for n in dump(store)[0]] == sorted(n.id for n in batch.nodes)
    assert_no_staging(store)


KILLED_LOAD = """
import os, sys, time
sys.path.insert(0, {tests!r})
from test_contract import synthetic
from plankg.graph.neo4j_store import Neo4jStore
store = Neo4jStore(os.environ["T_URI"], os.environ["T_USER"], os.environ["T_PASSWORD"], os.environ["T_DB"],
                   stage_elements=10, stage_chunk={chunk})
def pause(step, count):
    if step == "edges":
        print("STAGED", flush=True)
        time.sleep(600)
store.load_staged(synthetic(), lease_seconds={lease}, between_chunks=pause)
"""


def _killed_load(settings: dict[str, str], lease: float) -> None:
    """A process that stages part of the synthetic batch and is then killed (SIGKILL: no cleanup)."""
    env = {
        **os.environ,
        "T_URI": settings["uri"],
        "T_USER": settings["user"],
        "T_PASSWORD": settings["password"],
        "T_DB": settings["database"],
    }
    code = KILLED_LOAD.format(tests=str(ROOT / "tests"), chunk=CHUNK, lease=lease)
    child = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "STAGED", line
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)


def test_a_killed_loads_staging_is_invisible_and_cleaned_by_the_next_load(
    store: Neo4jStore, neo4j_settings: dict[str, str], tmp_path: Path
) -> None:
    batch = synthetic()
    first = split(batch, 1)
    store.upsert(first)
    before = dump(store)
    lease = 8.0
    _killed_load(neo4j_settings, lease)
    killed_at = time.monotonic()
    assert staged_counts(store)["nodes"] > 0 and staged_counts(store)["rels"] > 0
    assert dump(store) == before
    with pytest.raises(StoreError, match="in progress"):
        store.load_staged(split(batch, 2))
    time.sleep(max(0.0, lease + 1.0 - (time.monotonic() - killed_at)))
    store.load_staged(split(batch, 2))  # the lease expired: this load cleans the staging and runs
    assert dump(store) == dump(reference(tmp_path, first, split(batch, 2)))
    assert_no_staging(store)


def test_clear_removes_staging_and_the_lease(store: Neo4jStore, neo4j_settings: dict[str, str]) -> None:
    _killed_load(neo4j_settings, 600.0)
    assert staged_counts(store)["nodes"] > 0 and lease_nodes(store) == 1
    store.clear()
    assert dump(store) == ([], [])
    assert_no_staging(store)
