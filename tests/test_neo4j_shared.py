"""Neo4j shared with other applications: foreign data never reaches an answer, the shape is plain
Cypher, and any write — by anyone — changes the revision.

Foreign data is written with the official driver beside plankg's: nodes with plankg-looking labels
(`Entity`, `Industry`, `Standard`, `GraphState`) and properties (old and new shape, the same ids),
relationships of ontology types between foreign nodes, from foreign to plankg nodes and between
plankg nodes. Every answer is compared with the embedded store loaded with the same batch.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest
import test_contract as contract
from fastapi.testclient import TestClient
from test_contract import MINI, dump, fresh_synthetic, load_mini, sample_ids, synthetic
from typer.testing import CliRunner

from plankg.api.app import create_app
from plankg.api.settings import ApiSettings
from plankg.cli.main import app as cli_app
from plankg.graph.engine import run_named_query
from plankg.graph.memory import MemoryStore
from plankg.graph.neo4j_store import Neo4jStore
from plankg.graph.store import GraphStore
from plankg.loaders import prepare
from plankg.model import Edge, GraphBatch, Node, Source

ROOT = Path(__file__).resolve().parent.parent
COOKBOOK = ROOT / "graph" / "NEO4J.md"
DOC = Source("mini.doc.d", "x", "y")


@pytest.fixture(scope="module")
def driver(neo4j_settings: dict[str, str]) -> Iterator[neo4j.Driver]:
    with neo4j.GraphDatabase.driver(
        neo4j_settings["uri"], auth=(neo4j_settings["user"], neo4j_settings["password"])
    ) as the_driver:
        yield the_driver


class Foreign:
    """Another application's data in the same database, tagged so the test can remove it again."""

    def __init__(self, driver: neo4j.Driver, database: str) -> None:
        self.driver, self.database, self.run_id = driver, database, uuid.uuid4().hex

    def write(self, cypher: str, **params: Any) -> None:
        self.driver.execute_query(cypher, {**params, "run": self.run_id}, database_=self.database)

    def nodes(self) -> None:
        """Before plankg loads: nodes that look like plankg's (old and new shape), and their relationships."""
        self.write("CREATE (:Entity {id: 'crm.customer-1', name: 'ACME', fixture: $run})")
        self.write(
            "CREATE (:Entity {id: 'industry.healthcare', type: 'Industry', label_en: 'Old shape', status: 'confirmed', "
            "sources: '[[\"mini.doc.d\", \"x\", \"y\"]]', docs: ['mini.doc.d'], cited: 'mini.doc.d', "
            "search_en: 'healthcare', fixture: $run})"
        )
        self.write(
            "CREATE (:Industry {id: 'industry.healthcare', label_en: 'Healthcare (CRM)', status: 'confirmed', "
            "_search: 'healthcare\nsmart', source_documents: ['mini.doc.d'], source_locators: ['x'], "
            "source_quotes: ['fake'], aliases_en: ['smart'], fixture: $run})"
        )
        self.write(
            "CREATE (s:Standard:Entity {id: 'crm.std.smart', label_en: 'Smart med', _search: 'smart med', "
            "status: 'unconfirmed', source_documents: ['mini.doc.d'], fixture: $run}) "
            "WITH s MATCH (i:Industry {fixture: $run}) "
            "CREATE (s)-[:SUPPORTS_INDUSTRY {graph: 'Plankg', status: 'confirmed', source_documents: ['mini.doc.d'], "
            "fixture: $run}]->(i)"
        )
        self.write("CREATE (:GraphState {key: 'plankg', revision: 41, token: 'crm', fixture: $run})")
        self.write("CREATE (:Document {id: 'mini.doc.d', label_en: 'CRM copy', fixture: $run})")

    def relationships(self, pairs: list[tuple[str, str]]) -> None:
        """After plankg loads: relationships touching plankg's nodes that plankg did not write."""
        for a, b in pairs:
            for rel, props in [
                ("SUPPORTS_INDUSTRY", "{status: 'confirmed', source_documents: ['mini.doc.d'], fixture: $run}"),
                ("BROADER", "{graph: 'Other', fixture: $run}"),
                ("LIKES", "{graph: 'Plankg', fixture: $run}"),
                ("CONTRIBUTES_TO", "{fixture: $run}"),
            ]:
                self.write(
                    f"MATCH (a {{id: $a}}), (b {{id: $b}}) WHERE a.fixture IS NULL AND b.fixture IS NULL "
                    f"CREATE (a)-[:{rel} {props}]->(b)",
                    a=a,
                    b=b,
                )
            self.write(
                "MATCH (a {id: $a}) WHERE a.fixture IS NULL MATCH (f:Entity {fixture: $run, id: 'crm.customer-1'}) "
                "CREATE (f)-[:TARGETS_INDUSTRY {graph: 'Plankg', status: 'confirmed', fixture: $run}]->(a) "
                "CREATE (a)-[:BROADER {graph: 'Plankg', status: 'confirmed', fixture: $run}]->(f)",
                a=a,
            )

    def count(self) -> int:
        records, _, _ = self.driver.execute_query(
            "MATCH (n {fixture: $run}) RETURN count(n) AS c", run=self.run_id, database_=self.database
        )
        return int(records[0]["c"])

    def remove(self) -> None:
        self.write("MATCH ()-[r {fixture: $run}]->() DELETE r")
        self.write("MATCH (n {fixture: $run}) DETACH DELETE n")


@pytest.fixture
def foreign(driver: neo4j.Driver, neo4j_settings: dict[str, str], neo4j_store: GraphStore) -> Iterator[Foreign]:
    data = Foreign(driver, neo4j_settings["database"])
    data.nodes()
    try:
        yield data
    finally:
        data.remove()


@pytest.fixture
def reference(tmp_path: Path) -> MemoryStore:
    store = MemoryStore(tmp_path / "reference.json")
    store.upsert(fresh_synthetic())
    return store


def foreign_pairs() -> list[tuple[str, str]]:
    batch = synthetic()
    measures, goals = sample_ids(batch, "Measure", 3), sample_ids(batch, "Goal", 3)
    standards, industries = sample_ids(batch, "Standard", 3), sample_ids(batch, "Industry", 3)
    return [*zip(measures, goals, strict=True), *zip(standards, industries, strict=True), (industries[0], goals[0])]


# ---------------------------------------------------------------- 1. foreign data never reaches an answer
def test_every_answer_is_unchanged_by_foreign_data(
    neo4j_store: GraphStore, foreign: Foreign, reference: MemoryStore
) -> None:
    neo4j_store.upsert(fresh_synthetic())
    foreign.relationships(foreign_pairs())
    contract.test_graph_equals_the_reference(neo4j_store, reference)
    contract.test_every_named_query_answers_like_the_reference(neo4j_store, reference)
    contract.test_search_answers_like_the_reference(neo4j_store, reference)
    contract.test_neighborhoods_answer_like_the_reference(neo4j_store, reference)
    contract.test_primitives_answer_like_the_reference(neo4j_store, reference)
    contract.test_shortest_paths_answer_like_the_reference(neo4j_store, reference)


def api_answers(store: GraphStore) -> dict[str, Any]:
    client = TestClient(create_app(store, ApiSettings()), raise_server_exceptions=False)
    answers: dict[str, Any] = {"ready": client.get("/ready").status_code}
    for name, url, params in [
        ("entities", "/api/v1/entities", {"limit": 100}),
        ("search", "/api/v1/entities", {"q": "healthcare"}),
        ("entity", "/api/v1/entities/industry.healthcare", None),
        ("neighbors", "/api/v1/entities/industry.healthcare/neighbors", {"depth": 2}),
        ("query", "/api/v1/queries/standards_for_industry", {"industry": "industry.healthcare"}),
        ("statements", "/api/v1/queries/document_statements", {"document": "mini.doc.d"}),
        ("turtle", "/api/v1/export", {"format": "turtle"}),
        ("csv", "/api/v1/export", {"format": "csv"}),
        ("jsonld", "/api/v1/export", {"format": "jsonld"}),
        ("graphml", "/api/v1/export", {"format": "graphml"}),
        ("sparql", "/api/v1/sparql", {"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"}),
    ]:
        response = client.get(url, params=params)
        answers[name] = (response.status_code, response.text)
    return answers


def cli_answers(env: dict[str, str], *store_args: str) -> dict[str, Any]:
    runner = CliRunner()
    answers = {}
    for name, args in [
        ("stats", ["stats", "--json", *store_args]),
        ("export", ["export", "--format", "turtle", *store_args]),
        ("search", ["search", "smart", "--json", *store_args]),
    ]:
        result = runner.invoke(cli_app, args, env=env)
        output = json.loads(result.stdout) if "--json" in args else result.stdout
        if isinstance(output, dict):
            output.pop("store", None)  # the store kind, the one intended difference
        answers[name] = (result.exit_code, output)
    return answers


def test_api_exports_sparql_and_cli_ignore_foreign_data(
    neo4j_store: GraphStore, foreign: Foreign, neo4j_settings: dict[str, str], tmp_path: Path
) -> None:
    load_mini(neo4j_store)
    foreign.relationships([("mini.std.med", "industry.smart-healthcare"), ("industry.healthcare", "mini.std.sm")])
    memory = MemoryStore(tmp_path / "graph.json")
    load_mini(memory)
    mine, theirs = api_answers(neo4j_store), api_answers(memory)
    assert mine["ready"] == 200
    for name in theirs:
        assert mine[name] == theirs[name], name
    env = {
        "NEO4J_URI": neo4j_settings["uri"],
        "NEO4J_USER": neo4j_settings["user"],
        "NEO4J_PASSWORD": neo4j_settings["password"],
        "NEO4J_DATABASE": neo4j_settings["database"],
        "PLANKG_STORE": "",
    }
    on_neo4j = cli_answers(env, "--store", "neo4j")
    assert all(code == 0 for code, _ in on_neo4j.values()), on_neo4j
    assert on_neo4j == cli_answers({"NEO4J_URI": ""}, "--db", str(tmp_path / "graph.json"))


def test_clear_removes_only_plankgs_data(neo4j_store: GraphStore, foreign: Foreign) -> None:
    load_mini(neo4j_store)
    foreign.relationships([("mini.std.med", "industry.smart-healthcare")])
    before = foreign.count()
    neo4j_store.clear()
    assert dump(neo4j_store) == ([], [])
    assert foreign.count() == before


def test_a_second_owner_label_is_a_separate_graph(
    neo4j_store: GraphStore, neo4j_settings: dict[str, str], tmp_path: Path
) -> None:
    load_mini(neo4j_store)
    staging = Neo4jStore(
        neo4j_settings["uri"],
        neo4j_settings["user"],
        neo4j_settings["password"],
        neo4j_settings["database"],
        owner_label="PlankgStaging",
    )
    try:
        batch = GraphBatch([Node("industry.healthcare", "Industry", {"en": "Staging health"}, {}, [DOC])], [])
        staging.upsert(batch)
        assert [n.labels["en"] for n in staging.iter_nodes()] == ["Staging health"]
        memory = MemoryStore(tmp_path / "graph.json")
        load_mini(memory)
        assert dump(neo4j_store) == dump(memory)
        assert neo4j_store.stats() == memory.stats()
        staging.clear()
    finally:
        staging.close()
    with pytest.raises(Exception, match="PLANKG_NEO4J_LABEL"):
        Neo4jStore(neo4j_settings["uri"], "neo4j", "", owner_label="Industry")


# ---------------------------------------------------------------- 2. a shape for Cypher users
def cypher(driver: neo4j.Driver, database: str, query: str, **params: Any) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(query, params, database_=database)
    return [record.data() for record in records]


def operators(plan: dict[str, Any]) -> list[str]:
    return [plan["operatorType"], *(op for child in plan.get("children", []) for op in operators(child))]


SHAPE_NODES = [
    Node(
        "mini.ind.users",
        "Indicator",
        {"en": "5G users", "zh": "5G用户"},
        {"target_value": 560000000, "unit": "users", "deadline": "2023-12-31", "baseline_value": 1.5},
        [DOC, Source("mini.doc.d", "§2", "5G个人用户普及率超过40%")],
    ),
    Node(
        "org.miit",
        "Organization",
        {"en": "Ministry of Industry and Information Technology", "zh": "工业和信息化部"},
        {},
        [DOC],
        aliases={"en": ["MIIT"], "zh": ["工信部"]},
    ),
]


def test_the_shape_is_plain_cypher(neo4j_store: GraphStore, driver: neo4j.Driver, foreign: Foreign) -> None:
    database = neo4j_store.database  # type: ignore[attr-defined]
    load_mini(neo4j_store)
    neo4j_store.upsert(GraphBatch(SHAPE_NODES, []))
    [row] = cypher(
        driver,
        database,
        "MATCH (n:Plankg:Indicator {id: 'mini.ind.users'}) RETURN labels(n) AS labels, keys(n) AS keys, "
        "valueType(n.deadline) AS deadline, valueType(n.target_value) AS target, valueType(n.baseline_value) AS base",
    )
    assert sorted(row["labels"]) == ["Indicator", "Plankg"]
    assert (
        row["deadline"] == "DATE NOT NULL" and row["target"] == "INTEGER NOT NULL" and row["base"] == "FLOAT NOT NULL"
    )
    assert set(row["keys"]) == {
        "id", "label_en", "label_zh", "status", "target_value", "unit", "deadline", "baseline_value",
        "source_documents", "source_locators", "source_quotes", "source_kinds", "_search",
    }  # fmt: skip
    assert [k for k in row["keys"] if k.startswith("_")] == ["_search"]
    # Provenance in plain Cypher, joined to its Document node.
    quotes = cypher(
        driver,
        database,
        "MATCH (n:Plankg {id: 'mini.ind.users'}) UNWIND range(0, size(n.source_documents) - 1) AS i "
        "MATCH (d:Plankg:Document {id: n.source_documents[i]}) "
        "RETURN d.label_en AS document, n.source_locators[i] AS locator, n.source_quotes[i] AS quote ORDER BY locator",
    )
    assert quotes == [
        {"document": "Draft", "locator": "x", "quote": "y"},
        {"document": "Draft", "locator": "§2", "quote": "5G个人用户普及率超过40%"},
    ]
    [org] = cypher(
        driver, database, "MATCH (o:Organization {id: 'org.miit'}) RETURN o.aliases_en AS en, o.aliases_zh AS zh"
    )
    assert org == {"en": ["MIIT"], "zh": ["工信部"]}
    # `MATCH (:Type {id: $x})` is an index seek for every type.
    for label in ("Industry", "Standard", "Document", "Indicator", "Organization"):
        with driver.session(database=database) as session:
            summary = session.run(f"EXPLAIN MATCH (n:{label} {{id: $x}}) RETURN n", x="industry.healthcare").consume()
        assert "NodeIndexSeek" in " ".join(operators(summary.plan)), (label, operators(summary.plan))
    # plankg writes nothing outside its label: no bookkeeping node, every relationship marked.
    others = "MATCH (n) WHERE NOT n:Plankg AND n.fixture IS NULL RETURN labels(n) AS labels, properties(n) AS p"
    assert cypher(driver, database, others) == []
    marks = cypher(
        driver,
        database,
        "MATCH (:Plankg)-[r]->(:Plankg) WHERE r.fixture IS NULL RETURN collect(DISTINCT r.graph) AS graphs",
    )
    assert marks == [{"graphs": ["Plankg"]}]


def cookbook() -> list[tuple[str, dict[str, Any], str]]:
    """(title, parameters, Cypher) of each ```cypher block in graph/NEO4J.md's cookbook."""
    text = COOKBOOK.read_text(encoding="utf-8")
    blocks = re.findall(r"#### (.+?)\n.*?```cypher\n(.*?)```", text, flags=re.S)
    found = []
    for title, body in blocks:
        params = re.search(r"^// params: (\{.*\})$", body, flags=re.M)
        found.append((title.strip(), json.loads(params.group(1)) if params else {}, body))
    return found


def test_the_cookbook_answers_like_the_named_queries(
    neo4j_store: GraphStore, driver: neo4j.Driver, foreign: Foreign
) -> None:
    database = neo4j_store.database  # type: ignore[attr-defined]
    load_mini(neo4j_store)
    foreign.relationships([("mini.std.med", "industry.smart-healthcare"), ("industry.healthcare", "mini.std.sm")])
    recipes = {title: (params, body) for title, params, body in cookbook()}
    assert len(recipes) >= 3, list(recipes)

    params, body = recipes["Standards for an industry, including narrower industries"]
    rows = cypher(driver, database, body, **params)
    expected = run_named_query(neo4j_store, "standards_for_industry", params)
    assert [r["id"] for r in rows] == [item.entity.id for item in expected]

    params, body = recipes["The quotes behind an answer"]
    rows = cypher(driver, database, body, **params)
    edge = neo4j_store.edges_of([params["standard"]], "supports_industry", "out")[0]
    assert [(r["document"], r["locator"], r["quote"]) for r in rows] == [
        (s.document, s.locator, s.quote) for s in edge.sources
    ]

    params, body = recipes["Everything a document states"]
    rows = cypher(driver, database, body, **params)
    statements = run_named_query(neo4j_store, "document_statements", params)
    assert sorted({r["id"] for r in rows}) == [item.entity.id for item in statements]
    edges = sorted((r["id"], r["relation"], r["target"]) for r in rows if r["relation"])
    assert edges == sorted((e.source, e.relation.upper(), e.target) for i in statements for e in i.evidence)


# ---------------------------------------------------------------- 3. the revision follows every writer
def test_a_direct_cypher_write_changes_the_revision_etag_and_sparql(
    neo4j_store: GraphStore, driver: neo4j.Driver, foreign: Foreign
) -> None:
    database = neo4j_store.database  # type: ignore[attr-defined]
    load_mini(neo4j_store)
    client = TestClient(create_app(neo4j_store, ApiSettings()))
    first = neo4j_store.revision()
    assert neo4j_store.revision() == first  # reads change nothing
    entity = client.get("/api/v1/entities/industry.healthcare")
    etag = entity.headers["etag"]
    assert client.get("/api/v1/entities/industry.healthcare", headers={"If-None-Match": etag}).status_code == 304
    label = "SELECT ?l WHERE { id:industry.healthcare rdfs:label ?l FILTER(lang(?l) = 'en') }"
    assert "Healthcare" in client.get("/api/v1/sparql", params={"query": label}).text

    cypher(
        driver, database, "MATCH (n:Plankg {id: 'industry.healthcare'}) SET n.label_en = 'Health (edited in Browser)'"
    )
    assert neo4j_store.revision() != first
    again = client.get("/api/v1/entities/industry.healthcare", headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.json()["labels"]["en"] == "Health (edited in Browser)"
    assert "Health (edited in Browser)" in client.get("/api/v1/sparql", params={"query": label}).text

    second = neo4j_store.revision()
    cypher(driver, database, "MATCH (a:Plankg {id: 'mini.std.sm'})-[r:SUPPORTS_INDUSTRY]->() DELETE r")
    assert neo4j_store.revision() != second
    assert neo4j_store.edges_of(["mini.std.sm"], "supports_industry") == []


# ---------------------------------------------------------------- aliases, concurrent loads
def test_aliases_are_stored_merged_and_searched_like_the_embedded_store(
    neo4j_store: GraphStore, foreign: Foreign, tmp_path: Path
) -> None:
    memory = MemoryStore(tmp_path / "graph.json")
    extra = Node(
        "org.miit", "Organization", SHAPE_NODES[1].labels, {}, [DOC], aliases={"en": ["Ministry", "MIIT"], "zh": []}
    )
    smart = Node("mini.std.smart", "Standard", {"en": "Healthcare data"}, {}, [DOC], aliases={"en": ["smart"]})
    for store in (neo4j_store, memory):
        load_mini(store)
        store.upsert(GraphBatch(SHAPE_NODES, []))
        store.upsert(GraphBatch([extra, smart], []))
    assert dump(neo4j_store) == dump(memory)
    assert neo4j_store.get("org.miit").aliases == {"en": ["MIIT", "Ministry"], "zh": ["工信部"]}  # type: ignore[union-attr]
    for text in ("miit", "MIIT", "工信部", "工信", "ministry", "smart", "healthcare", "org.", "mini.std", "ｍｉｉｔ"):
        for type_name in (None, "Organization", "Standard"):
            mine, theirs = neo4j_store.search(text, type_name, limit=50), memory.search(text, type_name, limit=50)
            assert ([n.id for n in mine.items], mine.total) == ([n.id for n in theirs.items], theirs.total), text
    assert [n.id for n in neo4j_store.search("miit").items] == ["org.miit"]  # an alias, not the id "org.miit"


def test_concurrent_overlapping_loads_unite_their_sources(
    neo4j_store: GraphStore, neo4j_settings: dict[str, str], driver: neo4j.Driver, tmp_path: Path
) -> None:
    """Two loads of the same new and stored ids at the same moment: both land, sources united, no duplicates."""
    load_mini(neo4j_store)
    memory = MemoryStore(tmp_path / "graph.json")
    load_mini(memory)

    def batch(round_: int, tag: str) -> GraphBatch:
        source = [Source("mini.doc.d", tag, f"quote {tag}")]
        ids = [f"mini.goal.r{round_}-{i}" for i in range(30)]
        nodes = [Node(goal, "Goal", {"en": goal}, {}, source) for goal in ids]
        nodes.append(Node("industry.healthcare", "Industry", {"en": "Healthcare", "zh": "医疗"}, {}, source))
        edges = [Edge(goal, "targets_industry", "industry.healthcare", source) for goal in ids]
        edges.append(Edge("mini.std.med", "supports_industry", "industry.healthcare", source))
        return GraphBatch(nodes, edges)

    connection = (neo4j_settings["uri"], neo4j_settings["user"], neo4j_settings["password"], neo4j_settings["database"])
    stores: list[GraphStore] = [Neo4jStore(*connection) for _ in range(2)]
    errors: list[BaseException] = []
    try:
        for round_ in range(3):
            start = threading.Barrier(2)

            def load(store: GraphStore, tag: str, round_: int = round_, start: threading.Barrier = start) -> None:
                start.wait()
                try:
                    store.upsert(batch(round_, tag))
                except BaseException as error:
                    errors.append(error)

            threads = [threading.Thread(target=load, args=(s, tag)) for s, tag in zip(stores, "ab", strict=True)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            memory.upsert(batch(round_, "a"))
            memory.upsert(batch(round_, "b"))
    finally:
        for store in stores:
            store.close()
    assert not errors, errors
    assert dump(neo4j_store) == dump(memory)
    [row] = cypher(
        driver,
        neo4j_store.database,  # type: ignore[attr-defined]
        "MATCH (:Plankg)-[r:TARGETS_INDUSTRY]->(:Plankg {id: 'industry.healthcare'}) RETURN count(r) AS c",
    )
    assert row["c"] == 90


def test_prepare_sees_only_plankgs_nodes(neo4j_store: GraphStore, foreign: Foreign) -> None:
    """prepare() asks the store for known types; foreign nodes with the same ids must not answer."""
    assert neo4j_store.known_types(["industry.healthcare"]) == {}
    neo4j_store.upsert(prepare([MINI], neo4j_store.known_types))
    assert neo4j_store.known_types(["industry.healthcare"]) == {"industry.healthcare": "Industry"}
