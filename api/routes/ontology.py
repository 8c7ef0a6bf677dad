"""The ontology and the SHACL shapes served at their own IRIs, so that plankg's terms dereference.

`pk:` terms are hash IRIs of https://plankg.org/ontology and the shapes' of
https://plankg.org/shapes; deployed at plankg.org, `GET /ontology` and `GET /shapes`
answer those IRIs (every RDF export owl:imports the ontology). Turtle by default (the
ontology file itself, comments kept), or any other RDF format the registry writes
(JSON-LD, N-Triples) by Accept; a client that accepts none of them gets a 406.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import Graph

from plankg.api.errors import ApiError, error_responses
from plankg.graph.writers.rdf import serialize_graph
from plankg.model import formats
from plankg.ontology.schema import load_schema, ontology_files
from plankg.ontology.shapes import SHAPES_FILE, endpoint_shape

router = APIRouter(tags=["schema"])
TURTLE = formats.FORMATS["turtle"]


def offered() -> list[formats.Format]:
    """Turtle first (the default), then every other writable RDF format of the registry."""
    return [TURTLE, *(f for f in formats.writable() if f.is_rdf and f is not TURTLE)]


def _ranked(accept: str) -> list[str]:
    """The Accept header's media types, most wanted first (q, then order); q=0 left out."""
    ranked = []
    for index, part in enumerate(accept.split(",")):
        media_type, *params = (piece.strip().lower() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, index, media_type))
    return [media_type for _quality, _index, media_type in sorted(ranked)]


def choose(accept: str | None) -> formats.Format | None:
    """The offered format the Accept header prefers; Turtle when it names none (or */*), None for a 406."""
    if not accept or not accept.strip():
        return TURTLE
    for media_type in _ranked(accept):
        for fmt in offered():
            if any(media_type in (m, "*/*", m.split("/")[0] + "/*") for m in fmt.media_types):
                return fmt
    return None


@cache
def _ontology_text(name: str) -> str:
    """The ontology in one format, built once (the files do not change while the server runs)."""
    fmt = formats.FORMATS[name]
    if fmt is TURTLE:
        return "\n".join(path.read_text(encoding="utf-8") for path in ontology_files())
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return serialize_graph(graph, fmt)


@cache
def _shapes_text(name: str) -> str:
    """shapes.ttl plus the endpoint shapes generated from the ontology, in one format. Built here, not taken
    from shapes_graph(): pyshacl adds a few RDFS axioms to the shapes graph it validates with."""
    fmt = formats.FORMATS[name]
    schema = load_schema()
    generated = Graph()
    for prefix, namespace in Graph().parse(SHAPES_FILE, format="turtle").namespaces():
        generated.bind(prefix, namespace, override=True, replace=True)
    for relation in schema.relation_types.values():
        endpoint_shape(generated, relation, schema)
    if fmt is TURTLE:
        comment = "\n# Generated from the ontology's domains and ranges (plankg.ontology.shapes)\n"
        return SHAPES_FILE.read_text(encoding="utf-8") + comment + generated.serialize(format="turtle")
    return serialize_graph(generated.parse(SHAPES_FILE, format="turtle"), fmt)


def _answer(request: Request, text: Callable[[str], str]) -> Response:
    accept = request.headers.get("accept")
    fmt = choose(accept)
    if fmt is None:
        available = [f.media_type for f in offered()]
        raise ApiError(
            406,
            "not_acceptable",
            f"cannot answer {(accept or '')[:120]!r}; this resource is available as {', '.join(available)}",
            {"available": available},
        )
    media_type = f"{fmt.media_type}; charset=utf-8" if fmt.media_type.startswith("text/") else fmt.media_type
    return Response(text(fmt.name), media_type=media_type, headers={"Vary": "Accept"})


RDF_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"description": "The RDF document", "content": {fmt.media_type: {} for fmt in offered()}},
    **error_responses(406),
}


@router.get("/ontology", summary="The plankg ontology, at its IRI", responses=RDF_RESPONSES)
def get_ontology(request: Request) -> Response:
    """The ontology https://plankg.org/ontology: classes, relations, properties, concept schemes and their
    alignment with SKOS, PROV-O and W3C Web Annotation. Turtle, or JSON-LD / N-Triples by Accept."""
    return _answer(request, _ontology_text)


@router.get("/shapes", summary="The SHACL shapes plankg validates with, at their IRI", responses=RDF_RESPONSES)
def get_shapes(request: Request) -> Response:
    """The shapes https://plankg.org/shapes: ontology/shapes.ttl plus the relation endpoint shapes generated
    from the ontology. Every load is checked against them, and every RDF export conforms to them."""
    return _answer(request, _shapes_text)
