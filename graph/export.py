"""Export nodes and edges as Turtle, JSON-LD, GraphML or CSV, as a stream of text chunks.

Turtle and JSON-LD go through graph.rdf (the ontology's vocabulary); CSV is the
combined form the CSV loader reads (a `kind` column); GraphML is written by hand,
row by row. Output is sorted by node id and edge key so equal graphs export alike,
and the Turtle, JSON-LD and CSV exports load back through the loaders unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from plankg.model import Edge, Node
from plankg.model.csv_columns import COMBINED_COLUMNS, join_aliases
from plankg.model.rdf import PREFIXES, to_rdf

if TYPE_CHECKING:
    from plankg.graph.store import GraphStore

EXPORT_FORMATS = ("turtle", "jsonld", "graphml", "csv")
MEDIA_TYPES = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "graphml": "application/graphml+xml",
    "csv": "text/csv",
}
FILE_EXTENSIONS = {"turtle": ".ttl", "jsonld": ".jsonld", "graphml": ".graphml", "csv": ".csv"}
JSONLD_CONTEXT = {prefix: PREFIXES[prefix] for prefix in ("pk", "id", "rdf", "rdfs", "skos", "xsd")}

NODE_KEYS = ("type", "label_en", "label_zh", "status", "properties", "sources")
EDGE_KEYS = ("relation", "status", "sources")
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _sorted(nodes: Iterable[Node], edges: Iterable[Edge]) -> tuple[list[Node], list[Edge]]:
    return sorted(nodes, key=lambda node: node.id), sorted(edges, key=lambda edge: edge.key)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _sources_json(node_or_edge: Node | Edge) -> str:
    return _json([source.to_dict() for source in sorted(node_or_edge.sources)])


# ------------------------------------------------------------------ RDF
def _rdf(nodes: list[Node], edges: list[Edge], fmt: str) -> Iterator[str]:
    graph = to_rdf(nodes, edges)
    if fmt == "turtle":
        yield graph.serialize(format="turtle")
    else:
        yield graph.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True, indent=2)


# ------------------------------------------------------------------ CSV
def _csv(nodes: list[Node], edges: list[Edge]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def row(values: dict[str, str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([values.get(column, "") for column in COMBINED_COLUMNS])
        return buffer.getvalue()

    yield row({column: column for column in COMBINED_COLUMNS})
    for node in nodes:
        base = {
            "kind": "node",
            "id": node.id,
            "type": node.type,
            "label_en": node.labels.get("en", ""),
            "label_zh": node.labels.get("zh", ""),
            "aliases_en": join_aliases(node.aliases.get("en", [])),
            "aliases_zh": join_aliases(node.aliases.get("zh", [])),
            "status": node.status,
            "properties": _json(dict(sorted(node.properties.items()))) if node.properties else "",
        }
        for source in sorted(node.sources) or [None]:
            yield row({**base, **(source.to_dict() if source else {})})
    for edge in edges:
        base = {
            "kind": "edge",
            "from": edge.source,
            "relation": edge.relation,
            "to": edge.target,
            "status": edge.status,
        }
        for source in sorted(edge.sources) or [None]:
            yield row({**base, **(source.to_dict() if source else {})})


# ------------------------------------------------------------------ GraphML
def _text(value: str) -> str:
    """XML-escaped text; characters XML 1.0 cannot carry at all become U+FFFD."""
    return escape(_NOT_XML.sub("\ufffd", value))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("\ufffd", value))


def _data(key: str, value: str) -> str:
    return f'<data key="{key}">{_text(value)}</data>'


def _graphml(nodes: list[Node], edges: list[Edge]) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    for key in NODE_KEYS:
        yield f'  <key id="n_{key}" for="node" attr.name="{key}" attr.type="string"/>\n'
    for key in EDGE_KEYS:
        yield f'  <key id="e_{key}" for="edge" attr.name="{key}" attr.type="string"/>\n'
    yield '  <graph id="plankg" edgedefault="directed">\n'
    for node in nodes:
        values = {
            "type": node.type,
            "label_en": node.labels.get("en", ""),
            "label_zh": node.labels.get("zh", ""),
            "status": node.status,
            "properties": _json(dict(sorted(node.properties.items()))),
            "sources": _sources_json(node),
        }
        data = "".join(_data(f"n_{key}", values[key]) for key in NODE_KEYS)
        yield f"    <node id={_attr(node.id)}>{data}</node>\n"
    for edge in edges:
        values = {"relation": edge.relation, "status": edge.status, "sources": _sources_json(edge)}
        data = "".join(_data(f"e_{key}", values[key]) for key in EDGE_KEYS)
        yield (
            f"    <edge id={_attr(edge.key_text)} source={_attr(edge.source)} target={_attr(edge.target)}>"
            f"{data}</edge>\n"
        )
    yield "  </graph>\n</graphml>\n"


def export_stream(nodes: Iterable[Node], edges: Iterable[Edge], fmt: str) -> Iterator[str]:
    """The graph in one of EXPORT_FORMATS, as text chunks (sorted, so equal graphs export alike)."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    node_list, edge_list = _sorted(nodes, edges)
    if fmt in ("turtle", "jsonld"):
        return _rdf(node_list, edge_list, fmt)
    if fmt == "csv":
        return _csv(node_list, edge_list)
    return _graphml(node_list, edge_list)


def store_selection(store: GraphStore, type_name: str | None = None) -> tuple[list[Node], list[Edge]]:
    """Every node and edge of a store, or the nodes of one type and the edges among them."""
    nodes = list(store.iter_nodes(type_name))
    if type_name is None:
        return nodes, list(store.iter_edges())
    ids = {node.id for node in nodes}
    return nodes, [edge for edge in store.iter_edges() if edge.source in ids and edge.target in ids]


def export_store(store: GraphStore, fmt: str, type_name: str | None = None) -> Iterator[str]:
    """A store's graph (or one type and the edges among its nodes) in one of EXPORT_FORMATS."""
    nodes, edges = store_selection(store, type_name)
    return export_stream(nodes, edges, fmt)
