"""Paths of ontology relations between two node types, read off the schema's domains and ranges.

A question links its answer type to an entity it names; the links it can mean are the relation
paths between the two types (one hop, else two). Adding a relation to the ontology adds paths here
with no code, and a named query's steps are among them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from plankg.graph.queries import IN, NAMED_QUERIES, OUT
from plankg.ontology.schema import load_schema


@dataclass(frozen=True)
class Step:
    """From a node on the answer's side, follow `relation` out (node -r-> next) or in (next -r-> node)."""

    relation: str
    direction: str


@cache
def _hops(type_name: str) -> tuple[tuple[Step, str], ...]:
    schema = load_schema()
    hops: list[tuple[Step, str]] = []
    for key, relation in sorted(schema.relation_types.items()):
        if type_name in relation.domain:
            hops.extend((Step(key, OUT), target) for target in relation.range)
        if type_name in relation.range:
            hops.extend((Step(key, IN), source) for source in relation.domain)
    return tuple(hops)


@cache
def type_paths(answer: str, anchor: str, max_hops: int = 2, beyond_shortest: int = 0) -> tuple[tuple[Step, ...], ...]:
    """Every relation path from the answer type to the anchor type: the shortest length only, then length+1
    if no shorter one exists; the hierarchy relation only as a one-hop path between its own ends.
    `beyond_shortest` also keeps paths up to that many hops longer than the shortest (within `max_hops`)."""
    hierarchy = load_schema().hierarchy_relation
    found: list[tuple[Step, ...]] = []
    frontier: list[tuple[tuple[Step, ...], str]] = [((), answer)]
    extra = beyond_shortest
    for _ in range(max_hops):
        following: list[tuple[tuple[Step, ...], str]] = []
        for path, here in frontier:
            for step, there in _hops(here):
                if step.relation == hierarchy and path:
                    continue
                if path and step.relation == path[-1].relation and step.direction != path[-1].direction:
                    continue  # going back along the same relation
                new = (*path, step)
                if there == anchor:
                    found.append(new)
                following.append((new, there))
        if found:
            if extra == 0:
                break
            extra -= 1
        frontier = following
    hierarchy_paths = [p for p in found if p[0].relation == hierarchy]
    others = [p for p in found if p[0].relation != hierarchy]
    return tuple(others + hierarchy_paths)


@cache
def named_steps() -> dict[tuple[str, str, str], str]:
    """(anchor type, relation, direction from the answer) → named query, for the named queries of one step."""
    table: dict[tuple[str, str, str], str] = {}
    for query in NAMED_QUERIES.values():
        if len(query.steps) == 1 and not query.by_provenance:
            step = query.steps[0]
            answer_direction = IN if step.direction == OUT else OUT
            table.setdefault((query.param_type, step.relation, answer_direction), query.name)
    return table


@cache
def widening_relations() -> frozenset[tuple[str, str]]:
    """(anchor type, relation) pairs whose named query widens the anchor down the hierarchy."""
    return frozenset(
        (query.param_type, step.relation)
        for query in NAMED_QUERIES.values()
        if query.expand_hierarchy
        for step in query.steps[:1]
    )


def widens(anchor_type: str, relation: str) -> bool:
    """Whether an anchor of this type is widened to the concepts below it when reached by this relation:
    as the named queries declare, and for any other relation into the hierarchy's own type."""
    schema = load_schema()
    hierarchy = schema.hierarchy_relation
    if relation == hierarchy:
        return False
    if (anchor_type, relation) in widening_relations():
        return True
    return anchor_type in schema.relation(hierarchy).range
