"""The reads one question needs, fetched in a single round trip, answering the engine's primitives.

A store that can compile a named query or a neighbourhood into one statement (graph/cypher.py)
returns its rows as a `Prefetched` view; graph/engine.py then runs its usual algorithm over the
view instead of the store, so both stores keep one algorithm and identical answers. The view
holds a *superset* of what the algorithm reads: `edges_of` filters its edges by relation,
direction and ids exactly as a store does, so extra edges or nodes never change an answer —
only a missing one could, and the compiled statement fetches every edge the algorithm would ask
for.
"""

from __future__ import annotations

from collections.abc import Iterable

from plankg.model import Edge, Node


def _by_key(edges: Iterable[Edge]) -> list[Edge]:
    found = {edge.key: edge for edge in edges}
    return [found[key] for key in sorted(found)]


class Prefetched:
    """get / get_many / edges_of / descendants / edges_citing / nodes_citing over fetched rows."""

    def __init__(
        self,
        nodes: Iterable[Node],
        edges: Iterable[Edge] = (),
        *,
        closure: Iterable[Edge] = (),
        citing_nodes: Iterable[Node] = (),
        citing_edges: Iterable[Edge] = (),
        page_total: int | None = None,
    ) -> None:
        self.page_total = page_total
        """Set when the statement cut a named query's answer to one page: the whole answer's size (the
        view then holds only the page's answer entities and the edges reaching them)."""
        self._citing_nodes = sorted({n.id: n for n in citing_nodes}.values(), key=lambda node: node.id)
        self._nodes = {node.id: node for node in [*nodes, *self._citing_nodes]}
        self._citing_edges = _by_key(citing_edges)
        self._edges = _by_key([*edges, *self._citing_edges])
        self._closure = _by_key(closure)

    def get(self, entity_id: str) -> Node | None:
        return self._nodes.get(entity_id)

    def get_many(self, ids: Iterable[str]) -> dict[str, Node]:
        return {i: self._nodes[i] for i in dict.fromkeys(ids) if isinstance(i, str) and i in self._nodes}

    def edges_of(self, ids: Iterable[str], relation: str | None = None, direction: str = "both") -> list[Edge]:
        wanted = {i for i in ids if isinstance(i, str)}
        out, into = direction in ("out", "both"), direction in ("in", "both")
        return [
            edge
            for edge in self._edges
            if (relation is None or edge.relation == relation)
            and ((out and edge.source in wanted) or (into and edge.target in wanted))
        ]

    def descendants(self, entity_id: str, relation: str) -> list[Edge]:
        """The hierarchy closure the statement fetched for the query's start."""
        return [edge for edge in self._closure if edge.relation == relation]

    def edges_citing(self, document: str) -> list[Edge]:
        return list(self._citing_edges)

    def nodes_citing(self, document: str) -> list[Node]:
        return list(self._citing_nodes)
