"""Security: no Cypher injection, writes only with the token (compared in constant time), read-only SPARQL,
bounded requests and queries, and no internals in any response.

The Cypher tests instrument the neo4j driver (ManagedTransaction.run, Session.execute_read /
execute_write and Driver.execute_query) so every statement text, its parameters and its transaction timeout are
recorded, then drive injection payloads through every API parameter and every store method.
"""

from __future__ import annotations

import hmac
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import neo4j
import pytest
from fastapi.testclient import TestClient
from test_bad_inputs import VALID_YAML

import plankg.api.auth
import plankg.loaders
from plankg.api.app import create_app
from plankg.api.settings import ApiSettings
from plankg.graph.export import export_stream
from plankg.graph.queries import NAMED_QUERIES
from plankg.graph.store import GraphStore, SearchResult
from plankg.model import Edge, GraphBatch, Node, Source

TOKEN = "security-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PAYLOADS = [
    "x' }) DETACH DELETE n //",
    'x" }) DETACH DELETE n //',
    "`x`",
    "$param",
    "Industry`) DETACH DELETE n //",
    "SUPPORTS_INDUSTRY]->() DETACH DELETE n //",
    "') CALL dbms.components() YIELD name RETURN name //",
    "} UNION MATCH (n) RETURN n //",
    "x\x00y DROP",
    "ab\u202ecd\u200bef",
    "<https://x> } ; DROP ALL ; #",
    '""" ; INSERT DATA { <a:b> <a:c> <a:d> } #',
]
DOC = Source("plan-t.doc.final", "Title", "扬帆")


@dataclass
class CypherLog:
    """Every statement sent through the driver: (text, parameters), and each transaction's timeout."""

    statements: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    timeouts: list[tuple[str, float | None]] = field(default_factory=list)

    def texts(self) -> list[str]:
        return [text for text, _ in self.statements]


@pytest.fixture
def cypher_log(monkeypatch: pytest.MonkeyPatch) -> CypherLog:
    log = CypherLog()
    run = neo4j.ManagedTransaction.run

    def recording_run(self: Any, query: Any, parameters: dict[str, Any] | None = None, **kw: Any) -> Any:
        text = query.text if isinstance(query, neo4j.Query) else query
        log.statements.append((str(text), {**(parameters or {}), **kw}))
        return run(self, query, parameters, **kw)

    def transactions(kind: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def recording(self: Any, work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            log.timeouts.append((kind, getattr(work, "timeout", None)))
            return original(self, work, *args, **kwargs)

        return recording

    def session_run(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"auto-commit Session.run used: {query!r}")

    monkeypatch.setattr(neo4j.ManagedTransaction, "run", recording_run)
    monkeypatch.setattr(neo4j.Session, "execute_read", transactions("read", neo4j.Session.execute_read))
    monkeypatch.setattr(neo4j.Session, "execute_write", transactions("write", neo4j.Session.execute_write))
    execute_query = neo4j.Driver.execute_query

    def recording_query(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        # execute_query runs a managed transaction too (its statement goes through ManagedTransaction.run)
        kind = "read" if kwargs.get("routing_") == neo4j.RoutingControl.READ else "write"
        log.timeouts.append((kind, query.timeout if isinstance(query, neo4j.Query) else None))
        return execute_query(self, query, *args, **kwargs)

    monkeypatch.setattr(neo4j.Session, "run", session_run)
    monkeypatch.setattr(neo4j.Driver, "execute_query", recording_query)
    return log


def canonical(store: GraphStore) -> str:
    return "".join(export_stream(store.iter_nodes(), store.iter_edges(), "csv"))


def seed(store: GraphStore, folder: Path) -> str:
    path = folder / "seed.yaml"
    path.write_text(VALID_YAML, encoding="utf-8")
    store.upsert(plankg.loaders.prepare([path], store.known_types))
    return canonical(store)


def assert_error(response: Any, status: int | tuple[int, ...], code: str | None = None) -> dict[str, Any]:
    statuses = (status,) if isinstance(status, int) else status
    assert response.status_code in statuses, (response.status_code, response.text[:400])
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == response.status_code and body["detail"] == body["message"], body
    assert body["error"] == {key: body[key] for key in ("code", "message", "details")}, body
    if code:
        assert body["error"]["code"] == code, body
    return body["error"]


def assert_no_payload_in_cypher(log: CypherLog) -> None:
    assert log.statements, "the instrumentation recorded nothing"
    for text in log.texts():
        for payload in PAYLOADS:
            assert payload not in text, f"payload {payload!r} inside Cypher text: {text[:300]}"
            for piece in ("DETACH DELETE n //", "dbms.components", "UNION MATCH", "DROP ALL"):
                assert piece not in text or "LIMIT $limit DETACH DELETE n" in text, text


def carries(value: Any, text: str) -> bool:
    """Whether a parameter value (nested lists and maps) holds a string containing `text`."""
    if isinstance(value, str):
        return text in value
    if isinstance(value, dict):
        return any(carries(item, text) for item in value.values())
    if isinstance(value, list | tuple):
        return any(carries(item, text) for item in value)
    return False


# ------------------------------------------------------------------ (a) Cypher injection
def api_requests(payload: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(parameter, url, request kwargs) for every API parameter, each carrying the payload."""
    quoted = quote(payload, safe="")
    yield "entities.q", "/api/v1/entities", {"params": {"q": payload[:200]}}
    yield "entities.type", "/api/v1/entities", {"params": {"type": payload}}
    yield "entities.status", "/api/v1/entities", {"params": {"status": payload}}
    yield "entities.lang", "/api/v1/entities", {"params": {"lang": payload}}
    yield "entities.cursor", "/api/v1/entities", {"params": {"cursor": payload}}
    yield "entities.limit", "/api/v1/entities", {"params": {"limit": payload}}
    yield "entity.id", f"/api/v1/entities/{quoted}", {}
    yield "neighbors.id", f"/api/v1/entities/{quoted}/neighbors", {}
    for name in ("relation", "direction", "type", "depth", "limit"):
        yield f"neighbors.{name}", "/api/v1/entities/industry.health/neighbors", {"params": {name: payload}}
    yield "paths.from", "/api/v1/paths", {"params": {"from": payload, "to": "industry.health"}}
    yield "paths.to", "/api/v1/paths", {"params": {"from": "industry.health", "to": payload}}
    yield (
        "paths.max_length",
        "/api/v1/paths",
        {"params": {"from": "industry.health", "to": "industry.health", "max_length": payload}},
    )
    for query in NAMED_QUERIES.values():
        yield f"queries.{query.name}.{query.param}", f"/api/v1/queries/{query.name}", {"params": {query.param: payload}}
    yield (
        "queries.include_unconfirmed",
        "/api/v1/queries/standards_for_industry",
        {"params": {"industry": "industry.health", "include_unconfirmed": payload}},
    )
    yield "queries.name", f"/api/v1/queries/{quoted}", {}
    yield "export.format", "/api/v1/export", {"params": {"format": payload}}
    yield "export.type", "/api/v1/export", {"params": {"type": payload}}
    yield "resolve.iri", "/api/v1/resolve", {"params": {"iri": "https://plankg.org/id/" + payload}}
    yield "sparql.query", "/api/v1/sparql", {"params": {"query": f'SELECT * WHERE {{ ?s ?p "{payload}" }}'}}


def upload_files(payload: str) -> Iterator[tuple[str, str, bytes]]:
    """Uploads carrying the payload as an id, a type, a relation, a property key and a source document."""
    text = payload.replace("\\", "\\\\").replace('"', '\\"').replace("\x00", "\\0")
    yield "upload.id", "p.yaml", VALID_YAML.replace("id: industry.health", f'id: "{text}"', 1).encode()
    yield "upload.type", "p.yaml", VALID_YAML.replace("type: Industry", f'type: "{text}"').encode()
    yield "upload.relation", "p.yaml", VALID_YAML.replace("relation: supports_industry", f'relation: "{text}"').encode()
    yield "upload.property", "p.yaml", VALID_YAML.replace("{issued: 2021-07-05}", f'{{"{text}": 1}}').encode()
    yield (
        "upload.document",
        "p.yaml",
        VALID_YAML.replace("document: plan-t.doc.final, locator: Key", f'document: "{text}", locator: Key').encode(),
    )
    yield (
        "upload.csv.type",
        "p.nodes.csv",
        (
            "id,type,label_en,document,locator,quote\n"
            f'plan-t.x,"{payload.replace(chr(34), chr(34) * 2)}",X,'
            "plan-t.doc.final,T,q\n"
        ).encode(),
    )


def test_injection_through_every_api_parameter(neo4j_store: GraphStore, cypher_log: CypherLog, tmp_path: Path) -> None:
    before = seed(neo4j_store, tmp_path)
    client = TestClient(create_app(neo4j_store, ApiSettings(token=TOKEN)), raise_server_exceptions=False)
    cypher_log.statements.clear()
    tried = 0
    for payload in PAYLOADS:
        for name, url, kwargs in api_requests(payload):
            response = client.get(url, **kwargs)
            tried += 1
            assert response.status_code < 500, (name, payload, response.text[:300])
            if response.status_code >= 400:
                assert_error(response, response.status_code)
        for name, filename, content in upload_files(payload):
            response = client.post("/api/v1/loads", headers=AUTH, files={"file": (filename, content)})
            tried += 1
            assert response.status_code == 422, (name, payload, response.text[:300])
            assert_error(response, 422, "invalid_input")
    assert_no_payload_in_cypher(cypher_log)
    assert canonical(neo4j_store) == before
    assert tried >= len(PAYLOADS) * 40


def test_injection_payload_as_a_label_is_only_a_value(
    neo4j_store: GraphStore, cypher_log: CypherLog, tmp_path: Path
) -> None:
    """Labels and quotes are free text: a payload there loads, as a parameter, and reads back verbatim."""
    seed(neo4j_store, tmp_path)
    nodes_before = list(neo4j_store.iter_nodes())
    edges_before = list(neo4j_store.iter_edges())
    payload = "x' }) DETACH DELETE n // `x` $param \u202e\u200b"
    yaml_text = (
        "plankg: 1\nnodes:\n  - id: industry.payload\n    type: Industry\n"
        f'    labels: {{en: "{payload}", zh: "{payload}"}}\n    sources:\n'
        f'      - {{document: plan-t.doc.final, locator: "{payload}", quote: "{payload}"}}\n'
    )
    client = TestClient(create_app(neo4j_store, ApiSettings(token=TOKEN)))
    cypher_log.statements.clear()
    response = client.post("/api/v1/loads", headers=AUTH, files={"file": ("p.yaml", yaml_text.encode())})
    assert response.status_code == 200, response.text
    assert_no_payload_in_cypher(cypher_log)
    assert any(carries(params, payload) for _, params in cypher_log.statements), "the payload was not a parameter"
    stored = neo4j_store.get("industry.payload")
    assert stored is not None and stored.labels == {"en": payload, "zh": payload}
    assert stored.sources[0].quote == payload
    assert [n for n in neo4j_store.iter_nodes() if n.id != "industry.payload"] == nodes_before
    assert list(neo4j_store.iter_edges()) == edges_before
    found = client.get("/api/v1/entities", params={"q": "detach delete"}).json()
    assert [item["id"] for item in found["items"]] == ["industry.payload"]


def test_injection_through_every_store_method(neo4j_store: GraphStore, cypher_log: CypherLog, tmp_path: Path) -> None:
    before = seed(neo4j_store, tmp_path)
    cypher_log.statements.clear()
    calls: list[tuple[str, Callable[[str], Any]]] = [
        ("get", lambda p: neo4j_store.get(p)),
        ("get_many", lambda p: neo4j_store.get_many([p, "industry.health"])),
        ("known_types", lambda p: neo4j_store.known_types([p])),
        ("edges_of.ids", lambda p: neo4j_store.edges_of([p])),
        ("edges_of.relation", lambda p: neo4j_store.edges_of(["industry.health"], relation=p)),
        ("edges_of.direction", lambda p: neo4j_store.edges_of(["industry.health"], direction=p)),
        ("descendants.id", lambda p: neo4j_store.descendants(p, "broader")),
        ("descendants.relation", lambda p: neo4j_store.descendants("industry.health", p)),
        ("edges_citing", lambda p: neo4j_store.edges_citing(p)),
        ("nodes_citing", lambda p: neo4j_store.nodes_citing(p)),
        ("search.text", lambda p: neo4j_store.search(p)),
        ("search.type", lambda p: neo4j_store.search("", type_name=p)),
        ("search.status", lambda p: neo4j_store.search("", status=p)),
        ("shortest_paths.source", lambda p: neo4j_store.shortest_paths(p, "industry.health")),
        ("shortest_paths.target", lambda p: neo4j_store.shortest_paths("plan-t.std.medical", p)),
        ("iter_nodes.type", lambda p: list(neo4j_store.iter_nodes(p))),
    ]
    for payload in PAYLOADS:
        for name, call in calls:
            result = call(payload)
            result = result.items if isinstance(result, SearchResult) else result
            assert not result or name.startswith(("get_many", "edges_of.direction")), (name, payload, result)
    assert_no_payload_in_cypher(cypher_log)
    assert canonical(neo4j_store) == before


def test_names_outside_the_ontology_are_refused_before_any_cypher(
    neo4j_store: GraphStore, cypher_log: CypherLog, tmp_path: Path
) -> None:
    before = seed(neo4j_store, tmp_path)
    for payload in [*PAYLOADS, "Sector", "SUPPORTS_INDUSTRY", "Entity"]:
        bad_type = GraphBatch(nodes=[Node("plan-t.x", payload, {"en": "X", "zh": ""}, {}, [DOC])])
        bad_relation = GraphBatch(edges=[Edge("plan-t.std.medical", payload, "industry.health", [DOC])])
        for batch in (bad_type, bad_relation):
            cypher_log.statements.clear()
            with pytest.raises(ValueError, match=r"not a (node type|relation) of the ontology"):
                neo4j_store.upsert(batch)
            assert cypher_log.statements == [], "Cypher was sent for a name outside the ontology"
    assert canonical(neo4j_store) == before


# ------------------------------------------------------------------ (b) the write token
def test_the_token_is_compared_in_constant_time(memory_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    source = inspect.getsource(plankg.api.auth)
    assert "compare_digest(" in source
    assert "== token" not in source and "token ==" not in source and "!= token" not in source
    seen: list[tuple[bytes, bytes]] = []
    compare = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        seen.append((a, b))
        return compare(a, b)

    monkeypatch.setattr(plankg.api.auth.hmac, "compare_digest", spy)
    client = TestClient(create_app(memory_store, ApiSettings(token=TOKEN)))
    files = {"file": ("p.yaml", VALID_YAML.encode())}
    for given in ("wrong", TOKEN[:-1], TOKEN + "x", "x" * 1000):
        response = client.post("/api/v1/loads", headers={"Authorization": f"Bearer {given}"}, files=files)
        assert_error(response, 401, "unauthorized")
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert len(seen) == 4
    assert_error(client.post("/api/v1/loads", files=files), 401, "unauthorized")
    assert_error(client.post("/api/v1/loads", headers={"Authorization": TOKEN}, files=files), 401)
    assert memory_store.stats()["nodes"] == 0
    assert client.post("/api/v1/loads", headers=AUTH, files=files).status_code == 200
    assert len(seen) == 5
    disabled = TestClient(create_app(memory_store, ApiSettings()))
    assert_error(disabled.post("/api/v1/loads", headers=AUTH, files=files), 403, "writes_disabled")


def test_only_the_load_route_writes(memory_store: GraphStore) -> None:
    """Every operation but the loads, unloads and reloads POSTs is a read (GET), the read-only SPARQL POST,
    or POST /extract, which turns a posted text into a draft and writes nothing (tests/test_extract.py)."""
    app = create_app(memory_store, ApiSettings(token=TOKEN))
    writes = {
        (method.upper(), path)
        for path, item in app.openapi()["paths"].items()
        for method in item
        if method.lower() not in ("get", "head", "options")
    }
    assert writes == {
        ("POST", "/api/v1/loads"),
        ("POST", "/api/v1/unloads"),
        ("POST", "/api/v1/reloads"),
        ("POST", "/api/v1/sparql"),
        ("POST", "/api/v1/extract"),
    }


# ------------------------------------------------------------------ (c) SPARQL is read-only and local
REFUSED_SPARQL = [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "update_refused"),
    ("DELETE DATA { <urn:a> <urn:b> <urn:c> }", "update_refused"),
    ("DELETE WHERE { ?s ?p ?o }", "update_refused"),
    ("DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "update_refused"),
    ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "update_refused"),
    ("LOAD <http://example.org/data.ttl>", "update_refused"),
    ("LOAD SILENT <file:///etc/passwd> INTO GRAPH <urn:g>", "update_refused"),
    ("CLEAR ALL", "update_refused"),
    ("CLEAR DEFAULT", "update_refused"),
    ("DROP ALL", "update_refused"),
    ("DROP GRAPH <urn:g>", "update_refused"),
    ("CREATE GRAPH <urn:g>", "update_refused"),
    ("COPY DEFAULT TO <urn:g>", "update_refused"),
    ("MOVE DEFAULT TO <urn:g>", "update_refused"),
    ("ADD DEFAULT TO <urn:g>", "update_refused"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> } ; DROP ALL", "update_refused"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "service_refused"),
    ("SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:7474/> { ?s ?p ?o } }", "service_refused"),
    ("SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://x.example/> { ?s ?q ?r } } }", "service_refused"),
    ("SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <http://x.example/> { ?s ?p ?o } } }", "service_refused"),
    ("SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <http://x.example/> { ?s ?p ?o } } }", "service_refused"),
    ("SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://x.example/> { ?s ?p ?o } } }", "service_refused"),
    ("SELECT * WHERE { { SELECT * WHERE { SERVICE <http://x.example/> { ?s ?p ?o } } } }", "service_refused"),
    ("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", "service_refused"),
    ("ASK { SERVICE <http://x.example/> { ?s ?p ?o } }", "service_refused"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://x.example/> { ?s ?p ?o } }", "service_refused"),
    ("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", "dataset_refused"),
    ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { ?s ?p ?o }", "dataset_refused"),
    ("SELECT ?x WHERE { BIND(REGEX('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', '(a+)+$') AS ?x) }", "regex_refused"),
    ("SELECT ?x WHERE { ?x rdfs:label ?l FILTER REGEX(?l, '(a|aa)*b') }", "regex_refused"),
    ("SELECT ?x WHERE { ?x rdfs:label ?l FILTER REGEX(?l, 'a*a*a*a*a*b') }", "regex_refused"),
    ("SELECT ?x WHERE { ?x rdfs:label ?l FILTER REGEX(?l, ?l) }", "regex_refused"),
    ("SELECT ?y WHERE { ?x rdfs:label ?l BIND(REPLACE(?l, '(x+x+)+y', 'z') AS ?y) }", "regex_refused"),
]


@pytest.mark.parametrize(("query", "code"), REFUSED_SPARQL, ids=[q[:40] for q, _ in REFUSED_SPARQL])
def test_sparql_refuses_updates_remote_access_and_runaway_regexes(
    memory_store: GraphStore, tmp_path: Path, query: str, code: str
) -> None:
    before = seed(memory_store, tmp_path)
    client = TestClient(create_app(memory_store, ApiSettings()))
    assert_error(client.get("/api/v1/sparql", params={"query": query}), 400, code)
    assert_error(client.post("/api/v1/sparql", data={"query": query}), 400, code)
    assert_error(
        client.post("/api/v1/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}),
        400,
        code,
    )
    assert canonical(memory_store) == before


def test_sparql_plain_regexes_still_work(memory_store: GraphStore, tmp_path: Path) -> None:
    seed(memory_store, tmp_path)
    client = TestClient(create_app(memory_store, ApiSettings()))
    query = "SELECT ?x WHERE { ?x rdfs:label ?l FILTER REGEX(?l, '^health', 'i') }"
    body = client.get("/api/v1/sparql", params={"query": query}).json()
    assert [row["x"]["value"] for row in body["results"]["bindings"]] == ["https://plankg.org/id/industry.health"]


# ------------------------------------------------------------------ (d) limits
def test_request_and_parameter_limits(memory_store: GraphStore, tmp_path: Path) -> None:
    seed(memory_store, tmp_path)
    client = TestClient(create_app(memory_store, ApiSettings(token=TOKEN, max_upload_bytes=2048)))
    assert_error(
        client.post("/api/v1/loads", headers=AUTH, files={"file": ("p.yaml", b"#" * 100_000)}), 413, "payload_too_large"
    )
    assert_error(
        client.post(
            "/api/v1/loads",
            content=b"x",
            headers={**AUTH, "Content-Type": "multipart/form-data; boundary=b", "Content-Length": str(2**40)},
        ),
        413,
    )
    assert_error(
        client.post("/api/v1/sparql", content=b"#" * 500_001, headers={"Content-Type": "application/sparql-query"}),
        413,
        "payload_too_large",
    )
    assert_error(
        client.post("/api/v1/sparql", content=b"#" * 100_001, headers={"Content-Type": "application/sparql-query"}),
        400,
        "bad_sparql",
    )
    assert_error(client.get("/api/v1/entities", params={"limit": 501}), 422)
    assert_error(client.get("/api/v1/entities", params={"q": "x" * 201}), 422)
    assert_error(client.get("/api/v1/entities/industry.health/neighbors", params={"depth": 4}), 422)
    assert_error(client.get("/api/v1/entities/industry.health/neighbors", params={"limit": 2001}), 422)
    assert_error(
        client.get("/api/v1/paths", params={"from": "industry.health", "to": "plan-t.std.medical", "max_length": 9}),
        422,
    )
    assert_error(
        client.get("/api/v1/paths", params={"from": "industry.health", "to": "plan-t.std.medical", "limit": 51}), 422
    )
    assert_error(client.get("/api/v1/entities/" + "a" * 301), 422)
    assert_error(client.get("/api/v1/resolve", params={"iri": "x" * 401}), 422)


def test_neo4j_queries_run_with_a_time_limit(
    neo4j_settings: dict[str, str], cypher_log: CypherLog, tmp_path: Path
) -> None:
    from plankg.graph.neo4j_store import Neo4jStore

    store = Neo4jStore(
        neo4j_settings["uri"],
        neo4j_settings["user"],
        neo4j_settings["password"],
        neo4j_settings["database"],
        query_timeout=7.5,
        load_timeout=120.0,
    )
    try:
        store.clear()
        seed(store, tmp_path)
        client = TestClient(create_app(store, ApiSettings(token=TOKEN)))
        cypher_log.timeouts.clear()
        for url, params in [
            ("/api/v1/entities", {"q": "health"}),
            ("/api/v1/entities/industry.health", None),
            ("/api/v1/entities/industry.health/neighbors", {"depth": 3}),
            ("/api/v1/paths", {"from": "industry.health", "to": "plan-t.std.medical"}),
            ("/api/v1/queries/standards_for_industry", {"industry": "industry.health"}),
            ("/api/v1/export", {"format": "csv"}),
            ("/ready", None),
        ]:
            assert client.get(url, params=params).status_code == 200, url
        reads = [timeout for kind, timeout in cypher_log.timeouts if kind == "read"]
        assert reads and all(timeout == 7.5 for timeout in reads), cypher_log.timeouts
        cypher_log.timeouts.clear()
        path = tmp_path / "more.yaml"
        path.write_text(VALID_YAML.replace("Healthcare", "Health care"), encoding="utf-8")
        store.upsert(plankg.loaders.prepare([path], store.known_types))
        writes = [timeout for kind, timeout in cypher_log.timeouts if kind == "write"]
        assert writes == [120.0], cypher_log.timeouts
        assert all(timeout is not None and timeout > 0 for _, timeout in cypher_log.timeouts)
    finally:
        store.close()


# ------------------------------------------------------------------ (e) no internals in responses
LEAKS = ("Traceback", "/work/", '.py"', ".py'", "site-packages", 'File "', "/tmp/", "plankg-upload")


class ExplodingStore:
    """Every store method raises an unexpected error whose text names internal paths."""

    kind = "memory"

    def __getattr__(self, name: str) -> Any:
        def explode(*_args: Any, **_kwargs: Any) -> Any:
            raise RuntimeError(f'boom in File "/work/main/graph/{name}.py", line 1 (site-packages)')

        return explode


def error_requests() -> Iterator[tuple[str, str, dict[str, Any]]]:
    yield "GET", "/api/v1/entities", {"params": {"cursor": "bad"}}
    yield "GET", "/api/v1/entities", {"params": {"limit": "x"}}
    yield "GET", "/api/v1/entities/NOT_AN_ID", {}
    yield "GET", "/api/v1/entities/industry.nowhere", {}
    yield "GET", "/api/v1/entities/industry.health/neighbors", {"params": {"relation": "x"}}
    yield "GET", "/api/v1/paths", {"params": {"from": "a", "to": "industry.nowhere"}}
    yield "GET", "/api/v1/queries/nope", {}
    yield "GET", "/api/v1/resolve", {"params": {"iri": "file:///etc/passwd"}}
    yield "GET", "/api/v1/sparql", {"params": {"query": "SELECT * WHERE { GRAPH <urn:g> { ?s ?p ?o } }"}}
    yield "GET", "/api/v1/sparql", {"params": {"query": "SELECT ?x WHERE { BIND(<x:y> + 1 AS ?x) } LIMIT 1e3"}}
    yield "POST", "/api/v1/sparql", {"content": b"\xff", "headers": {"Content-Type": "application/sparql-query"}}
    yield "POST", "/api/v1/sparql", {"content": b"{}", "headers": {"Content-Type": "application/json"}}
    yield "POST", "/api/v1/loads", {"headers": AUTH, "files": {"file": ("p.ttl", b"@prefix : <x> . :a :b")}}
    yield "POST", "/api/v1/loads", {"headers": AUTH, "files": {"file": ("p.jsonld", b'{"@graph": [1,}')}}
    yield "POST", "/api/v1/loads", {"headers": AUTH, "files": {"file": ("p.nt", b"<a> <b> .")}}
    yield "POST", "/api/v1/loads", {"headers": AUTH, "files": {"file": ("p.yaml", b"plankg: 1\nnodes: [[[[x]]]]")}}
    yield "POST", "/api/v1/loads", {"headers": AUTH, "files": {"file": ("p.csv", b"\xff\xfe")}}
    yield "POST", "/api/v1/loads", {"headers": AUTH, "files": {"file": ("p.yaml", b"[" * 3000)}}
    yield (
        "POST",
        "/api/v1/loads",
        {"content": b"--b\r\n", "headers": {**AUTH, "Content-Type": "multipart/form-data; boundary=b"}},
    )
    yield "DELETE", "/api/v1/entities", {}


def assert_no_internals(response: Any, label: str) -> None:
    for leak in LEAKS:
        assert leak not in response.text, f"{label}: {leak!r} in {response.text[:400]}"


def test_errors_show_no_internals(memory_store: GraphStore, tmp_path: Path) -> None:
    seed(memory_store, tmp_path)
    client = TestClient(create_app(memory_store, ApiSettings(token=TOKEN)), raise_server_exceptions=False)
    for method, url, kwargs in error_requests():
        response = client.request(method, url, **kwargs)
        assert 400 <= response.status_code < 500, (method, url, response.status_code, response.text[:300])
        assert_error(response, response.status_code)
        assert_no_internals(response, f"{method} {url}")


def test_internal_errors_show_no_internals() -> None:
    client = TestClient(
        create_app(ExplodingStore(), ApiSettings(token=TOKEN)),  # type: ignore[arg-type]
        raise_server_exceptions=False,
    )
    urls = [
        "/ready",
        "/api/v1/entities",
        "/api/v1/entities/industry.health",
        "/api/v1/entities/industry.health/neighbors",
        "/api/v1/paths?from=a&to=b",
        "/api/v1/queries/standards_for_industry?industry=industry.health",
        "/api/v1/export",
        "/api/v1/resolve?iri=https://plankg.org/id/industry.health",
        "/api/v1/sparql?query=ASK{}",
    ]
    for url in urls:
        response = client.get(url, headers={"X-Request-ID": "req-1"})
        error = assert_error(response, 500, "internal_error")
        assert error["details"] == {"request_id": "req-1"}
        assert "boom" not in response.text
        assert_no_internals(response, url)
    response = client.post("/api/v1/loads", headers=AUTH, files={"file": ("p.yaml", VALID_YAML.encode())})
    assert_error(response, 500, "internal_error")
    assert_no_internals(response, "POST /api/v1/loads")


def test_counts(capsys: pytest.CaptureFixture[str]) -> None:
    """Reports payloads x parameters (shown with -s)."""
    parameters = len(list(api_requests("x"))) + len(list(upload_files("x")))
    with capsys.disabled():
        print(
            f"\ninjection: {len(PAYLOADS)} payloads x {parameters} API parameters/uploads = "
            f"{len(PAYLOADS) * parameters} requests; x 16 store methods = {len(PAYLOADS) * 16} calls"
        )
