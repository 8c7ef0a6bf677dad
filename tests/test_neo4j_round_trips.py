"""Neo4j answers each named query and neighbourhood with ONE statement (graph/cypher.py compiles the
declaration), and those answers equal the embedded store's, including the edge cases of the
engine's algorithm: unconfirmed hierarchy links and nodes, a start of the wrong type, a missing
start, a hub cut by the neighbourhood limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from plankg.graph.engine import BadQuery, named_query_page, neighborhood, run_named_query
from plankg.graph.memory import MemoryStore
from plankg.graph.queries import NAMED_QUERIES
from plankg.graph.store import GraphStore, NotFound
from plankg.model import Edge, GraphBatch, Node, Source

DOC = "rt.doc"
U = "unconfirmed"


def _src(text: str) -> list[Source]:
    return [Source(DOC, "s1", text)]


def _node(node_id: str, type_name: str, status: str = "confirmed") -> Node:
    return Node(node_id, type_name, {"en": node_id, "zh": ""}, sources=_src(node_id), status=status)


def _edge(source: str, relation: str, target: str, status: str = "confirmed") -> Edge:
    return Edge(source, relation, target, _src(f"{source} {relation} {target}"), status)


def batch() -> GraphBatch:
    """An industry tree with unconfirmed links and nodes at every level, and a standards hub."""
    nodes = [_node(DOC, "Document"), _node("rt.plan", "Plan")]
    nodes += [_node(f"rt.ind.{name}", "Industry") for name in ("top", "a", "b", "c", "d")]
    nodes += [_node("rt.ind.u", "Industry", U), _node("rt.ind.under-u", "Industry")]
    nodes += [_node(f"rt.std.{i:03d}", "Standard", U if i % 7 == 0 else "confirmed") for i in range(60)]
    edges = [
        _edge("rt.ind.a", "broader", "rt.ind.top"),
        _edge("rt.ind.b", "broader", "rt.ind.a"),
        _edge("rt.ind.c", "broader", "rt.ind.top", U),  # an unconfirmed link ...
        _edge("rt.ind.d", "broader", "rt.ind.c"),  # ... with a confirmed one below it
        _edge("rt.ind.u", "broader", "rt.ind.a"),  # an unconfirmed node ...
        _edge("rt.ind.under-u", "broader", "rt.ind.u"),  # ... with a node below it
        _edge("rt.ind.b", "broader", "rt.ind.c"),  # two ways up
    ]
    industries = ["rt.ind.top", "rt.ind.a", "rt.ind.b", "rt.ind.c", "rt.ind.d", "rt.ind.u", "rt.ind.under-u"]
    for i in range(60):
        status = U if i % 5 == 0 else "confirmed"
        edges.append(_edge(f"rt.std.{i:03d}", "supports_industry", industries[i % len(industries)], status))
        edges.append(_edge(f"rt.std.{i:03d}", "supports_industry", "rt.ind.top"))
    return GraphBatch(nodes, edges)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> MemoryStore:
    store = MemoryStore(tmp_path_factory.mktemp("rt") / "graph.json")
    store.upsert(batch())
    return store


@pytest.fixture
def neo(neo4j_store: GraphStore) -> Iterator[GraphStore]:
    neo4j_store.upsert(batch())
    yield neo4j_store


class Primitives:
    """The store without its one-statement methods: the engine falls back to the primitives."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        if name.startswith("prefetch_"):
            raise AttributeError(name)
        return getattr(self._store, name)


def _answer(store: Any, name: str, params: dict[str, Any]) -> Any:
    try:
        return [item.to_dict() for item in run_named_query(store, name, params)]
    except (NotFound, BadQuery) as error:
        return type(error).__name__


def test_named_queries_match_the_embedded_store_and_the_primitive_path(neo: GraphStore, reference: MemoryStore) -> None:
    starts = [n.id for n in batch().nodes if not n.id.startswith("rt.std.0") or n.id.endswith("0")] + ["rt.none"]
    checked = 0
    for name, query in NAMED_QUERIES.items():
        for start in starts:
            for include in (True, False):
                params = {query.param: start, "include_unconfirmed": include}
                expected = _answer(reference, name, params)
                assert _answer(neo, name, params) == expected, (name, params)
                assert _answer(Primitives(neo), name, params) == expected, (name, params)
                checked += isinstance(expected, list) and bool(expected)
    assert checked > 10


def test_pages_are_cut_in_the_statement(neo: GraphStore, reference: MemoryStore) -> None:
    """A page of a query with steps comes from the statement itself (SKIP/LIMIT, the total uncut): the view
    holds the page's answer entities only, and the pages equal the embedded store's, hub and hierarchy included."""
    for include in (True, False):
        params = {"industry": "rt.ind.top", "include_unconfirmed": include}
        view = neo.prefetch_named_query("standards_for_industry", "rt.ind.top", include, (10, 7))  # type: ignore[attr-defined]
        expected = named_query_page(reference, "standards_for_industry", params, 10, 7)
        assert view.page_total == expected.total > 17
        answered = {i.entity.id for i in expected.items}
        assert {key for key in view._nodes if key.startswith("rt.std.")} == answered
        for offset in range(0, expected.total + 7, 7):
            page = named_query_page(neo, "standards_for_industry", params, offset, 7)
            theirs = named_query_page(reference, "standards_for_industry", params, offset, 7)
            assert ([i.to_dict() for i in page.items], page.total) == (
                [i.to_dict() for i in theirs.items],
                theirs.total,
            )
    whole = neo.prefetch_named_query("standards_for_industry", "rt.ind.top", True)  # type: ignore[attr-defined]
    assert whole.page_total is None  # no page asked: the statement returns the whole answer
    for include in (True, False):  # a document's statements: citing entities and the sources of citing edges
        params = {"document": DOC, "include_unconfirmed": include}
        view = neo.prefetch_named_query("document_statements", DOC, include, (5, 9))  # type: ignore[attr-defined]
        assert view.page_total == named_query_page(reference, "document_statements", params).total > 14
        assert len(view.nodes_citing(DOC)) <= 9
        for offset in range(0, view.page_total + 9, 9):
            page = named_query_page(neo, "document_statements", params, offset, 9)
            theirs = named_query_page(reference, "document_statements", params, offset, 9)
            assert ([i.to_dict() for i in page.items], page.total) == (
                [i.to_dict() for i in theirs.items],
                theirs.total,
            )


@pytest.mark.parametrize("direction", ["both", "out", "in"])
def test_neighbourhoods_match_the_embedded_store(neo: GraphStore, reference: MemoryStore, direction: str) -> None:
    for center in ("rt.ind.top", "rt.std.003", "rt.ind.c"):
        for relation in (None, "supports_industry", "broader"):
            for depth in (1, 2, 3):
                for limit in (1, 5, 17, 2000):
                    args = (center, relation, direction, depth, None, limit)
                    assert neighborhood(neo, *args).to_dict() == neighborhood(reference, *args).to_dict(), args
    typed = ("rt.ind.top", None, direction, 2, "Standard", 9)
    assert neighborhood(neo, *typed).to_dict() == neighborhood(reference, *typed).to_dict()
    with pytest.raises(NotFound):
        neighborhood(neo, "rt.none")


def test_paths_match_the_embedded_store(neo: GraphStore, reference: MemoryStore) -> None:
    pairs = [
        ("rt.ind.b", "rt.ind.top"),
        ("rt.std.003", "rt.std.010"),
        ("rt.ind.d", "rt.std.001"),
        ("rt.ind.a", "rt.ind.a"),
    ]
    for source, target in [*pairs, ("rt.ind.b", "rt.none")]:
        for bound in (0, 1, 2, 4):
            for limit in (-1, 0, 1, 3, 10):
                got = [p.to_dict() for p in neo.shortest_paths(source, target, bound, limit)]
                assert got == [p.to_dict() for p in reference.shortest_paths(source, target, bound, limit)]


def test_one_statement_per_question(neo: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Exactly one statement (in one managed read transaction), whatever the query's steps and hierarchy."""
    neo.ping()
    run_named_query(neo, "standards_for_industry", {"industry": "rt.ind.top"})  # schema ensured, statement cached
    calls: list[str] = []
    fetch, execute = neo._fetch, neo._execute  # type: ignore[attr-defined]
    monkeypatch.setattr(neo, "_fetch", lambda statement, **kw: calls.append("fetch") or fetch(statement, **kw))
    monkeypatch.setattr(neo, "_execute", lambda *a, **kw: calls.append("execute") or execute(*a, **kw))
    for name, params in [
        ("standards_for_industry", {"industry": "rt.ind.top", "include_unconfirmed": False}),
        ("industries_for_standard", {"standard": "rt.std.001"}),
        ("document_statements", {"document": DOC}),
    ]:
        calls.clear()
        assert run_named_query(neo, name, params)
        assert calls == ["fetch"], name
    calls.clear()
    assert neighborhood(neo, "rt.ind.top", depth=3, limit=30).nodes
    assert calls == ["fetch"]
    calls.clear()
    assert neo.shortest_paths("rt.ind.d", "rt.std.001", 4)
    assert calls == ["fetch"]


def test_statements_are_compiled_from_the_declarations() -> None:
    """Every named query compiles (one statement text per query), with no Neo4j needed."""
    from plankg.graph.cypher import Cypher
    from plankg.ontology.schema import load_schema

    schema = load_schema()
    labels = {name: t.neo4j_label for name, t in schema.node_types.items()}
    rel_types = {key: r.neo4j_type for key, r in schema.relation_types.items()}
    cypher = Cypher("Plankg", labels, rel_types)
    hierarchy = rel_types[schema.hierarchy_relation]
    for query in NAMED_QUERIES.values():
        steps = [(rel_types[s.relation], s.direction) for s in query.steps]
        text = cypher.named_query(labels[query.param_type], steps, hierarchy if query.expand_hierarchy else None)
        assert text.count("RETURN") == 1 + len(steps) + (2 if query.expand_hierarchy else 0)
        for rel_type, _ in steps:
            assert f"[r:{rel_type} " in text
    with pytest.raises(ValueError):
        cypher.named_query("Bad Label", [], None)


def test_lookups_by_id_force_an_index_seek() -> None:
    """Plain `USING INDEX` lets the planner scan the whole index once per UNWIND row (|ids| × |nodes|);
    bench/README.md "slow reads after a large load". Every hinted statement must say SEEK."""
    import inspect
    import re

    from plankg.graph import cypher as cy

    source = inspect.getsource(cy)
    hints = re.findall(r"USING INDEX (SEEK )?\{?\w+\}?:", source)
    assert len(hints) >= 4
    assert all(hints), "a `USING INDEX` hint without SEEK"
