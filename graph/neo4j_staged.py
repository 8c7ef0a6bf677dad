"""A large upsert into Neo4j in bounded transactions, still all-or-nothing (Neo4jStore.load_staged).

One write transaction per upsert holds the whole batch as transaction state (about 0.6 GiB per
100,000 elements), so a million elements would need several GiB. This load writes the batch's new
elements in chunks of transactions that no read sees, then publishes them in one small transaction:

1. Lease. The load takes the lease node (`<owner>Load`, one per owner label, unique) unless another
   staged load holds an unexpired one (then it is refused at once: "in progress"). Every chunk
   transaction renews the lease, so a killed process's lease expires and the next staged load cleans
   up what it had staged. Staged data of an owner is then always the lease holder's.
2. Read. Which of the batch's ids (and edge ends) are stored, with their properties and sources;
   stored edges between stored nodes. An edge end that exists nowhere refuses the load before any
   write. Stored elements the batch would not change (an idempotent reload) are dropped here.
3. Stage. New nodes are CREATEd with the staging label `<owner>Staged` (not the owner label) plus
   their type label and final properties; new relationships with at least one new end are CREATEd
   with their final properties, `graph` marker included. No read sees either: every read starts from
   the owner label and requires it on both ends of a relationship (also inside variable-length
   patterns), so a relationship to a staged node is invisible until the node is published.
4. Publish, ONE transaction: renew (and so write-lock) the lease, check that every staged node and
   relationship is still there, apply the changes to stored elements and the new relationships
   between stored nodes (graph/neo4j_store.py `_Load`, which locks and merges them with what is
   stored at that moment, so a concurrent small upsert's sources are kept), add the owner label to
   every staged node, and delete the lease. Its transaction state is one label per new node (~2.5 KB:
   the owner label's index entries) plus whatever changes stored elements; relationships are not
   touched. Afterwards the published nodes lose the staging label in bounded transactions (readers
   ignore it; if the process dies first, the next staged load or clear finishes it).

Any failure (a dangling edge, a refused value, a lost lease, an exception in between) deletes the
staged nodes and relationships in bounded transactions and releases the lease; readers saw the old
graph throughout. A small upsert may run alongside (it takes no lease); if it creates an id this load
staged as new, the publish hits the owner label's uniqueness constraint and this load is refused.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import neo4j
from neo4j import ManagedTransaction

from plankg.graph.neo4j_store import (
    READ_ROWS,
    Neo4jStore,
    _chunks,
    _date_keys,
    _edge_row,
    _Load,
    _merged,
    _node_row,
    _record_sources,
)
from plankg.graph.store import ProgressCallback, StoreError
from plankg.model import Edge, Node, Source, merge_aliases, merge_sources

STAGE_CHUNK = 50_000
"""Elements per staging transaction (about 0.3 GiB of transaction state at most)."""
LEASE_SECONDS = 600.0
"""How long a staged load's lease lasts without renewal: a killed load's staging is cleaned after it."""
DISCARD_BATCH = 10_000
"""Staged relationships, then nodes, deleted per transaction when a load is discarded."""

BetweenChunks = Callable[[str, int], None]
"""Called after each committed staging transaction with its step ('nodes' or 'edges') and count (tests)."""


class StagedLoad:
    """One staged upsert: read, stage in chunks, publish in one transaction, or discard everything."""

    def __init__(
        self,
        store: Neo4jStore,
        nodes: dict[str, Node],
        edges: dict[tuple[str, str, str], Edge],
        on_progress: ProgressCallback | None = None,
        *,
        chunk: int = STAGE_CHUNK,
        lease_seconds: float = LEASE_SECONDS,
        between_chunks: BetweenChunks | None = None,
    ) -> None:
        self.store = store
        self.cypher = store.cypher
        self.nodes = nodes
        self.edges = edges
        self.on_progress = on_progress
        self.chunk = max(1, int(chunk))
        self.lease_seconds = float(lease_seconds)
        self.between_chunks = between_chunks
        self.load = uuid.uuid4().hex
        self.total = len(nodes) + len(edges)
        self.done = 0
        self.stored: set[str] = set()
        self.changed_nodes: dict[str, Node] = {}
        self.changed_edges: dict[tuple[str, str, str], Edge] = {}
        self.staged_nodes = 0
        self.staged_edges = 0
        self.stale: str | None = None

    # ------------------------------------------------------------ the steps
    def run(self) -> None:
        """Read and check (nothing written yet), claim, stage, publish; on any failure after the claim
        discard what was staged and re-raise."""
        _check_values(self.nodes.values())
        self.read_stored()
        self.claim()
        try:
            self.discard_staging()  # a killed load's leftovers (its lease expired, so it is gone)
            self.unstage()  # a published load's staging labels, should it have died right after publishing
            self.stage_nodes()
            self.stage_edges()
            self.publish()
        except BaseException:
            self.discard()
            raise
        self.unstage()

    def _params(self) -> dict[str, Any]:
        return {"owner": self.store.owner, "load": self.load, "seconds": self.lease_seconds}

    def claim(self) -> None:

        def work(tx: ManagedTransaction) -> neo4j.Record:
            return tx.run(self.cypher.claim_lease(), self._params()).single(strict=True)

        record = self.store._execute(work, write=True, timeout=self.store.load_timeout)
        if record["busy"]:
            raise StoreError(
                f"another large Neo4j load is in progress (its lease runs until {record['until']}); "
                "nothing was written, try again when it has finished"
            )
        self.stale = record["stale"]

    def _renew(self, tx: ManagedTransaction) -> None:
        held = tx.run(self.cypher.renew_lease(), self._params()).single(strict=True)["held"]
        if not held:
            raise StoreError(
                "this load's lease was taken over (a step took longer than "
                f"{self.lease_seconds:.0f} s); nothing was published"
            )

    def _sent(self, count: int) -> None:
        self.done += count
        if self.on_progress:
            self.on_progress(min(self.done, self.total), self.total)

    def read_stored(self) -> None:
        """Stored nodes among the batch's ids and edge ends; what the batch changes of them; dangling ends."""
        ends = {end for edge in self.edges.values() for end in (edge.source, edge.target)}
        wanted = sorted(self.nodes.keys() | ends)
        found: dict[str, Node] = {}
        for chunk in _chunks(wanted, READ_ROWS):
            for node in self.store._nodes_from(self._records(self.cypher.nodes_by_id(), ids=list(chunk))):
                found[node.id] = node
        self.stored = set(found)
        missing = sorted(ends - self.nodes.keys() - self.stored)
        if missing:
            raise StoreError(
                f"edge(s) point at {len(missing)} entit(ies) that do not exist (e.g. {missing[0]!r:.80}); "
                "nothing was written"
            )
        for node_id, node in self.nodes.items():
            old = found.get(node_id)
            if old is not None and _merged(old, node).to_dict() != old.to_dict():
                self.changed_nodes[node_id] = node
        self.changed_edges = self._changed_edges()

    def _changed_edges(self) -> dict[tuple[str, str, str], Edge]:
        """Edges between two stored nodes that are new or whose merge would change the stored one."""
        candidates: dict[str, list[Edge]] = {}
        for edge in self.edges.values():
            if edge.source in self.stored and edge.target in self.stored:
                candidates.setdefault(edge.relation, []).append(edge)
        changed: dict[tuple[str, str, str], Edge] = {}
        for relation, group in candidates.items():
            statement = self.cypher.stored_edges(self.cypher.rel_types[relation])
            stored: dict[tuple[str, str], tuple[list[Source], str]] = {}
            for chunk in _chunks(group, READ_ROWS):
                rows = [[e.source, e.target] for e in chunk]
                for r in self._records(statement, rows=rows, graph=self.store.owner):
                    stored[(r["s"], r["t"])] = (_record_sources(r), r["status"])
            for edge in group:
                old = stored.get((edge.source, edge.target))
                if old is None or merge_sources(old[0], edge.sources) != old[0] or old[1] != edge.status:
                    changed[edge.key] = edge
        return changed

    def _records(self, statement: str, **params: Any) -> list[neo4j.Record]:
        """One read transaction, all records."""

        def work(tx: ManagedTransaction) -> list[neo4j.Record]:
            return list(tx.run(statement, params))

        return self.store._execute(work)

    def _write_chunk(self, statement: str, **params: Any) -> neo4j.Record | None:
        """One staging transaction: renew the lease, then one statement; its one record, if any."""

        def work(tx: ManagedTransaction) -> neo4j.Record | None:
            self._renew(tx)
            return tx.run(statement, params).single()

        return self.store._execute(work, write=True, timeout=self.store.load_timeout)

    def stage_nodes(self) -> None:
        """The batch's new nodes, grouped by (type, status), CREATEd under the staging label in chunks."""
        date_keys = _date_keys()
        groups: dict[tuple[str, str], list[Node]] = {}
        for node in self.nodes.values():
            if node.id not in self.stored:
                groups.setdefault((node.type, node.status), []).append(node)
        for (type_name, status), group in groups.items():
            statement = self.cypher.stage_nodes(self.store.labels[type_name])
            for chunk in _chunks(group, self.chunk):
                rows = [_node_row(n, n.sources, merge_aliases(n.aliases), date_keys) for n in chunk]
                self._write_chunk(statement, rows=rows, status=status)
                self.staged_nodes += len(chunk)
                self._sent(len(chunk))
                if self.between_chunks:
                    self.between_chunks("nodes", len(chunk))
        self._sent(len(self.nodes) - self.staged_nodes)  # stored ones are written at publish

    def stage_edges(self) -> None:
        """New edges with a new end, grouped by (relation, status, which ends are stored), in chunks."""
        groups: dict[tuple[str, str, bool, bool], list[Edge]] = {}
        for edge in self.edges.values():
            source_stored, target_stored = edge.source in self.stored, edge.target in self.stored
            if not (source_stored and target_stored):
                groups.setdefault((edge.relation, edge.status, source_stored, target_stored), []).append(edge)
        for (relation, status, source_stored, target_stored), group in groups.items():
            statement = self.cypher.stage_edges(self.cypher.rel_types[relation], source_stored, target_stored)
            for chunk in _chunks(group, self.chunk):
                rows = [_edge_row(e, e.sources) for e in chunk]
                record = self._write_chunk(statement, rows=rows, status=status, graph=self.store.owner)
                written = record["written"] if record is not None else 0
                if written != len(chunk):
                    raise StoreError(
                        f"{len(chunk) - written} {relation} edge(s) point at entities that do not exist; "
                        "nothing was written"
                    )
                self.staged_edges += len(chunk)
                self._sent(len(chunk))
                if self.between_chunks:
                    self.between_chunks("edges", len(chunk))

    def publish(self) -> None:
        """ONE transaction: lease, staged counts, changes to stored elements, staged nodes to the owner label."""

        def work(tx: ManagedTransaction) -> None:
            self._renew(tx)
            counts = tx.run(self.cypher.staged_counts(), graph=self.store.owner).single(strict=True)
            if counts["nodes"] != self.staged_nodes or counts["rels"] != self.staged_edges:
                raise StoreError(
                    f"staged data changed under the load ({counts['nodes']} of {self.staged_nodes} nodes, "
                    f"{counts['rels']} of {self.staged_edges} relationships left); nothing was published"
                )
            if self.changed_nodes or self.changed_edges:
                _Load(self.store, tx, self.changed_nodes, self.changed_edges, None).run()
            published = tx.run(self.cypher.publish_staged()).single(strict=True)["published"]
            if published != self.staged_nodes:
                raise StoreError(f"published {published} of {self.staged_nodes} staged nodes; nothing was published")
            tx.run(self.cypher.release_lease(), self._params()).consume()

        self.store._execute(work, write=True, timeout=self.store.load_timeout)
        self._sent(len(self.changed_edges))

    def unstage(self) -> None:
        """Published nodes lose the staging label, in bounded transactions (readers ignore it either way)."""
        while True:
            record = self.store._execute(
                lambda tx: tx.run(self.cypher.unstage_some(), limit=DISCARD_BATCH).single(strict=True),
                write=True,
                timeout=self.store.load_timeout,
            )
            if int(record["done"]) < DISCARD_BATCH:
                return

    # ------------------------------------------------------------ failure
    def discard_staging(self) -> int:
        """Delete every staged relationship, then node, of this owner, in bounded transactions."""
        deleted = 0
        for statement in (self.cypher.delete_staged_rels(), self.cypher.delete_staged_nodes()):
            while True:
                record = self._write_chunk(statement, limit=DISCARD_BATCH)
                count = int(record["deleted"]) if record is not None else 0
                deleted += count
                if count < DISCARD_BATCH:
                    break
        return deleted

    def discard(self) -> None:
        """Best effort after a failure: staged data gone, lease released. If the server is unreachable the
        lease expires and the next staged load cleans up (the original error is what the caller sees)."""
        try:
            self.discard_staging()
            self.store._execute(
                lambda tx: tx.run(self.cypher.release_lease(), self._params()).consume(),
                write=True,
                timeout=self.store.load_timeout,
            )
        except (StoreError, neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError):
            pass


def _storable(value: Any) -> bool:
    """A value Neo4j stores as a property: a primitive, a date, or a list of them (no maps, no nesting)."""
    primitive = (str, bool, int, float, dt.date, dt.datetime, dt.time)
    if value is None:
        return True  # SET n += {key: null} removes the key, as it does on the one-transaction path
    if isinstance(value, list | tuple):
        return all(isinstance(item, primitive) for item in value)
    return isinstance(value, primitive)


def _check_values(nodes: Iterable[Node]) -> None:
    """Refuse, before anything is written, a property value Neo4j would refuse in a late chunk."""
    for node in nodes:
        for key, value in node.properties.items():
            if not _storable(value):
                raise StoreError(
                    f"property {key!r:.60} of {node.id!r:.60} has a value Neo4j cannot store "
                    f"({type(value).__name__}); nothing was written"
                )


def staged_counts(store: Neo4jStore) -> Mapping[str, int]:
    """Staged nodes and the plankg-marked relationships touching them (0 and 0 when nothing is staged)."""

    def work(tx: ManagedTransaction) -> neo4j.Record:
        return tx.run(store.cypher.staged_counts(), graph=store.owner).single(strict=True)

    record = store._execute(work)
    return {"nodes": int(record["nodes"]), "rels": int(record["rels"])}
