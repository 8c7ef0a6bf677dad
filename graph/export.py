"""Exports: the store's graph (or one type) in any writable format of plankg.model.formats.

Output is sorted by node id and edge key so equal graphs export alike; every format
with a reader loads back through `plankg load` unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from plankg.model import Edge, Node, formats

if TYPE_CHECKING:
    from plankg.graph.store import GraphStore


def export_formats() -> tuple[str, ...]:
    """The names of every format a graph can be exported in."""
    return tuple(fmt.name for fmt in formats.writable())


def export_stream(nodes: Iterable[Node], edges: Iterable[Edge], fmt: str) -> Iterator[str]:
    """The graph in a registered export format, as text chunks (sorted, so equal graphs export alike)."""
    found = formats.by_name(fmt)
    if found is None or not found.writable:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(export_formats())}")
    node_list = sorted(nodes, key=lambda node: node.id)
    edge_list = sorted(edges, key=lambda edge: edge.key)
    return found.write(node_list, edge_list)


def store_selection(store: GraphStore, type_name: str | None = None) -> tuple[list[Node], list[Edge]]:
    """Every node and edge of a store, or the nodes of one type and the edges among them."""
    nodes = list(store.iter_nodes(type_name))
    if type_name is None:
        return nodes, list(store.iter_edges())
    ids = {node.id for node in nodes}
    return nodes, [edge for edge in store.iter_edges() if edge.source in ids and edge.target in ids]


def export_store(store: GraphStore, fmt: str, type_name: str | None = None) -> Iterator[str]:
    """A store's graph (or one type and the edges among its nodes) in a registered export format."""
    nodes, edges = store_selection(store, type_name)
    return export_stream(nodes, edges, fmt)
