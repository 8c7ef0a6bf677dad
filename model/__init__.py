"""The model layer: nodes, edges, sources and batches, their RDF mapping and CSV columns.

It sits below both `plankg.loaders` and `plankg.graph` (imports point one way:
ontology ← model ← loaders, graph ← api, cli), so that loaders and stores share
one representation without importing each other.
"""

from plankg.model.elements import (
    CONFIRMED,
    NOTE,
    QUOTE,
    SOURCE_KINDS,
    Edge,
    GraphBatch,
    LoadSummary,
    Node,
    QueryItem,
    Source,
    Subgraph,
    merge_aliases,
    merge_sources,
)

__all__ = [
    "CONFIRMED",
    "NOTE",
    "QUOTE",
    "SOURCE_KINDS",
    "Edge",
    "GraphBatch",
    "LoadSummary",
    "Node",
    "QueryItem",
    "Source",
    "Subgraph",
    "merge_aliases",
    "merge_sources",
]
