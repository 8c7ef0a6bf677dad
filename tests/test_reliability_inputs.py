"""A corpus of malformed inputs — files in every format, API parameters, uploads — and what each must do.

Every bad file is refused with an error naming the file (and line / field where there is
one); every bad request gets a JSON `{"error": {...}}` with a 4xx status, never a 500;
and the store, memory or Neo4j, is exactly as before (its canonical CSV export is
byte-identical). Files are loaded both as the CLI does (`plankg.loaders.prepare` then
`store.upsert`) and through `POST /api/v1/loads`. FILE_INPUTS reuses test_bad_inputs.BAD_INPUTS.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_bad_inputs import BAD_INPUTS, VALID_NODES_CSV, VALID_TURTLE, VALID_YAML, at, line_of, variant

import plankg.loaders
import plankg.loaders.reading
import plankg.loaders.validate
from plankg.api.app import create_app
from plankg.api.settings import ApiSettings
from plankg.graph.export import export_stream
from plankg.graph.store import GraphStore
from plankg.model.errors import InputError
from plankg.model.records import MAX_TEXT

TOKEN = "reliability-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FORMATS = {
    ".yaml": "YAML",
    ".csv": "CSV",
    ".ttl": "Turtle",
    ".jsonld": "JSON-LD",
    ".json": "JSON-LD",
    ".nt": "N-Triples",
    ".txt": "other",
}

INDUSTRY_LINE = line_of(VALID_YAML, "- id: industry.health")
INDICATOR_LINE = line_of(VALID_YAML, "- id: plan-t.ind.users")
EDGE_LINE = line_of(VALID_YAML, "- from: plan-t.std.medical")
STD_LINE = line_of(VALID_YAML, "- id: plan-t.std.medical")

VALID_EDGES_CSV = """\
from,relation,to,status,document,locator,quote
plan-t.std.medical,supports_industry,industry.health,,plan-t.doc.final,Standards,医疗标准
"""
EDGE_NODES_CSV = VALID_NODES_CSV + "plan-t.std.medical,Standard,Medical standards,,,,plan-t.doc.final,Standards,标准\n"
VALID_JSONLD = """\
{"@context": {"pk": "https://plankg.org/ontology#", "id": "https://plankg.org/id/",
              "rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
 "@graph": [
  {"@id": "id:plan-t.doc.final", "@type": "pk:Document", "rdfs:label": {"@value": "Final", "@language": "en"},
   "pk:source": {"pk:document": {"@id": "id:plan-t.doc.final"}, "pk:locator": "Title", "pk:quote": "扬帆"}},
  {"@id": "id:industry.health", "@type": "pk:Industry", "rdfs:label": {"@value": "Health", "@language": "en"},
   "pk:source": {"pk:document": {"@id": "id:plan-t.doc.final"}, "pk:locator": "Fields", "pk:quote": "医疗"}}
 ]}
"""
NT_LINE = '<https://plankg.org/id/a> <https://plankg.org/ontology#status> "confirmed" .\n'

CYPHER = "x' }) DETACH DELETE n //"
BILLION_LAUGHS = (
    b"plankg: 1\nlol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + b"".join(f"l{i}: &a{i} [{', '.join([f'*a{i - 1}' if i > 1 else '*a'] * 9)}]\n".encode() for i in range(1, 10))
    + b"nodes: *a9\n"
)


class Big:
    """A file of `size` bytes that starts with `head` (written sparse, so it costs no disk or time)."""

    def __init__(self, head: bytes, size: int) -> None:
        self.head = head
        self.size = size

    def write(self, path: Path) -> None:
        path.write_bytes(self.head)
        os.truncate(path, self.size)


Content = bytes | Big

EXTRA_INPUTS: list[tuple[str, str, Content, list[str]]] = [
    # ---- YAML
    ("yaml_billion_laughs", "bad.yaml", BILLION_LAUGHS, ["bad.yaml:2:", "anchors (&name) are not allowed"]),
    (
        "yaml_python_tag",
        "bad.yaml",
        variant("labels: {en: Healthcare}", "labels: !!python/object:os.system {en: x}"),
        [at("bad.yaml", INDUSTRY_LINE + 2), "YAML value error", "python/object"],
    ),
    (
        "yaml_very_deep_flow",
        "bad.yaml",
        b"plankg: 1\nnodes: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        ["bad.yaml:", "nest"],
    ),
    ("yaml_root_is_a_list", "bad.yaml", b"- plankg: 1\n- nodes: []\n", ["bad.yaml:1:", "expected a mapping"]),
    (
        "yaml_unknown_top_level_key",
        "bad.yaml",
        variant("edges:\n", "relations:\n"),
        ["bad.yaml:", "[relations]", "unknown top-level key"],
    ),
    (
        "yaml_oversized_label",
        "bad.yaml",
        variant("labels: {en: Healthcare}", "labels: {en: " + "x" * (MAX_TEXT + 1) + "}"),
        [at("bad.yaml", INDUSTRY_LINE), "[labels.en]", f"expected at most {MAX_TEXT}"],
    ),
    (
        "yaml_oversized_quote",
        "bad.yaml",
        variant("quote: 医疗标准}", "quote: " + "标" * (MAX_TEXT + 1) + "}"),
        [at("bad.yaml", STD_LINE), "[sources[0].quote]", f"expected at most {MAX_TEXT}"],
    ),
    (
        "yaml_oversized_file",
        "big.yaml",
        Big(VALID_YAML.encode(), plankg.loaders.reading.MAX_FILE_BYTES + 1),
        ["big.yaml:", f"expected at most {plankg.loaders.reading.MAX_FILE_BYTES}"],
    ),
    (
        "yaml_nul_in_label",
        "bad.yaml",
        variant("labels: {en: Healthcare}", 'labels: {en: "Health\\0care"}'),
        [at("bad.yaml", INDUSTRY_LINE), "[labels.en]", "NUL"],
    ),
    (
        "yaml_raw_nul_byte",
        "bad.yaml",
        variant("labels: {en: Healthcare}", "labels: {en: Health\x00care}"),
        ["bad.yaml:", "unacceptable character"],
    ),
    (
        "yaml_cypher_id",
        "bad.yaml",
        variant("id: industry.health", f'id: "{CYPHER}"').replace(b"to: industry.health", b"to: industry.other"),
        [at("bad.yaml", INDUSTRY_LINE), "[id]", "is not a valid id"],
    ),
    (
        "yaml_backtick_id",
        "bad.yaml",
        variant("id: plan-t.std.medical", 'id: "`x`"'),
        [at("bad.yaml", STD_LINE), "[id]", "is not a valid id"],
    ),
    (
        "yaml_param_id",
        "bad.yaml",
        variant("id: plan-t.std.medical", 'id: "$param"'),
        [at("bad.yaml", STD_LINE), "[id]", "is not a valid id"],
    ),
    (
        "yaml_rtl_zero_width_id",
        "bad.yaml",
        variant("id: plan-t.std.medical", 'id: "plan-t.std.\u202emed\u200bical"'),
        [at("bad.yaml", STD_LINE), "[id]", "is not a valid id"],
    ),
    (
        "yaml_cypher_type",
        "bad.yaml",
        variant("type: Industry", 'type: "Industry`) DETACH DELETE n //"'),
        [at("bad.yaml", INDUSTRY_LINE), "[type]", "is not a node type"],
    ),
    (
        "yaml_label_injection_type",
        "bad.yaml",
        variant("type: Industry", "type: Industry:Entity"),
        [at("bad.yaml", INDUSTRY_LINE), "[type]", "is not a node type"],
    ),
    (
        "yaml_cypher_relation",
        "bad.yaml",
        variant("relation: supports_industry", 'relation: "SUPPORTS_INDUSTRY]->() DETACH DELETE n //"'),
        [at("bad.yaml", EDGE_LINE), "[relation]", "is not a relation"],
    ),
    (
        "yaml_relation_neo4j_name",
        "bad.yaml",
        variant("relation: supports_industry", "relation: SUPPORTS_INDUSTRY"),
        [at("bad.yaml", EDGE_LINE), "[relation]", "is not a relation"],
    ),
    (
        "yaml_edge_from_wrong_class",
        "bad.yaml",
        variant("from: plan-t.std.medical", "from: plan-t.ind.users"),
        [at("bad.yaml", EDGE_LINE), "[from]", "an Indicator", "expected a Standard"],
    ),
    (
        "yaml_dangling_source_document",
        "bad.yaml",
        variant("locator: Key fields", "locator: Key fields").replace(
            b"{document: plan-t.doc.final, locator: Key fields", b"{document: plan-t.doc.missing, locator: Key fields"
        ),
        [
            at("bad.yaml", INDUSTRY_LINE),
            "[sources[0].document]",
            "'plan-t.doc.missing'",
            "expected the id of a Document",
        ],
    ),
    (
        "yaml_infinite_target",
        "bad.yaml",
        variant("target_value: 560000000", "target_value: .inf"),
        [at("bad.yaml", INDICATOR_LINE), "[properties.target_value]", "expected a number"],
    ),
    (
        "yaml_boolean_target",
        "bad.yaml",
        variant("target_value: 560000000", "target_value: true"),
        [at("bad.yaml", INDICATOR_LINE), "[properties.target_value]", "expected a number"],
    ),
    (
        "yaml_impossible_unquoted_date",
        "bad.yaml",
        variant("deadline: 2023-12-31", "deadline: 2023-13-45"),
        [at("bad.yaml", INDICATOR_LINE), "expected YYYY-MM-DD"],
    ),
    (
        "yaml_id_too_long",
        "bad.yaml",
        variant("id: plan-t.std.medical", "id: plan-t.std." + "m" * (MAX_TEXT + 1)),
        [at("bad.yaml", STD_LINE), "[id]", f"expected at most {MAX_TEXT}"],
    ),
    # ---- CSV
    (
        "csv_unknown_type",
        "bad.nodes.csv",
        variant("Industry,Healthcare", "Sector,Healthcare", VALID_NODES_CSV),
        ["bad.nodes.csv:3:", "[type]", "'Sector' is not a node type"],
    ),
    (
        "csv_cypher_id",
        "bad.nodes.csv",
        variant("industry.health,Industry", f'"{CYPHER}",Industry', VALID_NODES_CSV),
        ["bad.nodes.csv:3:", "[id]", "is not a valid id"],
    ),
    (
        "csv_unknown_relation",
        "bad.csv",
        (
            "kind,id,type,label_en,label_zh,status,properties,from,relation,to,document,locator,quote\n"
            "node,plan-t.doc.final,Document,Final,,,,,,,plan-t.doc.final,Title,扬帆\n"
            "node,industry.health,Industry,Health,,,,,,,plan-t.doc.final,Fields,医疗\n"
            "edge,,,,,,,industry.health,DROP,industry.health,plan-t.doc.final,Fields,医疗\n"
        ).encode(),
        ["bad.csv:4:", "[relation]", "'DROP' is not a relation"],
    ),
    (
        "csv_dangling_edge",
        "bad.edges.csv",
        variant("industry.health,,", "industry.nowhere,,", VALID_EDGES_CSV),
        ["bad.edges.csv:2:", "[to]", "dangling reference", "'industry.nowhere'"],
    ),
    (
        "csv_conflicting_duplicate_rows",
        "bad.nodes.csv",
        (VALID_NODES_CSV + "industry.health,Industry,Health care,,,,plan-t.doc.final,Other,医疗\n").encode(),
        ["bad.nodes.csv:4:", "[labels]", "conflicting duplicate", "differs from line 3"],
    ),
    (
        "csv_non_numeric_target",
        "bad.nodes.csv",
        (
            VALID_NODES_CSV + 'plan-t.ind.u,Indicator,Users,,,"{""target_value"": '
            '""lots"", ""unit"": ""u"", ""comparator"": ""gt"", ""deadline"": '
            '""2023-12-31""}",plan-t.doc.final,Goals,用户\n'
        ).encode(),
        ["bad.nodes.csv:4:", "[properties.target_value]", "expected a number", "'lots'"],
    ),
    (
        "csv_nan_target",
        "bad.nodes.csv",
        (
            VALID_NODES_CSV + 'plan-t.ind.u,Indicator,Users,,,"{""target_value"": NaN, '
            '""unit"": ""u"", ""comparator"": ""gt"", ""deadline"": ""2023-12-31""}",'
            "plan-t.doc.final,Goals,用户\n"
        ).encode(),
        ["bad.nodes.csv:4:", "[properties.target_value]", "expected a number"],
    ),
    (
        "csv_wrong_cell_count",
        "bad.nodes.csv",
        variant("Healthcare,,,,", "Healthcare,,,", VALID_NODES_CSV),
        ["bad.nodes.csv:3:", "cells; expected 9"],
    ),
    (
        "csv_unterminated_quote",
        "bad.nodes.csv",
        variant("Healthcare,,,,", 'Healthcare,"oops,,,', VALID_NODES_CSV),
        ["bad.nodes.csv:3:", "CSV syntax error"],
    ),
    (
        "csv_nul_in_cell",
        "bad.nodes.csv",
        variant("Healthcare,,,,", "Health\x00care,,,,", VALID_NODES_CSV),
        ["bad.nodes.csv:", "NUL"],
    ),
    (
        "csv_oversized_cell",
        "bad.nodes.csv",
        variant("Healthcare,,,,", "x" * (MAX_TEXT + 1) + ",,,,", VALID_NODES_CSV),
        ["bad.nodes.csv:3:", "[labels.en]", f"expected at most {MAX_TEXT}"],
    ),
    ("csv_unknown_form", "bad.csv", b"a,b,c\n1,2,3\n", ["bad.csv:1:", "cannot tell nodes from edges"]),
    # ---- Turtle
    (
        "turtle_undefined_prefix",
        "bad.ttl",
        variant("id:industry.health a", "nope:industry.health a", VALID_TURTLE),
        [at("bad.ttl", line_of(VALID_TURTLE, "id:industry.health a")), "Turtle syntax error"],
    ),
    (
        "turtle_unknown_class",
        "bad.ttl",
        variant("a pk:Industry", "a pk:Sector", VALID_TURTLE),
        ["bad.ttl:", "<https://plankg.org/id/industry.health>"],
    ),
    (
        "turtle_breaking_literal",
        "bad.ttl",
        variant('"Healthcare"@en', '"Health" } ; DROP ALL ; <x> "@en', VALID_TURTLE),
        ["bad.ttl:", "Turtle syntax error"],
    ),
    (
        "turtle_cypher_iri",
        "bad.ttl",
        variant("id:industry.health a", "<https://plankg.org/id/x'%20DETACH> a", VALID_TURTLE),
        ["bad.ttl:", "[id]", "is not a valid id"],
    ),
    (
        "turtle_non_numeric_target",
        "bad.ttl",
        (
            VALID_TURTLE + 'id:plan-t.ind.u a pk:Indicator ; rdfs:label "U"@en ; '
            'pk:targetValue "lots" ; pk:unit "u" ; pk:comparator "gt" ; '
            'pk:deadline "2023-12-31" ; pk:source [ pk:document id:plan-t.doc.final ;'
            ' pk:locator "G" ; pk:quote "q" ] .\n'
        ).encode(),
        ["bad.ttl:", "<https://plankg.org/id/plan-t.ind.u>"],
    ),
    # ---- JSON-LD
    (
        "jsonld_unterminated_string",
        "bad.jsonld",
        b'{"@graph": [\n  {"@id": "x}\n]}\n',
        ["bad.jsonld:2:", "JSON syntax error"],
    ),
    (
        "jsonld_remote_context_in_list",
        "bad.jsonld",
        b'{"@context": [{"pk": "https://plankg.org/ontology#"}, "https://evil.example/ctx"], "@id": "x"}',
        ["bad.jsonld:", "[@context]", "remote context"],
    ),
    (
        "jsonld_nested_remote_context",
        "bad.jsonld",
        b'{"@graph": [{"@context": "http://127.0.0.1:9/ctx", "@id": "x"}]}',
        ["bad.jsonld:", "[@context]"],
    ),
    (
        "jsonld_import",
        "bad.jsonld",
        b'{"@context": {"@import": "https://evil.example/ctx"}, "@id": "x"}',
        ["bad.jsonld:", "[@context]", "@import"],
    ),
    ("jsonld_scalar_root", "bad.json", b"42\n", ["bad.json:1:", "expected a JSON-LD object or array"]),
    ("jsonld_deeply_nested", "bad.jsonld", b"[" * 100_000 + b"]" * 100_000, ["bad.jsonld:", "nested too deeply"]),
    (
        "jsonld_unknown_class",
        "bad.jsonld",
        variant('"pk:Industry"', '"pk:Sector"', VALID_JSONLD),
        ["bad.jsonld:", "<https://plankg.org/id/industry.health>"],
    ),
    (
        "jsonld_oversized_label",
        "bad.jsonld",
        variant('"Health"', '"' + "h" * (MAX_TEXT + 1) + '"', VALID_JSONLD),
        ["bad.jsonld:", "[labels.en]", f"expected at most {MAX_TEXT}"],
    ),
    # ---- N-Triples
    ("nt_missing_dot", "bad.nt", (NT_LINE + NT_LINE.replace(" .", "")).encode(), ["bad.nt:2:", "nt syntax error"]),
    (
        "nt_bad_iri",
        "bad.nt",
        (NT_LINE + '<not an iri> <https://plankg.org/ontology#status> "x" .\n').encode(),
        ["bad.nt:2:", "nt syntax error"],
    ),
    (
        "nt_unterminated_literal",
        "bad.nt",
        ('<https://plankg.org/id/a> <https://plankg.org/ontology#status> "x .\n' + NT_LINE).encode(),
        ["bad.nt:1:", "nt syntax error"],
    ),
    (
        "nt_no_entities",
        "bad.nt",
        b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n",
        ["bad.nt:", "contains no plan entities"],
    ),
]

FILE_INPUTS = BAD_INPUTS + EXTRA_INPUTS


def write_input(folder: Path, filename: str, content: Content) -> Path:
    path = folder / filename
    if isinstance(content, Big):
        content.write(path)
    else:
        path.write_bytes(content)
    return path


def upload_bytes(content: Content) -> bytes:
    """What an uploader sends: the bytes, or for a Big file its head padded to size with comments."""
    if isinstance(content, Big):
        return content.head + b"#" * (content.size - len(content.head))
    return content


def canonical(store: GraphStore) -> str:
    """The store's canonical CSV export: equal stores export byte-identical text."""
    return "".join(export_stream(store.iter_nodes(), store.iter_edges(), "csv"))


def seed(store: GraphStore, folder: Path) -> str:
    """The store with VALID_YAML loaded; its canonical export."""
    store.upsert(plankg.loaders.prepare([write_input(folder, "seed.yaml", VALID_YAML.encode())], store.known_types))
    return canonical(store)


def assert_error(response: Any, status: int | tuple[int, ...]) -> dict[str, Any]:
    statuses = (status,) if isinstance(status, int) else status
    assert response.status_code in statuses, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers["content-type"]
    body = response.json()
    assert body["status"] == response.status_code and body["detail"] == body["message"], body
    assert body["error"] == {key: body[key] for key in ("code", "message", "details")}, body
    assert body["error"]["message"]
    assert "Traceback" not in response.text and "plankg-upload" not in response.text
    return body["error"]


# ------------------------------------------------------------------ the corpus itself
def test_the_corpus_covers_every_format() -> None:
    names = [case[0] for case in FILE_INPUTS]
    assert len(names) == len(set(names)), "duplicate case names"
    per_format = Counter(FORMATS[Path(case[1]).suffix] for case in FILE_INPUTS)
    assert len(FILE_INPUTS) + len(API_PARAMETER_CASES) + len(UPLOAD_CASES) >= 100
    assert len(FILE_INPUTS) >= 50
    for fmt in ("YAML", "CSV", "Turtle", "JSON-LD", "N-Triples"):
        assert per_format[fmt] >= 4, (fmt, per_format)


@pytest.mark.parametrize(("name", "filename", "content", "expected"), EXTRA_INPUTS, ids=[c[0] for c in EXTRA_INPUTS])
def test_bad_file_names_the_place(
    tmp_path: Path, name: str, filename: str, content: Content, expected: list[str]
) -> None:
    """The new cases (BAD_INPUTS are checked the same way in test_bad_inputs.py)."""
    path = write_input(tmp_path, filename, content)
    with pytest.raises(InputError) as caught:
        plankg.loaders.prepare([path])
    text = str(caught.value)
    assert str(path) in text, f"{name}: the error does not name the file: {text[:300]}"
    for fragment in expected:
        assert fragment in text, f"{name}: {fragment!r} not in {text[:600]!r}"
    assert len(text) < 5000, f"{name}: the message is {len(text)} characters long"


# ------------------------------------------------------------------ files against both stores, both paths
def _try_prepare_and_upsert(store: GraphStore, path: Path) -> InputError | None:
    try:
        batch = plankg.loaders.prepare([path], store.known_types)
    except InputError as error:
        return error
    store.upsert(batch)  # a bad input got through: the export check below reports it
    return None


def test_bad_files_leave_the_store_unchanged(any_store: GraphStore, tmp_path: Path) -> None:
    """prepare + upsert (the CLI's path) and POST /api/v1/loads, for every file of the corpus, on each store."""
    before = seed(any_store, tmp_path)
    client = TestClient(
        create_app(any_store, ApiSettings(token=TOKEN, max_upload_bytes=64 * 1024 * 1024)),
        raise_server_exceptions=False,
    )
    failures: list[str] = []
    for name, filename, content, _expected in FILE_INPUTS:
        folder = tmp_path / name
        folder.mkdir()
        path = write_input(folder, filename, content)
        error = _try_prepare_and_upsert(any_store, path)
        if error is None or filename not in str(error):
            failures.append(f"{name}: prepare did not refuse it naming {filename}: {error}")
        if canonical(any_store) != before:
            failures.append(f"{name}: the store changed after prepare + upsert")
            before = canonical(any_store)
        if isinstance(content, Big):
            continue  # uploaded in test_oversized_uploads (413 from the upload limit, 422 from the loader's)
        response = client.post("/api/v1/loads", headers=AUTH, files={"file": (filename, upload_bytes(content))})
        if response.status_code != 422:
            failures.append(f"{name}: upload answered {response.status_code}: {response.text[:300]}")
        else:
            problems = response.json()["error"]["details"]["problems"]
            if not problems or any(p["file"] != filename for p in problems):
                failures.append(f"{name}: upload problems do not name {filename}: {problems}")
            if str(tmp_path) in response.text or "plankg-upload" in response.text:
                failures.append(f"{name}: upload error shows a server path")
        if canonical(any_store) != before:
            failures.append(f"{name}: the store changed after the upload")
            before = canonical(any_store)
    assert not failures, "\n".join(failures)


def test_oversized_uploads(any_store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over the upload limit: 413 (declared length or counted); under it but over the loader's limit: 422."""
    before = seed(any_store, tmp_path)
    small = TestClient(create_app(any_store, ApiSettings(token=TOKEN, max_upload_bytes=4096)))
    body = VALID_YAML.encode() + b"#" * 300_000 + b"\n"
    error = assert_error(small.post("/api/v1/loads", headers=AUTH, files={"file": ("big.yaml", body)}), 413)
    assert error["code"] == "payload_too_large" and error["details"] == {"limit_bytes": 4096}
    middling = VALID_YAML.encode() + b"#" * 20_000 + b"\n"  # within the multipart allowance: caught while saving
    assert_error(small.post("/api/v1/loads", headers=AUTH, files={"file": ("big.yaml", middling)}), 413)

    monkeypatch.setattr(plankg.loaders.reading, "MAX_FILE_BYTES", 2048)
    roomy = TestClient(create_app(any_store, ApiSettings(token=TOKEN)))
    error = assert_error(roomy.post("/api/v1/loads", headers=AUTH, files={"file": ("big.yaml", middling)}), 422)
    assert error["details"]["problems"][0]["file"] == "big.yaml"
    assert "expected at most 2048" in error["details"]["problems"][0]["message"]
    assert canonical(any_store) == before


# ------------------------------------------------------------------ API parameters
LONG_ID = "a" * 301
API_PARAMETER_CASES: list[tuple[str, str, dict[str, Any] | None, int, str]] = [
    ("entities limit=-1", "/api/v1/entities", {"limit": -1}, 422, "invalid_request"),
    ("entities limit=0", "/api/v1/entities", {"limit": 0}, 422, "invalid_request"),
    ("entities limit=1e9", "/api/v1/entities", {"limit": "1e9"}, 422, "invalid_request"),
    ("entities limit=501", "/api/v1/entities", {"limit": 501}, 422, "invalid_request"),
    ("entities limit=2**70", "/api/v1/entities", {"limit": str(2**70)}, 422, "invalid_request"),
    ("entities cursor=garbage", "/api/v1/entities", {"cursor": "garbage!!"}, 400, "bad_cursor"),
    ("entities cursor=negative", "/api/v1/entities", {"cursor": "eyJvIjotMSwicSI6IngifQ"}, 400, "bad_cursor"),
    ("entities cursor=huge", "/api/v1/entities", {"cursor": "eyJvIjoxZTk5LCJxIjoieCJ9"}, 400, "bad_cursor"),
    ("entities cursor too long", "/api/v1/entities", {"cursor": "A" * 201}, 422, "invalid_request"),
    ("entities type=NotAType", "/api/v1/entities", {"type": "NotAType"}, 422, "invalid_request"),
    ("entities type=cypher", "/api/v1/entities", {"type": "Industry`) DETACH DELETE n //"}, 422, "invalid_request"),
    ("entities status=maybe", "/api/v1/entities", {"status": "maybe"}, 422, "invalid_request"),
    ("entities lang=fr", "/api/v1/entities", {"lang": "fr"}, 422, "invalid_request"),
    ("entities q too long", "/api/v1/entities", {"q": "q" * 201}, 422, "invalid_request"),
    ("entity id path traversal", "/api/v1/entities/..%2F..%2Fetc%2Fpasswd", None, 404, "not_found"),
    ("entity id dot-dot", "/api/v1/entities/..", None, 404, "not_found"),
    ("entity id over-long", f"/api/v1/entities/{LONG_ID}", None, 422, "invalid_request"),
    ("entity id cypher", "/api/v1/entities/x'%20%7D)%20DETACH%20DELETE%20n%20%2F%2F", None, 400, "bad_id"),
    ("entity id backticks", "/api/v1/entities/%60x%60", None, 400, "bad_id"),
    ("entity id $param", "/api/v1/entities/$param", None, 400, "bad_id"),
    ("entity id NUL", "/api/v1/entities/a%00b", None, 400, "bad_id"),
    ("entity id RTL", "/api/v1/entities/a%E2%80%AEb", None, 400, "bad_id"),
    ("entity id zero-width", "/api/v1/entities/industry.health%E2%80%8B", None, 400, "bad_id"),
    ("entity unknown", "/api/v1/entities/industry.nowhere", None, 404, "not_found"),
    ("neighbours depth=99", "/api/v1/entities/industry.health/neighbors", {"depth": 99}, 422, "invalid_request"),
    ("neighbours depth=0", "/api/v1/entities/industry.health/neighbors", {"depth": 0}, 422, "invalid_request"),
    (
        "neighbours relation=DROP",
        "/api/v1/entities/industry.health/neighbors",
        {"relation": "DROP"},
        422,
        "invalid_request",
    ),
    (
        "neighbours direction=up",
        "/api/v1/entities/industry.health/neighbors",
        {"direction": "up"},
        422,
        "invalid_request",
    ),
    (
        "neighbours limit=100000",
        "/api/v1/entities/industry.health/neighbors",
        {"limit": 100000},
        422,
        "invalid_request",
    ),
    ("neighbours unknown id", "/api/v1/entities/industry.nowhere/neighbors", None, 404, "not_found"),
    (
        "paths max_length=1e9",
        "/api/v1/paths",
        {"from": "plan-t.std.medical", "to": "industry.health", "max_length": "1e9"},
        422,
        "invalid_request",
    ),
    (
        "paths max_length=99",
        "/api/v1/paths",
        {"from": "plan-t.std.medical", "to": "industry.health", "max_length": 99},
        422,
        "invalid_request",
    ),
    (
        "paths limit=51",
        "/api/v1/paths",
        {"from": "plan-t.std.medical", "to": "industry.health", "limit": 51},
        422,
        "invalid_request",
    ),
    ("paths from cypher", "/api/v1/paths", {"from": CYPHER, "to": "industry.health"}, 404, "not_found"),
    ("paths missing to", "/api/v1/paths", {"from": "industry.health"}, 422, "invalid_request"),
    ("paths over-long to", "/api/v1/paths", {"from": "industry.health", "to": LONG_ID}, 422, "invalid_request"),
    ("paths unknown end", "/api/v1/paths", {"from": "industry.health", "to": "industry.nowhere"}, 404, "not_found"),
    ("query param $param", "/api/v1/queries/standards_for_industry", {"industry": "$param"}, 404, "not_found"),
    ("query missing param", "/api/v1/queries/standards_for_industry", None, 422, "invalid_request"),
    (
        "query include_unconfirmed=maybe",
        "/api/v1/queries/standards_for_industry",
        {"industry": "industry.health", "include_unconfirmed": "maybe"},
        422,
        "invalid_request",
    ),
    ("query name DROP", "/api/v1/queries/DROP", None, 404, "unknown_query"),
    ("query name traversal", "/api/v1/queries/..%2F..%2Fadmin", None, 404, "not_found"),
    ("export format=exe", "/api/v1/export", {"format": "exe"}, 422, "invalid_request"),
    ("export type=NotAType", "/api/v1/export", {"type": "NotAType"}, 422, "invalid_request"),
    ("resolve file iri", "/api/v1/resolve", {"iri": "file:///etc/passwd"}, 404, "not_found"),
    ("resolve traversal iri", "/api/v1/resolve", {"iri": "https://plankg.org/id/../../etc"}, 404, "not_found"),
    ("resolve missing", "/api/v1/resolve", None, 422, "invalid_request"),
    ("sparql empty", "/api/v1/sparql", {"query": ""}, 422, "invalid_request"),
    ("sparql not sparql", "/api/v1/sparql", {"query": "DROP TABLE plans; --"}, 400, "bad_sparql"),
    ("sparql garbage", "/api/v1/sparql", {"query": "SELEKT ?x"}, 400, "bad_sparql"),
    (
        "sparql huge limit",
        "/api/v1/sparql",
        {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999"},
        400,
        "sparql_failed",
    ),
    (
        "sparql redos",
        "/api/v1/sparql",
        {"query": "SELECT ?x WHERE { BIND(REGEX('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', '(a+)+$') AS ?x) }"},
        400,
        "regex_refused",
    ),
    ("unknown route", "/api/v1/nothing-here", None, 404, "not_found"),
]


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_wrong_method_is_405(memory_store: GraphStore, method: str) -> None:
    client = TestClient(create_app(memory_store, ApiSettings(token=TOKEN)))
    path = "/api/v1/loads" if method == "GET" else "/api/v1/entities"
    assert_error(client.request(method, path), 405)


def test_bad_api_parameters(any_store: GraphStore, tmp_path: Path) -> None:
    """Each bad parameter: its 4xx and error code in the JSON error shape, and the store unchanged."""
    before = seed(any_store, tmp_path)
    client = TestClient(create_app(any_store, ApiSettings(token=TOKEN)), raise_server_exceptions=False)
    failures = []
    for name, url, params, status, code in API_PARAMETER_CASES:
        response = client.get(url, params=params)
        try:
            error = assert_error(response, status)
            assert error["code"] == code, error
        except AssertionError as problem:
            failures.append(f"{name}: {problem}")
    assert not failures, "\n".join(failures)
    assert canonical(any_store) == before


# ------------------------------------------------------------------ uploads
def _multipart(body: bytes, boundary: str = "b") -> dict[str, Any]:
    return {"content": body, "headers": {**AUTH, "Content-Type": f"multipart/form-data; boundary={boundary}"}}


UPLOAD_CASES: list[tuple[str, Callable[[TestClient], Any], int, str]] = [
    ("no file", lambda c: c.post("/api/v1/loads", headers=AUTH), 422, "invalid_request"),
    ("form without file", lambda c: c.post("/api/v1/loads", headers=AUTH, data={"other": "x"}), 422, "invalid_request"),
    (
        "file field is text",
        lambda c: c.post("/api/v1/loads", headers=AUTH, data={"file": VALID_YAML}),
        422,
        "invalid_request",
    ),
    (
        "empty file",
        lambda c: c.post("/api/v1/loads", headers=AUTH, files={"file": ("plan.yaml", b"")}),
        422,
        "invalid_input",
    ),
    (
        "wrong extension",
        lambda c: c.post("/api/v1/loads", headers=AUTH, files={"file": ("plan.exe", VALID_YAML.encode())}),
        422,
        "invalid_input",
    ),
    (
        "no extension",
        lambda c: c.post("/api/v1/loads", headers=AUTH, files={"file": ("plan", VALID_YAML.encode())}),
        422,
        "invalid_input",
    ),
    (
        "traversal filename",
        lambda c: c.post(
            "/api/v1/loads",
            headers=AUTH,
            files={"file": ("../../../etc/cron.d/x.yaml", b"plankg: 1\nnodes: [{id: 'x y'}]\n")},
        ),
        422,
        "invalid_input",
    ),
    (
        "binary file",
        lambda c: c.post("/api/v1/loads", headers=AUTH, files={"file": ("plan.ttl", bytes(range(256)))}),
        422,
        "invalid_input",
    ),
    ("json body", lambda c: c.post("/api/v1/loads", headers=AUTH, json={"file": VALID_YAML}), 422, "invalid_request"),
    ("garbage multipart", lambda c: c.post("/api/v1/loads", **_multipart(b"garbage")), 400, "bad_request"),
    (
        "multipart without boundary",
        lambda c: c.post("/api/v1/loads", content=b"x", headers={**AUTH, "Content-Type": "multipart/form-data"}),
        400,
        "bad_request",
    ),
    (
        "oversized declared",
        lambda c: c.post(
            "/api/v1/loads",
            content=b"x" * 10,
            headers={**AUTH, "Content-Type": "multipart/form-data; boundary=b", "Content-Length": str(10**12)},
        ),
        413,
        "payload_too_large",
    ),
    (
        "oversized file",
        lambda c: c.post("/api/v1/loads", headers=AUTH, files={"file": ("big.yaml", b"#" * (2 * 1024 * 1024))}),
        413,
        "payload_too_large",
    ),
    (
        "missing token",
        lambda c: c.post("/api/v1/loads", files={"file": ("plan.yaml", VALID_YAML.encode())}),
        401,
        "unauthorized",
    ),
    (
        "bad token",
        lambda c: c.post(
            "/api/v1/loads",
            headers={"Authorization": "Bearer nope"},
            files={"file": ("plan.yaml", VALID_YAML.encode())},
        ),
        401,
        "unauthorized",
    ),
    (
        "token prefix",
        lambda c: c.post(
            "/api/v1/loads",
            headers={"Authorization": f"Bearer {TOKEN[:-1]}"},
            files={"file": ("plan.yaml", VALID_YAML.encode())},
        ),
        401,
        "unauthorized",
    ),
    (
        "basic scheme",
        lambda c: c.post(
            "/api/v1/loads",
            headers={"Authorization": f"Basic {TOKEN}"},
            files={"file": ("plan.yaml", VALID_YAML.encode())},
        ),
        401,
        "unauthorized",
    ),
    (
        "token in query",
        lambda c: c.post("/api/v1/loads", params={"token": TOKEN}, files={"file": ("plan.yaml", VALID_YAML.encode())}),
        401,
        "unauthorized",
    ),
    (
        "non-ascii token",
        lambda c: c.post(
            "/api/v1/loads",
            headers={"Authorization": "Bearer t\u00f6ken".encode()},
            files={"file": ("plan.yaml", VALID_YAML.encode())},
        ),
        401,
        "unauthorized",
    ),
]


def test_bad_uploads(any_store: GraphStore, tmp_path: Path) -> None:
    before = seed(any_store, tmp_path)
    client = TestClient(
        create_app(any_store, ApiSettings(token=TOKEN, max_upload_bytes=1024 * 1024)), raise_server_exceptions=False
    )
    failures = []
    for name, send, status, code in UPLOAD_CASES:
        try:
            error = assert_error(send(client), status)
            assert error["code"] == code, error
            if code == "invalid_input":
                files = {p["file"] for p in error["details"]["problems"]}
                assert not any("/" in f for f in files), files
        except AssertionError as problem:
            failures.append(f"{name}: {problem}")
        if canonical(any_store) != before:
            failures.append(f"{name}: the store changed")
            before = canonical(any_store)
    assert not failures, "\n".join(failures)
    disabled = TestClient(create_app(any_store, ApiSettings()))
    error = assert_error(
        disabled.post("/api/v1/loads", headers=AUTH, files={"file": ("plan.yaml", VALID_YAML.encode())}), 403
    )
    assert error["code"] == "writes_disabled"
    assert canonical(any_store) == before


def test_counts(capsys: pytest.CaptureFixture[str]) -> None:
    """Reports how many inputs of each kind the corpus tries (shown with -s)."""
    per_format = Counter(FORMATS[Path(case[1]).suffix] for case in FILE_INPUTS)
    with capsys.disabled():
        print(
            "\nbad-input corpus:",
            json.dumps({**per_format, "API parameters": len(API_PARAMETER_CASES), "uploads": len(UPLOAD_CASES)}),
        )
