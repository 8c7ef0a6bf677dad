"""Entities: search/list with cursor paging, one entity (JSON, JSON-LD or Turtle), neighbors, IRI lookup."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from plankg.api.cursor import decode_cursor, encode_cursor
from plankg.api.deps import ID_DESCRIPTION, SettingsDep, StoreDep, check_id
from plankg.api.enums import Direction, Language, NodeType, Relation, Status
from plankg.api.errors import ApiError, error_responses
from plankg.api.json_response import JSONResponse
from plankg.api.negotiation import JSON, JSON_ONLY, acceptable
from plankg.api.openapi import refusals
from plankg.api.rdf_views import entity_media_types, rdf_formats, rdf_response
from plankg.api.settings import MAX_NEIGHBORS, MAX_PAGE_SIZE
from plankg.api.views import entity_json, subgraph_json
from plankg.graph.engine import MAX_DEPTH, neighborhood
from plankg.graph.store import NotFound
from plankg.ontology.schema import ID_PATTERN, load_schema

router = APIRouter(prefix="/api/v1", tags=["entities"])

EXAMPLE_ID = "industry.healthcare"
EntityId = Annotated[
    str,
    Path(
        description=ID_DESCRIPTION,
        examples=[EXAMPLE_ID],
        max_length=300,
        json_schema_extra={"pattern": ID_PATTERN.pattern},
    ),
]


@router.get(
    "/entities",
    summary="Search or list entities",
    dependencies=[JSON_ONLY],
    responses=error_responses(400, 406, 422),
    openapi_extra=refusals(
        "a `cursor` is valid only as the `next_cursor` of the same search (same q, type and status); any other "
        "string is answered 400 bad_cursor. Its format is the server's to change, so the schema does not fix it."
    ),
)
def list_entities(
    store: StoreDep,
    settings: SettingsDep,
    type_name: Annotated[
        NodeType | None, Query(alias="type", description="Only entities of this ontology type.", examples=["Standard"])
    ] = None,
    q: Annotated[
        str,
        Query(
            description="Words to find in English or Chinese labels or ids (case and width "
            "ignored); exact matches first, then prefixes, then substrings. Empty: "
            "list by id.",
            examples=["医疗"],
            max_length=200,
        ),
    ] = "",
    lang: Annotated[
        Language,
        Query(
            description="Which language's label fills `label` in each item (both stay in `labels`).", examples=["zh"]
        ),
    ] = Language.en,
    status: Annotated[
        Status | None, Query(description="Only entities with this status.", examples=["confirmed"])
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page.", examples=[20])] = 20,
    cursor: Annotated[
        str | None,
        Query(
            description="The `next_cursor` of the previous page; leave out for the first page.",
            examples=["eyJvIjoyMCwicSI6IjEyMyJ9"],
            max_length=200,
        ),
    ] = None,
    offset: Annotated[
        int | None,
        Query(
            ge=0,
            le=1_000_000,
            description="Skip this many hits (random access); the cursor is the way to walk page by page. "
            "Not together with `cursor`.",
            examples=[20],
        ),
    ] = None,
) -> JSONResponse:
    """One page of matching entities with `total` hits and an opaque `next_cursor` (null on the last page)."""
    limit = min(limit, settings.max_page_size)
    type_value = type_name.value if type_name else None
    status_value = status.value if status else None
    fingerprint = (q, type_value, status_value)
    if offset is not None and cursor is not None:
        raise ApiError(400, "bad_paging", "give either offset or cursor, not both", {"offset": offset})
    offset = offset if offset is not None else decode_cursor(cursor, fingerprint)
    result = store.search(q, type_value, status_value, limit, offset)
    end = offset + len(result.items)
    items = [{**entity_json(node), "label": node.label(lang.value)} for node in result.items]
    next_cursor = encode_cursor(end, fingerprint) if end < result.total and result.items else None
    return JSONResponse({"total": result.total, "offset": offset, "items": items, "next_cursor": next_cursor})


def _relations_summary(edges: list[Any], entity_id: str, shown: int) -> dict[str, Any]:
    counts = Counter((edge.relation, "out" if edge.source == entity_id else "in") for edge in edges)
    return {
        "counts": [
            {"relation": relation, "direction": direction, "count": count}
            for (relation, direction), count in sorted(counts.items())
        ],
        "total": len(edges),
        "edges": [edge.to_dict() for edge in edges[:shown]],
        "truncated": len(edges) > shown,
    }


@router.get(
    "/entities/{entity_id}",
    summary="One entity with its relations",
    responses={
        200: {
            "description": "The entity (JSON), or its RDF description by Accept header: "
            + ", ".join(f"{fmt.title} ({fmt.media_type})" for fmt in rdf_formats()),
            "content": {
                fmt.media_type: {
                    "schema": {"type": "object"} if fmt.media_type.endswith("json") else {"type": "string"}
                }
                for fmt in rdf_formats()
            },
        },
        **error_responses(400, 404, 406),
    },
)
def get_entity(
    entity_id: EntityId,
    store: StoreDep,
    settings: SettingsDep,
    media_type: Annotated[str, Depends(acceptable(*entity_media_types()))],
) -> Response:
    """The entity and a summary of its relations (counts by relation and direction, edges with their sources).

    An RDF media type in `Accept` (Turtle, JSON-LD, N-Triples: every RDF format the export
    writes) answers the entity and its edges in the ontology vocabulary instead, with the
    same IRIs as the exports; a type none of these is (RDF/XML, HTML alone) answers 406.
    """
    check_id(entity_id)
    node = store.get(entity_id)
    if node is None:
        raise NotFound(f"no entity {entity_id!r}")
    edges = store.edges_of([entity_id])
    if media_type != JSON:
        return rdf_response([node], edges, media_type)
    shown = settings.relation_edges_shown
    return JSONResponse({**entity_json(node), "relations": _relations_summary(edges, entity_id, shown)})


@router.get(
    "/entities/{entity_id}/neighbors",
    summary="The neighbourhood of an entity",
    dependencies=[JSON_ONLY],
    responses=error_responses(400, 404, 406, 422),
)
def get_neighbors(
    entity_id: EntityId,
    store: StoreDep,
    settings: SettingsDep,
    relation: Annotated[
        Relation | None, Query(description="Follow only this relation.", examples=["supports_industry"])
    ] = None,
    direction: Annotated[
        Direction,
        Query(description="out: edges starting at each node; in: edges ending there; both: either.", examples=["both"]),
    ] = Direction.both,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="How many hops to go out.", examples=[1])] = 1,
    type_name: Annotated[
        NodeType | None,
        Query(
            alias="type",
            description="Keep only neighbours of this type (the center always stays).",
            examples=["Standard"],
        ),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_NEIGHBORS, description="At most this many nodes, nearest first.", examples=[100])
    ] = 100,
) -> JSONResponse:
    """Nodes within `depth` hops and the edges among them, each edge with its sources."""
    check_id(entity_id)
    found = neighborhood(
        store,
        entity_id,
        relation.value if relation else None,
        direction.value,
        min(depth, settings.max_depth),
        type_name.value if type_name else None,
        limit,
    )
    return JSONResponse({"center": entity_id, **subgraph_json(found)})


@router.get(
    "/resolve",
    summary="Find an entity by its IRI",
    status_code=303,
    response_class=RedirectResponse,
    responses={303: {"description": "See Other: the entity's URL"}, **error_responses(404, 422)},
)
def resolve(
    request: Request,
    store: StoreDep,
    iri: Annotated[
        str,
        Query(
            description="An entity IRI (https://plankg.org/id/ + id).",
            examples=["https://plankg.org/id/industry.healthcare"],
            max_length=400,
        ),
    ],
) -> Response:
    """Redirect (303) to the entity the IRI names; 404 when no such entity is stored."""
    entity_id = load_schema().id_from_iri(iri)
    if entity_id is None:
        raise ApiError(404, "not_found", f"{iri[:120]!r} is not an entity IRI of this graph")
    if store.get(entity_id) is None:
        raise NotFound(f"no entity with the IRI {iri[:120]!r}")
    return RedirectResponse(str(request.url_for("get_entity", entity_id=entity_id).path), status_code=303)
