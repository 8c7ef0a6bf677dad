"""HTTP and SPARQL 1.1 Protocol conformance through a real server and outside clients, on every store.

A uvicorn server runs the API in a thread; SPARQLWrapper, rdflib's SPARQLStore and httpx talk
to it over TCP. Covered: HEAD on every GET, 406 for an Accept nothing answers (N-Triples from
the format registry is served), Allow on every 405, RFC 9457 problem details, SPARQL results
in JSON/XML/CSV/TSV, graphs in Turtle/N-Triples/JSON-LD, and the service description.
"""

from __future__ import annotations

import csv
import io
import socket
import threading
from collections.abc import Iterator
from typing import Any
from xml.dom.minidom import Document

import httpx
import pytest
import uvicorn
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import VOID
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, TSV, TURTLE, XML, SPARQLWrapper
from test_api import HEALTHCARE_SPARQL, HEALTHCARE_STANDARDS, TOKEN, fixture_batch

from plankg.api.app import create_app
from plankg.api.openapi import REFUSALS
from plankg.api.settings import MAX_REQUEST_HEAD_BYTES, ApiSettings
from plankg.graph.engine import run_named_query
from plankg.graph.store import GraphStore
from plankg.model.rdf import to_rdf
from plankg.ontology.schema import load_schema

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = "http://www.w3.org/ns/formats/"
PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance", "code", "message", "details", "error"}
ENTITY = "test-plan.std.medical"
ASK_TRUE = "ASK { id:industry.healthcare a pk:Industry }"
CONSTRUCT = "CONSTRUCT { ?s pk:supportsIndustry ?o } WHERE { ?s pk:supportsIndustry ?o }"
PREFIXED = "PREFIX pk: <https://plankg.org/ontology#> PREFIX id: <https://plankg.org/id/> "


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def store(any_store: GraphStore) -> GraphStore:
    any_store.upsert(fixture_batch())
    return any_store


@pytest.fixture
def base(store: GraphStore) -> Iterator[str]:
    """The URL of a live uvicorn serving the API over `store` (stopped after the test)."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(store, ApiSettings(token=TOKEN)),
        host="127.0.0.1",
        port=port,
        log_level="error",
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD_BYTES,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.05)
        assert thread.is_alive(), "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


@pytest.fixture
def http(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=30) as client:
        yield client


@pytest.fixture
def endpoint(base: str) -> str:
    return base + "/api/v1/sparql"


def assert_problem(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """An RFC 9457 problem: problem+json, the standard members, and code/message/details (also under `error`)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert set(body) == PROBLEM_MEMBERS
    assert body["status"] == status and body["title"] and body["detail"] == body["message"]
    assert body["type"] == "https://plankg.org/problems/" + body["code"]
    assert body["instance"] == response.request.url.path
    assert body["error"] == {key: body[key] for key in ("code", "message", "details")}
    if code:
        assert body["code"] == code
    return body


def _example(parameter: dict[str, Any]) -> Any:
    schema = parameter.get("schema", {})
    examples = parameter.get("examples") or schema.get("examples")
    if isinstance(examples, dict):
        return next(iter(examples.values()))["value"]
    return examples[0] if examples else schema.get("default")


def _get_urls(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every GET operation of the document, its path and required query parameters filled from its examples."""
    urls = []
    for path, item in document["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        url, query = path, {}
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", str(_example(parameter)))
            elif parameter["in"] == "query" and parameter.get("required"):
                query[parameter["name"]] = _example(parameter)
        urls.append((url, query))
    return urls


# ------------------------------------------------------------------ HEAD, Allow, 406, problem details
def test_head_answers_every_get_like_the_get(http: httpx.Client) -> None:
    urls = [*_get_urls(http.get("/openapi.json").json()), ("/", {}), ("/docs", {}), ("/openapi.json", {})]
    assert len(urls) > 15
    for url, query in urls:
        get = http.get(url, params=query)
        head = http.head(url, params=query)
        assert head.status_code == get.status_code != 405, (url, head.status_code, get.status_code)
        assert head.content == b"", url
        for header in ("content-type", "etag", "allow"):
            assert head.headers.get(header) == get.headers.get(header), (url, header)
        if "content-length" in get.headers:
            assert head.headers["content-length"] == get.headers["content-length"], url


def test_405_lists_exactly_the_methods_the_resource_takes(http: httpx.Client) -> None:
    document = http.get("/openapi.json").json()
    for url, _query in _get_urls(document) + [(path, {}) for path in document["paths"]]:
        if "{" in url:
            continue
        declared = {method.upper() for method in document["paths"].get(url, {})}
        if not declared:  # a GET path with its parameters filled in
            continue
        response = http.request("DELETE", url) if "DELETE" not in declared else http.request("PUT", url)
        assert_problem(response, 405, "method_not_allowed")
        allowed = [method.strip() for method in response.headers["allow"].split(",")]
        expected = declared | ({"HEAD"} if "GET" in declared else set())
        assert set(allowed) == expected, (url, allowed)
    loads = http.get("/api/v1/loads")
    assert_problem(loads, 405)
    assert loads.headers["allow"] == "POST"
    sparql = http.delete("/api/v1/sparql")
    assert sparql.headers["allow"] == "GET, HEAD, POST"
    assert http.head("/api/v1/loads").headers["allow"] == "POST"


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (f"/api/v1/entities/{ENTITY}", {}),
        ("/api/v1/entities", {}),
        ("/api/v1/schema", {}),
        ("/api/v1/queries/standards_for_industry", {"industry": "industry.healthcare"}),
        ("/api/v1/export", {}),
        ("/api/v1/sparql", {"query": PREFIXED + "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}),
        ("/api/v1/sparql", {}),
    ],
)
def test_an_accept_nothing_answers_is_406(http: httpx.Client, url: str, params: dict[str, str]) -> None:
    problem = assert_problem(http.get(url, params=params, headers={"Accept": "application/rdf+xml"}), 406)
    assert problem["code"] == "not_acceptable" and problem["details"]["available"]
    assert "application/rdf+xml" not in problem["details"]["available"]
    # the same resource is served for an Accept that takes one of its types, or anything
    anything = http.get(url, params=params, headers={"Accept": "application/rdf+xml, */*;q=0.1"})
    assert anything.status_code == 200
    assert anything.headers["content-type"].split(";")[0] == problem["details"]["available"][0]


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [("application/n-triples", "nt"), ("text/turtle", "turtle"), ("application/ld+json", "json-ld")],
)
def test_entity_and_export_in_every_rdf_format_the_registry_writes(
    http: httpx.Client, store: GraphStore, accept: str, rdf_format: str
) -> None:
    node = store.get(ENTITY)
    assert node is not None
    entity = http.get(f"/api/v1/entities/{ENTITY}", headers={"Accept": accept})
    assert entity.status_code == 200 and entity.headers["content-type"].startswith(accept)
    assert isomorphic(Graph().parse(data=entity.text, format=rdf_format), to_rdf([node], store.edges_of([ENTITY])))
    exported = http.get("/api/v1/export", headers={"Accept": accept})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith(accept)
    assert len(Graph().parse(data=exported.text, format=rdf_format)) > 0
    named = http.get("/api/v1/export", params={"format": "csv"}, headers={"Accept": accept})
    assert_problem(named, 406)


def test_json_answers_default_and_errors_are_problems_whatever_the_accept(http: httpx.Client) -> None:
    assert http.get(f"/api/v1/entities/{ENTITY}").headers["content-type"].startswith("application/json")
    assert http.get(f"/api/v1/entities/{ENTITY}", headers={"Accept": "text/html, */*;q=0.1"}).json()["id"] == ENTITY
    assert_problem(http.get("/api/v1/entities/industry.nowhere", headers={"Accept": "application/json"}), 404)
    assert_problem(http.get("/api/v1/entities/Not_A_Slug"), 400, "bad_id")
    invalid = assert_problem(http.get("/api/v1/entities", params={"limit": 0}), 422, "invalid_request")
    assert invalid["details"][0]["location"] == ["query", "limit"]
    assert_problem(http.post("/api/v1/loads", files={"file": ("x.yaml", b"")}), 401, "unauthorized")


def test_every_refusal_of_schema_valid_data_is_argued_in_the_document(http: httpx.Client) -> None:
    document = http.get("/openapi.json").json()
    refusing = {
        f"{method.upper()} {path}": operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if operation.get(REFUSALS)
    }
    named_queries = {path for path in document["paths"] if path.startswith("/api/v1/queries/")}
    assert named_queries and {f"GET {path}" for path in named_queries} <= set(refusing)
    assert set(refusing) - {f"GET {path}" for path in named_queries} == {
        "GET /api/v1/entities",
        "GET /api/v1/sparql",
        "POST /api/v1/sparql",
        "POST /api/v1/loads",
        "POST /api/v1/extract",
        "GET /api/v1/paths",
        "GET /api/v1/diff",
        "GET /api/v1/derived/{name}",
    }
    for operation in refusing.values():
        assert operation[REFUSALS] in operation["description"]
    for item in document["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert set(response["content"]) == {"application/problem+json"}, operation["operationId"]


# ------------------------------------------------------------------ SPARQL 1.1 Protocol
def _wrapper(endpoint: str, query: str, return_format: str, method: str | None = None) -> Any:
    client = SPARQLWrapper(endpoint)
    client.setQuery(PREFIXED + query)
    client.setReturnFormat(return_format)
    if method:
        client.setMethod(method)
    return client.query()


def _ids(iris: list[str]) -> set[str]:
    schema = load_schema()
    return {schema.id_from_iri(iri) or iri for iri in iris}


@pytest.mark.parametrize("method", [None, POST])
def test_sparqlwrapper_select_in_every_results_format(endpoint: str, store: GraphStore, method: str | None) -> None:
    named = {
        item.entity.id for item in run_named_query(store, "standards_for_industry", {"industry": "industry.healthcare"})
    }
    assert named == HEALTHCARE_STANDARDS
    as_json = _wrapper(endpoint, HEALTHCARE_SPARQL, JSON, method)
    assert as_json.response.headers["content-type"].startswith("application/sparql-results+json")
    assert _ids([row["standard"]["value"] for row in as_json.convert()["results"]["bindings"]]) == named
    as_xml = _wrapper(endpoint, HEALTHCARE_SPARQL, XML, method)
    assert as_xml.response.headers["content-type"].startswith("application/sparql-results+xml")
    document = as_xml.convert()
    assert isinstance(document, Document)
    assert _ids([uri.firstChild.data for uri in document.getElementsByTagName("uri")]) == named
    as_csv = _wrapper(endpoint, HEALTHCARE_SPARQL, CSV, method).convert().decode("utf-8")
    rows = list(csv.reader(io.StringIO(as_csv)))
    assert rows[0] == ["standard"] and _ids([row[0] for row in rows[1:]]) == named
    as_tsv = _wrapper(endpoint, HEALTHCARE_SPARQL, TSV, method).convert().decode("utf-8")
    lines = as_tsv.splitlines()
    assert lines[0] == "?standard" and _ids([line.strip("<>") for line in lines[1:]]) == named


def test_sparqlwrapper_ask_and_construct(endpoint: str) -> None:
    assert _wrapper(endpoint, ASK_TRUE, JSON).convert()["boolean"] is True
    xml = _wrapper(endpoint, "ASK { id:industry.nowhere a pk:Industry }", XML).convert()
    assert xml.getElementsByTagName("boolean")[0].firstChild.data == "false"
    turtle = _wrapper(endpoint, CONSTRUCT, TURTLE)
    assert turtle.response.headers["content-type"].startswith("text/turtle")
    expected = Graph().parse(data=turtle.convert().decode("utf-8"), format="turtle")
    assert len(expected) == 3
    jsonld = _wrapper(endpoint, CONSTRUCT, JSONLD)
    assert jsonld.response.headers["content-type"].startswith("application/ld+json")
    assert isomorphic(jsonld.convert(), expected)
    n3 = _wrapper(endpoint, CONSTRUCT, N3).convert()
    assert isomorphic(Graph().parse(data=n3.decode("utf-8"), format="turtle"), expected)


def test_construct_as_ntriples_and_csv_for_ask_is_406(http: httpx.Client) -> None:
    response = http.get("/api/v1/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/n-triples")
    assert len(Graph().parse(data=response.text, format="nt")) == 3
    problem = assert_problem(
        http.get("/api/v1/sparql", params={"query": ASK_TRUE}, headers={"Accept": "text/csv"}), 406
    )
    assert set(problem["details"]["available"]) >= {"application/sparql-results+json", "application/sparql-results+xml"}


@pytest.mark.parametrize("mode", ["xml", "json"])
def test_rdflib_sparqlstore_reads_the_endpoint(endpoint: str, mode: str) -> None:
    graph = Graph(store=SPARQLStore(endpoint, returnFormat=mode))
    rows = list(graph.query(HEALTHCARE_SPARQL))
    assert _ids([str(row[0]) for row in rows]) == HEALTHCARE_STANDARDS  # type: ignore[index]
    assert graph.query(PREFIXED + ASK_TRUE).askAnswer is True
    labels = {
        (str(row[0]), row[0].language)  # type: ignore[index, union-attr]
        for row in graph.query(PREFIXED + "SELECT ?l WHERE { id:industry.healthcare rdfs:label ?l }")
    }
    assert labels == {("Healthcare", "en"), ("医疗健康", "zh")}


def test_results_formats_round_trip_through_rdflib_parsers(http: httpx.Client) -> None:
    """JSON, XML, CSV and TSV of one SELECT parse back (rdflib's result parsers) to the same rows;
    TSV escapes tabs and line breaks inside literals."""
    query = (
        PREFIXED + 'SELECT ?s ?label ?text WHERE { ?s rdfs:label ?label . BIND("a\\tb\\nc \\"q\\"" AS ?text) } '
        "ORDER BY ?s ?label"
    )
    parsed = {}
    for media_type, name in [
        ("application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/tab-separated-values", "tsv"),
    ]:
        response = http.get("/api/v1/sparql", params={"query": query}, headers={"Accept": media_type})
        assert response.status_code == 200 and response.headers["content-type"].startswith(media_type)
        result = Result.parse(io.BytesIO(response.content), format=name)
        parsed[name] = [tuple(row) for row in result]  # type: ignore[arg-type]
    assert parsed["json"] == parsed["xml"] == parsed["tsv"]
    assert parsed["json"] and parsed["json"][0][2] == Literal('a\tb\nc "q"')
    tsv = http.get("/api/v1/sparql", params={"query": query}, headers={"Accept": "text/tab-separated-values"}).text
    assert all(line.count("\t") == 2 for line in tsv.splitlines())
    as_csv = http.get("/api/v1/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    csv_rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert csv_rows[0] == ["s", "label", "text"] and len(csv_rows) == len(parsed["json"]) + 1


@pytest.mark.parametrize(("accept", "rdf_format"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")])
def test_service_description(http: httpx.Client, endpoint: str, accept: str, rdf_format: str) -> None:
    response = http.get("/api/v1/sparql", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    description = Graph().parse(data=response.text, format=rdf_format)
    service = URIRef(endpoint)
    assert (service, RDF.type, SD.Service) in description
    assert (service, SD.endpoint, service) in description
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in description
    formats = {str(iri).removeprefix(FORMATS) for iri in description.objects(service, SD.resultFormat)}
    assert formats == {
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
    }
    dataset = description.value(service, SD.defaultDataset)
    default_graph = description.value(dataset, SD.defaultGraph)
    triples = description.value(default_graph, VOID.triples)
    counted = http.get("/api/v1/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json()
    assert int(triples) == int(counted["results"]["bindings"][0]["n"]["value"]) > 0  # type: ignore[arg-type]
