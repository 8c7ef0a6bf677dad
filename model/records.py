"""Turn parsed records (plain dicts from YAML, CSV or RDF) into typed nodes and edges.

Each parser yields records of one shape; this module checks every field against the
ontology and reports problems with file, line and field, so all formats fail alike.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeGuard

from plankg.model.elements import CONFIRMED, NOTE, QUOTE, Edge, GraphBatch, Node, Source
from plankg.model.errors import InputError, InputProblem
from plankg.model.text import did_you_mean, with_article
from plankg.ontology.schema import ID_PATTERN, LANGUAGES, PropertyType, Schema, load_schema
from plankg.ontology.shapes import required_properties

MAX_TEXT = 20_000
NODE_FIELDS = {"id", "type", "labels", "aliases", "status", "properties", "sources"}
EDGE_FIELDS = {"from", "relation", "to", "status", "sources"}
SOURCE_FIELDS = {"document", "locator", "quote", "note", "kind"}
_LANGUAGE_SET = frozenset(LANGUAGES)


@dataclass
class Record:
    """One node or edge as read from a file, before checks."""

    kind: str  # "node" or "edge"
    data: dict[str, Any]
    file: str
    line: int | None


class _Checker:
    """Collects problems for one record so that all of them are reported at once."""

    def __init__(self, record: Record, problems: list[InputProblem]) -> None:
        self.record = record
        self.problems = problems
        self.ok = True

    def fail(self, field: str | None, message: str) -> None:
        self.ok = False
        self.problems.append(InputProblem(self.record.file, self.record.line, field, message))

    def text(self, value: Any, field: str, *, required: bool = True) -> str:
        if type(value) is str and len(value) <= MAX_TEXT and "\x00" not in value:  # the usual case, first
            text = value.strip()
            if text:
                return text
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(field, "is missing; expected a non-empty text")
            return ""
        if not isinstance(value, str):
            self.fail(field, f"expected a text, got {type(value).__name__} {value!r:.60}")
            return ""
        if len(value) > MAX_TEXT:
            self.fail(field, f"is {len(value)} characters long; expected at most {MAX_TEXT}")
            return ""
        if "\x00" in value:
            self.fail(field, "contains a NUL character")
            return ""
        return value.strip()

    def entity_id(self, value: Any, field: str) -> str:
        text = self.text(value, field)
        if text and not ID_PATTERN.match(text):
            self.fail(
                field,
                f"{text[:80]!r} is not a valid id; expected a URL-safe slug of lower-case letters "
                "and digits joined by '-', '_' or '.' (e.g. industry.smart-healthcare)",
            )
            return ""
        return text

    def aliases(self, value: Any) -> dict[str, list[str]]:
        """Other names by language: {en: [MIIT], zh: [工信部]} (a single text per language is fine)."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail("aliases", "expected a mapping {en: [...], zh: [...]} of other names")
            return {}
        self.unknown_fields(value, set(LANGUAGES), prefix="aliases.")
        found: dict[str, list[str]] = {}
        for lang in LANGUAGES:
            names = value.get(lang)
            if names is None:
                continue
            items = [names] if isinstance(names, str) else names
            if not isinstance(items, list):
                self.fail(f"aliases.{lang}", "expected a list of texts")
                continue
            texts = [self.text(item, f"aliases.{lang}[{index}]") for index, item in enumerate(items)]
            found[lang] = sorted({text for text in texts if text})
        return {lang: names for lang, names in found.items() if names}

    def status(self, value: Any, schema: Schema) -> str:
        if value is None:
            return CONFIRMED
        if value not in schema.status_values:
            hint = did_you_mean(value, schema.status_values)
            self.fail("status", f"{value!r} is not a status{hint}; expected one of {', '.join(schema.status_values)}")
            return CONFIRMED
        return str(value)

    def unknown_fields(self, data: dict[str, Any], allowed: set[str], prefix: str = "") -> None:
        if data.keys() <= allowed:
            return
        for key in data:
            if key not in allowed:
                hint = did_you_mean(key, allowed)
                self.fail(f"{prefix}{key}", f"unknown field{hint}; expected one of {', '.join(sorted(allowed))}")

    def sources(self, value: Any) -> list[Source]:
        if not isinstance(value, list) or not value:
            self.fail("sources", "is missing; expected a list of {document, locator, quote or note} (provenance)")
            return []
        sources = []
        for index, item in enumerate(value):
            field = f"sources[{index}]"
            if not isinstance(item, dict):
                self.fail(field, "expected a mapping with document, locator and quote")
                continue
            self.unknown_fields(item, SOURCE_FIELDS, prefix=f"{field}.")
            document = self.entity_id(item.get("document"), f"{field}.document")
            locator = self.text(item.get("locator"), f"{field}.locator")
            if "note" in item and "quote" in item:
                self.fail(field, "has both quote and note; expected one: a verbatim quote or a curatorial note")
                continue
            kind = NOTE if "note" in item else QUOTE
            if item.get("kind", kind) != kind:
                self.fail(f"{field}.kind", f"is {item.get('kind')!r:.20} but the source has a {kind}; expected {kind}")
                continue
            text = self.text(item.get(kind), f"{field}.{kind}")
            if document and locator and text:
                sources.append(Source(document, locator, text, kind))
        return sorted(set(sources))


@cache
def _node_properties(type_name: str) -> dict[str, PropertyType]:
    """The properties of a node type, computed once per process (the schema is read once too)."""
    return load_schema().node_properties(type_name)


def _check_value(checker: _Checker, schema: Schema, type_name: str, key: str, value: Any) -> Any:
    allowed = _node_properties(type_name) if schema is load_schema() else schema.node_properties(type_name)
    field = f"properties.{key}"
    if key not in allowed:
        names = ", ".join(sorted(allowed)) or "none"
        checker.fail(field, f"is not a property of {type_name}{did_you_mean(key, allowed)}; expected one of {names}")
        return None
    kind = allowed[key].value_kind
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            checker.fail(field, f"expected a number, got {value!r:.60}")
            return None
        return value
    if kind == "date":
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            checker.fail(field, f"expected a date YYYY-MM-DD, got {value!r:.60}")
            return None
    if kind == "enum":
        if value not in allowed[key].allowed_values:
            checker.fail(
                field,
                f"{value!r:.60} is not allowed{did_you_mean(value, allowed[key].allowed_values)}; "
                f"expected one of {', '.join(allowed[key].allowed_values)}",
            )
            return None
        return value
    return checker.text(value, field)


# ------------------------------------------------------------------ the clean case, tested fast
# Most records of a large file are clean. These tests accept a record only when the checker below
# would accept it without a problem and build the very same Node or Edge; anything unusual returns
# None and the checker runs from the start, so every message stays the checker's own.


def _clean_id(value: Any) -> TypeGuard[str]:
    """An id the checker would keep as it is (the pattern rules out blanks, spaces and NUL)."""
    return type(value) is str and len(value) <= MAX_TEXT and ID_PATTERN.match(value) is not None


def _clean_text(value: Any) -> str | None:
    """The text the checker would keep (stripped), or None when it would complain (or the value is not a text)."""
    if type(value) is str and len(value) <= MAX_TEXT and "\x00" not in value:
        return value.strip() or None
    return None


def _clean_sources(value: Any) -> list[Source] | None:
    """`_Checker.sources` for sources it accepts whole; None when any item would give a problem."""
    if type(value) is not list or not value:
        return None
    sources = []
    for item in value:
        if type(item) is not dict or not item.keys() <= SOURCE_FIELDS:
            return None
        document = item.get("document")
        if not _clean_id(document):
            return None
        locator = _clean_text(item.get("locator"))
        if locator is None:
            return None
        if "note" in item:
            if "quote" in item:
                return None
            kind = NOTE
        else:
            kind = QUOTE
        if item.get("kind", kind) != kind:
            return None
        text = _clean_text(item.get(kind))
        if text is None:
            return None
        sources.append(Source(document, locator, text, kind))
    return sorted(set(sources))


def _clean_edge(data: dict[str, Any], schema: Schema) -> Edge | None:
    """The Edge `edge_from_record` would build for a clean record; None to let the checker look."""
    if not data.keys() <= EDGE_FIELDS:
        return None
    source, target, relation, status = data.get("from"), data.get("to"), data.get("relation"), data.get("status")
    if not (_clean_id(source) and _clean_id(target) and type(relation) is str and schema.is_relation(relation)):
        return None
    if status is None:
        status = CONFIRMED
    elif type(status) is not str or status not in schema.status_values:
        return None
    sources = _clean_sources(data.get("sources"))
    if sources is None:
        return None
    return Edge(source, relation, target, sources, status)


def _clean_node(data: dict[str, Any], schema: Schema) -> Node | None:
    """The Node `node_from_record` would build for a clean record (no aliases); None to let the checker look."""
    aliases = data.get("aliases")
    if not data.keys() <= NODE_FIELDS or not (aliases is None or (type(aliases) is dict and not aliases)):
        return None
    node_id, type_name, status = data.get("id"), data.get("type"), data.get("status")
    if not _clean_id(node_id) or type(type_name) is not str or not schema.is_node_type(type_name):
        return None
    if status is None:
        status = CONFIRMED
    elif type(status) is not str or status not in schema.status_values:
        return None
    labels_value = data.get("labels")
    if type(labels_value) is not dict or not labels_value.keys() <= _LANGUAGE_SET:
        return None
    labels = {lang: "" for lang in LANGUAGES}
    for lang in ("en", "zh"):  # as node_from_record
        text = labels_value.get(lang)
        if text is None:
            continue
        clean = _clean_text(text)
        if clean is None:
            return None
        labels[lang] = clean
    if not labels["en"] and not labels["zh"]:
        return None
    raw_properties = data.get("properties") or {}
    if type(raw_properties) is not dict:
        return None
    properties: dict[str, Any] = {}
    if raw_properties:
        scratch: list[InputProblem] = []  # the checker's own value checks; any problem: the checker runs
        checker = _Checker(Record("node", data, "", None), scratch)
        for key, value in raw_properties.items():
            if value is None:
                continue
            if type(key) is not str:
                return None
            checked = _check_value(checker, schema, type_name, key, value)
            if scratch:
                return None
            if checked is not None:
                properties[key] = checked
    for key in required_properties(type_name):
        if key not in raw_properties:
            return None
    sources = _clean_sources(data.get("sources"))
    if sources is None:
        return None
    return Node(node_id, type_name, labels, dict(sorted(properties.items())), sources, status, {})


def node_from_record(record: Record, schema: Schema, problems: list[InputProblem]) -> Node | None:
    """Check one node record; None (and problems) when it is not usable. The clean case is tested fast."""
    clean = _clean_node(record.data, schema)
    return clean if clean is not None else checked_node(record, schema, problems)


def checked_node(record: Record, schema: Schema, problems: list[InputProblem]) -> Node | None:
    """Check one node record field by field (the checker, which gives every message)."""
    data = record.data
    checker = _Checker(record, problems)
    checker.unknown_fields(data, NODE_FIELDS)
    node_id = checker.entity_id(data.get("id"), "id")
    type_name = data.get("type")
    if not isinstance(type_name, str) or not schema.is_node_type(type_name):
        hint = did_you_mean(type_name, schema.node_types)
        checker.fail(
            "type", f"{type_name!r:.60} is not a node type{hint}; expected one of {', '.join(schema.node_types)}"
        )
        type_name = None
    labels_value = data.get("labels")
    labels = {lang: "" for lang in LANGUAGES}
    if not isinstance(labels_value, dict):
        checker.fail("labels", "is missing; expected a mapping {en: ..., zh: ...}")
    else:
        checker.unknown_fields(labels_value, set(LANGUAGES), prefix="labels.")
        labels["en"] = checker.text(labels_value.get("en"), "labels.en", required=False)
        labels["zh"] = checker.text(labels_value.get("zh"), "labels.zh", required=False)
        if (
            not labels["en"]
            and not labels["zh"]
            and not any(
                isinstance(labels_value.get(lang), str) and labels_value.get(lang, "").strip() for lang in LANGUAGES
            )
        ):
            checker.fail(
                "labels", "is empty; expected at least one label, labels.en or labels.zh (either may stand alone)"
            )
    aliases = checker.aliases(data.get("aliases"))
    status = checker.status(data.get("status"), schema)
    properties: dict[str, Any] = {}
    raw_properties = data.get("properties") or {}
    if not isinstance(raw_properties, dict):
        checker.fail("properties", "expected a mapping of property keys to values")
    elif type_name:
        for key, value in raw_properties.items():
            if value is None:
                continue
            checked = _check_value(checker, schema, type_name, str(key), value)
            if checked is not None:
                properties[str(key)] = checked
        required = required_properties(type_name)
        for key in required:
            if key not in raw_properties:
                checker.fail(f"properties.{key}", f"is required on {with_article(type_name)} ({', '.join(required)})")
    sources = checker.sources(data.get("sources"))
    if not checker.ok or not type_name:
        return None
    return Node(node_id, type_name, labels, dict(sorted(properties.items())), sources, status, aliases)


def edge_from_record(record: Record, schema: Schema, problems: list[InputProblem]) -> Edge | None:
    """Check one edge record; None (and problems) when it is not usable. The clean case is tested fast."""
    clean = _clean_edge(record.data, schema)
    return clean if clean is not None else checked_edge(record, schema, problems)


def checked_edge(record: Record, schema: Schema, problems: list[InputProblem]) -> Edge | None:
    """Check one edge record field by field (the checker, which gives every message)."""
    data = record.data
    checker = _Checker(record, problems)
    checker.unknown_fields(data, EDGE_FIELDS)
    source = checker.entity_id(data.get("from"), "from")
    target = checker.entity_id(data.get("to"), "to")
    relation = data.get("relation")
    if not isinstance(relation, str) or not schema.is_relation(relation):
        checker.fail(
            "relation",
            f"{relation!r:.60} is not a relation{did_you_mean(relation, schema.relation_types)}; "
            f"expected one of {', '.join(schema.relation_types)}",
        )
    status = checker.status(data.get("status"), schema)
    sources = checker.sources(data.get("sources"))
    if not checker.ok:
        return None
    return Edge(source, str(relation), target, sources, status)


def drained(records: list[Record]) -> Iterator[Record]:
    """The records in order, each dropped from the list once handed out (a large file's records and its
    nodes are then not all held at once); the list is empty at the end."""
    records.reverse()
    while records:
        yield records.pop()


def batch_from_records(records: Iterable[Record], origin: str) -> GraphBatch:
    """All records of one file as a batch; raises InputError listing every bad field."""
    schema = load_schema()
    problems: list[InputProblem] = []
    rejected: dict[str, str] = {}
    batch = GraphBatch(origins=[origin])
    for record in records:
        if record.kind == "node":
            node = node_from_record(record, schema, problems)
            if node is not None:
                batch.nodes.append(node)
                batch.locations.setdefault(node.id, (record.file, record.line))
            elif isinstance(record.data.get("id"), str):
                declared = record.data.get("type")
                rejected[record.data["id"]] = (
                    declared if isinstance(declared, str) and schema.is_node_type(declared) else ""
                )
        else:
            edge = edge_from_record(record, schema, problems)
            if edge is not None:
                batch.edges.append(edge)
                batch.locations.setdefault(edge.key_text, (record.file, record.line))
    if problems:
        raise InputError(problems, partial=batch, rejected=rejected)
    return batch
