"""The HTTP API through the real app (TestClient), on every store kind: answers, shapes, limits and errors."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient
from rdflib import BNode, Graph
from rdflib.compare import isomorphic

from plankg.api.app import create_app
from plankg.api.settings import ApiSettings
from plankg.graph.engine import run_named_query
from plankg.graph.queries import NAMED_QUERIES
from plankg.graph.store import GraphStore, StoreError
from plankg.loaders import bundled_paths, prepare
from plankg.model import GraphBatch
from plankg.model.rdf import to_rdf
from plankg.ontology.schema import load_schema

DATA = Path(__file__).resolve().parent / "data"
FIXTURE = DATA / "api_plan.yaml"
TOKEN = "s3cret-token"
HEALTHCARE_STANDARDS = {"test-plan.std.medical", "test-plan.std.hospital-network"}
HEALTHCARE_SPARQL = """
PREFIX pk: <https://plankg.org/ontology#>
SELECT DISTINCT ?standard WHERE {
  ?industry pk:broader* <https://plankg.org/id/industry.healthcare> .
  ?standard pk:supportsIndustry ?industry .
}
"""


@cache
def fixture_batch() -> GraphBatch:
    return prepare([FIXTURE])


@cache
def bundled_batch() -> GraphBatch:
    """The bundled plans, validated (a broken bundle fails the test that asks for it)."""
    return prepare(bundled_paths())


def make_client(store: GraphStore, **settings: Any) -> TestClient:
    return TestClient(create_app(store, ApiSettings(**settings)))


@pytest.fixture
def store(any_store: GraphStore) -> GraphStore:
    any_store.upsert(fixture_batch())
    return any_store


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    with make_client(store, token=TOKEN) as test_client:
        yield test_client


PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance", "code", "message", "details", "error"}


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """An RFC 9457 problem with this status (and code); its `error` member repeats code, message and details."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert set(body) == PROBLEM_MEMBERS
    assert body["status"] == status and body["title"] and body["detail"] == body["message"]
    assert body["type"].endswith("/" + body["code"])
    assert body["instance"] == response.request.url.path
    assert body["error"] == {key: body[key] for key in ("code", "message", "details")}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def ids(items: list[dict[str, Any]]) -> set[str]:
    return {item["entity"]["id"] if "entity" in item else item["id"] for item in items}


def _bnode_free(graph: Graph) -> Counter[tuple[str, str, str]]:
    """The triples with each blank node replaced by a hash of what hangs below it (graphs here are bnode trees)."""
    memo: dict[BNode, str] = {}

    def key(term: Any) -> str:
        if not isinstance(term, BNode):
            return term.n3()
        if term not in memo:
            memo[term] = ""  # guards against cycles
            below = sorted(f"{p.n3()} {key(o)}" for p, o in graph.predicate_objects(term))
            memo[term] = "_:" + hashlib.sha1("\n".join(below).encode()).hexdigest()
        return memo[term]

    return Counter((key(s), key(p), key(o)) for s, p, o in graph)


def same_rdf(parsed: Graph, expected: Graph) -> bool:
    """Isomorphism for the tree-shaped blank nodes of graph.rdf, fast enough for whole-plan graphs."""
    if len(expected) < 1000:
        return isomorphic(parsed, expected)
    return len(parsed) == len(expected) and _bnode_free(parsed) == _bnode_free(expected)


def sparql_ids(body: dict[str, Any], var: str) -> set[str]:
    schema = load_schema()
    return {schema.id_from_iri(row[var]["value"]) for row in body["results"]["bindings"]}


# ------------------------------------------------------------------ health and schema
def test_health_and_ready(client: TestClient, store: GraphStore) -> None:
    health = client.get("/health")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "store": store.kind}
    ready = client.get("/ready")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready"
    assert (body["nodes"], body["edges"]) == (len(fixture_batch().nodes), len(fixture_batch().edges))


class BrokenStore:
    """A store whose every call fails the way an unreachable database does."""

    kind = "broken"

    def __getattr__(self, name: str) -> Any:
        def fail(*_args: Any, **_kwargs: Any) -> Any:
            raise StoreError("cannot reach the database at bolt://db:7687")

        return fail


def test_ready_is_503_when_the_store_does_not_answer() -> None:
    client = make_client(BrokenStore())  # type: ignore[arg-type]
    assert client.get("/health").status_code == 200
    assert_error(client.get("/ready"), 503, "store_unavailable")
    error = assert_error(client.get("/api/v1/entities"), 503, "store_unavailable")
    assert "cannot reach" in error["message"]


def test_schema_lists_the_ontology_and_queries(client: TestClient) -> None:
    schema = load_schema()
    body = client.get("/api/v1/schema").json()
    assert [t["name"] for t in body["node_types"]] == list(schema.node_types)
    assert [r["key"] for r in body["relation_types"]] == list(schema.relation_types)
    supports = next(r for r in body["relation_types"] if r["key"] == "supports_industry")
    assert supports["domain"] == ["Standard"] and supports["range"] == ["Industry"]
    assert supports["labels"]["en"] and supports["labels"]["zh"] and supports["neo4j_type"]
    industry = next(t for t in body["node_types"] if t["name"] == "Industry")
    assert industry["labels"] == schema.node_types["Industry"].labels
    assert industry["neo4j_label"] == schema.neo4j_label("Industry")
    assert [q["name"] for q in body["queries"]] == list(NAMED_QUERIES)
    assert client.get("/api/v1/queries").json()["items"] == [q.to_dict() for q in NAMED_QUERIES.values()]


# ------------------------------------------------------------------ entities
def test_entity_search_pages_with_a_cursor(client: TestClient, store: GraphStore) -> None:
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 4}
        if cursor:
            params["cursor"] = cursor
        body = client.get("/api/v1/entities", params=params).json()
        assert body["total"] == len(fixture_batch().nodes)
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 4
    assert sorted(seen) == sorted(node.id for node in fixture_batch().nodes)
    assert len(seen) == len(set(seen))


def test_entity_search_filters_and_language(client: TestClient) -> None:
    body = client.get("/api/v1/entities", params={"q": "医疗", "type": "Industry", "lang": "zh"}).json()
    assert [item["id"] for item in body["items"]] == ["industry.healthcare"]
    item = body["items"][0]
    assert item["label"] == "医疗健康"
    assert item["labels"] == {"en": "Healthcare", "zh": "医疗健康"}
    assert item["iri"] == load_schema().iri("industry.healthcare")
    english = client.get("/api/v1/entities", params={"q": "healthcare"}).json()
    assert english["items"][0]["label"] == "Healthcare"
    unconfirmed = client.get("/api/v1/entities", params={"status": "unconfirmed"}).json()
    assert ids(unconfirmed["items"]) == {"test-plan.std.grid"}
    standards = client.get("/api/v1/entities", params={"type": "Standard"}).json()
    assert standards["total"] == 3 and standards["next_cursor"] is None


def test_entity_search_refuses_bad_parameters(client: TestClient) -> None:
    assert_error(client.get("/api/v1/entities", params={"cursor": "not-a-cursor"}), 400, "bad_cursor")
    first = client.get("/api/v1/entities", params={"limit": 2}).json()
    foreign = client.get("/api/v1/entities", params={"limit": 2, "q": "health", "cursor": first["next_cursor"]})
    assert_error(foreign, 400, "bad_cursor")
    error = assert_error(client.get("/api/v1/entities", params={"limit": 501}), 422, "invalid_request")
    assert error["details"][0]["location"] == ["query", "limit"]
    assert_error(client.get("/api/v1/entities", params={"type": "Galaxy"}), 422)
    assert_error(client.get("/api/v1/entities", params={"lang": "fr"}), 422)


def test_entity_with_relations(client: TestClient, store: GraphStore) -> None:
    body = client.get("/api/v1/entities/industry.healthcare").json()
    assert body["id"] == "industry.healthcare" and body["type"] == "Industry"
    assert body["sources"][0]["quote"] == "医疗健康"
    relations = body["relations"]
    assert relations["counts"] == [
        {"relation": "broader", "direction": "in", "count": 1},
        {"relation": "supports_industry", "direction": "in", "count": 1},
    ]
    assert relations["total"] == 2 and not relations["truncated"]
    assert all(edge["sources"] for edge in relations["edges"])


def test_entity_errors(client: TestClient) -> None:
    error = assert_error(client.get("/api/v1/entities/industry.nowhere"), 404, "not_found")
    assert "industry.nowhere" in error["message"]
    assert_error(client.get("/api/v1/entities/Not_A_Slug"), 400, "bad_id")
    assert_error(client.get("/api/v1/entities/a..b"), 400, "bad_id")
    assert_error(client.get("/api/v1/no-such-route"), 404, "not_found")
    assert_error(client.delete("/api/v1/entities/industry.healthcare"), 405)


@pytest.mark.parametrize(("accept", "rdf_format"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")])
def test_entity_as_rdf_is_the_store_graph(client: TestClient, store: GraphStore, accept: str, rdf_format: str) -> None:
    response = client.get("/api/v1/entities/test-plan.std.medical", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    parsed = Graph().parse(data=response.text, format=rdf_format)
    node = store.get("test-plan.std.medical")
    assert node is not None
    expected = to_rdf([node], store.edges_of([node.id]))
    assert isomorphic(parsed, expected)
    assert (
        "json"
        in client.get("/api/v1/entities/test-plan.std.medical", headers={"Accept": "text/html, */*;q=0.1"}).headers[
            "content-type"
        ]
    )


def test_resolve_by_iri(client: TestClient) -> None:
    iri = load_schema().iri("industry.energy")
    redirect = client.get("/api/v1/resolve", params={"iri": iri}, follow_redirects=False)
    assert redirect.status_code == 303
    assert redirect.headers["location"] == "/api/v1/entities/industry.energy"
    assert client.get("/api/v1/resolve", params={"iri": iri}).json()["id"] == "industry.energy"
    assert_error(client.get("/api/v1/resolve", params={"iri": load_schema().iri("industry.mars")}), 404)
    assert_error(client.get("/api/v1/resolve", params={"iri": "https://example.org/x"}), 404)


def test_neighbors(client: TestClient) -> None:
    url = "/api/v1/entities/industry.healthcare/neighbors"
    one = client.get(url).json()
    assert ids(one["nodes"]) == {"industry.healthcare", "industry.smart-hospital", "test-plan.std.medical"}
    assert all(edge["sources"] for edge in one["edges"])
    two = client.get(url, params={"depth": 2}).json()
    assert {"test-plan.std.hospital-network", "test-plan.center.medical"} <= ids(two["nodes"])
    standards = client.get(url, params={"depth": 2, "type": "Standard"}).json()
    assert ids(standards["nodes"]) == {"industry.healthcare"} | HEALTHCARE_STANDARDS
    inward = client.get(url, params={"relation": "broader", "direction": "out"}).json()
    assert ids(inward["nodes"]) == {"industry.healthcare"}
    assert_error(client.get(url, params={"depth": 4}), 422)
    assert_error(client.get(url, params={"direction": "sideways"}), 422)
    assert_error(client.get("/api/v1/entities/industry.none/neighbors"), 404)


# ------------------------------------------------------------------ named queries
def test_standards_for_industry_is_one_call(client: TestClient, store: GraphStore) -> None:
    response = client.get("/api/v1/queries/standards_for_industry", params={"industry": "industry.healthcare"})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "standards_for_industry"
    assert body["parameters"] == {"industry": "industry.healthcare", "include_unconfirmed": True}
    assert ids(body["items"]) == HEALTHCARE_STANDARDS
    direct = run_named_query(store, "standards_for_industry", {"industry": "industry.healthcare"})
    assert ids(body["items"]) == {item.entity.id for item in direct}
    for item in body["items"]:
        assert item["evidence"] and all(edge["sources"] for edge in item["evidence"])


def test_named_query_options_and_errors(client: TestClient) -> None:
    energy = client.get("/api/v1/queries/standards_for_industry", params={"industry": "industry.energy"}).json()
    assert ids(energy["items"]) == {"test-plan.std.grid"}
    confirmed = client.get(
        "/api/v1/queries/standards_for_industry", params={"industry": "industry.energy", "include_unconfirmed": "false"}
    ).json()
    assert confirmed["items"] == []
    assert_error(client.get("/api/v1/queries/no_such_query"), 404, "unknown_query")
    assert_error(client.get("/api/v1/queries/standards_for_industry"), 422, "invalid_request")
    assert_error(
        client.get("/api/v1/queries/standards_for_industry", params={"industry": "test-plan.std.medical"}),
        400,
        "bad_query",
    )
    assert_error(client.get("/api/v1/queries/standards_for_industry", params={"industry": "industry.none"}), 404)
    assert_error(client.get("/api/v1/queries/standards_for_industry", params={"industry": "Bad Id"}), 404, "not_found")
    by_label = client.get("/api/v1/queries/standards_for_industry", params={"industry": "能源"}).json()
    assert by_label["parameters"]["industry"] == "industry.energy" and ids(by_label["items"]) == {"test-plan.std.grid"}
    ambiguous = assert_error(
        client.get("/api/v1/queries/standards_for_industry", params={"industry": "al"}), 400, "ambiguous_name"
    )
    assert {c["id"] for c in ambiguous["details"]["candidates"]} == {"industry.healthcare", "industry.smart-hospital"}
    goals = client.get("/api/v1/queries/goals_of_plan", params={"plan": "plan.test-plan"}).json()
    assert ids(goals["items"]) == {"test-plan.goal.adoption"}


def test_named_query_answers_are_paged(client: TestClient, store: GraphStore) -> None:
    url = "/api/v1/queries/standards_for_industry"
    whole = client.get(url, params={"industry": "industry.healthcare"}).json()
    assert whole["total"] == len(whole["items"]) == len(HEALTHCARE_STANDARDS) >= 2
    assert (whole["offset"], whole["limit"], whole["next_cursor"]) == (0, 20, None)  # the default page
    walked, params = [], {"industry": "industry.healthcare", "limit": 1}
    while True:
        page = client.get(url, params=params).json()
        assert page["total"] == whole["total"] and len(page["items"]) == 1
        walked += page["items"]
        if page["next_cursor"] is None:
            break
        params = {**params, "cursor": page["next_cursor"]}
    assert walked == whole["items"]
    second = client.get(url, params={"industry": "industry.healthcare", "limit": 2, "offset": 1}).json()
    assert second["items"] == whole["items"][1:3] and second["offset"] == 1
    past = client.get(url, params={"industry": "industry.healthcare", "offset": 100}).json()
    assert (past["items"], past["total"], past["next_cursor"]) == ([], whole["total"], None)
    first = client.get(url, params={"industry": "industry.healthcare", "limit": 1}).json()
    assert_error(
        client.get(url, params={"industry": "industry.healthcare", "cursor": first["next_cursor"], "offset": 1}),
        400,
        "bad_paging",
    )
    assert_error(
        client.get(url, params={"industry": "industry.energy", "cursor": first["next_cursor"]}), 400, "bad_cursor"
    )
    assert_error(client.get(url, params={"industry": "industry.healthcare", "cursor": "nonsense"}), 400, "bad_cursor")
    assert_error(client.get(url, params={"industry": "industry.healthcare", "limit": 0}), 422)
    assert_error(client.get(url, params={"industry": "industry.healthcare", "limit": 501}), 422)
    operation = client.get("/openapi.json").json()["paths"][url]["get"]
    documented = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert documented["limit"]["default"] == 20 and documented["limit"]["maximum"] == 500
    assert documented["offset"]["anyOf"][0]["minimum"] == 0 and "cursor" in documented


# ------------------------------------------------------------------ paths
def test_shortest_paths(client: TestClient) -> None:
    body = client.get("/api/v1/paths", params={"from": "test-plan.std.medical", "to": "industry.smart-hospital"}).json()
    assert len(body["paths"]) == 1
    path = body["paths"][0]
    assert path["length"] == 2
    assert [n["id"] for n in path["nodes"]] == [
        "test-plan.std.medical",
        "industry.healthcare",
        "industry.smart-hospital",
    ]
    assert {(e["source"], e["relation"], e["target"]) for e in path["edges"]} == {
        ("test-plan.std.medical", "supports_industry", "industry.healthcare"),
        ("industry.smart-hospital", "broader", "industry.healthcare"),
    }
    assert all(edge["sources"] for edge in path["edges"])
    short = client.get(
        "/api/v1/paths", params={"from": "test-plan.std.medical", "to": "industry.smart-hospital", "max_length": 1}
    ).json()
    assert short["paths"] == []
    assert_error(client.get("/api/v1/paths", params={"from": "industry.none", "to": "industry.energy"}), 404)
    assert_error(
        client.get("/api/v1/paths", params={"from": "industry.energy", "to": "industry.healthcare", "max_length": 9}),
        422,
    )
    assert_error(client.get("/api/v1/paths", params={"from": "industry.energy"}), 422)


# ------------------------------------------------------------------ export
@pytest.mark.parametrize(("fmt", "rdf_format"), [("turtle", "turtle"), ("jsonld", "json-ld")])
def test_rdf_export_is_the_store_graph(client: TestClient, store: GraphStore, fmt: str, rdf_format: str) -> None:
    response = client.get("/api/v1/export", params={"format": fmt})
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    parsed = Graph().parse(data=response.text, format=rdf_format)
    assert isomorphic(parsed, to_rdf(store.iter_nodes(), store.iter_edges()))


def test_export_formats_and_type_filter(client: TestClient, store: GraphStore) -> None:
    graphml = client.get("/api/v1/export", params={"format": "graphml", "type": "Industry"})
    assert graphml.status_code == 200
    assert graphml.headers["content-type"].startswith("application/graphml+xml")
    assert 'filename="plankg-Industry.graphml"' in graphml.headers["content-disposition"]
    root = ElementTree.fromstring(graphml.content)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert {n.get("id") for n in root.iterfind(".//g:node", ns)} == {
        "industry.healthcare",
        "industry.smart-hospital",
        "industry.energy",
    }
    edges = [e.get("id") for e in root.iterfind(".//g:edge", ns)]
    assert edges == ["industry.smart-hospital|broader|industry.healthcare"]
    csv_text = client.get("/api/v1/export", params={"format": "csv"}).text
    assert csv_text.splitlines()[0].startswith("\ufeffkind,")  # BOM: Excel reads UTF-8
    assert sum(1 for line in csv_text.splitlines() if line.startswith("node,")) >= len(fixture_batch().nodes)
    assert_error(client.get("/api/v1/export", params={"format": "pdf"}), 422)


# ------------------------------------------------------------------ SPARQL
def test_sparql_healthcare_standards_equal_the_named_query(client: TestClient, store: GraphStore) -> None:
    named = {
        item.entity.id for item in run_named_query(store, "standards_for_industry", {"industry": "industry.healthcare"})
    }
    response = client.get("/api/v1/sparql", params={"query": HEALTHCARE_SPARQL})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert sparql_ids(response.json(), "standard") == named == HEALTHCARE_STANDARDS
    form = client.post("/api/v1/sparql", data={"query": HEALTHCARE_SPARQL})
    assert sparql_ids(form.json(), "standard") == named
    raw = client.post(
        "/api/v1/sparql", content=HEALTHCARE_SPARQL.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert sparql_ids(raw.json(), "standard") == named


def test_sparql_ask_and_construct(client: TestClient) -> None:
    ask = client.get("/api/v1/sparql", params={"query": "ASK { id:industry.healthcare a pk:Industry }"}).json()
    assert ask == {"head": {}, "boolean": True}
    construct = client.get(
        "/api/v1/sparql",
        params={"query": "CONSTRUCT { ?s pk:supportsIndustry ?o } WHERE { ?s pk:supportsIndustry ?o }"},
    )
    assert construct.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=construct.text, format="turtle")) == 3


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "update_refused"),
        ("DELETE WHERE { ?s ?p ?o }", "update_refused"),
        ("LOAD <http://example.org/data.ttl>", "update_refused"),
        ("CLEAR ALL", "update_refused"),
        ("DROP GRAPH <urn:g>", "update_refused"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "service_refused"),
        (
            "SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE SILENT <http://example.org/q> { ?a ?x ?y } } }",
            "service_refused",
        ),
        ("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", "dataset_refused"),
        ("SELEKT nothing", "bad_sparql"),
    ],
)
def test_sparql_refuses_writes_and_remote_access(client: TestClient, query: str, code: str) -> None:
    assert_error(client.get("/api/v1/sparql", params={"query": query}), 400, code)
    assert_error(client.post("/api/v1/sparql", data={"query": query}), 400, code)


def test_sparql_protocol_errors(client: TestClient) -> None:
    assert_error(client.get("/api/v1/sparql", params={"query": ""}), 422)
    assert_error(client.post("/api/v1/sparql", data={"other": "x"}), 400, "bad_sparql")
    assert_error(client.post("/api/v1/sparql", content=b"{}", headers={"Content-Type": "application/json"}), 415)


def test_sparql_time_limit(store: GraphStore) -> None:
    client = make_client(store, query_seconds=0.2)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    error = assert_error(client.get("/api/v1/sparql", params={"query": slow}), 503, "query_timeout")
    assert "limit" in error["message"]
    time.sleep(0.3)
    cpu = time.process_time()
    time.sleep(0.5)
    assert time.process_time() - cpu < 0.25, "the timed-out query kept running"


# ------------------------------------------------------------------ loads
def upload(client: TestClient, path: Path, token: str | None = TOKEN, name: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    with path.open("rb") as handle:
        return client.post("/api/v1/loads", files={"file": (name or path.name, handle)}, headers=headers)


EXTRA_YAML = """plankg: 1
nodes:
  - id: industry.logistics
    type: Industry
    labels: {en: Logistics, zh: 物流}
    sources:
      - {document: test-plan.doc.final, locator: "Fields", quote: "物流"}
edges:
  - {from: industry.logistics, relation: broader, to: industry.energy,
     sources: [{document: test-plan.doc.final, locator: "Fields", quote: "物流"}]}
"""

BAD_YAML = """plankg: 1
nodes:
  - id: industry.bad
    type: Galaxy
    labels: {en: Bad}
    sources: []
edges:
  - {from: industry.bad, relation: orbits, to: industry.nowhere, sources: []}
"""


def test_load_needs_the_right_token(client: TestClient, store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "extra.yaml"
    path.write_text(EXTRA_YAML, encoding="utf-8")
    missing = assert_error(upload(client, path, token=None), 401, "unauthorized")
    assert "Bearer" in missing["message"]
    assert_error(upload(client, path, token="wrong"), 401, "unauthorized")
    assert store.get("industry.logistics") is None
    response = upload(client, path)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["loaded"] == {"nodes": 1, "edges": 1, "warnings": []}
    assert body["store"]["nodes"] == len(fixture_batch().nodes) + 1
    assert client.get("/api/v1/entities/industry.logistics").json()["labels"]["zh"] == "物流"


def test_writes_are_disabled_without_a_token(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "extra.yaml"
    path.write_text(EXTRA_YAML, encoding="utf-8")
    error = assert_error(upload(make_client(store), path), 403, "writes_disabled")
    assert "PLANKG_API_TOKEN" in error["message"]


def test_invalid_load_lists_every_problem_and_writes_nothing(
    client: TestClient, store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_YAML, encoding="utf-8")
    before = store.stats()
    error = assert_error(upload(client, path, name="my-plan.yaml"), 422, "invalid_input")
    problems = error["details"]["problems"]
    assert len(problems) >= 2
    assert all(set(p) == {"file", "line", "field", "message"} for p in problems)
    assert all(p["file"] == "my-plan.yaml" for p in problems)
    assert "plankg-upload" not in json.dumps(error)
    assert store.stats() == before
    unknown = assert_error(upload(client, path, name="plan.docx"), 422, "invalid_input")
    assert "unknown file type" in unknown["details"]["problems"][0]["message"]


def test_load_of_an_export_round_trips(client: TestClient, store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "export.ttl"
    path.write_text(client.get("/api/v1/export", params={"format": "turtle"}).text, encoding="utf-8")
    before = store.stats()
    response = upload(client, path)
    assert response.status_code == 200, response.text
    assert response.json()["loaded"]["nodes"] == before["nodes"]
    assert store.stats() == before


def test_upload_size_is_bounded(store: GraphStore, tmp_path: Path) -> None:
    client = make_client(store, token=TOKEN, max_upload_bytes=1000)
    path = tmp_path / "big.yaml"
    path.write_text(EXTRA_YAML + "#" + "x" * 200_000 + "\n", encoding="utf-8")
    error = assert_error(upload(client, path), 413, "payload_too_large")
    assert error["details"] == {"limit_bytes": 1000}
    # a body between the file limit and the multipart allowance is caught while saving
    middling = tmp_path / "middling.yaml"
    middling.write_text(EXTRA_YAML + "#" + "x" * 5000 + "\n", encoding="utf-8")
    assert_error(upload(client, middling), 413, "payload_too_large")

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
        boundary = b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.yaml"\r\n\r\n'
        yield boundary
        for _ in range(100):
            yield b"#" + b"x" * 1000 + b"\n"
        yield b"\r\n--b--\r\n"

    streamed = client.post(
        "/api/v1/loads",
        content=chunks(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert_error(streamed, 413)


# ------------------------------------------------------------------ caching, logging, CORS, 500s
def test_etag_and_not_modified(client: TestClient, tmp_path: Path) -> None:
    url = "/api/v1/queries/standards_for_industry?industry=industry.healthcare"
    first = client.get(url)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    turtle = client.get("/api/v1/entities/industry.healthcare", headers={"Accept": "text/turtle"})
    assert turtle.headers["etag"] != client.get("/api/v1/entities/industry.healthcare").headers["etag"]
    path = tmp_path / "extra.yaml"
    path.write_text(EXTRA_YAML, encoding="utf-8")
    assert upload(client, path).status_code == 200
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert "etag" not in client.get("/api/v1/entities/industry.none").headers


def test_access_log_is_one_json_line_per_request(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="plankg.access"):
        response = client.get("/api/v1/entities/industry.healthcare", headers={"X-Request-ID": "req-42"})
    assert response.headers["x-request-id"] == "req-42"
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "plankg.access"]
    assert len(lines) == 1
    line = lines[0]
    assert line["method"] == "GET" and line["path"] == "/api/v1/entities/industry.healthcare"
    assert line["status"] == 200 and line["request_id"] == "req-42" and line["duration_ms"] >= 0


def test_cors_is_configurable(store: GraphStore) -> None:
    assert (
        "access-control-allow-origin"
        not in make_client(store).get("/health", headers={"Origin": "https://example.org"}).headers
    )
    allowed = make_client(store, cors_origins=("https://example.org",))
    response = allowed.get("/health", headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "https://example.org"


class ExplodingStore(BrokenStore):
    kind = "exploding"

    def __getattr__(self, name: str) -> Any:
        if name == "revision":
            return lambda: "r1"

        def explode(*_args: Any, **_kwargs: Any) -> Any:
            raise RuntimeError("boom in /srv/secret/internal/path.py")

        return explode


def test_unexpected_errors_are_500_without_internals() -> None:
    client = TestClient(
        create_app(ExplodingStore(), ApiSettings()),  # type: ignore[arg-type]
        raise_server_exceptions=False,
    )
    response = client.get("/api/v1/entities", headers={"X-Request-ID": "req-500"})
    error = assert_error(response, 500, "internal_error")
    assert error["details"] == {"request_id": "req-500"}
    assert "/srv/secret" not in response.text and "Traceback" not in response.text and "boom" not in response.text


# ------------------------------------------------------------------ the bundled plan
def test_bundled_plan_through_the_api(any_store: GraphStore) -> None:
    any_store.upsert(bundled_batch())
    client = make_client(any_store)
    answer = client.get("/api/v1/queries/standards_for_industry", params={"industry": "industry.healthcare"}).json()
    named = {
        item.entity.id
        for item in run_named_query(any_store, "standards_for_industry", {"industry": "industry.healthcare"})
    }
    assert ids(answer["items"]) == named and named
    sparql = client.get("/api/v1/sparql", params={"query": HEALTHCARE_SPARQL}).json()
    assert sparql_ids(sparql, "standard") == named
    turtle = client.get("/api/v1/export", params={"format": "turtle"}).text
    assert same_rdf(Graph().parse(data=turtle, format="turtle"), to_rdf(any_store.iter_nodes(), any_store.iter_edges()))
    for query in NAMED_QUERIES.values():
        if query.example and any_store.get(query.example) is not None:
            response = client.get(f"/api/v1/queries/{query.name}", params={query.param: query.example})
            assert response.status_code == 200, (query.name, response.text)


def test_offset_paging_does_what_it_says(client: TestClient) -> None:
    everything = client.get("/api/v1/entities", params={"limit": 50}).json()["items"]
    second = client.get("/api/v1/entities", params={"limit": 3, "offset": 3}).json()
    assert [item["id"] for item in second["items"]] == [item["id"] for item in everything[3:6]]
    assert second["offset"] == 3
    first = client.get("/api/v1/entities", params={"limit": 3}).json()
    both = client.get("/api/v1/entities", params={"offset": 3, "cursor": first["next_cursor"]})
    assert_error(both, 400, "bad_paging")
