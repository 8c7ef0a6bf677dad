"""Diff of two documents or two plans: what each states, matched element by element.

A side is a Document (its statements: every node and edge whose sources cite it) or a Plan
(the statements of all its documents, `has_version`). Evidence on each side is the sources
citing that side's documents.

Matching rule, in this order, one to one:
1. the same id stated on both sides (shared vocabulary — industries, organisations,
   technology areas, standard categories — and anything both documents state);
2. an explicit link between an element stated only by A and one stated only by B:
   `refines` (targets, goals), `continues` (plans), `supersedes` (documents), either way;
3. within one plan family — the same plan, or two plans linked by `continues` — the same
   plan-scoped id (`<slug-a>.ind.user-penetration` ↔ `<slug-b>.ind.user-penetration`) and type.
Relations match when both ends match (or are the same id) and the relation is the same.

Outcomes per element:
- `unchanged`: stated on both sides (or matched) with the same values;
- `changed`: matched, with other labels, properties (targets: value, unit, comparator,
  deadline), type or status — B contradicts A's value;
- `added`: stated by B, with no counterpart stated by A;
- `not_stated`: stated by A, with no counterpart stated by B. This is *not* "removed": B is
  silent (a fact sheet or summary states less than the plan), it does not contradict A.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from plankg.graph.engine import BadQuery
from plankg.graph.retract import BadUnload, documents_of
from plankg.graph.store import GraphStore
from plankg.model import Edge, Node, Source
from plankg.model.text import with_article
from plankg.ontology.schema import load_schema

OUTCOMES = ("changed", "added", "not_stated", "unchanged")
LINK_RELATIONS = ("refines", "continues", "supersedes")
FAMILY_RELATION = "continues"
PLAN_PREFIX = "plan."


class BadDiff(BadQuery):
    """A side names neither a document nor a plan."""


@dataclass
class Side:
    """One side of a diff: the id given, its kind, the documents whose statements count, its plans."""

    id: str
    kind: str
    documents: list[str]
    plans: list[str]
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], Edge] = field(default_factory=dict)

    def evidence(self, sources: Iterable[Source]) -> list[dict[str, str]]:
        docs = set(self.documents)
        return [source.to_dict() for source in sources if source.document in docs]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "documents": list(self.documents), "plans": list(self.plans)}


def _plans_of_documents(store: GraphStore, documents: list[str]) -> list[str]:
    return sorted({e.source for e in store.edges_of(documents, load_schema().version_relation, "in")})


def side_of(store: GraphStore, entity_id: str) -> Side:
    """A Document or a Plan, with the statements of its documents."""
    try:
        node, documents = documents_of(store, entity_id)  # the same reading of "a Document or a Plan" as unload
    except BadUnload:
        found = store.get(entity_id)
        kind = with_article(found.type) if found is not None else "unknown"
        raise BadDiff(f"{entity_id!r} is {kind}; a diff compares two Documents or two Plans") from None
    if node.type == load_schema().document_type:
        side = Side(node.id, "document", documents, _plans_of_documents(store, documents))
    else:
        side = Side(node.id, "plan", documents, [node.id])
    for document in side.documents:
        for found in store.nodes_citing(document):
            side.nodes[found.id] = found
        for edge in store.edges_citing(document):
            side.edges[edge.key] = edge
    return side


def _scope(plan_id: str) -> str:
    return plan_id[len(PLAN_PREFIX) :] if plan_id.startswith(PLAN_PREFIX) else plan_id


def _family_scopes(store: GraphStore, a: Side, b: Side) -> list[tuple[str, str]]:
    """(scope of A, scope of B) pairs of plans in one family: the same plan, or linked by `continues`."""
    pairs = []
    linked = {
        frozenset((e.source, e.target))
        for e in store.edges_of(a.plans, FAMILY_RELATION, "both")
        if e.source != e.target
    }
    for plan_a in a.plans:
        for plan_b in b.plans:
            if plan_a == plan_b or frozenset((plan_a, plan_b)) in linked:
                pairs.append((_scope(plan_a), _scope(plan_b)))
    return pairs


def match_nodes(store: GraphStore, a: Side, b: Side) -> dict[str, tuple[str, str]]:
    """A's node id -> (B's node id, how they were matched), one to one."""
    matches: dict[str, tuple[str, str]] = {node_id: (node_id, "same id") for node_id in a.nodes if node_id in b.nodes}
    taken = {target for target, _how in matches.values()}
    only_a = sorted(set(a.nodes) - set(matches))
    only_b = set(b.nodes) - taken

    def pair(a_id: str, b_id: str, how: str) -> None:
        if a_id in matches or b_id in taken or b_id not in only_b:
            return
        if a.nodes[a_id].type != b.nodes[b_id].type:
            return
        matches[a_id] = (b_id, how)
        taken.add(b_id)

    for relation in LINK_RELATIONS:
        for edge in store.edges_of(only_a, relation, "both"):
            if edge.source in a.nodes and edge.target in only_b:
                pair(edge.source, edge.target, relation)
            elif edge.target in a.nodes and edge.source in only_b:
                pair(edge.target, edge.source, relation)
    for scope_a, scope_b in _family_scopes(store, a, b):
        if scope_a == scope_b:
            continue
        for a_id in only_a:
            if a_id.startswith(scope_a + "."):
                pair(a_id, scope_b + a_id[len(scope_a) :], "scoped id")
    return matches


def _node_values(node: Node) -> dict[str, Any]:
    values: dict[str, Any] = {"type": node.type, "status": node.status}
    values.update({f"labels.{lang}": node.labels.get(lang, "") for lang in ("en", "zh")})
    values.update({f"properties.{key}": value for key, value in node.properties.items()})
    return values


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"field": key, "a": old.get(key), "b": new.get(key)}
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    ]


def _node_side(side: Side, node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "type": node.type,
        "labels": {"en": node.labels.get("en", ""), "zh": node.labels.get("zh", "")},
        "status": node.status,
        "properties": dict(sorted(node.properties.items())),
        "evidence": side.evidence(node.sources),
    }


def _edge_side(side: Side, edge: Edge) -> dict[str, Any]:
    return {
        "source": edge.source,
        "relation": edge.relation,
        "target": edge.target,
        "status": edge.status,
        "evidence": side.evidence(edge.sources),
    }


def _outcome(changes: list[dict[str, Any]]) -> str:
    return "changed" if changes else "unchanged"


def diff(store: GraphStore, a_id: str, b_id: str) -> dict[str, Any]:
    """Entities and relations added, changed, unchanged and not stated, with the evidence on each side."""
    a, b = side_of(store, a_id), side_of(store, b_id)
    if a.kind != b.kind:
        raise BadDiff(f"compare like with like: {a_id!r} is a {a.kind}, {b_id!r} a {b.kind}")
    matches = match_nodes(store, a, b)
    entities: dict[str, list[dict[str, Any]]] = {outcome: [] for outcome in OUTCOMES}
    for a_id_, (b_id_, how) in sorted(matches.items()):
        old, new = a.nodes[a_id_], b.nodes[b_id_]
        changes = _changes(_node_values(old), _node_values(new))
        entities[_outcome(changes)].append(
            {"match": how, "a": _node_side(a, old), "b": _node_side(b, new), "changes": changes}
        )
    matched_b = {b_node for b_node, _how in matches.values()}
    for node_id in sorted(set(b.nodes) - matched_b):
        entities["added"].append({"match": None, "a": None, "b": _node_side(b, b.nodes[node_id]), "changes": []})
    for node_id in sorted(set(a.nodes) - set(matches)):
        entities["not_stated"].append({"match": None, "a": _node_side(a, a.nodes[node_id]), "b": None, "changes": []})

    relations: dict[str, list[dict[str, Any]]] = {outcome: [] for outcome in OUTCOMES}
    counterpart = {a_node: b_node for a_node, (b_node, _how) in matches.items()}
    taken: set[tuple[str, str, str]] = set()
    unmatched_a = []
    for key in sorted(a.edges):
        if key in b.edges:
            taken.add(key)
            old_edge, new_edge = a.edges[key], b.edges[key]
            changes = _changes({"status": old_edge.status}, {"status": new_edge.status})
            relations[_outcome(changes)].append(
                {"match": "same", "a": _edge_side(a, old_edge), "b": _edge_side(b, new_edge), "changes": changes}
            )
        else:
            unmatched_a.append(key)
    for key in unmatched_a:
        source, relation, target = key
        mapped = (counterpart.get(source, source), relation, counterpart.get(target, target))
        old_edge = a.edges[key]
        if mapped in b.edges and mapped not in taken and mapped != key:
            taken.add(mapped)
            new_edge = b.edges[mapped]
            changes = _changes({"status": old_edge.status}, {"status": new_edge.status})
            relations[_outcome(changes)].append(
                {
                    "match": "ends matched",
                    "a": _edge_side(a, old_edge),
                    "b": _edge_side(b, new_edge),
                    "changes": changes,
                }
            )
        else:
            relations["not_stated"].append({"match": None, "a": _edge_side(a, old_edge), "b": None, "changes": []})
    for key in sorted(set(b.edges) - taken):
        relations["added"].append({"match": None, "a": None, "b": _edge_side(b, b.edges[key]), "changes": []})

    return {
        "a": a.to_dict(),
        "b": b.to_dict(),
        "matching": (
            "same id; else a refines / continues / supersedes link; else, within one plan family, "
            "the same plan-scoped id. not_stated means B is silent, not that B removed it."
        ),
        "summary": {
            "entities": {outcome: len(items) for outcome, items in entities.items()},
            "relations": {outcome: len(items) for outcome, items in relations.items()},
        },
        "entities": entities,
        "relations": relations,
    }


def target_changes(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The changed indicators of a diff with their target fields (value, max, unit, comparator, deadline)."""
    keys = ("target_value", "target_max", "unit", "comparator", "deadline")
    rows = []
    for item in result["entities"]["changed"]:
        if item["a"]["type"] != "Indicator":
            continue
        rows.append(
            {
                "a": item["a"],
                "b": item["b"],
                "fields": [c for c in item["changes"] if c["field"].removeprefix("properties.") in keys],
            }
        )
    return rows
