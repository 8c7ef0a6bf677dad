"""SHACL validation of a batch (ontology/shapes.ttl), run last by loaders.prepare.

The batch is written as RDF by model.rdf and validated with pyshacl, the ontology
mixed in so `sh:targetClass pk:Entity` reaches every subclass (no inference is
needed: every entity carries its own class; the ontology's subclass links make
industries, technology areas and categories skos:Concepts). Each result is mapped back
to the node id or edge, its file and line, and a record field (`labels.en`,
`sources[0].quote`, `properties.deadline`), so SHACL errors read like every other input
error: a source's terms (its oa:SpecificResource and quote selector) map to
`sources[i].document / .locator / .quote`.

Edges with an endpoint outside the batch (already stored) keep their reification,
so status and sources are still checked, but their plain triple is left out of the
data graph: SHACL cannot see a stored entity's class, and loaders/validate.py has
already checked those endpoints against the store.
"""

from __future__ import annotations

from functools import cache

from pyshacl import validate
from rdflib import RDF, RDFS, SH, SKOS, Graph, Literal, URIRef
from rdflib.term import Identifier

from plankg.model import GraphBatch
from plankg.model.errors import InputError, InputProblem
from plankg.model.rdf import OA, SOURCE_FIELDS, SOURCE_LINKS, Place, to_rdf_with_places
from plankg.ontology.schema import PK, Schema, load_schema
from plankg.ontology.shapes import PKS, shapes_graph

EDGE_FIELDS = {RDF.subject: "from", RDF.predicate: "relation", RDF.object: "to"}
SOURCE_RESULT_FIELDS = {**SOURCE_FIELDS, OA.hasSelector: "quote", OA.exact: "quote"}
"""A path in a source's or quote selector's shape → the Source field it checks."""
LABEL_PATHS = (RDFS.label, SKOS.prefLabel)


@cache
def _ontology_classes() -> Graph:
    """The class hierarchy of the ontology: all SHACL needs for sh:targetClass pk:Entity."""
    graph = Graph()
    for triple in load_schema().graph.triples((None, RDFS.subClassOf, None)):
        graph.add(triple)
    return graph


@cache
def _endpoint_shapes() -> dict[Identifier, str]:
    """Endpoint shape → relation key, read from the shapes' sh:targetSubjectsOf."""
    relations = {URIRef(r.iri): key for key, r in load_schema().relation_types.items()}
    return {
        shape: relations[prop]
        for shape, prop in shapes_graph().subject_objects(SH.targetSubjectsOf)
        if prop in relations
    }


class _Mapper:
    """Turns one validation result into an InputProblem at the right place and field."""

    def __init__(self, batch: GraphBatch, places: dict[Identifier, Place], schema: Schema) -> None:
        self.batch = batch
        self.places = places
        self.schema = schema
        self.types = {node.id: node.type for node in batch.nodes}
        self.properties = {URIRef(p.iri): f"properties.{key}" for key, p in schema.property_types.items()}
        self.properties[PK.status] = "status"
        self.properties.update({link: "sources" for link in SOURCE_LINKS})
        self.relations = {URIRef(r.iri): key for key, r in schema.relation_types.items()}

    def problem(self, key: str, field: str | None, message: str) -> InputProblem:
        file, line = self.batch.locations.get(key, (self.batch.origins[0] if self.batch.origins else "<input>", None))
        what = f"{self.types[key]} {key!r}" if key in self.types else f"edge {key!r}"
        return InputProblem(file, line, field, f"{what}: {message} (shape check)")

    def field(self, place: Place, path: Identifier | None, value: Identifier | None) -> str | None:
        if path in LABEL_PATHS:
            lang = value.language if isinstance(value, Literal) and value.language else "en"
            return f"labels.{lang.split('-')[0]}"
        if path in SOURCE_RESULT_FIELDS:
            return f"{place.field}.{SOURCE_RESULT_FIELDS[path]}"
        if path in EDGE_FIELDS:
            return EDGE_FIELDS[path]
        if path in self.properties:
            return self.properties[path]
        return place.field or None

    def problems(self, result: Identifier, results: Graph, shapes: Graph) -> list[InputProblem]:
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        shape = results.value(result, SH.sourceShape)
        message = str(results.value(result, SH.resultMessage) or "does not match the shapes")
        place = self.places.get(focus) if focus is not None else None
        if place is None:
            return [
                InputProblem(
                    self.batch.origins[0] if self.batch.origins else "<input>",
                    None,
                    None,
                    f"{focus}: {message} (shape check)",
                )
            ]
        if path in self.relations and value is not None:  # an edge ending at the wrong class
            target = self.places.get(value, Place(str(value)))
            return [self.problem(f"{place.key}|{self.relations[path]}|{target.key}", "to", message)]
        if path is None and shape in _endpoint_shapes():  # an edge starting at the wrong class
            relation = _endpoint_shapes()[shape]
            edges = [e for e in self.batch.edges if e.source == place.key and e.relation == relation]
            return [self.problem(e.key_text, "from", message) for e in edges]
        named = shapes.value(shape, PKS.field) if shape is not None else None
        if named is not None and str(named).startswith("."):  # relative to the source's own field
            field: str | None = f"{place.field}{named}"
        else:
            field = str(named) if named is not None else self.field(place, path, value)
        return [self.problem(place.key, field, message)]


def check_shapes(batch: GraphBatch, shapes: Graph | None = None) -> None:
    """Validate the batch against ontology/shapes.ttl (or `shapes`); InputError naming entity, file, line and field."""
    schema = load_schema()
    data, places = to_rdf_with_places(batch.nodes, batch.edges)
    in_batch = {node.id for node in batch.nodes}
    for edge in batch.edges:
        if edge.source not in in_batch or edge.target not in in_batch:
            data.remove(
                (
                    URIRef(schema.iri(edge.source)),
                    URIRef(schema.relation_types[edge.relation].iri),
                    URIRef(schema.iri(edge.target)),
                )
            )
    shapes = shapes_graph() if shapes is None else shapes
    conforms, results, _text = validate(
        data,
        shacl_graph=shapes,
        ont_graph=_ontology_classes(),
        inference="none",
        inplace=True,
        advanced=False,
        meta_shacl=False,
        allow_warnings=False,
    )
    if conforms:
        return
    mapper = _Mapper(batch, places, schema)
    problems: list[InputProblem] = []
    for result in sorted(results.subjects(RDF.type, SH.ValidationResult)):
        for problem in mapper.problems(result, results, shapes):
            if problem not in problems:
                problems.append(problem)
    problems.sort(key=lambda p: (p.file, p.line or 0, p.message, p.field or ""))
    raise InputError(problems)
