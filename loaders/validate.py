"""Batch-level checks that need the whole batch: duplicates, endpoints, document references.

Field-level checks live in records.py; SHACL shapes run last (shacl.py). Nothing here
touches a store: facts about already-stored entities come in through `known_types`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from plankg.loaders.reading import gc_paused
from plankg.model import Edge, GraphBatch, Node, merge_aliases, merge_sources
from plankg.model.errors import InputError, InputProblem
from plankg.model.text import did_you_mean, with_article
from plankg.ontology.schema import load_schema

KnownTypes = Callable[[Iterable[str]], dict[str, str]]
"""Given ids, the types of those already in the store (ids not stored are left out)."""


def _no_store(_ids: Iterable[str]) -> dict[str, str]:
    return {}


def _where(batch: GraphBatch, key: str) -> tuple[str, int | None]:
    return batch.locations.get(key, (batch.origins[0] if batch.origins else "<input>", None))


def _copy_node(node: Node, aliases: dict[str, list[str]] | None = None) -> Node:
    return Node(
        node.id,
        node.type,
        dict(node.labels),
        dict(node.properties),
        list(node.sources),
        node.status,
        merge_aliases(node.aliases) if aliases is None else aliases,
    )


def _merge_nodes(batch: GraphBatch, problems: list[InputProblem]) -> dict[str, Node]:
    """One node per id. A node stated once is kept as it is (no copy: loads hold a million of them);
    a node stated again is copied before its sources and aliases are merged, so the input is never changed."""
    merged: dict[str, Node] = {}
    copied: set[str] = set()
    for node in batch.nodes:
        first = merged.get(node.id)
        if first is None:
            aliases = merge_aliases(node.aliases)
            merged[node.id] = node if aliases == node.aliases else _copy_node(node, aliases)
            continue
        same = (first.type, first.labels, first.status, first.properties) == (
            node.type,
            node.labels,
            node.status,
            node.properties,
        )
        if not same:
            file, line = _where(batch, node.id)
            problems.append(
                InputProblem(
                    file,
                    line,
                    "id",
                    f"conflicting duplicate id {node.id!r}: defined twice with different type, labels, status or "
                    "properties; expected one definition (or identical ones)",
                )
            )
            continue
        if node.id not in copied:
            copied.add(node.id)
            first = merged[node.id] = _copy_node(first)
        first.sources = merge_sources(first.sources, node.sources)
        first.aliases = merge_aliases(first.aliases, node.aliases)
    return merged


def _merge_edges(batch: GraphBatch, problems: list[InputProblem]) -> dict[tuple[str, str, str], Edge]:
    """One edge per key; as with nodes, an edge stated once is kept, one stated again is copied, then merged."""
    merged: dict[tuple[str, str, str], Edge] = {}
    copied: set[tuple[str, str, str]] = set()
    for edge in batch.edges:
        key = edge.key
        first = merged.get(key)
        if first is None:
            merged[key] = edge
        elif first.status != edge.status:
            file, line = _where(batch, edge.key_text)
            problems.append(
                InputProblem(
                    file,
                    line,
                    "status",
                    f"conflicting duplicate edge {edge.key_text!r}: stated once as {first.status} and once as "
                    f"{edge.status}; expected one status",
                )
            )
        else:
            if key not in copied:
                copied.add(key)
                first = Edge(first.source, first.relation, first.target, list(first.sources), first.status)
                merged[key] = first
            first.sources = merge_sources(first.sources, edge.sources)
    return merged


def validate_batch(batch: GraphBatch, known_types: KnownTypes = _no_store) -> GraphBatch:
    """A clean, merged, sorted batch (the input is left as it was), or InputError listing every problem."""
    with gc_paused():  # a bulk step: see loaders/reading.py
        return _validated(batch, known_types)


def _validated(batch: GraphBatch, known_types: KnownTypes) -> GraphBatch:
    schema = load_schema()
    problems: list[InputProblem] = []
    nodes = _merge_nodes(batch, problems)
    edges = _merge_edges(batch, problems)

    referenced = {e.source for e in edges.values()} | {e.target for e in edges.values()}
    referenced |= {s.document for n in nodes.values() for s in n.sources}
    referenced |= {s.document for e in edges.values() for s in e.sources}
    stored = known_types(sorted(referenced | set(nodes)))
    types = {**stored, **{node_id: node.type for node_id, node in nodes.items()}}

    for node_id, node in nodes.items():
        if node_id in stored and stored[node_id] != node.type:
            file, line = _where(batch, node_id)
            problems.append(
                InputProblem(
                    file,
                    line,
                    "type",
                    f"{node_id!r} is already stored as {with_article(stored[node_id])}; "
                    f"expected the same type, got {node.type}",
                )
            )
    for edge in edges.values():
        file, line = _where(batch, edge.key_text)
        relation = schema.relation(edge.relation)
        for end, field, allowed in ((edge.source, "from", relation.domain), (edge.target, "to", relation.range)):
            end_type = types.get(end)
            if end_type is None:
                problems.append(
                    InputProblem(
                        file,
                        line,
                        field,
                        f"dangling reference: no entity {end!r} in this input or the store{did_you_mean(end, types)}; "
                        "expected the id of a "
                        f"{' or '.join(allowed)}",
                    )
                )
            elif end_type not in allowed:
                problems.append(
                    InputProblem(
                        file,
                        line,
                        field,
                        f"{edge.relation} cannot {'start' if field == 'from' else 'end'} at {end!r}, "
                        f"{with_article(end_type)}; "
                        f"expected {with_article(' or '.join(allowed))}",
                    )
                )
    for key, sources in [(n.id, n.sources) for n in nodes.values()] + [(e.key_text, e.sources) for e in edges.values()]:
        for index, source in enumerate(sources):
            if types.get(source.document) != schema.document_type:
                file, line = _where(batch, key)
                found = types.get(source.document)
                problems.append(
                    InputProblem(
                        file,
                        line,
                        f"sources[{index}].document",
                        f"{source.document!r} is {with_article(found) if found else 'not in this input or the store'}; "
                        f"expected the id of {with_article(schema.document_type)}",
                    )
                )
    if problems:
        raise InputError(problems)
    return GraphBatch(
        nodes=[nodes[key] for key in sorted(nodes)],
        edges=[edges[key] for key in sorted(edges)],
        origins=list(batch.origins),
        warnings=list(batch.warnings),
        locations=batch.locations,  # shared, not copied: a million entries at a million elements
    )
