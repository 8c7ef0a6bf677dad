"""Export the graph (or the nodes of one type and the edges among them) as a streamed download."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from plankg.api.deps import get_store
from plankg.api.enums import ExportFormat, NodeType
from plankg.api.errors import error_responses
from plankg.graph.export import FILE_EXTENSIONS, MEDIA_TYPES, export_stream
from plankg.graph.store import GraphStore
from plankg.model import Edge, Node

router = APIRouter(prefix="/api/v1", tags=["export"])


def selection(store: GraphStore, type_name: str | None) -> tuple[list[Node], list[Edge]]:
    """Every node and edge, or the nodes of one type and the edges among them."""
    nodes = list(store.iter_nodes(type_name))
    if type_name is None:
        return nodes, list(store.iter_edges())
    ids = {node.id for node in nodes}
    return nodes, [edge for edge in store.iter_edges() if edge.source in ids and edge.target in ids]


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
                for media_type in MEDIA_TYPES.values()
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
            description="turtle and jsonld use the ontology "
            "vocabulary; csv is the loaders' combined CSV; graphml for graph tools. "
            "All but graphml load back unchanged.",
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
    nodes, edges = selection(get_store(request), type_value)
    chunks = export_stream(nodes, edges, fmt.value)
    name = "plankg" + (f"-{type_value}" if type_value else "") + FILE_EXTENSIONS[fmt.value]
    media_type = MEDIA_TYPES[fmt.value]
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    return StreamingResponse(
        _encoded(chunks), media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
