"""The store contract: the embedded store and Neo4j give identical answers to the same questions.

Every test runs once per store (the `any_store` fixture) with the same assertions; answers
are compared with a reference MemoryStore loaded with the same batch, plus absolute checks
on a small hand-made plan so the memory run tests something too.
"""

from __future__ import annotations

import itertools
import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from bench.synthetic import generate
from plankg.graph.engine import BadQuery, induced_subgraph, named_query_page, neighborhood, run_named_query
from plankg.graph.memory import MemoryStore
from plankg.graph.queries import NAMED_QUERIES
from plankg.graph.store import GraphStore, NotFound, StoreError
from plankg.loaders import bundled_paths, prepare
from plankg.loaders.validate import validate_batch
from plankg.model import Edge, GraphBatch, Node, Source

MINI = Path(__file__).parent / "data" / "mini.yaml"
SYNTHETIC_ELEMENTS = 3000


@cache
def synthetic() -> GraphBatch:
    return validate_batch(generate(SYNTHETIC_ELEMENTS, plans=6, seed=7))


def fresh_synthetic() -> GraphBatch:
    """A copy the store may not share with other tests (upserts must not mutate, but be safe)."""
    batch = synthetic()
    return GraphBatch(
        [Node.from_dict(n.to_dict()) for n in batch.nodes], [Edge.from_dict(e.to_dict()) for e in batch.edges]
    )


def dump(store: GraphStore) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return [n.to_dict() for n in store.iter_nodes()], [e.to_dict() for e in store.iter_edges()]


def ids_of(items: list[Node]) -> list[str]:
    return [node.id for node in items]


def sample_ids(batch: GraphBatch, type_name: str, count: int = 4) -> list[str]:
    ids = [n.id for n in batch.nodes if n.type == type_name]
    if len(ids) <= count:
        return ids
    step = len(ids) / count
    return [ids[int(i * step)] for i in range(count)]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> MemoryStore:
    """The memory store's answers for the synthetic plan: what every store must say."""
    store = MemoryStore(tmp_path_factory.mktemp("reference") / "graph.json")
    store.upsert(fresh_synthetic())
    return store


@pytest.fixture
def loaded(any_store: GraphStore) -> GraphStore:
    any_store.upsert(fresh_synthetic())
    return any_store


def load_mini(store: GraphStore) -> None:
    store.upsert(prepare([MINI], store.known_types))


# ---------------------------------------------------------------- whole graph
def test_synthetic_plan_is_valid_and_deterministic() -> None:
    batch = synthetic()
    assert len(batch) == SYNTHETIC_ELEMENTS
    again = validate_batch(generate(SYNTHETIC_ELEMENTS, plans=6, seed=7))
    assert [n.to_dict() for n in again.nodes] == [n.to_dict() for n in batch.nodes]
    assert [e.to_dict() for e in again.edges] == [e.to_dict() for e in batch.edges]
    assert len({n.type for n in batch.nodes}) == 12
    assert {n.id for n in batch.nodes} >= {"industry.healthcare", "plan.gen-plan-0000", "gen-plan-0005.doc.final"}


def test_graph_equals_the_reference(loaded: GraphStore, reference: MemoryStore) -> None:
    assert dump(loaded) == dump(reference)
    assert loaded.stats() == reference.stats()
    stats = loaded.stats()
    assert stats["nodes"] + stats["edges"] == SYNTHETIC_ELEMENTS
    assert set(stats["node_types"]) >= {"Plan", "Goal", "Indicator", "Industry"}
    for type_name in stats["node_types"]:
        assert [n.to_dict() for n in loaded.iter_nodes(type_name)] == [
            n.to_dict() for n in reference.iter_nodes(type_name)
        ]
    assert list(loaded.iter_nodes("NoSuchType")) == []
    some = [*sample_ids(synthetic(), "Indicator"), "no.such-id", *sample_ids(synthetic(), "Industry")]
    assert {k: v.to_dict() for k, v in loaded.get_many(some).items()} == {
        k: v.to_dict() for k, v in reference.get_many(some).items()
    }
    assert loaded.known_types(some) == reference.known_types(some)
    assert loaded.get("no.such-id") is None
    indicator = loaded.get(some[0])
    assert indicator is not None and indicator.to_dict() == reference.get(some[0]).to_dict()  # type: ignore[union-attr]
    values = indicator.properties
    assert isinstance(values["target_value"], int | float) and isinstance(values["deadline"], str)


def test_property_values_round_trip_with_their_types(any_store: GraphStore) -> None:
    load_mini(any_store)
    doc = Source("mini.doc.d", "x", "y")
    nodes = [
        Node(
            "mini.ind.int",
            "Indicator",
            {"en": "Int", "zh": "整数"},
            {"target_value": 560000000, "unit": "users", "comparator": "gt", "deadline": "2023-12-31"},
            [doc],
        ),
        Node(
            "mini.ind.float",
            "Indicator",
            {"en": "Float", "zh": ""},
            {
                "target_value": 40.0,
                "target_max": 60.5,
                "unit": "percent",
                "comparator": "range",
                "deadline": "2025-01-01",
                "baseline_value": 0,
            },
            [doc],
        ),
    ]
    any_store.upsert(GraphBatch(nodes, []))
    whole = any_store.get("mini.ind.int")
    assert whole is not None and whole.properties["target_value"] == 560000000
    assert type(whole.properties["target_value"]) is int
    fraction = any_store.get("mini.ind.float")
    assert fraction is not None
    assert type(fraction.properties["target_value"]) is float and fraction.properties["target_value"] == 40.0
    assert type(fraction.properties["baseline_value"]) is int
    assert fraction.properties["deadline"] == "2025-01-01"
    assert fraction.labels == {"en": "Float", "zh": ""}


# ---------------------------------------------------------------- named queries
def query_cases(batch: GraphBatch) -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for name, query in NAMED_QUERIES.items():
        starts = sample_ids(batch, query.param_type, 5)
        if query.param_type == "Industry":
            starts += ["industry.healthcare", "industry.manufacturing"]
        for start in starts:
            for include in (True, False):
                cases.append((name, {query.param: start, "include_unconfirmed": include}))
    return cases


def test_every_named_query_answers_like_the_reference(loaded: GraphStore, reference: MemoryStore) -> None:
    answered = 0
    for name, params in query_cases(synthetic()):
        expected = [item.to_dict() for item in run_named_query(reference, name, params)]
        assert [item.to_dict() for item in run_named_query(loaded, name, params)] == expected, (name, params)
        answered += bool(expected)
    assert answered > len(NAMED_QUERIES)  # the cases are not all empty answers
    with pytest.raises(NotFound):
        run_named_query(loaded, "goals_of_plan", {"plan": "plan.no-such-plan"})


def test_named_queries_on_the_small_plan(any_store: GraphStore) -> None:
    load_mini(any_store)
    items = run_named_query(any_store, "standards_for_industry", {"industry": "industry.healthcare"})
    assert [item.entity.id for item in items] == ["mini.std.med", "mini.std.sm"]
    assert [e.key for e in items[1].evidence] == [
        ("industry.smart-healthcare", "broader", "industry.healthcare"),
        ("mini.std.sm", "supports_industry", "industry.smart-healthcare"),
    ]
    confirmed = run_named_query(
        any_store, "standards_for_industry", {"industry": "industry.healthcare", "include_unconfirmed": False}
    )
    assert [item.entity.id for item in confirmed] == ["mini.std.med"]
    statements = run_named_query(any_store, "document_statements", {"document": "mini.doc.d"})
    assert [item.entity.id for item in statements] == sorted(n.id for n in any_store.iter_nodes())


def test_named_query_pages_answer_like_the_reference(loaded: GraphStore, reference: MemoryStore) -> None:
    """Pages of every answer: the same items and total on both stores, and they add up to the whole answer."""
    paged = 0
    for name, params in query_cases(synthetic()):
        whole = [item.to_dict() for item in run_named_query(reference, name, params)]
        for limit in (1, 3):
            pages = []
            for offset in range(0, len(whole) + limit, limit):
                mine = named_query_page(loaded, name, params, offset, limit)
                theirs = named_query_page(reference, name, params, offset, limit)
                assert (mine.total, mine.offset) == (theirs.total, theirs.offset) == (len(whole), offset)
                assert [i.to_dict() for i in mine.items] == [i.to_dict() for i in theirs.items], (name, params, offset)
                pages += [i.to_dict() for i in mine.items]
            assert pages == whole, (name, params, limit)
        paged += len(whole) > 3
        rest = named_query_page(loaded, name, params, 2)  # an offset without a limit: the rest of the answer
        assert ([i.to_dict() for i in rest.items], rest.total) == (whole[2:], len(whole))
    assert paged > 5  # some answers do span pages
    with pytest.raises(BadQuery):
        named_query_page(loaded, "goals_of_plan", {"plan": sample_ids(synthetic(), "Plan", 1)[0]}, 0, 0)


def test_named_query_pages_on_the_small_plan(any_store: GraphStore) -> None:
    load_mini(any_store)
    params = {"industry": "industry.healthcare"}
    first = named_query_page(any_store, "standards_for_industry", params, 0, 1)
    second = named_query_page(any_store, "standards_for_industry", params, 1, 1)
    assert (first.total, [i.entity.id for i in first.items]) == (2, ["mini.std.med"])
    assert (second.total, [i.entity.id for i in second.items]) == (2, ["mini.std.sm"])
    assert [e.key for e in second.items[0].evidence] == [
        ("industry.smart-healthcare", "broader", "industry.healthcare"),
        ("mini.std.sm", "supports_industry", "industry.smart-healthcare"),
    ]
    past = named_query_page(any_store, "standards_for_industry", params, 5, 1)
    assert (past.total, past.items) == (2, [])
    statements = named_query_page(any_store, "document_statements", {"document": "mini.doc.d"}, 1, 2)
    assert [item.entity.id for item in statements.items] == sorted(n.id for n in any_store.iter_nodes())[1:3]


# ---------------------------------------------------------------- search
SEARCHES = [
    "smart",
    "ＳＭＡＲＴ",
    "Smart Healthcare",
    "智慧",
    "医疗",
    "industry.",
    "plan",
    "gen-plan-0003",
    "goal group 1",
    "标准",
    "",
    "   ",
    "zzz-no-match",
    "x' OR 1=1 //",
    "Indicator",
]


def test_search_answers_like_the_reference(loaded: GraphStore, reference: MemoryStore) -> None:
    for text in SEARCHES:
        for type_name, status in [
            (None, None),
            ("Industry", None),
            ("Goal", "unconfirmed"),
            (None, "confirmed"),
            ("NoSuchType", None),
        ]:
            for limit, offset in [(20, 0), (7, 5), (1000, 0), (0, 0), (5, 100000)]:
                mine = loaded.search(text, type_name, status, limit, offset)
                theirs = reference.search(text, type_name, status, limit, offset)
                assert (ids_of(mine.items), mine.total) == (ids_of(theirs.items), theirs.total), (
                    text,
                    type_name,
                    status,
                    limit,
                    offset,
                )
                assert [n.to_dict() for n in mine.items] == [n.to_dict() for n in theirs.items]


def test_search_pages_add_up(loaded: GraphStore) -> None:
    full = loaded.search("plan", limit=10_000)
    assert full.total == len(full.items) > 20
    pages = [loaded.search("plan", limit=7, offset=offset) for offset in range(0, full.total, 7)]
    assert all(page.total == full.total for page in pages)
    assert [n.id for page in pages for n in page.items] == ids_of(full.items)


def test_search_is_case_and_width_insensitive_and_ranked(any_store: GraphStore) -> None:
    load_mini(any_store)
    smart = any_store.search("smart")
    assert ids_of(smart.items) == ["industry.smart-healthcare", "mini.std.sm"]  # both prefix matches, then by id
    assert ids_of(any_store.search("ＳＭＡＲＴ").items) == ids_of(smart.items)
    assert ids_of(any_store.search("SMART HEALTHCARE").items) == ["industry.smart-healthcare"]  # exact first
    assert ids_of(any_store.search("医疗").items) == ["industry.healthcare", "industry.smart-healthcare"]
    assert ids_of(any_store.search("智慧医疗").items) == ["industry.smart-healthcare"]
    assert any_store.search("medical", type_name="Standard", status="unconfirmed").total == 0
    assert any_store.search("med", type_name="Standard").total == 2
    everything = any_store.search("", limit=2, offset=1)
    assert everything.total == 5 and ids_of(everything.items) == ["industry.smart-healthcare", "mini.doc.d"]


# ---------------------------------------------------------------- neighbours, subgraphs, paths
def test_neighborhoods_answer_like_the_reference(loaded: GraphStore, reference: MemoryStore) -> None:
    batch = synthetic()
    centres = [*sample_ids(batch, "Goal", 1), *sample_ids(batch, "Industry", 2), "plan.gen-plan-0001"]
    filters = [(None, None), ("contributes_to", None), ("targets_industry", "Goal"), (None, "Standard")]
    for centre, depth, direction, (relation, type_name) in itertools.product(
        centres, (1, 2, 3), ("out", "in", "both"), filters
    ):
        args = (centre, relation, direction, depth, type_name)
        assert neighborhood(loaded, *args).to_dict() == neighborhood(reference, *args).to_dict(), args
    limited = neighborhood(loaded, "industry.healthcare", depth=3, limit=25)
    assert limited.to_dict() == neighborhood(reference, "industry.healthcare", depth=3, limit=25).to_dict()
    assert len(limited.nodes) <= 25
    ids = sample_ids(batch, "Measure", 10) + sample_ids(batch, "Goal", 10)
    assert induced_subgraph(loaded, ids).to_dict() == induced_subgraph(reference, ids).to_dict()
    assert (
        induced_subgraph(loaded, ids, "contributes_to").to_dict()
        == induced_subgraph(reference, ids, "contributes_to").to_dict()
    )


def test_primitives_answer_like_the_reference(loaded: GraphStore, reference: MemoryStore) -> None:
    batch = synthetic()
    ids = sample_ids(batch, "Measure", 6) + sample_ids(batch, "Industry", 3) + ["no.such-id"]
    for relation, direction in itertools.product(
        (None, "contributes_to", "broader", "not_a_relation"), ("out", "in", "both", "sideways")
    ):
        assert loaded.edges_of(ids, relation, direction) == reference.edges_of(ids, relation, direction)
    for industry in [*sample_ids(batch, "Industry", 6), "industry.healthcare", "no.such-id"]:
        assert loaded.descendants(industry, "broader") == reference.descendants(industry, "broader")
    for document in [*sample_ids(batch, "Document", 4), "no.such-doc", "x' }) //"]:
        assert loaded.edges_citing(document) == reference.edges_citing(document)
        assert [n.to_dict() for n in loaded.nodes_citing(document)] == [
            n.to_dict() for n in reference.nodes_citing(document)
        ]


def test_shortest_paths_answer_like_the_reference(loaded: GraphStore, reference: MemoryStore) -> None:
    batch = synthetic()
    goals = sample_ids(batch, "Goal", 3)
    standards = sample_ids(batch, "Standard", 3)
    pairs = [(g, s) for g in goals for s in standards] + [
        ("plan.gen-plan-0000", "plan.gen-plan-0004"),
        ("industry.healthcare", "industry.energy"),
        (goals[0], goals[0]),
        (goals[0], "no.such-id"),
    ]
    found = 0
    for (source, target), (max_length, limit) in itertools.product(pairs, [(6, 10), (2, 3), (4, 1), (8, 50)]):
        mine = [p.to_dict() for p in loaded.shortest_paths(source, target, max_length, limit)]
        assert mine == [p.to_dict() for p in reference.shortest_paths(source, target, max_length, limit)], (
            source,
            target,
            max_length,
            limit,
        )
        found += bool(mine)
    assert found > 10


def test_shortest_paths_on_the_small_plan(any_store: GraphStore) -> None:
    load_mini(any_store)
    paths = any_store.shortest_paths("mini.std.med", "mini.std.sm")
    assert len(paths) == 1
    assert ids_of(paths[0].nodes) == ["mini.std.med", "industry.healthcare", "industry.smart-healthcare", "mini.std.sm"]
    assert [e.relation for e in paths[0].edges] == ["broader", "supports_industry", "supports_industry"]
    assert any_store.shortest_paths("mini.std.med", "mini.std.sm", max_length=2) == []


# ---------------------------------------------------------------- writes
def test_loading_twice_gives_the_same_graph(any_store: GraphStore) -> None:
    first = any_store.revision()
    any_store.upsert(fresh_synthetic())
    once, stats = dump(any_store), any_store.stats()
    second = any_store.revision()
    any_store.upsert(fresh_synthetic())
    assert dump(any_store) == once
    assert any_store.stats() == stats
    assert len({first, second, any_store.revision()}) == 3


def test_reload_merges_sources_and_replaces_the_rest(any_store: GraphStore) -> None:
    load_mini(any_store)
    old = any_store.get("industry.healthcare")
    assert old is not None
    extra = Source("mini.doc.d", "later", "another quote")
    changed = Node(
        "industry.healthcare",
        "Industry",
        {"en": "Health care", "zh": ""},
        {"description": "new"},
        [extra],
        "unconfirmed",
    )
    edge = Edge("mini.std.med", "supports_industry", "industry.healthcare", [extra], "unconfirmed")
    any_store.upsert(GraphBatch([changed], [edge]))
    node = any_store.get("industry.healthcare")
    assert node is not None
    assert node.to_dict() == {**changed.to_dict(), "sources": [s.to_dict() for s in sorted({*old.sources, extra})]}
    stored = [e for e in any_store.edges_of(["mini.std.med"], "supports_industry", "out")]
    assert len(stored) == 1 and stored[0].status == "unconfirmed" and extra in stored[0].sources
    assert len(stored[0].sources) == 2


def test_a_type_change_replaces_the_type(any_store: GraphStore) -> None:
    load_mini(any_store)
    node = any_store.get("mini.std.sm")
    assert node is not None
    any_store.upsert(GraphBatch([Node(node.id, "Program", node.labels, {}, node.sources, node.status)], []))
    assert any_store.known_types([node.id]) == {node.id: "Program"}
    assert ids_of(list(any_store.iter_nodes("Program"))) == [node.id]
    assert node.id not in ids_of(list(any_store.iter_nodes("Standard")))
    assert any_store.stats()["node_types"]["Standard"] == 1
    assert ids_of(any_store.search("smart med", type_name="Program").items) == [node.id]


BAD_WRITES = ["dangling_edge", "unserialisable_value"]


@pytest.mark.parametrize("failure", BAD_WRITES)
def test_a_failing_write_changes_nothing(any_store: GraphStore, failure: str) -> None:
    load_mini(any_store)
    before, stats, revision = dump(any_store), any_store.stats(), any_store.revision()
    doc = [Source("mini.doc.d", "x", "y")]
    nodes = [
        Node("industry.healthcare", "Industry", {"en": "CHANGED", "zh": "改"}, {}, doc),  # an update, written first
        Node("mini.goal.new", "Goal", {"en": "New goal"}, {}, doc),
    ]
    edges = [Edge("mini.goal.new", "targets_industry", "industry.healthcare", doc)]
    if failure == "dangling_edge":
        edges.append(Edge("mini.goal.new", "targets_industry", "industry.not-there", doc))
    else:
        nodes.append(Node("mini.ind.bad", "Indicator", {"en": "Bad"}, {"target_value": complex(1, 2)}, doc))
    with pytest.raises(Exception):  # noqa: B017 - each store refuses in its own words
        any_store.upsert(GraphBatch(nodes, edges))
    assert dump(any_store) == before
    assert any_store.stats() == stats
    assert any_store.revision() == revision


def test_neo4j_refusing_a_value_mid_transaction_changes_nothing(neo4j_store: GraphStore) -> None:
    """A nested map passes Python but Neo4j refuses it in the second statement: all must roll back."""
    load_mini(neo4j_store)
    before = dump(neo4j_store)
    doc = [Source("mini.doc.d", "x", "y")]
    batch = GraphBatch(
        [
            Node("industry.healthcare", "Industry", {"en": "CHANGED"}, {}, doc),
            Node("mini.std.new", "Standard", {"en": "New"}, {}, doc),
            Node("mini.ind.nested", "Indicator", {"en": "Nested"}, {"target_value": {"nested": {"map": 1}}}, doc),
        ],
        [Edge("mini.std.new", "supports_industry", "industry.healthcare", doc)],
    )
    with pytest.raises(StoreError):
        neo4j_store.upsert(batch)
    assert dump(neo4j_store) == before


def test_progress_is_reported(any_store: GraphStore) -> None:
    calls: list[tuple[int, int]] = []
    batch = fresh_synthetic()
    summary = any_store.upsert(batch, lambda done, total: calls.append((done, total)))
    assert (summary.nodes, summary.edges) == (len(batch.nodes), len(batch.edges))
    assert calls and calls[-1] == (len(batch), len(batch))
    assert all(total == len(batch) for _done, total in calls)


def test_clear_empties_the_graph(any_store: GraphStore) -> None:
    load_mini(any_store)
    revision = any_store.revision()
    any_store.clear()
    assert dump(any_store) == ([], [])
    assert any_store.stats()["nodes"] == 0 and all(v == 0 for v in any_store.stats()["node_types"].values())
    assert any_store.revision() != revision
    assert any_store.ping() is True


# ---------------------------------------------------------------- export round trip
def _other_store(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    if kind == "memory":
        return request.getfixturevalue("neo4j_store")
    return MemoryStore(tmp_path / "other.json")


@pytest.mark.parametrize("fmt", ["csv", "turtle", "graphml"])
def test_export_from_one_store_loads_into_the_other(
    any_store: GraphStore, request: pytest.FixtureRequest, tmp_path: Path, fmt: str
) -> None:
    from plankg.graph.export import export_stream
    from plankg.model import formats

    if fmt == "csv":
        any_store.upsert(fresh_synthetic())
    else:
        load_mini(any_store)
    path = tmp_path / f"export{formats.FORMATS[fmt].extension}"
    path.write_text("".join(export_stream(any_store.iter_nodes(), any_store.iter_edges(), fmt)), encoding="utf-8")
    other = _other_store(any_store.kind, request, tmp_path)
    other.upsert(prepare([path], other.known_types, shapes=False))
    assert dump(other) == dump(any_store)
    assert other.stats() == any_store.stats()


# ---------------------------------------------------------------- injection
NASTY = "x' }) DETACH DELETE n //"


def test_hostile_values_are_stored_verbatim(any_store: GraphStore) -> None:
    load_mini(any_store)
    before_ids = ids_of(list(any_store.iter_nodes()))
    doc = [Source("mini.doc.d", NASTY, 'quote with "double" and `back` ticks')]
    hostile = Node(
        NASTY,
        "Goal",
        {"en": NASTY + " a`b\"c'd }) MATCH (m)", "zh": "注入'`"},
        {"description": "$param {x: 1} \\u0027"},
        doc,
    )
    edge = Edge(NASTY, "targets_industry", "industry.healthcare", doc)
    any_store.upsert(GraphBatch([hostile], [edge]))
    assert sorted([*before_ids, NASTY]) == ids_of(list(any_store.iter_nodes()))
    stored = any_store.get(NASTY)
    assert stored is not None and stored.to_dict() == hostile.to_dict()
    assert [e.to_dict() for e in any_store.edges_of([NASTY])] == [edge.to_dict()]
    assert ids_of(any_store.search("DETACH DELETE").items) == [NASTY]
    assert ids_of(any_store.search(NASTY).items) == [NASTY]
    assert any_store.get("x' OR 1=1 //") is None
    assert any_store.edges_of(["industry.healthcare"], "X]-() DETACH DELETE n //") == []
    assert any_store.descendants("industry.healthcare", "X]-() DETACH DELETE n //") == []
    assert any_store.search("", type_name="Goal` DETACH DELETE n //").total == 0
    assert list(any_store.iter_nodes("Goal` DETACH DELETE n //")) == []
    assert len(list(any_store.iter_nodes())) == len(before_ids) + 1


@pytest.mark.parametrize("bad", ["relation", "type"])
def test_names_outside_the_ontology_are_refused_or_inert(any_store: GraphStore, bad: str) -> None:
    load_mini(any_store)
    before = dump(any_store)
    doc = [Source("mini.doc.d", "x", "y")]
    if bad == "relation":
        batch = GraphBatch([], [Edge("mini.std.med", "KNOWS]->() DETACH DELETE n //", "industry.healthcare", doc)])
    else:
        batch = GraphBatch([Node("mini.evil", "Goal:Admin` DETACH DELETE n //", {"en": "evil"}, {}, doc)], [])
    try:
        any_store.upsert(batch)
        refused = False
    except (ValueError, StoreError):
        refused = True
    if any_store.kind == "neo4j":
        assert refused  # never interpolated into Cypher
    if refused:
        assert dump(any_store) == before
    else:  # the embedded store keeps it as an inert value; nothing else changed
        nodes, edges = dump(any_store)
        assert set(map(str, before[0])) <= set(map(str, nodes)) and set(map(str, before[1])) <= set(map(str, edges))


def test_bad_path_length_is_refused(loaded: GraphStore) -> None:
    goals = sample_ids(synthetic(), "Goal", 2)
    with pytest.raises((TypeError, ValueError)):
        loaded.shortest_paths(goals[0], goals[1], "3]-() DETACH DELETE n //")  # type: ignore[arg-type]
    assert loaded.stats()["nodes"] == len(synthetic().nodes)


# ---------------------------------------------------------------- bundled plan
def _bundled(store: GraphStore) -> GraphBatch:
    """The bundled plans, validated against what the store holds (a broken bundle fails, never skips)."""
    return prepare(bundled_paths(), store.known_types)


def test_bundled_plan_answers_like_the_reference(any_store: GraphStore, tmp_path: Path) -> None:
    reference = MemoryStore(tmp_path / "bundled-reference.json")
    batch = _bundled(reference)
    reference.upsert(batch)
    any_store.upsert(_bundled(any_store))
    assert dump(any_store) == dump(reference)
    assert any_store.stats() == reference.stats()
    for name, query in NAMED_QUERIES.items():
        starts = [n.id for n in batch.nodes if n.type == query.param_type][:6]
        if query.example and any(n.id == query.example for n in batch.nodes):
            starts.append(query.example)
        for start in starts:
            params = {query.param: start}
            assert [i.to_dict() for i in run_named_query(any_store, name, params)] == [
                i.to_dict() for i in run_named_query(reference, name, params)
            ], (name, start)
    for text in ("5G", "５Ｇ", "smart", "医疗", "标准", "industry.healthcare"):
        assert ids_of(any_store.search(text, limit=50).items) == ids_of(reference.search(text, limit=50).items)


# ---------------------------------------------------------------- outages
def test_an_unreachable_neo4j_is_a_store_error_quickly() -> None:
    from plankg.graph.neo4j_store import Neo4jStore

    store = Neo4jStore("bolt://127.0.0.1:9", "neo4j", "wrong")
    started = time.monotonic()
    try:
        with pytest.raises(StoreError, match="unreachable"):
            store.ping()
        with pytest.raises(StoreError):
            store.get("industry.healthcare")
    finally:
        store.close()
    assert time.monotonic() - started < 10


# ---------------------------------------------------------------- plans: diff, derived, deadlines, analytics, unload
PLAN_PAIRS = [
    ("miit-5g-sailing-2021.doc.draft", "miit-5g-sailing-2021.doc.final"),
    ("plan.miit-5g-sailing-2021", "plan.miit-5g-upgrade-2024"),
    ("plan.miit-5g-sailing-2021", "plan.guangzhou-5g-2021"),
]


def test_plan_questions_answer_like_the_reference(any_store: GraphStore, tmp_path: Path) -> None:
    from plankg.graph import analytics, report, timeline
    from plankg.graph.derive import answer
    from plankg.graph.diff import diff
    from plankg.graph.queries import DERIVATIONS

    reference = MemoryStore(tmp_path / "plans-reference.json")
    batch = _bundled(reference)
    reference.upsert(batch)
    any_store.upsert(_bundled(any_store))
    for a, b in PLAN_PAIRS:
        assert diff(any_store, a, b) == diff(reference, a, b), (a, b)
    for name in DERIVATIONS:
        query = NAMED_QUERIES[name]
        for start in [n.id for n in batch.nodes if n.type == query.param_type]:
            for include in (True, False):
                params = {query.param: start, "include_unconfirmed": include}
                ours, theirs = answer(any_store, name, params), answer(reference, name, params)
                assert [d.to_dict() for d in ours.derived] == [d.to_dict() for d in theirs.derived], (name, start)
                assert [i.to_dict() for i in ours.items] == [i.to_dict() for i in theirs.items], (name, start)
    for window in (timeline.Window(), timeline.Window(year=2027), timeline.Window(by=None, overdue_at=None)):
        assert timeline.deadlines(any_store, window=window) == timeline.deadlines(reference, window=window)
    assert analytics.coverage(any_store) == analytics.coverage(reference)
    assert analytics.centrality(any_store) == analytics.centrality(reference)
    assert analytics.plan_summaries(any_store) == analytics.plan_summaries(reference)
    assert report.build(any_store, "plan.miit-5g-upgrade-2024") == report.build(reference, "plan.miit-5g-upgrade-2024")


def test_unload_and_reload_answer_like_the_reference(any_store: GraphStore, tmp_path: Path) -> None:
    from plankg.graph.retract import unload

    reference = MemoryStore(tmp_path / "unload-reference.json")
    reference.upsert(_bundled(reference))
    any_store.upsert(_bundled(any_store))
    original = dump(reference)
    assert dump(any_store) == original
    for entity_id in ("miit-5g-sailing-2021.doc.draft", "plan.miit-5g-upgrade-2024", "vocab.plankg-taxonomy"):
        ours, theirs = unload(any_store, entity_id), unload(reference, entity_id)
        assert ours.to_dict() == theirs.to_dict(), entity_id
        assert ours.removed_nodes, entity_id
        assert dump(any_store) == dump(reference), entity_id
        any_store.upsert(_bundled(any_store))
        reference.upsert(_bundled(reference))
        assert dump(any_store) == original, entity_id
    documents = ["miit-5g-upgrade-2024.doc.final"]
    ours_summary = any_store.retract(documents, _bundled(any_store))
    theirs_summary = reference.retract(documents, _bundled(reference))
    assert ours_summary.to_dict() == theirs_summary.to_dict()
    assert dump(any_store) == original


def test_curatorial_notes_keep_their_kind_on_both_stores(any_store: GraphStore) -> None:
    load_mini(any_store)
    note = Source("mini.doc.d", "Curation", "Grouped with healthcare by the curator.", "note")
    quote = Source("mini.doc.d", "p. 1", "medical care")
    node = Node("industry.noted", "Industry", {"en": "Noted", "zh": ""}, {}, [note, quote])
    any_store.upsert(GraphBatch(nodes=[node], edges=[Edge("industry.noted", "broader", "industry.healthcare", [note])]))
    stored = any_store.get("industry.noted")
    assert stored is not None and sorted(stored.sources) == sorted([note, quote])
    assert [s.kind for s in sorted(stored.sources)] == [s.kind for s in sorted([note, quote])]
    (edge,) = [e for e in any_store.edges_of(["industry.noted"], "broader", "out")]
    assert edge.sources == [note] and edge.sources[0].is_note
