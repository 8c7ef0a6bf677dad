"""Direct and derived answers to the named queries.

`answer(store, name, params)` gives the named query's direct items (unchanged: the entity and
the edges stating it) and, separately, the answers derived through the graph by the
query's declared derivations (graph/queries.py DERIVATIONS): each derived item has
`kind: derived`, the rule, and its chain of edges (with their quotes) from the start to the
answer. Direct answers never repeat as derived ones. Store-independent: it runs over
`edges_of` and `get_many` only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plankg.graph.engine import BadQuery, _flag, run_named_query, start_frontier
from plankg.graph.queries import DERIVATIONS, IN, NAMED_QUERIES, Derivation, Step
from plankg.graph.store import GraphStore
from plankg.model import CONFIRMED, Edge, Node, QueryItem

MAX_REPEAT = 6
"""How deep a repeated step (sub-goals of sub-goals) goes."""
MAX_CHAINS = 5
"""Chains kept per answer (shortest first): enough to show why, bounded on dense graphs."""

Chain = tuple[Edge, ...]


@dataclass
class DerivedItem:
    """An answer reached through the graph: the entity, the rule, and the chains of edges leading to it."""

    entity: Node
    rule: Derivation
    chains: list[Chain] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "derived",
            "rule": self.rule.name,
            "rule_description": self.rule.description,
            "entity": self.entity.to_dict(),
            "chain": [edge.to_dict() for edge in self.chains[0]] if self.chains else [],
            "chains": [[edge.to_dict() for edge in chain] for chain in self.chains],
        }


@dataclass
class Answer:
    """Direct answers (the named query's items) first, then derived ones."""

    items: list[QueryItem]
    derived: list[DerivedItem]


def _chain_order(chain: Chain) -> tuple[int, list[tuple[str, str, str]]]:
    return (len(chain), [edge.key for edge in chain])


def _keep(chains: dict[str, list[Chain]]) -> dict[str, list[Chain]]:
    """Per node its distinct chains, shortest (then by edge keys) first, at most MAX_CHAINS."""
    kept = {}
    for key, value in chains.items():
        unique = {tuple(edge.key for edge in chain): chain for chain in value}
        kept[key] = sorted(unique.values(), key=_chain_order)[:MAX_CHAINS]
    return kept


def _step(
    store: GraphStore, frontier: dict[str, list[Chain]], step: Step, include_unconfirmed: bool
) -> dict[str, list[Chain]]:
    following: dict[str, list[Chain]] = {}
    direction = IN if step.direction == IN else "out"
    for edge in store.edges_of(frontier, step.relation, direction):
        if not include_unconfirmed and edge.status != CONFIRMED:
            continue
        here, there = (edge.target, edge.source) if step.direction == IN else (edge.source, edge.target)
        if here not in frontier:
            continue
        for chain in frontier[here]:
            if any(edge.key == previous.key for previous in chain):
                continue
            following.setdefault(there, []).append((*chain, edge))
    if not include_unconfirmed and following:
        nodes = store.get_many(following)
        following = {k: v for k, v in following.items() if k in nodes and nodes[k].status == CONFIRMED}
    return _keep(following)


def _run(
    store: GraphStore, rule: Derivation, start: dict[str, list[Edge]], include_unconfirmed: bool
) -> dict[str, list[Chain]]:
    frontier: dict[str, list[Chain]] = {key: [tuple(edges)] for key, edges in start.items()}
    steps = list(rule.steps)
    if rule.repeat_first:
        first = steps.pop(0)
        reached: dict[str, list[Chain]] = {}
        layer = frontier
        for _ in range(MAX_REPEAT):
            layer = _step(store, layer, first, include_unconfirmed)
            layer = {key: value for key, value in layer.items() if key not in reached and key not in start}
            if not layer:
                break
            reached.update(layer)
        frontier = reached
    for index, step in enumerate(steps):
        frontier = _step(store, frontier, step, include_unconfirmed)
        if index == 0 and rule.via is not None and frontier:
            nodes = store.get_many(frontier)
            frontier = {k: v for k, v in frontier.items() if k in nodes and nodes[k].type == rule.via}
    return frontier


def derived_answers(
    store: GraphStore, name: str, start: Node, direct: set[str], include_unconfirmed: bool = True
) -> list[DerivedItem]:
    """Answers of the query's derivations that are not direct answers, by rule order then id."""
    begin = start_frontier(store, name, start, include_unconfirmed)
    found: dict[str, DerivedItem] = {}
    for rule in DERIVATIONS.get(name, ()):
        reached = _run(store, rule, begin, include_unconfirmed)
        candidates = {key for key in reached if key not in direct and key not in begin and key not in found}
        nodes = store.get_many(candidates)
        for key in sorted(candidates):
            node = nodes.get(key)
            if node is not None and node.type == rule.result_type:
                found[key] = DerivedItem(node, rule, reached[key])
    return list(found.values())


def answer(store: GraphStore, name: str, params: dict[str, Any]) -> Answer:
    """The named query's direct items and, in a separate list, the answers derived through the graph."""
    items = run_named_query(store, name, params)
    query = NAMED_QUERIES[name]
    start = store.get(str(params[query.param]))
    if start is None or not DERIVATIONS.get(name):
        return Answer(items, [])
    include_unconfirmed = _flag(params.get("include_unconfirmed", True), "include_unconfirmed")
    direct = {item.entity.id for item in items}
    return Answer(items, derived_answers(store, name, start, direct, include_unconfirmed))


__all__ = ["Answer", "BadQuery", "DerivedItem", "answer", "derived_answers"]
