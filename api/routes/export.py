"""Export the graph (or the nodes of one type and the edges among them) as a streamed download."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from plankg.api.deps import get_store
from plankg.api.enums import ExportFormat, NodeType
from plankg.api.errors import error_responses
from plankg.graph.export import export_stream, store_selection
from plankg.model import formats

router = APIRouter(prefix="/api/v1", tags=["export"])


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
        **error_responses(422, 503),
    },
)
def export(
    request: Request,
    fmt: Annotated[
        ExportFormat,
        Query(
            alias="format",
            description=f"One of: {formats.describe_writers()}. RDF formats use the ontology vocabulary; "
            "csv is the loaders' combined CSV (UTF-8 with BOM); graphml has typed attributes for graph tools. "
            "Every format without '(export only)' loads back unchanged.",
            examples=["turtle"],
        ),
    ] = ExportFormat.turtle,
    type_name: Annotated[
        NodeType | None,
        Query(alias="type", description="Only the nodes of this type and the edges among them.", examples=["Industry"]),
    ] = None,
) -> StreamingResponse:
    """The whole graph (or one type) as a file, sorted so equal graphs export alike."""
    type_value = type_name.value if type_name else None
    nodes, edges = store_selection(get_store(request), type_value)
    chunks = export_stream(nodes, edges, fmt.value)
    registered = formats.FORMATS[fmt.value]
    name = "plankg" + (f"-{type_value}" if type_value else "") + registered.extension
    media_type = registered.media_type
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    return StreamingResponse(
        _encoded(chunks), media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
