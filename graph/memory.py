"""The embedded default store: a networkx MultiDiGraph persisted atomically to one JSON file.

Writers take a file lock, re-read the file if another process changed it, apply the
batch and replace the file in one rename, so a crash leaves the old file or the new one
(a dead writer's temp file, .<name>.*.tmp, is removed by the next writer).
Readers notice a newer file (by its modification stamp) and reload it.
"""

from __future__ import annotations

import fcntl
import glob
import itertools
import json
import operator
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from plankg.graph.retract import doomed_nodes, plan_retraction
from plankg.graph.store import ProgressCallback, RetractSummary, SearchResult, StoreError
from plankg.model import Edge, GraphBatch, LoadSummary, Node, Subgraph, merge_aliases, merge_sources
from plankg.model.text import normalize, search_rank
from plankg.ontology.schema import load_schema
from plankg.settings import Settings

FILE_FORMAT = "plankg-memory/1"


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


class MemoryStore:
    """GraphStore over networkx; node attribute `node` holds the Node, edge key is the relation."""

    kind = "memory"

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else default_path()
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self._stamp: tuple[int, int] | None = None
        self._search_keys: dict[str, tuple[str, ...]] = {}
        self._refresh()

    # ------------------------------------------------------------ persistence
    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def _refresh(self) -> None:
        stamp = self._file_stamp()
        if stamp == self._stamp:
            return
        graph = nx.MultiDiGraph()
        if stamp is not None:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise StoreError(f"cannot read the graph file {self.path}: {error}") from None
            if data.get("format") != FILE_FORMAT:
                raise StoreError(f"{self.path} is not a plankg graph file (format {data.get('format')!r})")
            for item in data["nodes"]:
                node = Node.from_dict(item)
                graph.add_node(node.id, node=node)
            for item in data["edges"]:
                edge = Edge.from_dict(item)
                graph.add_edge(edge.source, edge.target, key=edge.relation, edge=edge)
        self.graph = graph
        self._stamp = stamp
        self._search_keys = {}

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "format": FILE_FORMAT,
            "nodes": [node.to_dict() for node in self.iter_nodes()],
            "edges": [edge.to_dict() for edge in self.iter_edges()],
        }
        # Only the lock holder writes a temp file, so any still here is from a writer that died (kill -9).
        prefix = f".{self.path.name}."
        for stale in self.path.parent.glob(glob.escape(prefix) + "*.tmp"):
            if "." not in stale.name[len(prefix) : -len(".tmp")]:  # not another graph file's (".graph.json.x.…")
                stale.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, ensure_ascii=False, separators=(",", ":"))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._stamp = self._file_stamp()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                self._refresh()
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    # ------------------------------------------------------------ writes
    def upsert(self, batch: GraphBatch, on_progress: ProgressCallback | None = None) -> LoadSummary:
        """Merge a validated batch: properties replaced, sources united; all or nothing on disk."""
        with self._locked():
            self._check_ends(batch)
            before = self.graph.copy()
            try:
                self._merge(batch)
                self._write()
                if on_progress:
                    on_progress(len(batch), len(batch))
            except BaseException:
                self.graph = before
                raise
            finally:
                self._search_keys = {}
        return LoadSummary(len(batch.nodes), len(batch.edges), list(batch.warnings))

    def retract(self, documents: Iterable[str], replacement: GraphBatch | None = None) -> RetractSummary:
        """Drop the documents' citations (see graph/retract.py), then merge `replacement`; one file rename."""
        docs = frozenset(documents)
        with self._locked():
            before = self.graph.copy()
            try:
                citing = [(n.id, n.sources) for n in self.iter_nodes() if any(s.document in docs for s in n.sources)]
                keep = [node.id for node in replacement.nodes] if replacement is not None else []
                doomed = doomed_nodes(docs, citing, keep)
                plan = plan_retraction(
                    docs,
                    citing,
                    [e for e in self.iter_edges() if any(s.document in docs for s in e.sources)],
                    self.edges_of(doomed),
                    keep,
                )
                for key, sources in plan.trimmed_edges.items():
                    old_edge = self.graph.edges[key[0], key[2], key[1]]["edge"]
                    self.graph.edges[key[0], key[2], key[1]]["edge"] = Edge(*key, sources, old_edge.status)
                for source, relation, target in plan.removed_edges:
                    self.graph.remove_edge(source, target, key=relation)
                for node_id, sources in plan.trimmed_nodes.items():
                    node = self.graph.nodes[node_id]["node"]
                    self.graph.nodes[node_id]["node"] = Node(
                        node.id, node.type, node.labels, node.properties, sources, node.status, node.aliases
                    )
                self.graph.remove_nodes_from(plan.removed_nodes)
                summary = plan.summary()
                if replacement is not None:
                    self._check_ends(replacement)
                    self._merge(replacement)
                    summary.loaded = LoadSummary(
                        len(replacement.nodes), len(replacement.edges), list(replacement.warnings)
                    )
                self._write()
            except BaseException:
                self.graph = before
                raise
            finally:
                self._search_keys = {}
        return summary

    def _check_ends(self, batch: GraphBatch) -> None:
        incoming = {node.id for node in batch.nodes}
        dangling = sorted(
            end
            for edge in batch.edges
            for end in (edge.source, edge.target)
            if end not in incoming and end not in self.graph
        )
        if dangling:
            raise StoreError(f"edges point at entities that are neither stored nor loaded: {', '.join(dangling[:5])}")

    def _merge(self, batch: GraphBatch) -> None:
        for node in batch.nodes:
            old = self.graph.nodes[node.id]["node"] if node.id in self.graph else None
            sources = merge_sources(old.sources, node.sources) if old else list(node.sources)
            aliases = merge_aliases(old.aliases, node.aliases) if old else merge_aliases(node.aliases)
            merged = Node(node.id, node.type, dict(node.labels), dict(node.properties), sources, node.status, aliases)
            self.graph.add_node(node.id, node=merged)
        for edge in batch.edges:
            old_edge = self.graph.get_edge_data(edge.source, edge.target, edge.relation)
            sources = merge_sources(old_edge["edge"].sources, edge.sources) if old_edge else list(edge.sources)
            merged_edge = Edge(edge.source, edge.relation, edge.target, sources, edge.status)
            self.graph.add_edge(edge.source, edge.target, key=edge.relation, edge=merged_edge)

    def clear(self) -> None:
        with self._locked():
            self.graph = nx.MultiDiGraph()
            self._search_keys = {}
            self._write()

    # ------------------------------------------------------------ reads
    def known_types(self, ids: Iterable[str]) -> dict[str, str]:
        self._refresh()
        return {i: self.graph.nodes[i]["node"].type for i in ids if i in self.graph}

    def get(self, entity_id: str) -> Node | None:
        self._refresh()
        return self.graph.nodes[entity_id]["node"] if entity_id in self.graph else None

    def get_many(self, ids: Iterable[str]) -> dict[str, Node]:
        self._refresh()
        return {i: self.graph.nodes[i]["node"] for i in ids if i in self.graph}

    def edges_of(self, ids: Iterable[str], relation: str | None = None, direction: str = "both") -> list[Edge]:
        self._refresh()
        found: dict[tuple[str, str, str], Edge] = {}
        for node_id in ids:
            if node_id not in self.graph:
                continue
            views = []
            if direction in ("out", "both"):
                views.append(self.graph.out_edges(node_id, keys=True, data="edge"))
            if direction in ("in", "both"):
                views.append(self.graph.in_edges(node_id, keys=True, data="edge"))
            for view in views:
                for _u, _v, key, edge in view:
                    if relation is None or key == relation:
                        found[edge.key] = edge
        return [found[key] for key in sorted(found)]

    def descendants(self, entity_id: str, relation: str) -> list[Edge]:
        self._refresh()
        if entity_id not in self.graph:
            return []
        found: dict[tuple[str, str, str], Edge] = {}
        stack = [entity_id]
        seen = {entity_id}
        while stack:
            for _u, _v, key, edge in self.graph.in_edges(stack.pop(), keys=True, data="edge"):
                if key == relation:
                    found[edge.key] = edge
                    if edge.source not in seen:
                        seen.add(edge.source)
                        stack.append(edge.source)
        return [found[key] for key in sorted(found)]

    def edges_citing(self, document: str) -> list[Edge]:
        return [e for e in self.iter_edges() if any(s.document == document for s in e.sources)]

    def nodes_citing(self, document: str) -> list[Node]:
        return [n for n in self.iter_nodes() if any(s.document == document for s in n.sources)]

    def _keys(self) -> dict[str, tuple[str, ...]]:
        """Per node: its normalised labels and aliases, then its id last (id matches rank below names)."""
        if not self._search_keys:
            self._search_keys = {
                node_id: (*(normalize(name) for name in data["node"].all_names()), node_id)
                for node_id, data in self.graph.nodes(data=True)
            }
        return self._search_keys

    def search(
        self, text: str = "", type_name: str | None = None, status: str | None = None, limit: int = 20, offset: int = 0
    ) -> SearchResult:
        """Label (and id) matches, exact before prefix before substring, then by id."""
        self._refresh()
        query = normalize(text)
        hits: list[tuple[int, str]] = []
        for node_id, keys in self._keys().items():
            node = self.graph.nodes[node_id]["node"]
            if (type_name and node.type != type_name) or (status and node.status != status):
                continue
            rank = _rank(query, keys) if query else 0
            if rank is not None:
                hits.append((rank, node_id))
        hits.sort()
        page = hits[offset : offset + limit]
        return SearchResult([self.graph.nodes[node_id]["node"] for _rank, node_id in page], len(hits))

    def shortest_paths(self, source: str, target: str, max_length: int = 6, limit: int = 10) -> list[Subgraph]:
        """All shortest paths ignoring direction (up to max_length edges), by node sequence."""
        try:
            max_length = operator.index(max_length)
        except TypeError:
            raise ValueError(f"max_length must be an integer, got {max_length!r:.40}") from None
        self._refresh()
        if source not in self.graph or target not in self.graph:
            return []
        undirected = self.graph.to_undirected(as_view=True)
        try:
            sequences = sorted(tuple(p) for p in nx.all_shortest_paths(undirected, source, target))
        except nx.NetworkXNoPath:
            return []
        paths = []
        for sequence in sequences:
            if len(sequence) - 1 > max_length:
                break
            edges = []
            for a, b in itertools.pairwise(sequence):
                edges += [d["edge"] for d in (self.graph.get_edge_data(a, b) or {}).values()]
                edges += [d["edge"] for d in (self.graph.get_edge_data(b, a) or {}).values()]
            nodes = [self.graph.nodes[n]["node"] for n in sequence]
            paths.append(Subgraph(nodes, sorted(edges, key=lambda e: e.key)))
            if len(paths) >= limit:
                break
        return paths

    def iter_nodes(self, type_name: str | None = None) -> Iterator[Node]:
        self._refresh()
        for node_id in sorted(self.graph.nodes):
            node = self.graph.nodes[node_id]["node"]
            if type_name is None or node.type == type_name:
                yield node

    def iter_edges(self) -> Iterator[Edge]:
        self._refresh()
        edges = [data for _u, _v, data in self.graph.edges(data="edge")]
        yield from sorted(edges, key=lambda e: e.key)

    def stats(self) -> dict[str, Any]:
        self._refresh()
        schema = load_schema()
        node_types = dict.fromkeys(schema.node_types, 0)
        relation_types = dict.fromkeys(schema.relation_types, 0)
        for _node_id, node in self.graph.nodes(data="node"):
            node_types[node.type] = node_types.get(node.type, 0) + 1
        for _u, _v, key in self.graph.edges(keys=True):
            relation_types[key] = relation_types.get(key, 0) + 1
        return {
            "nodes": self.graph.number_of_nodes(),
            "edges": self.graph.number_of_edges(),
            "node_types": node_types,
            "relation_types": relation_types,
        }

    def revision(self) -> str:
        self._refresh()
        return "empty" if self._stamp is None else f"{self._stamp[0]:x}-{self._stamp[1]:x}"

    def ping(self) -> bool:
        self._refresh()
        return True

    def close(self) -> None:
        """Nothing to release: every write is already on disk."""
