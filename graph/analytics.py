"""Analytics over either store: coverage with gaps, centrality, per-plan summaries.

The graph is read once through `iter_nodes` / `iter_edges` into networkx, so both stores give
the same numbers (floats rounded to 6 places). Coverage pairs are direct (an edge states them)
or derived (through a measure: it targets the industry and calls for the standard, or its
special action targets the industry), each with its chain of edges and their quotes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import networkx as nx

from plankg.graph.engine import BadQuery
from plankg.graph.store import GraphStore, NotFound
from plankg.graph.timeline import plan_goals
from plankg.model import Edge, Node
from plankg.model.text import with_article
from plankg.ontology.schema import load_schema

DIRECT, DERIVED = "direct", "derived"
PLACES = 6


@dataclass
class Snapshot:
    """The whole graph as nodes by id, edges, and a networkx MultiDiGraph over them."""

    nodes: dict[str, Node]
    edges: list[Edge]
    graph: nx.MultiDiGraph

    def out(self, node_id: str, relation: str) -> list[Edge]:
        return [d["edge"] for _u, _v, k, d in self.graph.out_edges(node_id, keys=True, data=True) if k == relation]

    def into(self, node_id: str, relation: str) -> list[Edge]:
        return [d["edge"] for _u, _v, k, d in self.graph.in_edges(node_id, keys=True, data=True) if k == relation]

    def of_type(self, type_name: str) -> list[str]:
        return sorted(key for key, node in self.nodes.items() if node.type == type_name)


def snapshot(store: GraphStore) -> Snapshot:
    nodes = {node.id: node for node in store.iter_nodes()}
    edges = list(store.iter_edges())
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes)
    for edge in edges:
        graph.add_edge(edge.source, edge.target, key=edge.relation, edge=edge)
    return Snapshot(nodes, edges, graph)


def _below(snap: Snapshot, industry: str) -> list[str]:
    """The industry and every industry below it (SKOS broader, followed down)."""
    relation = load_schema().hierarchy_relation
    seen, stack = {industry}, [industry]
    while stack:
        for edge in snap.into(stack.pop(), relation):
            if edge.source not in seen:
                seen.add(edge.source)
                stack.append(edge.source)
    return sorted(seen)


def _above(snap: Snapshot, industry: str) -> list[str]:
    """The industries above it (SKOS broader, followed up)."""
    relation = load_schema().hierarchy_relation
    seen, stack = set(), [industry]
    while stack:
        for edge in snap.out(stack.pop(), relation):
            if edge.target not in seen:
                seen.add(edge.target)
                stack.append(edge.target)
    return sorted(seen)


def _pair(kind: str, row: str, column: str, chain: list[Edge]) -> dict[str, Any]:
    return {"row": row, "column": column, "kind": kind, "chain": [edge.to_dict() for edge in chain]}


def _targeting(snap: Snapshot, source: str) -> list[Edge]:
    """targets_industry edges of a measure, or (when it names none) of its special action."""
    own = snap.out(source, "targets_industry")
    if own:
        return own
    return [
        target
        for parent in snap.into(source, "has_sub_measure")
        for target in snap.out(parent.source, "targets_industry")
    ]


def coverage(store: GraphStore, snap: Snapshot | None = None) -> dict[str, Any]:
    """Standards × industries and measures × industries, direct and derived, and the industries left uncovered.

    A targeted industry is covered by a standard (or centre / program) for it, for an industry below
    it, or for one above it (a healthcare standard covers smart healthcare).
    """
    snap = snap or snapshot(store)
    standards: dict[tuple[str, str], dict[str, Any]] = {}
    for edge in snap.edges:
        if edge.relation == "supports_industry":
            standards[(edge.source, edge.target)] = _pair(DIRECT, edge.source, edge.target, [edge])
    for measure in snap.of_type("Measure"):
        for call in snap.out(measure, "calls_for_standard"):
            for target in _targeting(snap, measure):
                parents = [p for p in snap.into(measure, "has_sub_measure") if p.source == target.source]
                chain = [target, call] if target.source == measure else [*parents, target, call]
                standards.setdefault((call.target, target.target), _pair(DERIVED, call.target, target.target, chain))
    measures: dict[tuple[str, str], dict[str, Any]] = {}
    for measure in snap.of_type("Measure"):
        for edge in snap.out(measure, "targets_industry"):
            measures[(measure, edge.target)] = _pair(DIRECT, measure, edge.target, [edge])
    for measure in snap.of_type("Measure"):
        if snap.out(measure, "targets_industry"):
            continue
        for parent in snap.into(measure, "has_sub_measure"):
            for edge in snap.out(parent.source, "targets_industry"):
                measures.setdefault((measure, edge.target), _pair(DERIVED, measure, edge.target, [parent, edge]))
    served = {edge.target for edge in snap.edges if edge.relation == "serves_industry"}
    supported = {industry for _standard, industry in standards}
    targeted: dict[str, list[Edge]] = {}
    for edge in snap.edges:
        if edge.relation == "targets_industry":
            targeted.setdefault(edge.target, []).append(edge)
    gaps = []
    for industry in sorted(targeted):
        below = _below(snap, industry) + _above(snap, industry)
        no_standard = not supported.intersection(below)
        no_centre = not served.intersection(below)
        if no_standard or no_centre:
            gaps.append(
                {
                    "industry": snap.nodes[industry].to_dict(),
                    "without_standard": no_standard,
                    "without_centre_or_program": no_centre,
                    "targeted_by": [edge.to_dict() for edge in targeted[industry]],
                }
            )
    return {
        "industries": snap.of_type("Industry"),
        "standards_x_industries": [standards[key] for key in sorted(standards)],
        "measures_x_industries": [measures[key] for key in sorted(measures)],
        "gaps": gaps,
    }


def _plans_naming(snap: Snapshot) -> dict[str, set[str]]:
    """Node id -> plans whose documents cite it."""
    documents: dict[str, str] = {}
    versions = load_schema().version_relation
    for edge in snap.edges:
        if edge.relation == versions:
            documents[edge.target] = edge.source
    naming: dict[str, set[str]] = {}
    for node in snap.nodes.values():
        for source in node.sources:
            if source.document in documents:
                naming.setdefault(node.id, set()).add(documents[source.document])
    return naming


def centrality(store: GraphStore, snap: Snapshot | None = None) -> dict[str, Any]:
    """Industries and standards by betweenness (undirected, whole graph), with degree and plans naming them."""
    snap = snap or snapshot(store)
    simple = nx.Graph(snap.graph.to_undirected(as_view=True))
    betweenness = nx.betweenness_centrality(simple)
    degree = nx.degree_centrality(simple) if simple.number_of_nodes() > 1 else dict.fromkeys(simple, 0.0)
    naming = _plans_naming(snap)
    result: dict[str, Any] = {}
    for key, type_name in (("industries", "Industry"), ("standards", "Standard")):
        rows = [
            {
                "id": node_id,
                "labels": snap.nodes[node_id].to_dict()["labels"],
                "betweenness": round(betweenness.get(node_id, 0.0), PLACES),
                "degree": round(degree.get(node_id, 0.0), PLACES),
                "plans": sorted(naming.get(node_id, ())),
            }
            for node_id in snap.of_type(type_name)
        ]
        rows.sort(key=lambda row: (-row["betweenness"], -len(row["plans"]), -row["degree"], row["id"]))
        result[key] = rows
    return result


def plan_summary(store: GraphStore, plan_id: str, snap: Snapshot | None = None) -> dict[str, Any]:
    """What a plan's documents state, counted by type and relation, with its goals, targets and industries."""
    snap = snap or snapshot(store)
    plan = snap.nodes.get(plan_id)
    if plan is None:
        raise NotFound(f"no entity {plan_id!r}")
    schema = load_schema()
    if plan.type != schema.plan_type:
        raise BadQuery(f"{plan_id!r} is {with_article(plan.type)}, not {with_article(schema.plan_type)}")
    documents = sorted(edge.target for edge in snap.out(plan_id, schema.version_relation))
    docs = set(documents)
    stated_nodes = [n for n in snap.nodes.values() if any(s.document in docs for s in n.sources)]
    stated_edges = [e for e in snap.edges if any(s.document in docs for s in e.sources)]
    goals = plan_goals(store, plan_id)
    indicators = sorted({e.target for g in goals for e in snap.out(g, "measured_by")})
    measures = sorted(e.target for e in snap.out(plan_id, "has_measure"))
    tasks = sorted({e.target for m in measures for e in snap.out(m, "has_sub_measure")})
    items = set(goals) | set(measures) | set(tasks)
    industries = sorted({e.target for item in items for e in snap.out(item, "targets_industry")})
    standards = sorted({e.target for item in items for e in snap.out(item, "calls_for_standard")})
    deadlines = sorted(
        {str(snap.nodes[i].properties["deadline"]) for i in indicators if "deadline" in snap.nodes[i].properties}
    )
    return {
        "plan": plan.to_dict(),
        "documents": documents,
        "statements": {
            "nodes": len(stated_nodes),
            "edges": len(stated_edges),
            "node_types": dict(sorted(Counter(n.type for n in stated_nodes).items())),
            "relation_types": dict(sorted(Counter(e.relation for e in stated_edges).items())),
            "unconfirmed": sum(n.status != "confirmed" for n in stated_nodes)
            + sum(e.status != "confirmed" for e in stated_edges),
        },
        "goals": len(goals),
        "indicators": indicators,
        "measures": measures,
        "tasks": tasks,
        "industries": industries,
        "standards": standards,
        "deadlines": deadlines,
        "links": [
            edge.to_dict()
            for relation in ("continues", "implements")
            for edge in [*snap.out(plan_id, relation), *snap.into(plan_id, relation)]
        ],
    }


def plan_summaries(store: GraphStore) -> list[dict[str, Any]]:
    snap = snapshot(store)
    return [plan_summary(store, plan_id, snap) for plan_id in snap.of_type(load_schema().plan_type)]
