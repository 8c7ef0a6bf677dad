"""Read the ontology's Turtle files once and answer questions about the vocabulary.

Every other module asks this reader for node types, relation types, their allowed
endpoints, labels and Neo4j names, so that no other file spells them as a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

ONTOLOGY_DIR = Path(__file__).resolve().parent
PK = Namespace("https://plankg.org/ontology#")
ID_BASE = "https://plankg.org/id/"
ENTITY_CLASS = PK.Entity
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
NEO4J_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class NodeType:
    """A class of entity: its name (the class's local name), labels and Neo4j label."""

    name: str
    iri: str
    labels: dict[str, str]
    comment: str
    neo4j_label: str


@dataclass(frozen=True)
class RelationType:
    """A relation between entities, with the node types allowed at each end."""

    key: str
    iri: str
    labels: dict[str, str]
    comment: str
    neo4j_type: str
    domain: tuple[str, ...]
    range: tuple[str, ...]

    def allows(self, source_type: str, target_type: str) -> bool:
        return source_type in self.domain and target_type in self.range


@dataclass(frozen=True)
class PropertyType:
    """A scalar property of entities: its key, the value kind and, for enums, allowed values."""

    key: str
    iri: str
    labels: dict[str, str]
    comment: str
    value_kind: str
    domain: tuple[str, ...]
    allowed_values: tuple[str, ...]


class Schema:
    """The vocabulary as read from ontology/*.ttl (not the SHACL shapes)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.node_types: dict[str, NodeType] = {}
        self.relation_types: dict[str, RelationType] = {}
        self.property_types: dict[str, PropertyType] = {}
        self._read_classes()
        self._read_relations()
        self._read_properties()

    # -------------------------------------------------------------- reading
    def _labels(self, subject: URIRef) -> dict[str, str]:
        labels = {lang: "" for lang in LANGUAGES}
        for label in self.graph.objects(subject, RDFS.label):
            if isinstance(label, Literal) and label.language in labels:
                labels[label.language] = str(label)
        return labels

    def _comment(self, subject: URIRef) -> str:
        for comment in self.graph.objects(subject, RDFS.comment):
            if isinstance(comment, Literal) and comment.language in (None, "en"):
                return str(comment)
        return ""

    def _value(self, subject: URIRef, predicate: URIRef) -> str | None:
        value = self.graph.value(subject, predicate)
        return None if value is None else str(value)

    def _local(self, iri: URIRef) -> str:
        return str(iri).removeprefix(str(PK))

    def _read_classes(self) -> None:
        entity_subclasses = set(self.graph.transitive_subjects(RDFS.subClassOf, ENTITY_CLASS))
        for cls in sorted(entity_subclasses - {ENTITY_CLASS}):
            label = self._value(cls, PK.neo4jLabel)
            name = self._local(cls)
            if not label or not NEO4J_NAME.match(label):
                raise ValueError(f"ontology: class {name} has no valid pk:neo4jLabel")
            self.node_types[name] = NodeType(
                name=name,
                iri=str(cls),
                labels=self._labels(cls),
                comment=self._comment(cls),
                neo4j_label=label,
            )

    def _classes_of(self, subject: URIRef, predicate: URIRef) -> tuple[str, ...]:
        names: list[str] = []
        for value in self.graph.objects(subject, predicate):
            union = self.graph.value(value, OWL.unionOf)
            members = list(Collection(self.graph, union)) if union is not None else [value]
            names.extend(self._local(member) for member in members)
        return tuple(sorted(names))

    def _read_relations(self) -> None:
        for prop in sorted(self.graph.subjects(RDF.type, OWL.ObjectProperty)):
            key = self._value(prop, PK.key)
            if key is None:
                continue  # provenance plumbing (pk:source, pk:document) is not a graph relation
            neo4j_type = self._value(prop, PK.neo4jType)
            if not neo4j_type or not NEO4J_NAME.match(neo4j_type):
                raise ValueError(f"ontology: relation {key} has no valid pk:neo4jType")
            self.relation_types[key] = RelationType(
                key=key,
                iri=str(prop),
                labels=self._labels(prop),
                comment=self._comment(prop),
                neo4j_type=neo4j_type,
                domain=self._classes_of(prop, RDFS.domain),
                range=self._classes_of(prop, RDFS.range),
            )

    def _read_properties(self) -> None:
        for prop in sorted(self.graph.subjects(RDF.type, OWL.DatatypeProperty)):
            key = self._value(prop, PK.key)
            if key is None:
                continue
            domain = self._classes_of(prop, RDFS.domain)
            if domain == ("Entity",) or not domain:
                domain = tuple(sorted(self.node_types))
            self.property_types[key] = PropertyType(
                key=key,
                iri=str(prop),
                labels=self._labels(prop),
                comment=self._comment(prop),
                value_kind=self._value(prop, PK.valueKind) or "string",
                domain=domain,
                allowed_values=tuple(sorted(str(v) for v in self.graph.objects(prop, PK.allowedValue))),
            )

    # -------------------------------------------------------------- answers
    def node_type(self, name: str) -> NodeType:
        return self.node_types[name]

    def relation(self, key: str) -> RelationType:
        return self.relation_types[key]

    def is_node_type(self, name: str) -> bool:
        return name in self.node_types

    def is_relation(self, key: str) -> bool:
        return key in self.relation_types

    def neo4j_label(self, type_name: str) -> str:
        """The Neo4j label of a node type; KeyError for anything not in the ontology."""
        return self.node_types[type_name].neo4j_label

    def neo4j_type(self, relation_key: str) -> str:
        """The Neo4j relationship type of a relation; KeyError for anything not in the ontology."""
        return self.relation_types[relation_key].neo4j_type

    def relation_by_neo4j_type(self, neo4j_type: str) -> RelationType:
        for relation in self.relation_types.values():
            if relation.neo4j_type == neo4j_type:
                return relation
        raise KeyError(neo4j_type)

    def type_by_neo4j_label(self, label: str) -> NodeType:
        for node_type in self.node_types.values():
            if node_type.neo4j_label == label:
                return node_type
        raise KeyError(label)

    @property
    def entity_label(self) -> str:
        """The Neo4j label every entity carries (for the id uniqueness constraint)."""
        label = self._value(ENTITY_CLASS, PK.neo4jLabel)
        assert label and NEO4J_NAME.match(label)
        return label

    @property
    def state_label(self) -> str:
        """The Neo4j label of the single bookkeeping node that holds a store's revision."""
        label = self._value(PK.GraphState, PK.neo4jLabel)
        assert label and NEO4J_NAME.match(label)
        return label

    @cached_property
    def document_type(self) -> str:
        """The class every source must cite: the range of pk:document (read once: loads ask per source)."""
        document = self.graph.value(PK.document, RDFS.range)
        assert isinstance(document, URIRef)
        return self._local(document)

    @property
    def entity_class(self) -> str:
        """The local name of the superclass of every entity type."""
        return self._local(ENTITY_CLASS)

    @property
    def status_values(self) -> tuple[str, ...]:
        return self.property_types["status"].allowed_values

    @cached_property
    def hierarchy_relation(self) -> str:
        """The relation key that is a sub-property of skos:broader (the industry hierarchy); read once: every
        hierarchy query asks, and the rdflib lookups cost ~0.1 ms a request."""
        skos_broader = URIRef("http://www.w3.org/2004/02/skos/core#broader")
        for relation in self.relation_types.values():
            if (URIRef(relation.iri), RDFS.subPropertyOf, skos_broader) in self.graph:
                return relation.key
        raise KeyError("no relation is a sub-property of skos:broader")

    @cached_property
    def version_relation(self) -> str:
        """The relation key marked `pk:versionRelation true`: from a plan to its published documents."""
        marked = [
            relation.key
            for relation in self.relation_types.values()
            if any(
                isinstance(value, Literal) and value.toPython() is True
                for value in self.graph.objects(URIRef(relation.iri), PK.versionRelation)
            )
        ]
        if len(marked) != 1:
            raise ValueError(f"ontology: exactly one relation must be pk:versionRelation true, found {marked}")
        return marked[0]

    @cached_property
    def plan_type(self) -> str:
        """The plan class: the domain of the version relation (a plan has versions; documents are them)."""
        domain = self.relation(self.version_relation).domain
        if len(domain) != 1:
            raise ValueError(f"ontology: the version relation's domain must be one class, found {domain}")
        return domain[0]

    def node_properties(self, type_name: str) -> dict[str, PropertyType]:
        """The scalar properties a node of this type may carry (status excluded)."""
        return {key: prop for key, prop in self.property_types.items() if key != "status" and type_name in prop.domain}

    def iri(self, entity_id: str) -> str:
        return ID_BASE + entity_id

    def id_from_iri(self, iri: str) -> str | None:
        if not iri.startswith(ID_BASE):
            return None
        candidate = iri[len(ID_BASE) :]
        return candidate if ID_PATTERN.match(candidate) else None


def ontology_files() -> list[Path]:
    """The vocabulary files (classes, relations, properties) — not shapes, not taxonomy data."""
    return [ONTOLOGY_DIR / "plankg.ttl"]


@cache
def load_schema() -> Schema:
    """The vocabulary, read once per process."""
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return Schema(graph)
