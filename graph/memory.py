"""The embedded default store: one SQLite database file (stdlib sqlite3, WAL), read where it lies.

Why SQLite (bench/README.md, "Embedded store", has the measurements): the former store parsed
its whole JSON file into networkx on every open (3.5 s and 285 MB at 100,000 elements, linear
in size), so every command and every API worker paid for the whole graph. SQLite answers a
lookup through a B-tree index without reading the rest, keeps a load all-or-nothing as one
transaction (a `kill -9` mid-load leaves the previous graph: the journal is rolled back on the
next open), lets any number of readers (API workers) run beside one writer (WAL), and ships
with Python. networkx stays the engine for graph algorithms: shortest paths run on the small
subgraph that a bidirectional search reads from the database, and graph/analytics.py builds
its networkx graph through the store primitives as before.

Tables: nodes and edges as JSON documents (Node.to_dict / Edge.to_dict) keyed by id and by
(source, relation, target) with an index by target; `cites` (document → node or edge) for
unloading; `names` (normalised labels and aliases) for search; `counts` (per type and
relation, rewritten in each write transaction) so statistics need no scan. A file in the
former JSON format is migrated once, in place and atomically, when it is first opened.
"""

from __future__ import annotations

import fcntl
import glob
import itertools
import operator
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx
import orjson

from plankg.graph.retract import doomed_nodes, plan_retraction
from plankg.graph.store import ProgressCallback, RetractSummary, SearchResult, StoreError
from plankg.model import CONFIRMED, Edge, GraphBatch, LoadSummary, Node, Subgraph, merge_aliases, merge_sources
from plankg.model.text import normalize, search_rank
from plankg.ontology.schema import load_schema
from plankg.settings import Settings

FILE_FORMAT = "plankg-sqlite/1"
JSON_FORMAT = "plankg-memory/1"
"""The former one-JSON-file format, migrated on first open."""
CHUNK = 500
"""Ids per `IN (...)` query (well under SQLite's variable limit)."""
WRITE_CHUNK = 5_000
"""Elements merged per step of a load (progress is reported after each)."""
NODE, EDGE = 0, 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS nodes (id TEXT PRIMARY KEY, type TEXT NOT NULL, status TEXT NOT NULL, data BLOB NOT NULL)
    WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nodes_by_type ON nodes (type, id);
CREATE TABLE IF NOT EXISTS edges (
    source TEXT NOT NULL, relation TEXT NOT NULL, target TEXT NOT NULL, data BLOB NOT NULL,
    PRIMARY KEY (source, relation, target)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edges_by_target ON edges (target, relation);
CREATE TABLE IF NOT EXISTS cites (document TEXT NOT NULL, kind INTEGER NOT NULL, key TEXT NOT NULL,
    PRIMARY KEY (document, kind, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS names (id TEXT NOT NULL, name TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS names_by_id ON names (id);
CREATE TABLE IF NOT EXISTS counts (kind INTEGER NOT NULL, name TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (kind, name)) WITHOUT ROWID;
"""


def default_path() -> Path:
    """$PLANKG_DB, else $XDG_DATA_HOME/plankg/graph.json (~/.local/share/plankg/graph.json): see plankg.settings."""
    return Settings.from_env().db_path


def _rank(query: str, keys: tuple[str, ...]) -> int | None:
    """Name matches (labels, aliases) rank 0-2; id-only matches rank 3-5, below every name match."""
    rank = search_rank(query, *keys[:-1])
    if rank is not None:
        return rank
    id_rank = search_rank(query, keys[-1])
    return None if id_rank is None else id_rank + 3


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(count: int) -> str:
    return ",".join("?" * count)


def _node(data: bytes | str) -> Node:
    return Node.from_dict(orjson.loads(data))


def _edge(data: bytes | str) -> Edge:
    return Edge.from_dict(orjson.loads(data))


def _edge_key(edge: Edge) -> str:
    return "\x1f".join(edge.key)


LINK_PAGE = 50
"""Pages of at most this many items follow links (`LinkReads`). Measured at a million elements (an
industry's 106 supporting edges): a 20-item page's engine work 0.70 → 0.45 ms; the whole answer as
links and then its edges by key 1.45 → ~1.9 ms, hence whole edges for large pages."""
UNREAD = "(not read)"
"""The status of a link whose status was not read (see `LinkReads`)."""


def _status(data: bytes | None) -> str:
    """An edge's status from its stored JSON (as `Edge.from_dict` reads it)."""
    return UNREAD if data is None else str(orjson.loads(data).get("status", CONFIRMED))


class LinkReads:
    """The embedded store's reads for one named query (`MemoryStore.prefetch_named_query`).

    `edges_of`, `descendants` and `edges_citing` answer links: edges with their key but without
    their sources, read from the key columns (the index by target covers them), so following a
    query's steps decodes no edge; `edges_by_key` then reads whole only the edges an answer's page
    shows (graph/engine.py swaps them in for the links). At a million elements an industry has 106
    supporting edges: reading and decoding them all with their quotes was most of the engine's
    work for a 20-item page. Nodes are read as usual; `node_statuses` reads statuses from their column.

    A link's status is read only when the question leaves out unconfirmed facts (`read_status`: the
    edge's JSON is then read, kept for `edges_by_key`, and its status decoded); otherwise it is
    UNREAD, since the engine reads an edge's status only to drop unconfirmed ones.
    """

    def __init__(self, store: MemoryStore, read_status: bool) -> None:
        self._store = store
        self._read_status = read_status
        self._data: dict[tuple[str, str, str], bytes] = {}

    def get(self, entity_id: str) -> Node | None:
        return self._store.get(entity_id)

    def get_many(self, ids: Iterable[str]) -> dict[str, Node]:
        return self._store.get_many(ids)

    def node_statuses(self, ids: Iterable[str]) -> dict[str, str]:
        return self._store.node_statuses(ids)

    def nodes_citing(self, document: str) -> list[Node]:
        return self._store.nodes_citing(document)

    def _links(self, rows: list[tuple[tuple[str, str, str], bytes | None]]) -> list[Edge]:
        if not self._read_status:
            return [Edge(*key, [], UNREAD) for key, _data in rows]
        self._data.update((key, data) for key, data in rows if data is not None)
        return [Edge(*key, [], _status(data)) for key, data in rows]

    def edges_of(self, ids: Iterable[str], relation: str | None = None, direction: str = "both") -> list[Edge]:
        return self._links(self._store._edge_rows(ids, relation, direction, self._read_status))

    def descendants(self, entity_id: str, relation: str) -> list[Edge]:
        return self._store._descendants(entity_id, relation, self.edges_of)

    def edges_citing(self, document: str) -> list[Edge]:
        return self._links(self._store._edge_rows_citing(document, self._read_status))

    def edges_by_key(self, keys: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str, str], Edge]:
        """These edges whole, sources and all (keys of no edge are left out)."""
        wanted = list(dict.fromkeys(keys))
        found = {key: _edge(self._data[key]) for key in wanted if key in self._data}
        unseen = [key for key in wanted if key not in found]
        found.update((edge.key, edge) for edge in self._store._edges_by_key(unseen))
        return found


class MemoryStore:
    """GraphStore over one SQLite file; the name stays for the embedded store's `kind` ("memory")."""

    kind = "memory"

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else default_path()
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        if self.path.exists():
            self._migrate_json()

    # ------------------------------------------------------------ connections
    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=600)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA cache_size=-65536")
            conn.execute("PRAGMA temp_store=MEMORY")
            if not conn.execute("SELECT 1 FROM sqlite_master WHERE name='meta'").fetchone():
                conn.executescript(SCHEMA)  # every statement is IF NOT EXISTS / OR IGNORE: racing creators agree
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?), ('revision', '0')", (FILE_FORMAT,))
            found = conn.execute("SELECT value FROM meta WHERE key='format'").fetchone()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot read the graph file {self.path}: {error}") from None
        if found is None or found[0] != FILE_FORMAT:
            conn.close()
            raise StoreError(f"{self.path} is not a plankg graph file (format {found[0] if found else None!r})")
        return conn

    @property
    def _db(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
            with self._lock:
                self._connections.append(conn)
        return conn

    @staticmethod
    @contextmanager
    def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT: one writer at a time, all or nothing (rolled back on any error)."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _migrate_json(self) -> None:
        """A graph file in the former JSON format becomes a database in its place, atomically, once.

        Under a file lock, so two processes opening the same old file migrate it once; a migration
        killed half-way leaves a temp file (.<name>.*.tmp) that the next one removes.
        """
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            prefix = f".{self.path.name}."
            for stale in self.path.parent.glob(glob.escape(prefix) + "*.tmp*"):
                if (
                    "." not in stale.name[len(prefix) :].split(".tmp")[0]
                ):  # not another graph file's (".graph.json.x.…")
                    stale.unlink(missing_ok=True)
            with self.path.open("rb") as handle:
                if handle.read(1) != b"{":
                    return
            try:
                data = orjson.loads(self.path.read_bytes())
            except (OSError, ValueError) as error:
                raise StoreError(f"cannot read the graph file {self.path}: {error}") from None
            if data.get("format") != JSON_FORMAT:
                raise StoreError(f"{self.path} is not a plankg graph file (format {data.get('format')!r})")
            batch = GraphBatch(
                nodes=[Node.from_dict(item) for item in data["nodes"]],
                edges=[Edge.from_dict(item) for item in data["edges"]],
            )
            fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=self.path.parent)
            os.close(fd)
            os.unlink(tmp)
            try:
                staging = MemoryStore(Path(tmp))
                staging.upsert(batch)
                staging.close()
                os.replace(tmp, self.path)
            finally:
                for leftover in (tmp, tmp + "-wal", tmp + "-shm"):
                    Path(leftover).unlink(missing_ok=True)

    # ------------------------------------------------------------ writes
    def upsert(self, batch: GraphBatch, on_progress: ProgressCallback | None = None) -> LoadSummary:
        """Merge a validated batch: properties replaced, sources united; one transaction, all or nothing."""
        conn = self._db
        with self._transaction(conn):
            self._check_ends(batch)
            self._merge(batch, on_progress)
            self._finish_write()
        return LoadSummary(len(batch.nodes), len(batch.edges), list(batch.warnings))

    def retract(self, documents: Iterable[str], replacement: GraphBatch | None = None) -> RetractSummary:
        """Drop the documents' citations (see graph/retract.py), then merge `replacement`; one transaction."""
        docs = frozenset(documents)
        conn = self._db
        with self._transaction(conn):
            node_ids = self._citing(docs, NODE)
            citing = [(n.id, n.sources) for n in self.get_many(node_ids).values()]
            keep = [node.id for node in replacement.nodes] if replacement is not None else []
            doomed = doomed_nodes(docs, citing, keep)
            edge_keys = [tuple(key.split("\x1f")) for key in self._citing(docs, EDGE)]
            plan = plan_retraction(docs, citing, self._edges_by_key(edge_keys), self.edges_of(doomed), keep)
            old_edges = {e.key: e for e in self._edges_by_key(list(plan.trimmed_edges))}
            self._put_edges(
                [Edge(*key, sources, old_edges[key].status) for key, sources in plan.trimmed_edges.items()], docs
            )
            conn.executemany("DELETE FROM edges WHERE source=? AND relation=? AND target=?", plan.removed_edges)
            conn.executemany(
                "DELETE FROM cites WHERE kind=? AND key=?", [(EDGE, "\x1f".join(k)) for k in plan.removed_edges]
            )
            old_nodes = self.get_many(list(plan.trimmed_nodes))
            self._put_nodes(
                [
                    Node(n.id, n.type, n.labels, n.properties, plan.trimmed_nodes[n.id], n.status, n.aliases)
                    for n in old_nodes.values()
                ],
                docs,
            )
            for table, column in (("nodes", "id"), ("names", "id")):
                conn.executemany(f"DELETE FROM {table} WHERE {column}=?", [(i,) for i in plan.removed_nodes])
            conn.executemany("DELETE FROM cites WHERE kind=? AND key=?", [(NODE, i) for i in plan.removed_nodes])
            summary = plan.summary()
            if replacement is not None:
                self._check_ends(replacement)
                self._merge(replacement, None)
                summary.loaded = LoadSummary(len(replacement.nodes), len(replacement.edges), list(replacement.warnings))
            self._finish_write()
        return summary

    def _citing(self, docs: frozenset[str], kind: int) -> list[str]:
        found: list[str] = []
        for document in sorted(docs):
            found += [
                k for (k,) in self._db.execute("SELECT key FROM cites WHERE document=? AND kind=?", (document, kind))
            ]
        return sorted(set(found))

    def _finish_write(self) -> None:
        """Per-type and per-relation counts and the revision, rewritten inside the write transaction."""
        conn = self._db
        conn.execute("DELETE FROM counts")
        conn.execute(f"INSERT INTO counts SELECT {NODE}, type, count(*) FROM nodes GROUP BY type")
        conn.execute(f"INSERT INTO counts SELECT {EDGE}, relation, count(*) FROM edges GROUP BY relation")
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='revision'")

    def _check_ends(self, batch: GraphBatch) -> None:
        incoming = {node.id for node in batch.nodes}
        outside = sorted({end for edge in batch.edges for end in (edge.source, edge.target)} - incoming)
        stored = self._existing(outside)
        dangling = [end for end in outside if end not in stored]
        if dangling:
            raise StoreError(f"edges point at entities that are neither stored nor loaded: {', '.join(dangling[:5])}")

    def _existing(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for part in _chunks(ids):
            found.update(
                r[0] for r in self._db.execute(f"SELECT id FROM nodes WHERE id IN ({_marks(len(part))})", part)
            )
        return found

    def _merge(self, batch: GraphBatch, on_progress: ProgressCallback | None) -> None:
        total, done = len(batch), 0
        for part in _chunks(batch.nodes, WRITE_CHUNK):
            old = self.get_many([node.id for node in part])
            merged = []
            for node in part:
                before = old.get(node.id)
                aliases = merge_aliases(before.aliases, node.aliases) if before else merge_aliases(node.aliases)
                if before is None and aliases == node.aliases:
                    merged.append(node)  # new and already normalised: written as it is (only read from here)
                    continue
                sources = merge_sources(before.sources, node.sources) if before else list(node.sources)
                merged.append(
                    Node(node.id, node.type, dict(node.labels), dict(node.properties), sources, node.status, aliases)
                )
            self._put_nodes(merged)
            done += len(part)
            if on_progress:
                on_progress(done, total)
        for part in _chunks(batch.edges, WRITE_CHUNK):
            old_edges = {e.key: e for e in self._edges_by_key([edge.key for edge in part])}
            merged_edges = []
            for edge in part:
                before_edge = old_edges.get(edge.key)
                if before_edge is None:
                    merged_edges.append(edge)  # new: written as it is
                    continue
                sources = merge_sources(before_edge.sources, edge.sources)
                merged_edges.append(Edge(edge.source, edge.relation, edge.target, sources, edge.status))
            self._put_edges(merged_edges)
            done += len(part)
            if on_progress:
                on_progress(done, total)

    def _put_nodes(self, nodes: list[Node], dropped: frozenset[str] = frozenset()) -> None:
        conn = self._db
        conn.executemany(
            "INSERT OR REPLACE INTO nodes VALUES (?, ?, ?, ?)",
            [(n.id, n.type, n.status, orjson.dumps(n.to_dict())) for n in nodes],
        )
        conn.executemany("DELETE FROM names WHERE id=?", [(n.id,) for n in nodes])
        conn.executemany(
            "INSERT INTO names VALUES (?, ?)",
            [(n.id, name) for n in nodes for name in dict.fromkeys(normalize(x) for x in n.all_names())],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO cites VALUES (?, ?, ?)",
            [(d, NODE, n.id) for n in nodes for d in {s.document for s in n.sources}],
        )
        if dropped:
            conn.executemany(
                "DELETE FROM cites WHERE document=? AND kind=? AND key=?",
                [(d, NODE, n.id) for n in nodes for d in dropped - {s.document for s in n.sources}],
            )

    def _put_edges(self, edges: list[Edge], dropped: frozenset[str] = frozenset()) -> None:
        conn = self._db
        conn.executemany(
            "INSERT OR REPLACE INTO edges VALUES (?, ?, ?, ?)",
            [(*e.key, orjson.dumps(e.to_dict())) for e in edges],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO cites VALUES (?, ?, ?)",
            [(d, EDGE, _edge_key(e)) for e in edges for d in {s.document for s in e.sources}],
        )
        if dropped:
            conn.executemany(
                "DELETE FROM cites WHERE document=? AND kind=? AND key=?",
                [(d, EDGE, _edge_key(e)) for e in edges for d in dropped - {s.document for s in e.sources}],
            )

    def clear(self) -> None:
        conn = self._db
        with self._transaction(conn):
            for table in ("nodes", "edges", "cites", "names", "counts"):
                conn.execute(f"DELETE FROM {table}")
            self._finish_write()

    # ------------------------------------------------------------ reads
    def known_types(self, ids: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for part in _chunks(list(ids)):
            found.update(self._db.execute(f"SELECT id, type FROM nodes WHERE id IN ({_marks(len(part))})", part))
        return found

    def get(self, entity_id: str) -> Node | None:
        row = self._db.execute("SELECT data FROM nodes WHERE id=?", (entity_id,)).fetchone()
        return _node(row[0]) if row else None

    def get_many(self, ids: Iterable[str]) -> dict[str, Node]:
        wanted = list(dict.fromkeys(ids))
        found: dict[str, Node] = {}
        for part in _chunks(wanted):
            for node_id, data in self._db.execute(
                f"SELECT id, data FROM nodes WHERE id IN ({_marks(len(part))})", part
            ):
                found[node_id] = _node(data)
        return {i: found[i] for i in wanted if i in found}

    def _edges_by_key(self, keys: Sequence[tuple[str, ...]]) -> list[Edge]:
        return [_edge(data) for (data,) in self._by_key("data", keys)]

    def _by_key(self, columns: str, keys: Sequence[tuple[str, ...]]) -> Iterator[tuple[Any, ...]]:
        """These columns of the edges with these keys."""
        for part in _chunks(keys, CHUNK // 3):
            where = " OR ".join(["(source=? AND relation=? AND target=?)"] * len(part))
            params = [value for key in part for value in key]
            yield from self._db.execute(f"SELECT {columns} FROM edges WHERE {where}", params)

    def edges_of(self, ids: Iterable[str], relation: str | None = None, direction: str = "both") -> list[Edge]:
        return [_edge(data) for _key, data in self._edge_rows(ids, relation, direction, True) if data is not None]

    def _edge_rows(
        self, ids: Iterable[str], relation: str | None, direction: str, with_data: bool
    ) -> list[tuple[tuple[str, str, str], bytes | None]]:
        """The keys of the edges touching the ids, in key order, each with its stored JSON if asked
        (`edges_of` undecoded; without the JSON the index by target answers alone)."""
        wanted = list(dict.fromkeys(ids))
        found: dict[tuple[str, str, str], bytes | None] = {}
        sides = [s for s, d in (("source", "out"), ("target", "in")) if direction in (d, "both")]
        data_column = "data" if with_data else "NULL"
        for side in sides:
            for part in _chunks(wanted):
                sql = f"SELECT source, relation, target, {data_column} FROM edges WHERE {side} IN ({_marks(len(part))})"
                params: list[str] = list(part)
                if relation is not None:
                    sql += " AND relation=?"
                    params.append(relation)
                for source, rel, target, data in self._db.execute(sql, params):
                    found[(source, rel, target)] = data
        return [(key, found[key]) for key in sorted(found)]

    def node_statuses(self, ids: Iterable[str]) -> dict[str, str]:
        """The status of each stored node among the ids, from its column (no node decoded)."""
        found: dict[str, str] = {}
        for part in _chunks(list(dict.fromkeys(ids))):
            found.update(self._db.execute(f"SELECT id, status FROM nodes WHERE id IN ({_marks(len(part))})", part))
        return found

    def prefetch_named_query(
        self, name: str, start: str, include_unconfirmed: bool, page: tuple[int, int | None] | None = None
    ) -> LinkReads | MemoryStore:
        """What a named query reads: for a page of at most LINK_PAGE items, links without sources (see
        `LinkReads`), the engine then reading the page's edges whole; for a larger page or the whole
        answer, the store itself (most edges read are then shown: reading them whole at once is
        cheaper than links and a second read). Nothing is fetched ahead: the file is local."""
        if page is None or page[1] is None or page[1] > LINK_PAGE:
            return self
        return LinkReads(self, not include_unconfirmed)

    def descendants(self, entity_id: str, relation: str) -> list[Edge]:
        return self._descendants(entity_id, relation, self.edges_of)

    def _descendants(
        self, entity_id: str, relation: str, edges_of: Callable[[list[str], str, str], list[Edge]]
    ) -> list[Edge]:
        found: dict[tuple[str, str, str], Edge] = {}
        seen = {entity_id}
        frontier = [entity_id]
        while frontier:
            step = edges_of(frontier, relation, "in")
            frontier = []
            for edge in step:
                found[edge.key] = edge
                if edge.source not in seen:
                    seen.add(edge.source)
                    frontier.append(edge.source)
        return [found[key] for key in sorted(found)]

    def edges_citing(self, document: str) -> list[Edge]:
        return [_edge(data) for _key, data in self._edge_rows_citing(document, True) if data is not None]

    def _edge_rows_citing(self, document: str, with_data: bool) -> list[tuple[tuple[str, str, str], bytes | None]]:
        """`edges_citing` undecoded: keys in order, each with its stored JSON if asked."""
        keys = [tuple(k.split("\x1f")) for k in self._citing(frozenset([document]), EDGE)]
        rows = self._by_key(f"source, relation, target, {'data' if with_data else 'NULL'}", keys)
        return sorted(((s, r, t), data) for s, r, t, data in rows)

    def nodes_citing(self, document: str) -> list[Node]:
        return list(self.get_many(self._citing(frozenset([document]), NODE)).values())

    def search(
        self, text: str = "", type_name: str | None = None, status: str | None = None, limit: int = 20, offset: int = 0
    ) -> SearchResult:
        """Label (and id) matches, exact before prefix before substring, then by id."""
        query = normalize(text)
        filters, params = [], []
        if type_name:
            filters.append("type=?")
            params.append(type_name)
        if status:
            filters.append("status=?")
            params.append(status)
        where = f"WHERE {' AND '.join(filters)}" if filters else ""
        if not query:
            total = self._db.execute(f"SELECT count(*) FROM nodes {where}", params).fetchone()[0]
            rows = self._db.execute(
                f"SELECT data FROM nodes {where} ORDER BY id LIMIT ? OFFSET ?", [*params, max(limit, 0), offset]
            )
            return SearchResult([_node(d) for (d,) in rows], total)
        candidates = {
            i for (i,) in self._db.execute("SELECT DISTINCT id FROM names WHERE instr(name, ?) > 0", (query,))
        }
        candidates |= {i for (i,) in self._db.execute("SELECT id FROM nodes WHERE instr(id, ?) > 0", (query,))}
        hits: list[tuple[int, str]] = []
        nodes = self.get_many(sorted(candidates))
        for node_id, node in nodes.items():
            if (type_name and node.type != type_name) or (status and node.status != status):
                continue
            rank = _rank(query, (*(normalize(name) for name in node.all_names()), node_id))
            if rank is not None:
                hits.append((rank, node_id))
        hits.sort()
        page = hits[offset : offset + limit] if limit >= 0 else []
        return SearchResult([nodes[node_id] for _rank, node_id in page], len(hits))

    def _neighbours(self, ids: list[str], edges: dict[tuple[str, str, str], Edge]) -> dict[str, set[str]]:
        """Undirected neighbours of each id, remembering the edges read (for the path subgraph)."""
        found: dict[str, set[str]] = {i: set() for i in ids}
        for edge in self.edges_of(ids):
            edges[edge.key] = edge
            if edge.source in found:
                found[edge.source].add(edge.target)
            if edge.target in found:
                found[edge.target].add(edge.source)
        return found

    def shortest_paths(self, source: str, target: str, max_length: int = 6, limit: int = 10) -> list[Subgraph]:
        """All shortest paths ignoring direction (up to max_length edges), by node sequence.

        A bidirectional breadth-first search reads only the neighbourhoods it needs; networkx then
        enumerates the shortest paths on that subgraph, which holds every one of them.
        """
        try:
            max_length = operator.index(max_length)
        except TypeError:
            raise ValueError(f"max_length must be an integer, got {max_length!r:.40}") from None
        ends = self.get_many([source, target])
        if source not in ends or target not in ends:
            return []
        edges: dict[tuple[str, str, str], Edge] = {}
        seen = [{source: 0}, {target: 0}]
        frontiers = [[source], [target]]
        depth = 0
        met = source == target
        while not met and depth < max_length and frontiers[0] and frontiers[1]:
            side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
            level = seen[side][frontiers[side][0]] + 1
            following: list[str] = []
            for _node_id, neighbours in self._neighbours(frontiers[side], edges).items():
                for other in neighbours:
                    if other not in seen[side]:
                        seen[side][other] = level
                        following.append(other)
                    if other in seen[1 - side]:
                        met = True
            frontiers[side] = following
            depth += 1
        if not met:
            return []
        graph = nx.MultiGraph()
        graph.add_nodes_from(set(seen[0]) | set(seen[1]))
        for edge in edges.values():
            if edge.source in graph and edge.target in graph:
                graph.add_edge(edge.source, edge.target, key=edge.relation)
        sequences = sorted(tuple(p) for p in nx.all_shortest_paths(graph, source, target))
        if len(sequences[0]) - 1 > max_length:
            return []
        by_pair: dict[frozenset[str], list[Edge]] = {}
        for edge in edges.values():
            by_pair.setdefault(frozenset((edge.source, edge.target)), []).append(edge)
        needed = {n for sequence in sequences[:limit] for n in sequence}
        nodes = self.get_many(needed)
        paths = []
        for sequence in sequences[:limit]:
            path_edges = [e for a, b in itertools.pairwise(sequence) for e in by_pair.get(frozenset((a, b)), [])]
            paths.append(Subgraph([nodes[n] for n in sequence], sorted(path_edges, key=lambda e: e.key)))
        return paths

    def iter_nodes(self, type_name: str | None = None) -> Iterator[Node]:
        if type_name is None:
            rows = self._db.execute("SELECT data FROM nodes ORDER BY id")
        else:
            rows = self._db.execute("SELECT data FROM nodes WHERE type=? ORDER BY id", (type_name,))
        for (data,) in rows:
            yield _node(data)

    def iter_edges(self) -> Iterator[Edge]:
        for (data,) in self._db.execute("SELECT data FROM edges ORDER BY source, relation, target"):
            yield _edge(data)

    def stats(self) -> dict[str, Any]:
        schema = load_schema()
        node_types = dict.fromkeys(schema.node_types, 0)
        relation_types = dict.fromkeys(schema.relation_types, 0)
        for kind, name, count in self._db.execute("SELECT kind, name, n FROM counts"):
            (node_types if kind == NODE else relation_types)[name] = count
        return {
            "nodes": sum(node_types.values()),
            "edges": sum(relation_types.values()),
            "node_types": node_types,
            "relation_types": relation_types,
        }

    def revision(self) -> str:
        if not self.path.exists():
            return "empty"
        return str(self._db.execute("SELECT value FROM meta WHERE key='revision'").fetchone()[0])

    def ping(self) -> bool:
        self._db.execute("SELECT 1").fetchone()
        return True

    def close(self) -> None:
        """Close every thread's connection (the last one out checkpoints the WAL into the file)."""
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()
        self._local = threading.local()
