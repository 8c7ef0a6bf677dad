"""The one mapping between the graph model and RDF in the ontology's vocabulary.

Export (Turtle, JSON-LD), the RDF loader and SHACL validation all go through this
module, so that what `to_rdf` writes is exactly what `records_from_rdf` reads back.
Entities are IRIs under ID_BASE; edges are plain triples plus an `rdf:Statement`
reification that carries the edge's status and sources.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rdflib import RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Identifier

from plankg.model import Edge, Node, Source
from plankg.model.records import Record
from plankg.ontology.schema import ID_BASE, LANGUAGES, PK, Schema, load_schema

ID = Namespace(ID_BASE)
PREFIXES = {"pk": str(PK), "id": ID_BASE, "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS), "xsd": str(XSD)}
LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel)
SOURCE_FIELDS = {PK.document: "document", PK.locator: "locator", PK.quote: "quote"}


@dataclass(frozen=True)
class Place:
    """What an RDF term stands for: a node id or edge key (`from|relation|to`) and a field prefix."""

    key: str
    field: str = ""


@dataclass
class RdfRecord(Record):
    """A Record read from RDF; `subject` names the entity IRI or triple, since RDF has no line numbers."""

    subject: str = ""


# ------------------------------------------------------------------ model → RDF
def _number(value: int | float) -> Literal:
    if isinstance(value, int):
        return Literal(str(value), datatype=XSD.integer)
    # xsd:decimal has no exponent: write the float's shortest repr in plain notation.
    return Literal(format(Decimal(repr(float(value))), "f"), datatype=XSD.decimal)


def property_literal(schema: Schema, key: str, value: Any) -> Literal:
    """A property value as the literal the ontology expects (numbers, dates, strings)."""
    kind = schema.property_types[key].value_kind
    if kind in ("number", "integer") and isinstance(value, int | float) and not isinstance(value, bool):
        return _number(value)
    if kind == "date":
        return Literal(str(value), datatype=XSD.date)
    return Literal(str(value))


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, Namespace(namespace), override=True, replace=True)
    return graph


def _bnode(*parts: str) -> BNode:
    """A blank node whose label depends only on its content, so exports are stable."""
    return BNode("b" + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:24])


def _add_sources(
    graph: Graph, owner: Identifier, owner_key: str, sources: list[Source], places: dict[Identifier, Place]
) -> None:
    for index, source in enumerate(sources):
        node = _bnode("source", owner_key, source.document, source.locator, source.quote)
        graph.add((owner, PK.source, node))
        graph.add((node, PK.document, URIRef(ID_BASE + source.document)))
        graph.add((node, PK.locator, Literal(source.locator)))
        graph.add((node, PK.quote, Literal(source.quote)))
        places[node] = Place(owner_key, f"sources[{index}]")


def to_rdf_with_places(nodes: Iterable[Node], edges: Iterable[Edge]) -> tuple[Graph, dict[Identifier, Place]]:
    """The graph of `to_rdf` and, for each entity / statement / source term, what it stands for."""
    schema = load_schema()
    graph = bind_prefixes(Graph())
    places: dict[Identifier, Place] = {}
    for node in nodes:
        subject = URIRef(schema.iri(node.id))
        places[subject] = Place(node.id)
        graph.add((subject, RDF.type, URIRef(schema.node_types[node.type].iri)))
        for lang in LANGUAGES:
            if node.labels.get(lang):
                graph.add((subject, RDFS.label, Literal(node.labels[lang], lang=lang)))
        for lang, names in sorted(node.aliases.items()):
            for name in names:
                graph.add((subject, SKOS.altLabel, Literal(name, lang=lang)))
        graph.add((subject, PK.status, Literal(node.status)))
        for key, value in sorted(node.properties.items()):
            graph.add((subject, URIRef(schema.property_types[key].iri), property_literal(schema, key, value)))
        _add_sources(graph, subject, node.id, sorted(node.sources), places)
    for edge in edges:
        triple = (
            URIRef(schema.iri(edge.source)),
            URIRef(schema.relation_types[edge.relation].iri),
            URIRef(schema.iri(edge.target)),
        )
        graph.add(triple)
        statement = _bnode("statement", edge.key_text)
        places[statement] = Place(edge.key_text)
        graph.add((statement, RDF.type, RDF.Statement))
        graph.add((statement, RDF.subject, triple[0]))
        graph.add((statement, RDF.predicate, triple[1]))
        graph.add((statement, RDF.object, triple[2]))
        graph.add((statement, PK.status, Literal(edge.status)))
        _add_sources(graph, statement, edge.key_text, sorted(edge.sources), places)
    return graph, places


def to_rdf(nodes: Iterable[Node], edges: Iterable[Edge]) -> Graph:
    """Nodes and edges in the ontology's vocabulary (see loaders/FORMAT.md, RDF)."""
    return to_rdf_with_places(nodes, edges)[0]


# ------------------------------------------------------------------ RDF → records
def _local(term: Identifier) -> str:
    return str(term).removeprefix(str(PK))


def _in_pk(term: Identifier) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(PK))


def _entity_ref(term: Identifier) -> Any:
    """The id behind an entity IRI; anything else as written, so the checker reports it."""
    if isinstance(term, URIRef) and str(term).startswith(ID_BASE):
        return str(term)[len(ID_BASE) :]
    return term.n3() if isinstance(term, Identifier) else str(term)


def _one(values: list[Any]) -> Any:
    """A single value as itself, several as a list (which the checker reports as not a text)."""
    unique = sorted(set(values), key=str)
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else unique


def _property_value(schema: Schema, key: str, term: Identifier) -> Any:
    if not isinstance(term, Literal):
        return term  # an IRI where a literal belongs: the checker reports its type
    kind = schema.property_types[key].value_kind
    if kind in ("number", "integer"):
        value = term.toPython()
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        return str(term)  # a string or ill-typed literal: the checker says a number was expected
    return str(term)


class _Reader:
    """Walks one parsed graph and yields node and edge records in the shape of the YAML format."""

    def __init__(self, graph: Graph, file: str) -> None:
        self.graph = graph
        self.file = file
        self.schema = load_schema()
        self.class_names = {URIRef(t.iri): name for name, t in self.schema.node_types.items()}
        self.relations = {URIRef(r.iri): key for key, r in self.schema.relation_types.items()}
        self.properties = {URIRef(p.iri): key for key, p in self.schema.property_types.items() if key != "status"}
        self.statements = set(graph.subjects(RDF.type, RDF.Statement))
        self.source_nodes = set(graph.objects(None, PK.source))

    # ---------------------------------------------------------- pieces
    def sources(self, owner: Identifier) -> list[Any]:
        items: list[Any] = []
        for term in sorted(self.graph.objects(owner, PK.source)):
            if isinstance(term, Literal):
                items.append(str(term))
                continue
            fields: dict[str, list[Any]] = defaultdict(list)
            for predicate, value in self.graph.predicate_objects(term):
                if predicate in SOURCE_FIELDS:
                    name = SOURCE_FIELDS[predicate]
                    fields[name].append(_entity_ref(value) if name == "document" else str(value))
                elif _in_pk(predicate):
                    fields[_local(predicate)].append(str(value))
            items.append({name: _one(values) for name, values in fields.items()})
        return items

    def status(self, owner: Identifier) -> Any:
        return _one([str(value) for value in self.graph.objects(owner, PK.status)])

    def is_candidate(self, subject: Identifier) -> bool:
        """Might be an entity: typed with an ontology class, or an IRI under ID_BASE that is
        neither a reified statement nor a source."""
        if any(t in self.class_names for t in self.graph.objects(subject, RDF.type)):
            return True
        if subject in self.statements or subject in self.source_nodes:
            return False
        return isinstance(subject, URIRef) and str(subject).startswith(ID_BASE)

    def is_entity(self, subject: Identifier) -> bool:
        """Typed with a pk: class, or carrying entity fields (not just relations) under ID_BASE."""
        if any(_in_pk(t) for t in self.graph.objects(subject, RDF.type)):
            return True
        for predicate, value in self.graph.predicate_objects(subject):
            if predicate in (PK.status, PK.source) or predicate in self.properties:
                return True
            if _in_pk(predicate) and predicate not in self.relations and isinstance(value, Literal):
                return True
        return False

    # ---------------------------------------------------------- records
    def node(self, subject: Identifier) -> RdfRecord:
        types = sorted(_local(t) for t in self.graph.objects(subject, RDF.type) if _in_pk(t))
        if len(types) > 1 and self.schema.entity_class in types:
            types.remove(self.schema.entity_class)
        labels: dict[str, list[str]] = defaultdict(list)
        for predicate in LABEL_PREDICATES:
            for label in self.graph.objects(subject, predicate):
                if isinstance(label, Literal):
                    lang = (label.language or "en").split("-")[0].lower()
                    if lang in LANGUAGES:
                        labels[lang].append(str(label))
        aliases: dict[str, list[str]] = defaultdict(list)
        for alias in self.graph.objects(subject, SKOS.altLabel):
            if isinstance(alias, Literal):
                lang = (alias.language or "en").split("-")[0].lower()
                aliases[lang].append(str(alias))
        properties: dict[str, list[Any]] = defaultdict(list)
        for predicate, value in self.graph.predicate_objects(subject):
            if predicate in self.properties:
                key = self.properties[predicate]
                properties[key].append(_property_value(self.schema, key, value))
            elif (
                _in_pk(predicate)
                and predicate not in self.relations
                and predicate not in (PK.status, PK.source)
                and isinstance(value, Literal)
            ):
                properties[_local(predicate)].append(str(value))  # unknown: the checker names it
        data = {
            "id": _entity_ref(subject),
            "type": ", ".join(types) if types else None,
            "labels": {lang: _one(values) for lang, values in labels.items()},
            **({"aliases": {lang: sorted(names) for lang, names in aliases.items()}} if aliases else {}),
            "status": self.status(subject),
            "properties": {key: _one(values) for key, values in sorted(properties.items())},
            "sources": self.sources(subject),
        }
        return RdfRecord("node", data, self.file, None, subject=f"entity <{subject}>")

    def edge_keys(self, subjects: list[Identifier]) -> set[tuple[Identifier, Identifier, Identifier]]:
        keys = set()
        for subject in subjects:
            for predicate, value in self.graph.predicate_objects(subject):
                if predicate in self.relations or (
                    _in_pk(predicate)
                    and predicate not in self.properties
                    and predicate not in (PK.status, PK.source)
                    and not isinstance(value, Literal)
                ):
                    keys.add((subject, predicate, value))
        for statement in self.statements:
            triple = tuple(self.graph.value(statement, p) for p in (RDF.subject, RDF.predicate, RDF.object))
            if None not in triple and (
                triple[1] in self.relations
                or (_in_pk(triple[1]) and triple[1] not in self.properties and not isinstance(triple[2], Literal))
            ):
                keys.add(triple)  # type: ignore[arg-type]
        return keys

    def edges(self, subjects: list[Identifier]) -> list[RdfRecord]:
        reified: dict[tuple[Identifier, ...], list[Identifier]] = defaultdict(list)
        for statement in self.statements:
            triple = tuple(self.graph.value(statement, p) for p in (RDF.subject, RDF.predicate, RDF.object))
            reified[triple].append(statement)
        records = []
        for key in sorted(self.edge_keys(subjects)):
            subject, predicate, value = key
            base = {
                "from": _entity_ref(subject),
                "relation": self.relations.get(predicate, _local(predicate)),
                "to": _entity_ref(value),
            }
            where = f"triple <{subject}> <{predicate}> {value.n3()}"
            statements = sorted(reified.get(key, [])) or [None]
            for statement in statements:
                data = dict(base)
                data["status"] = None if statement is None else self.status(statement)
                data["sources"] = [] if statement is None else self.sources(statement)
                records.append(RdfRecord("edge", data, self.file, None, subject=where))
        return records

    def records(self) -> list[Record]:
        subjects = sorted(s for s in set(self.graph.subjects()) if self.is_candidate(s))
        nodes = [self.node(s) for s in subjects if self.is_entity(s)]
        return [*nodes, *self.edges(subjects)]


def records_from_rdf(graph: Graph, file: str) -> list[Record]:
    """Node and edge records from a graph in the ontology's vocabulary (the inverse of `to_rdf`).

    Types outside the ontology (skos:Concept, …), SKOS/RDFS annotations and triples about
    non-entities are ignored; unknown `pk:` predicates become records the checker rejects.
    Each record's `subject` names the entity IRI or triple, since RDF has no line numbers.
    """
    return _Reader(graph, file).records()
