"""Store-independent algorithms (named queries, neighborhoods, subgraphs, statistics) over GraphStore primitives.

Running these once, over `edges_of`, `descendants` and `get_many`, is what makes the embedded
store and Neo4j give the same answers: only the primitives differ per store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from plankg.graph.queries import DIRECTIONS, IN, NAMED_QUERIES
from plankg.graph.store import GraphStore, NotFound
from plankg.model import CONFIRMED, Edge, Node, QueryItem, Subgraph
from plankg.model.text import with_article
from plankg.ontology.schema import load_schema

MAX_DEPTH = 3


class Reads(Protocol):
    """The primitives the algorithms below read: a store, or a store's prefetched view of one question
    (graph/prefetched.py) when the store offers `prefetch_named_query` / `prefetch_neighborhood`.

    A view may also offer `edges_by_key(keys) -> {key: Edge}`: its other reads then answer edges
    without their sources (graph/memory.py `LinkReads`), and a named query reads the edges it
    returns through it; and `node_statuses(ids) -> {id: status}`, read instead of whole nodes when
    only statuses are needed."""

    def get(self, entity_id: str) -> Node | None: ...

    def get_many(self, ids: Iterable[str]) -> dict[str, Node]: ...

    def edges_of(self, ids: Iterable[str], relation: str | None = None, direction: str = "both") -> list[Edge]: ...

    def descendants(self, entity_id: str, relation: str) -> list[Edge]: ...

    def edges_citing(self, document: str) -> list[Edge]: ...

    def nodes_citing(self, document: str) -> list[Node]: ...


def _reads(store: GraphStore, method: str, *args: Any) -> Reads:
    """The store's one-round-trip view of a question when it has one, else the store itself."""
    prefetch = getattr(store, method, None)
    return prefetch(*args) if callable(prefetch) else store


@dataclass(frozen=True)
class GraphStats:
    """How many nodes and edges a store holds, in all and per ontology type and relation."""

    nodes: int
    edges: int
    node_types: dict[str, int]
    relation_types: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "node_types": dict(self.node_types),
            "relation_types": dict(self.relation_types),
        }


def statistics(store: GraphStore) -> GraphStats:
    """The store's counts as a typed result (every ontology type and relation listed, zeros included)."""
    raw = store.stats()
    schema = load_schema()
    node_types = {name: int(raw["node_types"].get(name, 0)) for name in schema.node_types}
    relation_types = {key: int(raw["relation_types"].get(key, 0)) for key in schema.relation_types}
    return GraphStats(int(raw["nodes"]), int(raw["edges"]), node_types, relation_types)


class BadQuery(ValueError):
    """A query's parameters are wrong (unknown name, missing parameter, wrong entity type)."""


def _flag(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise BadQuery(f"{name} must be true or false, got {value!r:.40}")


def _sorted_edges(edges: Iterable[Edge]) -> list[Edge]:
    unique = {edge.key: edge for edge in edges}
    return [unique[key] for key in sorted(unique)]


def _hierarchy_evidence(store: Reads, start: Node, include_unconfirmed: bool) -> dict[str, list[Edge]]:
    """The start node and every node below it, each with the hierarchy edges leading up to the start."""
    relation = load_schema().hierarchy_relation
    closure = [e for e in store.descendants(start.id, relation) if include_unconfirmed or e.status == CONFIRMED]
    upward: dict[str, list[Edge]] = {}
    for edge in closure:
        upward.setdefault(edge.source, []).append(edge)
    evidence: dict[str, list[Edge]] = {start.id: []}
    for node_id in upward:
        seen: dict[tuple[str, str, str], Edge] = {}
        stack = [node_id]
        while stack:
            for edge in upward.get(stack.pop(), []):
                if edge.key not in seen:
                    seen[edge.key] = edge
                    stack.append(edge.target)
        evidence[node_id] = list(seen.values())
    return evidence


def start_frontier(
    store: GraphStore, name: str, start: Node, include_unconfirmed: bool = True
) -> dict[str, list[Edge]]:
    """Where a named query starts: the node, or (for hierarchy queries) it and every node below it with
    the hierarchy edges leading up to it. Derivations (graph/derive.py) start from the same place."""
    if not NAMED_QUERIES[name].expand_hierarchy:
        return {start.id: []}
    frontier = _hierarchy_evidence(store, start, include_unconfirmed)
    return frontier if include_unconfirmed else _drop_unconfirmed(store, frontier)


def _drop_unconfirmed(store: Reads, frontier: dict[str, list[Edge]]) -> dict[str, list[Edge]]:
    statuses = getattr(store, "node_statuses", None)  # a view that reads statuses without the nodes
    if statuses is not None:
        status: dict[str, str] = statuses(frontier)
    else:
        status = {key: node.status for key, node in store.get_many(frontier).items()}
    return {key: value for key, value in frontier.items() if status.get(key) == CONFIRMED}


@dataclass(frozen=True)
class QueryPage:
    """One page of a named query's answer: the items from `offset` on and how many the whole answer has."""

    items: list[QueryItem]
    total: int
    offset: int


def run_named_query(graph: GraphStore, name: str, params: dict[str, Any]) -> list[QueryItem]:
    """Answer a named query: entities with the edges (and their quotes) that justify each, in id order.

    A store offering `prefetch_named_query` answers every read below in one round trip."""
    return named_query_page(graph, name, params).items


def named_query_page(
    graph: GraphStore, name: str, params: dict[str, Any], offset: int = 0, limit: int | None = None
) -> QueryPage:
    """At most `limit` items of a named query's answer (in id order) from `offset` on, and its total.

    Only the page's entities are read and built; a store whose `prefetch_named_query` takes the page
    (Neo4j) cuts it in its statement and reports the total in the view (`Prefetched.page_total`); the
    embedded store's view follows edges without their sources and the page's edges alone are read
    whole (an edge removed by a write in between is left out of its item's evidence)."""
    query = NAMED_QUERIES.get(name)
    if query is None:
        raise BadQuery(f"unknown query {name!r}; expected one of {', '.join(NAMED_QUERIES)}")
    unknown = set(params) - {query.param, "include_unconfirmed"}
    if unknown:
        raise BadQuery(f"unknown parameter(s) {', '.join(sorted(unknown))} for {name}; expected {query.param}")
    start_id = params.get(query.param)
    if not start_id:
        raise BadQuery(f"{name} needs the parameter {query.param} (the id of {with_article(query.param_type)})")
    if offset < 0 or (limit is not None and limit < 1):
        raise BadQuery(f"offset must be at least 0 and limit at least 1, got {offset} and {limit}")
    include_unconfirmed = _flag(params.get("include_unconfirmed", True), "include_unconfirmed")
    page = None if offset == 0 and limit is None else (offset, limit)
    store = _reads(graph, "prefetch_named_query", name, str(start_id), include_unconfirmed, page)
    start = store.get(str(start_id))
    if start is None:
        raise NotFound(f"no entity {start_id!r}")
    if start.type != query.param_type:
        expected, found = with_article(query.param_type), with_article(start.type)
        raise BadQuery(f"{query.param} must be the id of {expected}; {start_id!r} is {found}")

    if query.by_provenance:
        frontier = _document_statements(store, start.id, include_unconfirmed)
    else:
        frontier = _follow_steps(store, query.name, start, include_unconfirmed)
    cut = getattr(store, "page_total", None)
    keys = sorted(frontier)
    if cut is not None:  # the store cut the page already: `frontier` is that page
        total, window = int(cut), keys
    else:
        total, window = len(keys), keys[offset : None if limit is None else offset + limit]
    nodes = store.get_many(window)
    if len(nodes) < len(window) and cut is None:  # an edge to no entity: count only what exists
        present = store.get_many(keys)
        keys = [key for key in keys if key in present]
        total, window = len(keys), keys[offset : None if limit is None else offset + limit]
        nodes = {key: present[key] for key in window}
    evidence = {key: _sorted_edges(frontier[key]) for key in window if key in nodes}
    stored = getattr(store, "edges_by_key", None)
    if stored is not None:  # the view followed links (edges without sources): read the page's edges whole
        whole = stored({edge.key for edges in evidence.values() for edge in edges})
        evidence = {key: [whole[e.key] for e in edges if e.key in whole] for key, edges in evidence.items()}
    return QueryPage([QueryItem(nodes[key], evidence[key]) for key in evidence], total, offset)


def _follow_steps(store: Reads, name: str, start: Node, include_unconfirmed: bool) -> dict[str, list[Edge]]:
    """The answer's entity ids, each with the edges on the paths that reach it."""
    query = NAMED_QUERIES[name]
    if query.expand_hierarchy:
        frontier = _hierarchy_evidence(store, start, include_unconfirmed)
        if not include_unconfirmed:
            frontier = _drop_unconfirmed(store, frontier)
    else:
        frontier = {start.id: []}
    for step in query.steps:
        following: dict[str, dict[tuple[str, str, str], Edge]] = {}
        for edge in store.edges_of(frontier, step.relation, IN if step.direction == IN else "out"):
            if not include_unconfirmed and edge.status != CONFIRMED:
                continue
            here, there = (edge.target, edge.source) if step.direction == IN else (edge.source, edge.target)
            if here not in frontier:
                continue
            path = following.setdefault(there, {})
            for previous in frontier[here]:
                path[previous.key] = previous
            path[edge.key] = edge
        frontier = {key: list(value.values()) for key, value in following.items()}
        if not include_unconfirmed:
            frontier = _drop_unconfirmed(store, frontier)
    return frontier


def _document_statements(store: Reads, document: str, include_unconfirmed: bool) -> dict[str, list[Edge]]:
    """Every entity citing the document or the source of an edge citing it, with those edges."""
    edges = [e for e in store.edges_citing(document) if include_unconfirmed or e.status == CONFIRMED]
    frontier: dict[str, list[Edge]] = {
        n.id: [] for n in store.nodes_citing(document) if include_unconfirmed or n.status == CONFIRMED
    }
    for edge in edges:
        frontier.setdefault(edge.source, []).append(edge)
    return frontier


def induced_subgraph(store: Reads, ids: Iterable[str], relation: str | None = None) -> Subgraph:
    """The nodes with these ids and every edge among them (of one relation, if given)."""
    nodes = store.get_many(set(ids))
    edges = [e for e in store.edges_of(nodes, relation, "out") if e.target in nodes]
    return Subgraph([nodes[key] for key in sorted(nodes)], _sorted_edges(edges))


def neighborhood(
    graph: GraphStore,
    entity_id: str,
    relation: str | None = None,
    direction: str = "both",
    depth: int = 1,
    type_name: str | None = None,
    limit: int = 2000,
) -> Subgraph:
    """Nodes within `depth` hops (breadth first, at most `limit`, nearest and then by id first).

    The type filter keeps the center and the nodes of that type; edges are every edge
    (of the relation, if given) among the kept nodes.
    """
    schema = load_schema()
    if direction not in DIRECTIONS:
        raise BadQuery(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r:.40}")
    if not 1 <= depth <= MAX_DEPTH:
        raise BadQuery(f"depth must be between 1 and {MAX_DEPTH}, got {depth}")
    if relation is not None and not schema.is_relation(relation):
        raise BadQuery(f"unknown relation {relation!r:.60}; expected one of {', '.join(schema.relation_types)}")
    if type_name is not None and not schema.is_node_type(type_name):
        raise BadQuery(f"unknown type {type_name!r:.60}; expected one of {', '.join(schema.node_types)}")
    store = _reads(graph, "prefetch_neighborhood", entity_id, relation, direction, depth, limit)
    if store.get(entity_id) is None:
        raise NotFound(f"no entity {entity_id!r}")
    reached = {entity_id}
    order = [entity_id]
    frontier = [entity_id]
    for _ in range(depth):
        if not frontier or len(order) >= limit:
            break
        found: set[str] = set()
        for edge in store.edges_of(frontier, relation, direction):
            for end in (edge.source, edge.target):
                if end not in reached:
                    found.add(end)
        fresh = sorted(found)[: max(0, limit - len(order))]
        reached.update(fresh)
        order.extend(fresh)
        frontier = fresh
    kept = set(order)
    if type_name is not None:
        nodes = store.get_many(kept)
        kept = {key for key, node in nodes.items() if key == entity_id or node.type == type_name}
    return induced_subgraph(store, kept, relation)
