"""The in-memory shape of plan data: nodes, edges and their provenance.

Loaders produce a GraphBatch; stores consume it and answer with the same types,
so that both stores and every loader agree on one representation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CONFIRMED = "confirmed"
QUOTE = "quote"
NOTE = "note"
SOURCE_KINDS = (QUOTE, NOTE)


@dataclass(frozen=True, order=True, slots=True)
class Source:
    """Where a fact comes from: a document id, a locator inside it, and either a quote or a note.

    A quote (kind "quote") is a passage found verbatim in the document's text. A curatorial
    note (kind "note") is what a curator or plankg says about the document — never shown as
    the document's words. `quote` holds the text of either kind.
    """

    document: str
    locator: str
    quote: str
    kind: str = QUOTE

    @property
    def is_note(self) -> bool:
        return self.kind == NOTE

    def to_dict(self) -> dict[str, str]:
        """{document, locator, kind, quote} for a quote; {document, locator, kind, note} for a note."""
        text_key = NOTE if self.is_note else QUOTE
        return {"document": self.document, "locator": self.locator, "kind": self.kind, text_key: self.quote}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        if data.get("kind") == NOTE or ("note" in data and "quote" not in data):
            return cls(str(data["document"]), str(data["locator"]), str(data["note"]), NOTE)
        return cls(str(data["document"]), str(data["locator"]), str(data["quote"]))


def merge_aliases(*groups: dict[str, list[str]]) -> dict[str, list[str]]:
    """The union of several alias maps, sorted per language, so loads in any order agree."""
    merged: dict[str, set[str]] = {}
    for group in groups:
        for lang, names in group.items():
            merged.setdefault(lang, set()).update(name for name in names if name)
    return {lang: sorted(names) for lang, names in sorted(merged.items()) if names}


def merge_sources(*groups: list[Source] | tuple[Source, ...]) -> list[Source]:
    """The union of several source lists, sorted so that merges are order-independent."""
    return sorted({source for group in groups for source in group})


@dataclass(slots=True)
class Node:
    """An entity: id, ontology type, labels by language, scalar properties, status, sources."""

    id: str
    type: str
    labels: dict[str, str]
    properties: dict[str, Any] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)
    status: str = CONFIRMED
    aliases: dict[str, list[str]] = field(default_factory=dict)
    """Other names by language (abbreviations, former names: MIIT, 工信部), as skos:altLabel."""

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.labels.get("zh") or self.id

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "labels": {"en": self.labels.get("en", ""), "zh": self.labels.get("zh", "")},
            "aliases": {lang: list(names) for lang, names in sorted(self.aliases.items()) if names},
            "status": self.status,
            "properties": dict(sorted(self.properties.items())),
            "sources": [source.to_dict() for source in self.sources],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Node:
        return cls(
            id=data["id"],
            type=data["type"],
            labels={"en": data["labels"].get("en", ""), "zh": data["labels"].get("zh", "")},
            properties=dict(data.get("properties") or {}),
            sources=[Source.from_dict(s) for s in data.get("sources") or []],
            status=data.get("status", CONFIRMED),
            aliases={lang: list(names) for lang, names in (data.get("aliases") or {}).items() if names},
        )

    def all_names(self) -> list[str]:
        """Labels then aliases, every language: what search and resolution match against."""
        names = [label for label in self.labels.values() if label]
        names.extend(alias for group in self.aliases.values() for alias in group)
        return names


@dataclass(slots=True)
class Edge:
    """A relation between two entities, with its own status and sources."""

    source: str
    relation: str
    target: str
    sources: list[Source] = field(default_factory=list)
    status: str = CONFIRMED

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.relation, self.target)

    @property
    def key_text(self) -> str:
        return "|".join(self.key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "relation": self.relation,
            "target": self.target,
            "status": self.status,
            "sources": [source.to_dict() for source in self.sources],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Edge:
        return cls(
            source=data["source"],
            relation=data["relation"],
            target=data["target"],
            sources=[Source.from_dict(s) for s in data.get("sources") or []],
            status=data.get("status", CONFIRMED),
        )


@dataclass
class GraphBatch:
    """What one load writes: nodes and edges, all validated together before any write."""

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    locations: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    """Where each node id / edge key ("from|relation|to") was read, for error messages."""

    def extend(self, other: GraphBatch) -> None:
        self.nodes.extend(other.nodes)
        self.edges.extend(other.edges)
        self.origins.extend(other.origins)
        self.warnings.extend(other.warnings)
        for key, where in other.locations.items():
            self.locations.setdefault(key, where)

    def __len__(self) -> int:
        return len(self.nodes) + len(self.edges)


@dataclass
class Subgraph:
    """A set of nodes and the edges among them, as answers to neighbour/path queries."""

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": [node.to_dict() for node in self.nodes],
            "edges": [edge.to_dict() for edge in self.edges],
        }


@dataclass
class QueryItem:
    """One answer of a named query: the entity and the edges (with quotes) that justify it."""

    entity: Node
    evidence: list[Edge]

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity.to_dict(),
            "evidence": [edge.to_dict() for edge in self.evidence],
        }


@dataclass
class LoadSummary:
    """What a load did: counts of nodes and edges written and any warnings."""

    nodes: int
    edges: int
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"nodes": self.nodes, "edges": self.edges, "warnings": list(self.warnings)}
