"""The SHACL shapes plankg validates with: ontology/shapes.ttl plus shapes derived from the ontology.

Relation endpoint shapes are generated from each relation's rdfs:domain and rdfs:range,
so a relation's endpoints are stated once (in plankg.ttl). The per-class property rules
(which properties an Indicator must carry, …) live in shapes.ttl only, and the field
checks read them from here instead of spelling them again.
"""

from __future__ import annotations

from functools import cache

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from plankg.ontology.schema import ONTOLOGY_DIR, RelationType, Schema, load_schema

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
PKS = Namespace("https://plankg.org/shapes#")


def _class_constraint(graph: Graph, subject: BNode | URIRef, classes: list[str], schema: Schema) -> None:
    iris = [URIRef(schema.node_types[name].iri) for name in classes]
    if len(iris) == 1:
        graph.add((subject, SH["class"], iris[0]))
        return
    alternatives = []
    for iri in iris:
        alternative = BNode()
        graph.add((alternative, SH["class"], iri))
        alternatives.append(alternative)
    head = BNode()
    Collection(graph, head, alternatives)
    graph.add((subject, SH["or"], head))


def _words(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def endpoint_shape(graph: Graph, relation: RelationType, schema: Schema) -> None:
    """One NodeShape: the subject must be of the relation's domain, every value of its range."""
    shape = PKS[f"{relation.key}Endpoints"]
    prop = URIRef(relation.iri)
    graph.add((shape, RDF.type, SH.NodeShape))
    graph.add((shape, SH.targetSubjectsOf, prop))
    _class_constraint(graph, shape, list(relation.domain), schema)
    graph.add((shape, SH.message, Literal(f"expected {relation.key} to start at {_article(relation.domain)}")))
    values = BNode()
    graph.add((shape, SH.property, values))
    graph.add((values, SH.path, prop))
    _class_constraint(graph, values, list(relation.range), schema)
    graph.add((values, SH.message, Literal(f"expected {relation.key} to end at {_article(relation.range)}")))


def _article(names: tuple[str, ...]) -> str:
    first = names[0]
    return ("an " if first[0] in "AEIOU" else "a ") + _words(names)


@cache
def shapes_graph() -> Graph:
    """shapes.ttl plus one endpoint shape per ontology relation, built once per process."""
    schema = load_schema()
    graph = Graph().parse(SHAPES_FILE, format="turtle")
    for relation in schema.relation_types.values():
        endpoint_shape(graph, relation, schema)
    return graph


@cache
def required_properties(type_name: str) -> tuple[str, ...]:
    """Property keys the shapes require (sh:minCount ≥ 1) on every node of this type."""
    schema = load_schema()
    shapes = shapes_graph()
    by_iri = {URIRef(prop.iri): key for key, prop in schema.property_types.items()}
    target = URIRef(schema.node_types[type_name].iri)
    required = []
    for shape in shapes.subjects(SH.targetClass, target):
        for prop in shapes.objects(shape, SH.property):
            path, minimum = shapes.value(prop, SH.path), shapes.value(prop, SH.minCount)
            if path in by_iri and minimum is not None and int(minimum) >= 1:
                required.append(by_iri[path])
    return tuple(sorted(required))
