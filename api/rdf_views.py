"""RDF renderings of API answers in every RDF format the format registry writes (Turtle, JSON-LD, N-Triples, …).

Which RDF media types an entity is offered in comes from plankg.model.formats, so a format
registered there is served here too, and a type nobody writes (RDF/XML today) gets a 406.
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi.responses import Response

from plankg.api.negotiation import JSON
from plankg.graph.writers.rdf import serialize
from plankg.model import Edge, Node, formats


def rdf_formats() -> list[formats.Format]:
    """The registry's writable RDF formats, in registration order."""
    return [fmt for fmt in formats.writable() if fmt.is_rdf]


def rdf_media_types() -> tuple[str, ...]:
    """Every media type (aliases included) of the writable RDF formats."""
    return tuple(media_type for fmt in rdf_formats() for media_type in fmt.media_types)


def entity_media_types() -> tuple[str, ...]:
    """What an entity is offered as: JSON first (the default), then every RDF media type."""
    return (JSON, *rdf_media_types())


def with_charset(media_type: str) -> str:
    """Text media types carry their charset (UTF-8); others as they are."""
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


def rdf_response(nodes: Iterable[Node], edges: Iterable[Edge], media_type: str) -> Response:
    """Nodes and edges in the RDF format registered for media_type, in the ontology vocabulary (stable IRIs)."""
    fmt = formats.by_media_type(media_type)
    if fmt is None or not fmt.is_rdf or not fmt.writable:
        raise ValueError(f"no RDF writer for {media_type!r}")
    return Response(serialize(list(nodes), list(edges), fmt), media_type=with_charset(media_type))
