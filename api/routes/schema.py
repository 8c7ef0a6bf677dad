"""The vocabulary as the ontology defines it: node types, relations, properties and named queries."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter

from plankg.api.json_response import JSONResponse
from plankg.graph.queries import NAMED_QUERIES
from plankg.ontology.schema import ID_BASE, ID_PATTERN, load_schema

router = APIRouter(prefix="/api/v1", tags=["schema"])


@cache
def schema_json() -> dict[str, Any]:
    """The ontology's vocabulary as JSON (computed once; the ontology does not change at run time)."""
    schema = load_schema()
    return {
        "id_base": ID_BASE,
        "id_pattern": ID_PATTERN.pattern,
        "node_types": [
            {
                "name": t.name,
                "iri": t.iri,
                "labels": t.labels,
                "comment": t.comment,
                "neo4j_label": t.neo4j_label,
                "properties": sorted(schema.node_properties(t.name)),
            }
            for t in schema.node_types.values()
        ],
        "relation_types": [
            {
                "key": r.key,
                "iri": r.iri,
                "labels": r.labels,
                "comment": r.comment,
                "neo4j_type": r.neo4j_type,
                "domain": list(r.domain),
                "range": list(r.range),
            }
            for r in schema.relation_types.values()
        ],
        "properties": [
            {
                "key": p.key,
                "iri": p.iri,
                "labels": p.labels,
                "comment": p.comment,
                "value_kind": p.value_kind,
                "domain": list(p.domain),
                "allowed_values": list(p.allowed_values),
            }
            for p in schema.property_types.values()
        ],
        "status_values": list(schema.status_values),
        "hierarchy_relation": schema.hierarchy_relation,
        "queries": [query.to_dict() for query in NAMED_QUERIES.values()],
    }


@router.get("/schema", summary="Node types, relations, properties and named queries")
def get_schema() -> JSONResponse:
    """Everything the ontology defines, with English and Chinese labels, allowed endpoints and Neo4j names."""
    return JSONResponse(schema_json())
