"""Answer a reading over the store primitives (edges_of, descendants, nodes_citing, iter_nodes).

Written once over the GraphStore protocol, like the named queries, so the embedded store and
Neo4j answer a question alike. Every answer carries the edges that justify it.
"""

from __future__ import annotations

from plankg.graph.ask.paths import Step
from plankg.graph.ask.quantities import date_matches, number_matches
from plankg.graph.ask.reading import Constraint, Reading
from plankg.graph.queries import OUT
from plankg.graph.store import GraphStore
from plankg.model import Edge, QueryItem
from plankg.ontology.schema import load_schema

Found = dict[str, dict[tuple[str, str, str], Edge]]


def _widen(store: GraphStore, start: str) -> Found:
    """The start and every concept below it, each with the hierarchy edges that lead up to the start."""
    relation = load_schema().hierarchy_relation
    upward: dict[str, list[Edge]] = {}
    for edge in store.descendants(start, relation):
        upward.setdefault(edge.source, []).append(edge)
    found: Found = {start: {}}
    for node in upward:
        seen: dict[tuple[str, str, str], Edge] = {}
        stack = [node]
        while stack:
            for edge in upward.get(stack.pop(), []):
                if edge.key not in seen:
                    seen[edge.key] = edge
                    stack.append(edge.target)
        found[node] = seen
    return found


def part_relations(type_name: str) -> tuple[str, ...]:
    """Relations that make a node of this type part of another of the same type (has_sub_goal,
    has_sub_measure): walked through at any depth when a path passes through the type."""
    schema = load_schema()
    return tuple(
        key
        for key, relation in schema.relation_types.items()
        if key.startswith("has_") and relation.domain == relation.range == (type_name,)
    )


def _with_parts(store: GraphStore, frontier: Found, type_name: str) -> Found:
    relations = part_relations(type_name)
    if not relations:
        return frontier
    found = dict(frontier)
    todo = dict(frontier)
    while todo:
        following: Found = {}
        for relation in relations:
            for edge in store.edges_of(todo, relation, "out"):
                if edge.source in todo and edge.target not in found:
                    following[edge.target] = {**todo[edge.source], edge.key: edge}
        found.update(following)
        todo = following
    return found


def _walk(store: GraphStore, frontier: Found, path: tuple[Step, ...]) -> Found:
    """From nodes at the far end of a path back to the answer's end, keeping the edges walked; nodes
    in the middle of a longer path bring their parts along (a plan's goals with their sub-goals)."""
    schema = load_schema()
    for position, step in enumerate(reversed(path)):
        if position > 0:
            relation = schema.relation(step.relation)
            middle = relation.range if step.direction == OUT else relation.domain
            for type_name in middle:
                frontier = _with_parts(store, frontier, type_name)
        following: Found = {}
        # step.direction OUT: answer-side -r-> frontier, so the edge ends at the frontier
        edges = store.edges_of(frontier, step.relation, "in" if step.direction == OUT else "out")
        for edge in edges:
            here, there = (edge.target, edge.source) if step.direction == OUT else (edge.source, edge.target)
            if here not in frontier:
                continue
            evidence = following.setdefault(there, {})
            evidence.update(frontier[here])
            evidence[edge.key] = edge
        frontier = following
    return frontier


def reached(store: GraphStore, ids: tuple[str, ...], path: tuple[Step, ...], widen: bool) -> set[str]:
    """The answer-side entities a relation path reaches from these anchor entities, as a question runs it
    (`widen`: from the anchors and the concepts below them)."""
    found: set[str] = set()
    for start in ids:
        found |= set(_walk(store, _widen(store, start) if widen else {start: {}}, path))
    return found


def _hierarchy(store: GraphStore, start: str, step: Step) -> Found:
    relation = load_schema().hierarchy_relation
    if step.direction == OUT:  # answers are below the start
        found = _widen(store, start)
        found.pop(start, None)
        return found
    found = {}
    frontier = {start: {}}  # type: Found
    while frontier:
        following: Found = {}
        for edge in store.edges_of(frontier, relation, "out"):
            if edge.source in frontier and edge.target not in found:
                evidence = dict(frontier[edge.source])
                evidence[edge.key] = edge
                following[edge.target] = evidence
        found.update(following)
        frontier = following
    return found


def _relation(store: GraphStore, constraint: Constraint) -> Found:
    assert constraint.anchor is not None
    start = constraint.anchor.ids[0]
    if constraint.transitive:
        return _hierarchy(store, start, constraint.path[0])
    frontier = _widen(store, start) if constraint.widen else {start: {}}
    return _walk(store, frontier, constraint.path)


def _property(store: GraphStore, constraint: Constraint) -> Found:
    schema = load_schema()
    owners: Found = {}
    for type_name in schema.property_types[constraint.prop].domain:
        for node in store.iter_nodes(type_name):
            value = node.properties.get(constraint.prop)
            if value is None:
                continue
            if constraint.comparison is not None:
                comparison = constraint.comparison
                if not isinstance(value, int | float) or not number_matches(comparison, float(value)):
                    continue
                if comparison.percent and "percent" not in str(node.properties.get("unit", "")):
                    continue
            if constraint.date is not None and not date_matches(constraint.date, str(value)):
                continue
            owners[node.id] = {}
    return _walk(store, owners, constraint.via) if constraint.via else owners


def _provenance(store: GraphStore, constraint: Constraint) -> Found:
    assert constraint.anchor is not None
    return {node.id: {} for node in store.nodes_citing(constraint.anchor.ids[0])}


def _matches(store: GraphStore, constraint: Constraint) -> Found:
    if constraint.kind == "relation":
        return _relation(store, constraint)
    if constraint.kind == "provenance":
        return _provenance(store, constraint)
    return _property(store, constraint)


def answer(store: GraphStore, reading: Reading) -> list[QueryItem]:
    """The entities a reading asks for, each with the edges that justify it, sorted by id."""
    result: Found | None = None
    excluded: set[str] = set()
    for constraint in reading.constraints:
        if constraint.kind == "status":
            continue
        found = _matches(store, constraint)
        if constraint.negated:
            excluded |= set(found)
            continue
        result = found if result is None else {k: {**result[k], **found[k]} for k in result if k in found}
    if result is None:
        result = {node.id: {} for type_name in reading.types for node in store.iter_nodes(type_name)}
    nodes = store.get_many(set(result) - excluded)
    statuses = {c.status for c in reading.constraints if c.kind == "status"}
    items = []
    for key in sorted(nodes):
        node = nodes[key]
        if node.type not in reading.types:
            continue
        if reading.kinds and node.properties.get("kind") not in reading.kinds:
            continue
        if statuses and node.status not in statuses:
            continue
        items.append(QueryItem(node, [result[key][k] for k in sorted(result[key])]))
    return items
