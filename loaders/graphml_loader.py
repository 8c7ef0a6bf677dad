"""GraphML input: the typed GraphML plankg exports (and tools that keep its attributes) loads back.

The XML is parsed by defusedxml first (no entity expansion, no external references),
then by networkx's GraphML reader; node attributes named like ontology properties
become properties, `sources` is the JSON list the export writes. Problems name the
file and the node or edge id (GraphML readers do not report lines).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException

from plankg.loaders.reading import read_text
from plankg.model import GraphBatch
from plankg.model.csv_columns import split_aliases
from plankg.model.errors import InputError, InputProblem
from plankg.model.formats import Format
from plankg.model.records import Record, batch_from_records
from plankg.ontology.schema import LANGUAGES, load_schema

STRUCTURAL = {"label", "type", "label_en", "label_zh", "aliases_en", "aliases_zh", "status", "sources", "relation"}


def _parse(text: str, name: str) -> nx.MultiDiGraph:
    try:
        SafeElementTree.fromstring(text.encode("utf-8"))
    except DefusedXmlException as error:
        raise InputError.single(name, None, None, f"refused XML construct: {error}; expected plain GraphML") from None
    except SafeElementTree.ParseError as error:
        line = error.position[0] if getattr(error, "position", None) else None
        raise InputError.single(name, line, None, f"XML syntax error: {error}; expected GraphML") from None
    try:
        return nx.parse_graphml(text, force_multigraph=True)
    except (nx.NetworkXError, ValueError, KeyError) as error:
        raise InputError.single(name, None, None, f"not GraphML that plankg reads: {error}") from None


def _sources(value: Any, name: str, where: str, problems: list[InputProblem]) -> Any:
    try:
        return json.loads(value) if isinstance(value, str) else value
    except json.JSONDecodeError as error:
        problems.append(InputProblem(name, None, f"{where}.sources", f"is not a JSON list ({error.msg})"))
        return None


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _node_record(node_id: str, attrs: dict[str, Any], name: str, problems: list[InputProblem]) -> Record:
    schema = load_schema()
    properties = {key: value for key, value in attrs.items() if key not in STRUCTURAL}
    for key, value in properties.items():
        kind = schema.property_types[key].value_kind if key in schema.property_types else "string"
        if kind == "number":
            properties[key] = _number(value)
    data = {
        "id": node_id,
        "type": attrs.get("type"),
        "labels": {lang: attrs[f"label_{lang}"] for lang in LANGUAGES if attrs.get(f"label_{lang}")},
        "aliases": {
            lang: split_aliases(attrs[f"aliases_{lang}"]) for lang in LANGUAGES if attrs.get(f"aliases_{lang}")
        },
        "status": attrs.get("status"),
        "properties": properties,
        "sources": _sources(attrs.get("sources"), name, f"node {node_id}", problems),
    }
    return Record("node", data, f"{name} (node {node_id})", None)


def _edge_record(source: str, target: str, attrs: dict[str, Any], name: str, problems: list[InputProblem]) -> Record:
    where = f"edge {source} -> {target}"
    data = {
        "from": source,
        "relation": attrs.get("relation"),
        "to": target,
        "status": attrs.get("status"),
        "sources": _sources(attrs.get("sources"), name, where, problems),
    }
    return Record("edge", data, f"{name} ({where})", None)


def read(path: Path, display: str, fmt: Format) -> GraphBatch:
    """The GraphML reader registered in plankg.model.formats."""
    graph = _parse(read_text(path, display), display)
    problems: list[InputProblem] = []
    records = [_node_record(str(node_id), dict(attrs), display, problems) for node_id, attrs in graph.nodes(data=True)]
    records += [
        _edge_record(str(source), str(target), dict(attrs), display, problems)
        for source, target, attrs in graph.edges(data=True)
    ]
    if problems:
        raise InputError(problems)
    if not records:
        raise InputError.single(display, None, None, "contains no nodes; expected plankg's GraphML export")
    return batch_from_records(records, display)
