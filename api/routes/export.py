"""Export the graph (or the nodes of one type and the edges among them) as a streamed download.

The format is `?format=` or, without it, the `Accept` header's choice among every format the
registry writes (Turtle when the client takes anything). An Accept that admits neither the
named format nor any written one answers 406.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from plankg.api.deps import StoreDep
from plankg.api.enums import ExportFormat, NodeType
from plankg.api.errors import error_responses
from plankg.api.negotiation import negotiate
from plankg.api.rdf_views import with_charset
from plankg.graph.export import export_stream, store_selection
from plankg.model import formats

router = APIRouter(prefix="/api/v1", tags=["export"])
DEFAULT_FORMAT = "turtle"


def _offered(fmt: ExportFormat | None) -> list[str]:
    """The media types this request may be answered in: the named format's, or every writer's (default first)."""
    if fmt is not None:
        return list(formats.FORMATS[fmt.value].media_types)
    ordered = sorted(formats.writable(), key=lambda written: written.name != DEFAULT_FORMAT)
    return [media_type for written in ordered for media_type in written.media_types]


def _encoded(chunks: Iterator[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8")


@router.get(
    "/export",
    summary="Download the graph",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The export file",
            "content": {
                media_type: {"schema": {} if media_type.endswith("json") else {"type": "string"}}
                for media_type in (fmt.media_type for fmt in formats.writable())
            },
        },
        **error_responses(406, 422, 503),
    },
)
def export(
    request: Request,
    store: StoreDep,
    fmt: Annotated[
        ExportFormat | None,
        Query(
            alias="format",
            description=f"One of: {formats.describe_writers()}. RDF formats use the ontology vocabulary; "
            "csv is the loaders' combined CSV (UTF-8 with BOM); graphml has typed attributes for graph tools. "
            "Every format without '(export only)' loads back unchanged. Without it, the Accept header "
            f"chooses among these formats' media types ({DEFAULT_FORMAT} when it takes anything).",
            examples=["turtle"],
        ),
    ] = None,
    type_name: Annotated[
        NodeType | None,
        Query(alias="type", description="Only the nodes of this type and the edges among them.", examples=["Industry"]),
    ] = None,
) -> StreamingResponse:
    """The whole graph (or one type) as a file, sorted so equal graphs export alike."""
    media_type = negotiate(request, _offered(fmt))
    registered = formats.FORMATS[fmt.value] if fmt is not None else formats.by_media_type(media_type)
    assert registered is not None and registered.writable
    type_value = type_name.value if type_name else None
    nodes, edges = store_selection(store, type_value)
    chunks = export_stream(nodes, edges, registered.name)
    name = "plankg" + (f"-{type_value}" if type_value else "") + registered.extension
    return StreamingResponse(
        _encoded(chunks),
        media_type=with_charset(media_type),
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
