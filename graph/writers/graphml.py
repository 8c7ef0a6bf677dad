"""GraphML export with typed attributes, for Gephi, yEd, Cytoscape Desktop and networkx.

Each ontology property is its own attribute, typed from the ontology (numbers as
`double`, dates and texts as `string` in ISO form); `label` is what graph tools show.
Sources stay one JSON attribute so that the file loads back through plankg's GraphML
reader without loss. Written row by row, sorted, so equal graphs export alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

from plankg.model import Edge, Node
from plankg.model.csv_columns import join_aliases
from plankg.model.formats import Format
from plankg.ontology.schema import load_schema

NODE_TEXT_KEYS = ("label", "type", "label_en", "label_zh", "aliases_en", "aliases_zh", "status")
EDGE_TEXT_KEYS = ("label", "relation", "status")
GRAPHML_TYPES = {"number": "double"}
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    """XML-escaped text; characters XML 1.0 cannot carry at all become U+FFFD."""
    return escape(_NOT_XML.sub("\ufffd", value))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("\ufffd", value))


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    return str(value)


def _sources(element: Node | Edge) -> str:
    return json.dumps([s.to_dict() for s in sorted(element.sources)], ensure_ascii=False, separators=(",", ":"))


def property_keys(nodes: list[Node]) -> list[tuple[str, str]]:
    """(property key, GraphML type) for every ontology property some node carries, in key order."""
    schema = load_schema()
    used = sorted({key for node in nodes for key in node.properties})
    return [(key, GRAPHML_TYPES.get(schema.property_types[key].value_kind, "string")) for key in used]


def _header(properties: list[tuple[str, str]]) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    for key in NODE_TEXT_KEYS:
        yield f'  <key id="n_{key}" for="node" attr.name="{key}" attr.type="string"/>\n'
    for key, kind in properties:
        yield f'  <key id="p_{key}" for="node" attr.name="{key}" attr.type="{kind}"/>\n'
    yield '  <key id="n_sources" for="node" attr.name="sources" attr.type="string"/>\n'
    for key in EDGE_TEXT_KEYS:
        yield f'  <key id="e_{key}" for="edge" attr.name="{key}" attr.type="string"/>\n'
    yield '  <key id="e_sources" for="edge" attr.name="sources" attr.type="string"/>\n'


def _node(node: Node) -> str:
    texts = {
        "label": node.label(),
        "type": node.type,
        "label_en": node.labels.get("en", ""),
        "label_zh": node.labels.get("zh", ""),
        "aliases_en": join_aliases(node.aliases.get("en", [])),
        "aliases_zh": join_aliases(node.aliases.get("zh", [])),
        "status": node.status,
    }
    data = [f'<data key="n_{key}">{_text(texts[key])}</data>' for key in NODE_TEXT_KEYS if texts[key]]
    data += [f'<data key="p_{key}">{_text(_value(value))}</data>' for key, value in sorted(node.properties.items())]
    data.append(f'<data key="n_sources">{_text(_sources(node))}</data>')
    return f"    <node id={_attr(node.id)}>{''.join(data)}</node>\n"


def _edge(edge: Edge) -> str:
    texts = {"label": edge.relation, "relation": edge.relation, "status": edge.status}
    data = "".join(f'<data key="e_{key}">{_text(texts[key])}</data>' for key in EDGE_TEXT_KEYS)
    data += f'<data key="e_sources">{_text(_sources(edge))}</data>'
    ends = f"source={_attr(edge.source)} target={_attr(edge.target)}"
    return f"    <edge id={_attr(edge.key_text)} {ends}>{data}</edge>\n"


def write(nodes: list[Node], edges: list[Edge], fmt: Format) -> Iterator[str]:
    yield from _header(property_keys(nodes))
    yield '  <graph id="plankg" edgedefault="directed">\n'
    for node in nodes:
        yield _node(node)
    for edge in edges:
        yield _edge(edge)
    yield "  </graph>\n</graphml>\n"
