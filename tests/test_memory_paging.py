"""Named-query pages on the embedded store follow links (edges without their sources) and read the
page's edges whole afterwards (graph/memory.py `LinkReads`): the answers must be exactly those of the
plain algorithm over whole edges — items, order, each item's evidence with its sources, total.

The reference is the same store behind a wrapper offering only the engine's primitives, so the
engine runs its generic path over edges decoded as they are read (what it did before links).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest

from bench.synthetic import generate
from plankg.graph.engine import named_query_page
from plankg.graph.memory import LINK_PAGE, UNREAD, LinkReads, MemoryStore
from plankg.graph.queries import NAMED_QUERIES
from plankg.loaders.validate import validate_batch
from plankg.model import CONFIRMED, Edge, GraphBatch, Node, Source

PAGES = [(0, 1), (0, 20), (3, 7), (0, LINK_PAGE), (1, LINK_PAGE + 1), (0, None), (2, None)]


class Plain:
    """The engine's primitives of a store and nothing else: no view, no statuses-only or by-key reads."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def get(self, entity_id: str) -> Node | None:
        return self._store.get(entity_id)

    def get_many(self, ids: Iterable[str]) -> dict[str, Node]:
        return self._store.get_many(ids)

    def edges_of(self, ids: Iterable[str], relation: str | None = None, direction: str = "both") -> list[Edge]:
        return self._store.edges_of(ids, relation, direction)

    def descendants(self, entity_id: str, relation: str) -> list[Edge]:
        return self._store.descendants(entity_id, relation)

    def edges_citing(self, document: str) -> list[Edge]:
        return self._store.edges_citing(document)

    def nodes_citing(self, document: str) -> list[Node]:
        return self._store.nodes_citing(document)


@cache
def synthetic() -> GraphBatch:
    return validate_batch(generate(8000, plans=6, seed=11))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> MemoryStore:
    found = MemoryStore(tmp_path_factory.mktemp("paging") / "graph.db")
    found.upsert(synthetic())
    return found


def _starts(store: MemoryStore, type_name: str, count: int = 6) -> list[str]:
    """Ids spread over the type's, and for industries those with narrower ones (the hierarchy queries)."""
    ids = [node.id for node in store.iter_nodes(type_name)]
    picked = ids[:: max(1, len(ids) // count)][:count]
    if type_name == "Industry":
        picked += sorted({e.target for e in store.edges_of(ids, "broader", "in")})[:count]
    return picked


def test_link_pages_answer_like_whole_edges(store: MemoryStore) -> None:
    """Every named query, several starts, both include_unconfirmed values, small and large pages."""
    plain = Plain(store)
    compared = dropped = hierarchy = 0
    for name, query in NAMED_QUERIES.items():
        for start in _starts(store, query.param_type):
            answers = {}
            for include in (True, False):
                params = {query.param: start, "include_unconfirmed": include}
                for offset, limit in PAGES:
                    mine = named_query_page(store, name, params, offset, limit)
                    theirs = named_query_page(plain, name, params, offset, limit)  # type: ignore[arg-type]
                    assert mine == theirs, (name, params, offset, limit)
                    assert all(e.status != UNREAD and e.sources for i in mine.items for e in i.evidence)
                    compared += bool(mine.items)
                    hierarchy += any(e.relation == "broader" for i in mine.items for e in i.evidence)
                answers[include] = named_query_page(store, name, params, 0, 20)
            dropped += answers[True].total != answers[False].total
    assert compared > 100 and dropped > 3 and hierarchy > 3  # the cases are not all empty or alike


def test_small_pages_follow_links_and_large_ones_whole_edges(store: MemoryStore) -> None:
    industry = _starts(store, "Industry", 1)[0]
    assert isinstance(store.prefetch_named_query("standards_for_industry", industry, True, (0, 20)), LinkReads)
    assert isinstance(store.prefetch_named_query("standards_for_industry", industry, False, (5, LINK_PAGE)), LinkReads)
    for page in (None, (0, None), (0, LINK_PAGE + 1)):
        assert store.prefetch_named_query("standards_for_industry", industry, True, page) is store


def _source(text: str, note: bool = False) -> Source:
    return Source("hier.doc", "§1", text, "note" if note else "quote")


def _industry(key: str) -> Node:
    return Node(f"hier.{key}", "Industry", {"en": key.title(), "zh": key}, {}, [_source(key)])


def test_unconfirmed_links_in_the_hierarchy(tmp_path: Path) -> None:
    """An unconfirmed hierarchy edge in the middle of a chain, an unconfirmed supporting edge and an
    unconfirmed standard: links read their statuses when unconfirmed facts are left out, and the
    answers, evidence and sources are those of whole edges."""
    store = MemoryStore(tmp_path / "graph.db")
    nodes = [_industry(key) for key in ("top", "b", "a", "c")]
    nodes += [
        Node(f"hier.s{i}", "Standard", {"en": f"S{i}", "zh": ""}, {}, [_source(f"s{i}")], status)
        for i, status in enumerate([CONFIRMED, CONFIRMED, CONFIRMED, "unconfirmed"])
    ]

    def edge(source: str, relation: str, target: str, status: str = CONFIRMED) -> Edge:
        sources = [_source(f"{source} {relation} {target}"), _source("curated", note=True)]
        return Edge(f"hier.{source}", relation, f"hier.{target}", sources, status)

    edges = [
        edge("b", "broader", "top"),
        edge("a", "broader", "b", "unconfirmed"),
        edge("c", "broader", "a"),
        edge("s0", "supports_industry", "c"),
        edge("s1", "supports_industry", "a"),
        edge("s2", "supports_industry", "top", "unconfirmed"),
        edge("s3", "supports_industry", "b"),
    ]
    store.upsert(GraphBatch(nodes, edges))
    for include in (True, False):
        params = {"industry": "hier.top", "include_unconfirmed": include}
        for offset, limit in [(0, 1), (0, 2), (1, 2), (0, 20), (0, None)]:
            mine = named_query_page(store, "standards_for_industry", params, offset, limit)
            assert mine == named_query_page(Plain(store), "standards_for_industry", params, offset, limit)  # type: ignore[arg-type]
    everything = named_query_page(store, "standards_for_industry", {"industry": "hier.top"}, 0, 20)
    assert [item.entity.id for item in everything.items] == ["hier.s0", "hier.s1", "hier.s2", "hier.s3"]
    assert [e.key for e in everything.items[0].evidence] == [
        ("hier.a", "broader", "hier.b"),
        ("hier.b", "broader", "hier.top"),
        ("hier.c", "broader", "hier.a"),
        ("hier.s0", "supports_industry", "hier.c"),
    ]
    assert everything.items[0].evidence[3].sources == edges[3].sources
    assert everything.items[2].evidence[0].status == "unconfirmed"
    confirmed = named_query_page(
        store, "standards_for_industry", {"industry": "hier.top", "include_unconfirmed": False}
    )
    assert [item.entity.id for item in confirmed.items] == ["hier.s0"]  # c hangs below a by a confirmed edge
    assert [e.key for e in confirmed.items[0].evidence] == [
        ("hier.c", "broader", "hier.a"),
        ("hier.s0", "supports_industry", "hier.c"),
    ]
