"""Retraction: what unloading documents removes, planned once for both stores.

A document's statements are the nodes and edges whose sources cite it. Unloading drops those
citations; an element left with no source goes, and so does every edge touching a node that
goes (it cannot dangle). Elements other documents also state stay, with their other sources.
Both stores run `plan_retraction` over what they read, so they remove the same elements and
report the same summary; each applies the plan (and an optional replacement batch) in one
all-or-nothing write.

`documents_of` says which documents an id names: a Document is itself, a Plan is every
document it has as a version (`has_version`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from plankg.graph.engine import BadQuery
from plankg.graph.store import GraphStore, NotFound, RetractSummary
from plankg.model import Edge, Node, Source
from plankg.model.text import with_article
from plankg.ontology.schema import load_schema


class BadUnload(BadQuery):
    """The id names neither a document nor a plan."""


@dataclass
class Retraction:
    """The changes a retraction makes: sources trimmed, elements removed."""

    documents: list[str]
    trimmed_nodes: dict[str, list[Source]] = field(default_factory=dict)
    removed_nodes: list[str] = field(default_factory=list)
    trimmed_edges: dict[tuple[str, str, str], list[Source]] = field(default_factory=dict)
    removed_edges: list[tuple[str, str, str]] = field(default_factory=list)

    def summary(self) -> RetractSummary:
        return RetractSummary(
            list(self.documents),
            list(self.removed_nodes),
            list(self.removed_edges),
            len(self.trimmed_nodes),
            len(self.trimmed_edges),
        )


def _kept(sources: Iterable[Source], documents: frozenset[str]) -> list[Source]:
    return [source for source in sources if source.document not in documents]


def plan_retraction(
    documents: Iterable[str],
    citing_nodes: Iterable[tuple[str, list[Source]]],
    citing_edges: Iterable[Edge],
    touching: Iterable[Edge] = (),
    keep: Iterable[str] = (),
) -> Retraction:
    """Plan the removal of the documents' citations.

    `citing_nodes` are (id, sources) of nodes citing any of the documents, `citing_edges` the
    edges citing any of them, `touching` every edge touching a node that will go (the caller
    asks for it with `doomed_nodes`). Nodes in `keep` (those a replacement batch restates) do
    not go even when no source is left: the replacement gives them their sources back, so
    other documents' edges to them stay.
    """
    docs = frozenset(documents)
    kept = frozenset(keep)
    plan = Retraction(sorted(docs))
    removed_nodes: set[str] = set()
    for node_id, sources in citing_nodes:
        left = _kept(sources, docs)
        if len(left) == len(sources):
            continue
        if left or node_id in kept:
            plan.trimmed_nodes[node_id] = left
        else:
            removed_nodes.add(node_id)
    removed_edges: set[tuple[str, str, str]] = set()
    edges = {edge.key: edge for edge in citing_edges}
    for edge in touching:
        edges.setdefault(edge.key, edge)
    for key, edge in edges.items():
        left = _kept(edge.sources, docs)
        if not left or edge.source in removed_nodes or edge.target in removed_nodes:
            removed_edges.add(key)
        elif len(left) != len(edge.sources):
            plan.trimmed_edges[key] = left
    plan.removed_nodes = sorted(removed_nodes)
    plan.removed_edges = sorted(removed_edges)
    return plan


def doomed_nodes(
    documents: Iterable[str], citing_nodes: Iterable[tuple[str, list[Source]]], keep: Iterable[str] = ()
) -> list[str]:
    """Ids of the citing nodes that no other document states and no replacement restates (they go, with their edges)."""
    docs, kept = frozenset(documents), frozenset(keep)
    return sorted(
        node_id for node_id, sources in citing_nodes if sources and not _kept(sources, docs) and node_id not in kept
    )


def documents_of(store: GraphStore, entity_id: str) -> tuple[Node, list[str]]:
    """The document ids an id names: a Document itself, a Plan its versions (the ontology's version relation)."""
    node = store.get(entity_id)
    if node is None:
        raise NotFound(f"no entity {entity_id!r}")
    schema = load_schema()
    if node.type == schema.document_type:
        return node, [node.id]
    if node.type == schema.plan_type:
        versions = sorted(e.target for e in store.edges_of([node.id], schema.version_relation, "out"))
        return node, versions
    raise BadUnload(
        f"{entity_id!r} is {with_article(node.type)}; give the id of "
        f"{with_article(schema.document_type)} or {with_article(schema.plan_type)}"
    )


def unload(store: GraphStore, entity_id: str) -> RetractSummary:
    """Remove what only this document (or this plan's documents) states; keep what others also state."""
    _node, documents = documents_of(store, entity_id)
    if not documents:
        raise BadUnload(f"plan {entity_id!r} has no documents ({load_schema().version_relation}) to unload")
    return store.retract(documents)
