"""The GraphStore protocol every store implements, and its errors: nothing else.

Store-independent operations (named queries, neighborhoods, subgraphs, statistics) live
in plankg.graph.engine and take a store as their first argument.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from plankg.model import Edge, GraphBatch, LoadSummary, Node, Subgraph

ProgressCallback = Callable[[int, int], None]


class StoreError(Exception):
    """The store cannot answer (unreachable, misconfigured); the message is safe to show."""


class NotFound(LookupError):
    """An id the caller named does not exist (or has the wrong type for the question)."""


@dataclass
class SearchResult:
    """One page of search hits and the total number of hits."""

    items: list[Node]
    total: int


@dataclass
class RetractSummary:
    """What a retraction did: the documents, what went (ids, edge keys) and what only lost those citations."""

    documents: list[str]
    removed_nodes: list[str]
    removed_edges: list[tuple[str, str, str]]
    trimmed_nodes: int
    trimmed_edges: int
    loaded: LoadSummary | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": list(self.documents),
            "removed_nodes": list(self.removed_nodes),
            "removed_edges": [{"source": s, "relation": r, "target": t} for s, r, t in self.removed_edges],
            "trimmed_nodes": self.trimmed_nodes,
            "trimmed_edges": self.trimmed_edges,
            "loaded": self.loaded.to_dict() if self.loaded else None,
        }


@runtime_checkable
class GraphStore(Protocol):
    """Upsert a batch, then ask: get, search, primitives for the engine, paths, export, stats."""

    kind: str

    def upsert(self, batch: GraphBatch, on_progress: ProgressCallback | None = None) -> LoadSummary:
        """Write a validated batch all-or-nothing; on_progress(done, total) reports long writes."""
        ...

    def retract(self, documents: Iterable[str], replacement: GraphBatch | None = None) -> RetractSummary:
        """All-or-nothing: drop the documents' citations (elements left without any go, with their edges),
        then upsert `replacement` (a corrected version), in one write."""
        ...

    def known_types(self, ids: Iterable[str]) -> dict[str, str]: ...

    def get(self, entity_id: str) -> Node | None: ...

    def get_many(self, ids: Iterable[str]) -> dict[str, Node]: ...

    def edges_of(self, ids: Iterable[str], relation: str | None = None, direction: str = "both") -> list[Edge]:
        """Edges touching any of the ids (out: they start there; in: they end there)."""
        ...

    def descendants(self, entity_id: str, relation: str) -> list[Edge]:
        """Edges of every chain x -relation-> ... -> entity_id (the SKOS narrower closure)."""
        ...

    def edges_citing(self, document: str) -> list[Edge]: ...

    def nodes_citing(self, document: str) -> list[Node]: ...

    def search(
        self, text: str = "", type_name: str | None = None, status: str | None = None, limit: int = 20, offset: int = 0
    ) -> SearchResult: ...

    def shortest_paths(self, source: str, target: str, max_length: int = 6, limit: int = 10) -> list[Subgraph]: ...

    def iter_nodes(self, type_name: str | None = None) -> Iterator[Node]: ...

    def iter_edges(self) -> Iterator[Edge]: ...

    def stats(self) -> dict[str, Any]: ...

    def ping(self) -> bool: ...

    def revision(self) -> str:
        """Changes whenever the graph changes (for caches and ETags)."""
        ...

    def clear(self) -> None: ...

    def close(self) -> None: ...
