"""JSON shapes shared by the CLI and the HTTP API, so both print the same objects."""

from __future__ import annotations

from typing import Any

from plankg.api.locators import with_locator_zh
from plankg.model import Edge, Node, QueryItem, Source, Subgraph
from plankg.ontology.schema import load_schema


def _sources_zh(data: dict[str, Any]) -> dict[str, Any]:
    """The element's sources with their Chinese locators (api/locators.py: read-time, never stored)."""
    if data.get("sources"):
        data["sources"] = [with_locator_zh(source) for source in data["sources"]]
    return data


def entity_json(node: Node) -> dict[str, Any]:
    """An entity: id, iri, type, labels {en, zh}, status, properties, sources (with `locator_zh` where known)."""
    data = _sources_zh(node.to_dict())
    return {"id": data["id"], "iri": load_schema().iri(node.id), **{k: v for k, v in data.items() if k != "id"}}


def edge_json(edge: Edge) -> dict[str, Any]:
    """A relation: source, relation, target, status, sources (with `locator_zh` where known)."""
    return _sources_zh(edge.to_dict())


def subgraph_json(subgraph: Subgraph) -> dict[str, Any]:
    return {"nodes": [entity_json(n) for n in subgraph.nodes], "edges": [edge_json(e) for e in subgraph.edges]}


def query_item_json(item: QueryItem) -> dict[str, Any]:
    return {"entity": entity_json(item.entity), "evidence": [edge_json(e) for e in item.evidence]}


def quotes(item: QueryItem) -> list[str]:
    """The quoted passages behind an answer: the evidence edges' sources, or the entity's own."""
    sources = [s for edge in item.evidence for s in edge.sources] or item.entity.sources
    return [evidence_line(s) for s in sources]


def evidence_line(source: Source) -> str:
    """A quote in quotation marks; a curatorial note marked as such, never in quotation marks."""
    if source.is_note:
        return f"[curator's note] {source.quote} ({source.document}, {source.locator})"
    return f"“{source.quote}” ({source.document}, {source.locator})"
