"""RDF renderings of API answers (Turtle, JSON-LD) and Accept-header negotiation between them and JSON."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi.responses import Response

from plankg.graph.writers.rdf import serialize
from plankg.model import Edge, Node, formats

JSON = "application/json"
JSONLD = formats.FORMATS["jsonld"].media_type
TURTLE = formats.FORMATS["turtle"].media_type
ENTITY_MEDIA_TYPES = (JSON, JSONLD, TURTLE)


def _accepted(accept: str) -> list[tuple[float, int, str]]:
    ranked = []
    for index, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in pieces[1:]:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, index, pieces[0].lower()))
    return sorted(ranked)


def negotiate(accept: str | None, offered: tuple[str, ...] = ENTITY_MEDIA_TYPES) -> str:
    """The offered media type the client prefers (by q, then order); JSON when nothing specific matches."""
    if not accept:
        return offered[0]
    for negative_quality, _index, media_type in _accepted(accept):
        if negative_quality >= 0:
            continue
        if media_type in offered:
            return media_type
        if media_type in ("*/*", "application/*"):
            return offered[0]
    return offered[0]


def rdf_response(nodes: Iterable[Node], edges: Iterable[Edge], media_type: str) -> Response:
    """Nodes and edges as Turtle or JSON-LD in the ontology vocabulary (stable IRIs via graph.rdf)."""
    fmt = formats.by_media_type(media_type) or formats.FORMATS["turtle"]
    return Response(serialize(list(nodes), list(edges), fmt), media_type=fmt.media_type)
