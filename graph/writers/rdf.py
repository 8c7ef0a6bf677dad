"""Turtle, JSON-LD and N-Triples exports: the ontology's vocabulary through plankg.model.rdf."""

from __future__ import annotations

import json
from collections.abc import Iterator

from rdflib import Graph

from plankg.model import Edge, Node
from plankg.model.formats import Format
from plankg.model.rdf import PREFIXES, to_rdf

JSONLD_CONTEXT = {prefix: namespace for prefix, namespace in PREFIXES.items() if prefix != "id"}
"""Prefixes only (pk, rdf, rdfs, skos, xsd, owl, prov, oa): no term named `id`, so a consumer's usual
`"id": "@id"` alias is not shadowed; entity IRIs are written in full."""


def serialize(nodes: list[Node], edges: list[Edge], fmt: Format) -> str:
    """The whole graph as one RDF document in fmt's syntax (JSON-LD compacted and key-sorted)."""
    return serialize_graph(to_rdf(nodes, edges), fmt)


def serialize_graph(graph: Graph, fmt: Format) -> str:
    """Any RDF graph in fmt's syntax, deterministically: JSON-LD key-sorted, N-Triples line-sorted."""
    if fmt.rdf_syntax == "json-ld":
        text = graph.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True)
        return _canonical_json(text)
    if fmt.rdf_syntax == "nt":
        return "".join(sorted(graph.serialize(format="nt").splitlines(keepends=True)))
    return graph.serialize(format=fmt.rdf_syntax or "turtle")


def _canonical_json(text: str) -> str:
    """rdflib's JSON-LD lists nodes in hash order; sort @graph by @id and keys so equal graphs export alike."""
    data = json.loads(text)
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        data["@graph"] = sorted(data["@graph"], key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def write(nodes: list[Node], edges: list[Edge], fmt: Format) -> Iterator[str]:
    yield serialize(nodes, edges, fmt)
