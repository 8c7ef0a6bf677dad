"""The one mapping between the graph model and RDF in the ontology's vocabulary.

Export (Turtle, JSON-LD, N-Triples), the RDF loader, SHACL validation, the API's entity
views and the SPARQL view all go through this module, so that what `to_rdf` writes is
exactly what `records_from_rdf` reads back. The shape (see loaders/FORMAT.md, RDF):

- entities are IRIs under ID_BASE typed with their ontology class; labels are
  rdfs:label, aliases skos:altLabel. Classes the ontology makes skos:Concept
  (industries, technology areas, standard categories) are also written as SKOS:
  `a skos:Concept`, skos:prefLabel, skos:inScheme (the class's scheme), and the
  hierarchy as pk:broader plus skos:broader and skos:narrower.
- provenance is PROV-O and W3C Web Annotation: `prov:wasDerivedFrom` an
  `oa:SpecificResource` whose `oa:hasSource` is the document, `pk:locator` the place
  in it and, for a quote, `oa:hasSelector` an `oa:TextQuoteSelector` with the passage
  as `oa:exact`; a curatorial note (not the document's words, so no selector) is the
  resource's `rdfs:comment`.
- edges are plain triples plus an `rdf:Statement` reification carrying the edge's
  pk:status and its prov:wasDerivedFrom sources. Reification rather than RDF 1.2
  triple terms or named graphs: every export syntax here is a triple syntax (Turtle,
  N-Triples, JSON-LD's default graph), and rdflib, pyshacl and SPARQL 1.1 read
  reification as plain triples, while triple terms are not supported by them and named
  graphs would need a quad syntax and per-graph SHACL. RDF 1.2 keeps rdf:Statement.
- the data declares itself an owl:Ontology that owl:imports the plankg ontology.

The reader also accepts the earlier shape (pk:source / pk:document / pk:quote, no SKOS
extras), so files written before stay loadable.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, Protocol, TypeVar

from rdflib import OWL, PROV, RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Identifier

from plankg.model import NOTE, QUOTE, Edge, Node, Source
from plankg.model.records import Record
from plankg.ontology.schema import ID_BASE, LANGUAGES, PK, Schema, load_schema

ID = Namespace(ID_BASE)
OA = Namespace("http://www.w3.org/ns/oa#")
PREFIXES = {
    "pk": str(PK),
    "id": ID_BASE,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "prov": str(PROV),
    "oa": str(OA),
}
LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel)
SOURCE_LINKS = (PROV.wasDerivedFrom, PK.source)
"""Entity or statement → source: the standard term first, then the earlier pk: one."""
SOURCE_FIELDS = {
    OA.hasSource: "document",
    PK.locator: "locator",
    RDFS.comment: NOTE,
    PK.document: "document",
    PK.quote: QUOTE,
}
"""Source predicates (both shapes) → the record field they hold; a quote also comes via oa:hasSelector."""
QUOTE_PATH = (OA.hasSelector, OA.exact)
DATA_IRI = URIRef(ID_BASE)
"""The data's own IRI: every export is an owl:Ontology that owl:imports the plankg ontology."""


@dataclass(frozen=True)
class Place:
    """What an RDF term stands for: a node id or edge key (`from|relation|to`) and a field prefix."""

    key: str
    field: str = ""


@dataclass
class RdfRecord(Record):
    """A Record read from RDF; `subject` names the entity IRI or triple, since RDF has no line numbers."""

    subject: str = ""


@dataclass(frozen=True)
class Alignment:
    """What the ontology says about standard vocabularies, read once from plankg.ttl (nothing spelled here)."""

    ontology: URIRef
    schemes: dict[str, URIRef]
    """SKOS concept class name → its concept scheme (from the owl:hasValue restriction on skos:inScheme)."""
    super_properties: dict[str, tuple[URIRef, ...]]
    """Relation key → the standard properties it is a sub-property of (broader → skos:broader)."""
    inverses: dict[URIRef, URIRef]
    """A standard property → its inverse (skos:broader ↔ skos:narrower)."""
    shortcuts: tuple[tuple[URIRef, tuple[URIRef, ...]], ...]
    """pk: property → the standard property path it stands for (equivalentProperty, propertyChainAxiom)."""
    scheme_labels: dict[URIRef, tuple[Literal, ...]]


@cache
def alignment() -> Alignment:
    """The standard-vocabulary statements of the ontology: concept schemes, super-properties, inverses, shortcuts."""
    schema = load_schema()
    graph = schema.graph
    ontology = next(s for s in sorted(graph.subjects(RDF.type, OWL.Ontology)) if isinstance(s, URIRef))
    schemes: dict[str, URIRef] = {}
    for name, node_type in schema.node_types.items():
        cls = URIRef(node_type.iri)
        if (cls, RDFS.subClassOf, SKOS.Concept) not in graph:
            continue
        for restriction in graph.objects(cls, RDFS.subClassOf):
            scheme = graph.value(restriction, OWL.hasValue)
            if graph.value(restriction, OWL.onProperty) == SKOS.inScheme and isinstance(scheme, URIRef):
                schemes[name] = scheme
    super_properties = {
        key: tuple(sorted(p for p in graph.objects(URIRef(r.iri), RDFS.subPropertyOf) if isinstance(p, URIRef)))
        for key, r in schema.relation_types.items()
    }
    inverses: dict[URIRef, URIRef] = {}
    for one, other in graph.subject_objects(OWL.inverseOf):
        if isinstance(one, URIRef) and isinstance(other, URIRef):
            inverses[one], inverses[other] = other, one
    shortcuts: list[tuple[URIRef, tuple[URIRef, ...]]] = []
    for prop, equivalent in graph.subject_objects(OWL.equivalentProperty):
        if isinstance(prop, URIRef) and isinstance(equivalent, URIRef) and str(prop).startswith(str(PK)):
            shortcuts.append((prop, (equivalent,)))
    for prop, chain in graph.subject_objects(OWL.propertyChainAxiom):
        steps = tuple(step for step in Collection(graph, chain) if isinstance(step, URIRef))
        if isinstance(prop, URIRef) and steps:
            shortcuts.append((prop, steps))
    scheme_labels = {
        scheme: tuple(sorted(label for label in graph.objects(scheme, RDFS.label) if isinstance(label, Literal)))
        for scheme in schemes.values()
    }
    return Alignment(
        ontology=ontology,
        schemes=schemes,
        super_properties={key: props for key, props in super_properties.items() if props},
        inverses=inverses,
        shortcuts=tuple(sorted(shortcuts)),
        scheme_labels=scheme_labels,
    )


# ------------------------------------------------------------------ model → RDF
# Predicates as plain strings: the statements below are shared by `to_rdf` (rdflib terms) and the
# fast shape checks (loaders/checks.py: plain strings and light literals), so the RDF shape of an
# element is written once.
TYPE = str(RDF.type)
LABEL = str(RDFS.label)
COMMENT = str(RDFS.comment)
PREF_LABEL = str(SKOS.prefLabel)
ALT_LABEL = str(SKOS.altLabel)
IN_SCHEME = str(SKOS.inScheme)
STATUS = str(PK.status)
LOCATOR = str(PK.locator)
DERIVED_FROM = str(PROV.wasDerivedFrom)
HAS_SOURCE = str(OA.hasSource)
HAS_SELECTOR = str(OA.hasSelector)
EXACT = str(OA.exact)
SUBJECT = str(RDF.subject)
PREDICATE = str(RDF.predicate)
OBJECT = str(RDF.object)
STATEMENT = str(RDF.Statement)
CONCEPT = str(SKOS.Concept)
CONCEPT_SCHEME = str(SKOS.ConceptScheme)
SPECIFIC_RESOURCE = str(OA.SpecificResource)
QUOTE_SELECTOR = str(OA.TextQuoteSelector)

T = TypeVar("T")


class Terms(Protocol[T]):
    """How a consumer of the statements below spells objects (rdflib terms, or the checks' plain values)."""

    def iri(self, iri: str) -> T:
        """A vocabulary IRI (a class, a relation)."""

    def entity(self, entity_id: str) -> T:
        """The IRI of an entity (a node, a cited document)."""

    def literal(self, lexical: str, lang: str | None = None, datatype: str | None = None) -> T:
        """A literal: a language-tagged text, a plain string, or a typed value."""

    def scheme(self, iri: str) -> T:
        """A SKOS concept scheme (typed skos:ConceptScheme, with its labels from the ontology)."""

    def source(self, owner: str, index: int, source: Source) -> T:
        """The specific resource of a source (see `source_statements`) of the node or edge keyed `owner`."""

    def selector(self, owner: str, index: int, source: Source) -> T:
        """The text quote selector of a quote source (see `selector_statements`)."""


def property_lexical(schema: Schema, key: str, value: Any) -> tuple[str, str | None]:
    """A property value's lexical form and datatype as the ontology expects (numbers, dates, strings)."""
    kind = schema.property_types[key].value_kind
    if kind in ("number", "integer") and isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, int):
            return str(value), XSD_INTEGER
        return format(Decimal(repr(float(value))), "f"), XSD_DECIMAL
    if kind == "date":
        return str(value), XSD_DATE
    return str(value), None


XSD_INTEGER, XSD_DECIMAL, XSD_DATE = str(XSD.integer), str(XSD.decimal), str(XSD.date)


def property_literal(schema: Schema, key: str, value: Any) -> Literal:
    """A property value as the literal the ontology expects (numbers, dates, strings)."""
    lexical, datatype = property_lexical(schema, key, value)
    return Literal(lexical, datatype=None if datatype is None else URIRef(datatype))


def entity_statements(node: Node, schema: Schema, aligned: Alignment, terms: Terms[T]) -> Iterator[tuple[str, T]]:
    """(predicate, object) of every triple about the entity itself (relations: `relation_triples`)."""
    yield TYPE, terms.iri(schema.node_types[node.type].iri)
    labels = [(lang, node.labels[lang]) for lang in LANGUAGES if node.labels.get(lang)]
    for lang, label in labels:
        yield LABEL, terms.literal(label, lang)
    scheme = aligned.schemes.get(node.type)
    if scheme is not None:  # a SKOS concept class: also a skos:Concept of the class's scheme
        yield TYPE, terms.iri(CONCEPT)
        yield IN_SCHEME, terms.scheme(str(scheme))
        for lang, label in labels:
            yield PREF_LABEL, terms.literal(label, lang)
    for lang, names in sorted(node.aliases.items()):
        for name in names:
            yield ALT_LABEL, terms.literal(name, lang)
    yield STATUS, terms.literal(node.status)
    for key, value in sorted(node.properties.items()):
        lexical, datatype = property_lexical(schema, key, value)
        yield schema.property_types[key].iri, terms.literal(lexical, None, datatype)
    for index, source in enumerate(sorted(node.sources)):
        yield DERIVED_FROM, terms.source(node.id, index, source)


def relation_triples(edge: Edge, schema: Schema, aligned: Alignment, terms: Terms[T]) -> list[tuple[T, str, T]]:
    """The plain triple of an edge, plus its standard super-properties (skos:broader) and their inverses."""
    subject, value = terms.entity(edge.source), terms.entity(edge.target)
    triples = [(subject, schema.relation_types[edge.relation].iri, value)]
    for standard in aligned.super_properties.get(edge.relation, ()):
        triples.append((subject, str(standard), value))
        if standard in aligned.inverses:
            triples.append((value, str(aligned.inverses[standard]), subject))
    return triples


def statement_statements(edge: Edge, schema: Schema, terms: Terms[T]) -> Iterator[tuple[str, T]]:
    """(predicate, object) of the edge's rdf:Statement reification: the triple, its status and sources."""
    yield TYPE, terms.iri(STATEMENT)
    yield SUBJECT, terms.entity(edge.source)
    yield PREDICATE, terms.iri(schema.relation_types[edge.relation].iri)
    yield OBJECT, terms.entity(edge.target)
    yield STATUS, terms.literal(edge.status)
    key = edge.key_text
    for index, source in enumerate(sorted(edge.sources)):
        yield DERIVED_FROM, terms.source(key, index, source)


def source_statements(owner: str, index: int, source: Source, terms: Terms[T]) -> Iterator[tuple[str, T]]:
    """(predicate, object) of a source's oa:SpecificResource: document, locator, the quote's selector or the note."""
    yield TYPE, terms.iri(SPECIFIC_RESOURCE)
    yield HAS_SOURCE, terms.entity(source.document)
    yield LOCATOR, terms.literal(source.locator)
    if source.is_note:
        yield COMMENT, terms.literal(source.quote)
    else:
        yield HAS_SELECTOR, terms.selector(owner, index, source)


def selector_statements(source: Source, terms: Terms[T]) -> Iterator[tuple[str, T]]:
    """(predicate, object) of a quote's oa:TextQuoteSelector."""
    yield TYPE, terms.iri(QUOTE_SELECTOR)
    yield EXACT, terms.literal(source.quote)


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, Namespace(namespace), override=True, replace=True)
    return graph


def _bnode(*parts: str) -> BNode:
    """A blank node whose label depends only on its content, so exports are stable."""
    return BNode("b" + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:24])


class _RdfTerms:
    """`Terms` as rdflib terms, adding the triples of sources, selectors and schemes to the graph."""

    def __init__(self, graph: Graph, places: dict[Identifier, Place]) -> None:
        self.graph = graph
        self.places = places
        self.iris: dict[str, URIRef] = {}

    def iri(self, iri: str) -> URIRef:
        found = self.iris.get(iri)
        if found is None:
            found = self.iris[iri] = URIRef(iri)
        return found

    def entity(self, entity_id: str) -> URIRef:
        return URIRef(ID_BASE + entity_id)

    def literal(self, lexical: str, lang: str | None = None, datatype: str | None = None) -> Literal:
        return Literal(lexical, lang=lang, datatype=None if datatype is None else self.iri(datatype))

    def add(self, subject: Identifier, statements: Iterable[tuple[str, Identifier]]) -> None:
        for predicate, value in statements:
            self.graph.add((subject, self.iri(predicate), value))

    def scheme(self, iri: str) -> URIRef:
        scheme = self.iri(iri)
        if (scheme, RDF.type, SKOS.ConceptScheme) not in self.graph:
            self.graph.add((scheme, RDF.type, SKOS.ConceptScheme))
            for label in alignment().scheme_labels.get(scheme, ()):
                self.graph.add((scheme, RDFS.label, label))
                self.graph.add((scheme, SKOS.prefLabel, label))
        return scheme

    @staticmethod
    def _parts(owner: str, source: Source) -> tuple[str, ...]:
        return (owner, source.document, source.locator, source.kind, source.quote)

    def source(self, owner: str, index: int, source: Source) -> BNode:
        node = _bnode("source", *self._parts(owner, source))
        self.places[node] = Place(owner, f"sources[{index}]")
        self.add(node, source_statements(owner, index, source, self))
        return node

    def selector(self, owner: str, index: int, source: Source) -> BNode:
        node = _bnode("selector", *self._parts(owner, source))
        self.places[node] = Place(owner, f"sources[{index}]")
        self.add(node, selector_statements(source, self))
        return node


def to_rdf_with_places(nodes: Iterable[Node], edges: Iterable[Edge]) -> tuple[Graph, dict[Identifier, Place]]:
    """The graph of `to_rdf` and, for each entity / statement / source / selector term, what it stands for."""
    schema = load_schema()
    aligned = alignment()
    graph = bind_prefixes(Graph())
    places: dict[Identifier, Place] = {}
    terms = _RdfTerms(graph, places)
    graph.add((DATA_IRI, RDF.type, OWL.Ontology))
    graph.add((DATA_IRI, OWL.imports, aligned.ontology))
    for node in nodes:
        subject = terms.entity(node.id)
        places[subject] = Place(node.id)
        terms.add(subject, entity_statements(node, schema, aligned, terms))
    for edge in edges:
        for subject, predicate, value in relation_triples(edge, schema, aligned, terms):
            graph.add((subject, terms.iri(predicate), value))
        statement = _bnode("statement", edge.key_text)
        places[statement] = Place(edge.key_text)
        terms.add(statement, statement_statements(edge, schema, terms))
    return graph, places


def to_rdf(nodes: Iterable[Node], edges: Iterable[Edge]) -> Graph:
    """Nodes and edges in the ontology's vocabulary (see loaders/FORMAT.md, RDF)."""
    return to_rdf_with_places(nodes, edges)[0]


def add_shortcuts(graph: Graph) -> Graph:
    """Add the pk: triples the ontology defines by standard terms (pk:source = prov:wasDerivedFrom,
    pk:document = oa:hasSource, pk:quote = oa:hasSelector/oa:exact), so that SPARQL written with
    either vocabulary answers alike. Only for the SPARQL view: exports stay in the standard terms."""
    for prop, path in alignment().shortcuts:
        ends: list[tuple[Identifier, Identifier]] = [(s, o) for s, o in graph.subject_objects(path[0])]
        for step in path[1:]:
            ends = [(s, o) for s, middle in ends for o in graph.objects(middle, step)]
        for subject, value in ends:
            graph.add((subject, prop, value))
    return graph


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
        self.source_nodes = {source for link in SOURCE_LINKS for source in graph.objects(None, link)}
        self.standard_relations = self._standard_relations()

    def _standard_relations(self) -> dict[Identifier, tuple[URIRef, bool]]:
        """Standard property → (the relation it stands for, whether reversed): skos:broader → pk:broader,
        skos:narrower → pk:broader reversed; only where a standard property belongs to one relation."""
        aligned = alignment()
        found: dict[Identifier, list[tuple[URIRef, bool]]] = defaultdict(list)
        for key, standards in aligned.super_properties.items():
            relation = URIRef(self.schema.relation_types[key].iri)
            for standard in standards:
                found[standard].append((relation, False))
                if standard in aligned.inverses:
                    found[aligned.inverses[standard]].append((relation, True))
        return {prop: ends[0] for prop, ends in found.items() if len(ends) == 1}

    # ---------------------------------------------------------- pieces
    def sources(self, owner: Identifier) -> list[Any]:
        items: list[Any] = []
        terms = {term for link in SOURCE_LINKS for term in self.graph.objects(owner, link)}
        for term in sorted(terms):
            if isinstance(term, Literal):
                items.append(str(term))
                continue
            fields: dict[str, list[Any]] = defaultdict(list)
            for predicate, value in self.graph.predicate_objects(term):
                if predicate in SOURCE_FIELDS:
                    name = SOURCE_FIELDS[predicate]
                    fields[name].append(_entity_ref(value) if name == "document" else str(value))
                elif predicate == QUOTE_PATH[0]:
                    fields[QUOTE].extend(str(quote) for quote in self.graph.objects(value, QUOTE_PATH[1]))
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
            if predicate == PK.status or predicate in SOURCE_LINKS or predicate in self.properties:
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

    def relation_triple(self, triple: tuple[Any, Any, Any]) -> tuple[Any, Any, Any]:
        """A triple in a standard property that stands for a relation (skos:narrower) as that relation's
        triple (pk:broader, reversed); entities only, so links to foreign concepts stay ignored."""
        subject, predicate, value = triple
        if predicate not in self.standard_relations or not (
            isinstance(value, URIRef) and str(value).startswith(ID_BASE)
        ):
            return triple
        relation, reverse = self.standard_relations[predicate]
        return (value, relation, subject) if reverse else (subject, relation, value)

    def edge_keys(self, subjects: list[Identifier]) -> set[tuple[Identifier, Identifier, Identifier]]:
        keys = set()
        for subject in subjects:
            for predicate, value in self.graph.predicate_objects(subject):
                if predicate in self.standard_relations:
                    triple = self.relation_triple((subject, predicate, value))
                    if triple[1] in self.relations:
                        keys.add(triple)
                elif predicate in self.relations or (
                    _in_pk(predicate)
                    and predicate not in self.properties
                    and predicate not in (PK.status, PK.source)
                    and not isinstance(value, Literal)
                ):
                    keys.add((subject, predicate, value))
        for statement in self.statements:
            triple = self.reified(statement)
            if None not in triple and (
                triple[1] in self.relations
                or (_in_pk(triple[1]) and triple[1] not in self.properties and not isinstance(triple[2], Literal))
            ):
                keys.add(triple)  # type: ignore[arg-type]
        return keys

    def edges(self, subjects: list[Identifier]) -> list[RdfRecord]:
        reified: dict[tuple[Identifier, ...], list[Identifier]] = defaultdict(list)
        for statement in self.statements:
            reified[self.reified(statement)].append(statement)
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

    def reified(self, statement: Identifier) -> tuple[Any, Any, Any]:
        """The triple a reification names (None where a part is missing), standard properties mapped."""
        triple = tuple(self.graph.value(statement, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        return self.relation_triple(triple)  # type: ignore[arg-type]

    def records(self) -> list[Record]:
        subjects = sorted(s for s in set(self.graph.subjects()) if self.is_candidate(s))
        nodes = [self.node(s) for s in subjects if self.is_entity(s)]
        return [*nodes, *self.edges(subjects)]


def records_from_rdf(graph: Graph, file: str) -> list[Record]:
    """Node and edge records from a graph in the ontology's vocabulary (the inverse of `to_rdf`).

    Reads both the standard shape (PROV-O / Web Annotation sources, SKOS) and the earlier
    pk:source / pk:document / pk:quote one. skos:broader / skos:narrower between entities are
    the hierarchy relation (merged with pk:broader). Types outside the ontology (skos:Concept,
    oa:SpecificResource, …), other SKOS/RDFS annotations, the owl:Ontology header and triples
    about non-entities are ignored; unknown `pk:` predicates become records the checker rejects.
    Each record's `subject` names the entity IRI or triple, since RDF has no line numbers.
    """
    return _Reader(graph, file).records()
