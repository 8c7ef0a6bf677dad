"""Bad inputs are refused with an error naming the file, the line, the field and what was expected.

Each case is one small file that differs from a valid minimal plan (VALID_YAML) by
one defect. BAD_INPUTS is module-level so store tests can reuse it ("store unchanged").
"""

from __future__ import annotations

from pathlib import Path

import pytest

import plankg.loaders
from plankg.model.errors import InputError

VALID_YAML = """\
plankg: 1
nodes:
  - id: plan-t.doc.final
    type: Document
    labels: {en: Final version, zh: 正式版}
    properties: {issued: 2021-07-05}
    sources:
      - {document: plan-t.doc.final, locator: Title, quote: 扬帆}
  - id: industry.health
    type: Industry
    labels: {en: Healthcare}
    sources:
      - {document: plan-t.doc.final, locator: Key fields, quote: 医疗}
  - id: plan-t.std.medical
    type: Standard
    labels: {en: Medical standards}
    sources:
      - {document: plan-t.doc.final, locator: Standards, quote: 医疗标准}
  - id: plan-t.ind.users
    type: Indicator
    labels: {en: 5G users}
    properties: {target_value: 560000000, unit: users, comparator: gt, deadline: 2023-12-31}
    sources:
      - {document: plan-t.doc.final, locator: Goals, quote: 用户数超过5.6亿}
edges:
  - from: plan-t.std.medical
    relation: supports_industry
    to: industry.health
    sources:
      - {document: plan-t.doc.final, locator: Standards, quote: especially in medical care}
"""

VALID_TURTLE = """\
@prefix pk: <https://plankg.org/ontology#> .
@prefix id: <https://plankg.org/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:plan-t.doc.final a pk:Document ; rdfs:label "Final version"@en ;
    pk:source [ pk:document id:plan-t.doc.final ; pk:locator "Title" ; pk:quote "扬帆" ] .
id:industry.health a pk:Industry ; rdfs:label "Healthcare"@en ;
    pk:source [ pk:document id:plan-t.doc.final ; pk:locator "Key fields" ; pk:quote "医疗" ] .
"""

VALID_NODES_CSV = """\
id,type,label_en,label_zh,status,properties,document,locator,quote
plan-t.doc.final,Document,Final version,正式版,,,plan-t.doc.final,Title,扬帆
industry.health,Industry,Healthcare,,,,plan-t.doc.final,Key fields,医疗
"""


def line_of(text: str, needle: str) -> int:
    """The 1-based line on which `needle` first occurs in `text`."""
    return text[: text.index(needle)].count("\n") + 1


DOC_LINE = line_of(VALID_YAML, "- id: plan-t.doc.final")
INDUSTRY_LINE = line_of(VALID_YAML, "- id: industry.health")
INDICATOR_LINE = line_of(VALID_YAML, "- id: plan-t.ind.users")
EDGE_LINE = line_of(VALID_YAML, "- from: plan-t.std.medical")


def variant(old: str, new: str, text: str = VALID_YAML) -> bytes:
    """The valid input with exactly one occurrence of `old` replaced by `new`."""
    assert text.count(old) == 1, old
    return text.replace(old, new).encode("utf-8")


def at(name: str, line: int) -> str:
    return f"{name}:{line}:"


DUPLICATE = """\
  - id: industry.health
    type: Industry
    labels: {en: Health care}
    sources:
      - {document: plan-t.doc.final, locator: Key fields, quote: 医疗}
edges:
"""

BAD_INPUTS: list[tuple[str, str, bytes, list[str]]] = [
    (
        "malformed_yaml",
        "bad.yaml",
        variant("    type: Industry\n", "    type: [Industry\n"),
        ["bad.yaml:", "YAML syntax error"],
    ),
    (
        "unknown_type",
        "bad.yaml",
        variant("type: Industry", "type: Sector"),
        [at("bad.yaml", INDUSTRY_LINE), "[type]", "'Sector' is not a node type", "expected one of", "Industry"],
    ),
    (
        "unknown_relation",
        "bad.yaml",
        variant("relation: supports_industry", "relation: helps_industry"),
        [at("bad.yaml", EDGE_LINE), "[relation]", "'helps_industry' is not a relation", "supports_industry"],
    ),
    (
        "relation_between_wrong_classes",
        "bad.yaml",
        variant("to: industry.health", "to: plan-t.ind.users"),
        [at("bad.yaml", EDGE_LINE), "[to]", "an Indicator", "expected an Industry"],
    ),
    (
        "missing_label",
        "bad.yaml",
        variant("labels: {en: Healthcare}", "labels: {}"),
        [at("bad.yaml", INDUSTRY_LINE), "[labels]", "is empty", "expected at least one label"],
    ),
    (
        "conflicting_duplicate_id",
        "bad.yaml",
        variant("edges:\n", DUPLICATE),
        [
            at("bad.yaml", INDUSTRY_LINE),
            "[id]",
            "conflicting duplicate id 'industry.health'",
            "expected one definition",
        ],
    ),
    (
        "non_numeric_target",
        "bad.yaml",
        variant("target_value: 560000000", "target_value: lots"),
        [at("bad.yaml", INDICATOR_LINE), "[properties.target_value]", "expected a number", "'lots'"],
    ),
    (
        "dangling_edge",
        "bad.yaml",
        variant("to: industry.health", "to: industry.nowhere"),
        [
            at("bad.yaml", EDGE_LINE),
            "[to]",
            "dangling reference",
            "'industry.nowhere'",
            "expected the id of a Industry",
        ],
    ),
    (
        "wrong_encoding",
        "bad.yaml",
        VALID_YAML.replace("Healthcare", "Santé").encode("utf-8").replace("Santé".encode(), "Santé".encode("latin-1")),
        [at("bad.yaml", INDUSTRY_LINE + 2), "is not UTF-8", "save it as UTF-8"],
    ),
    ("empty_file", "bad.yaml", b"  \n", ["bad.yaml:", "is empty", "expected plan data"]),
    (
        "missing_sources",
        "bad.yaml",
        variant(
            "    labels: {en: Healthcare}\n    sources:\n      - {document: plan-t.doc.final, locator: Key fields, "
            "quote: 医疗}\n",
            "    labels: {en: Healthcare}\n",
        ),
        [at("bad.yaml", INDUSTRY_LINE), "[sources]", "is missing", "provenance"],
    ),
    (
        "bad_date",
        "bad.yaml",
        variant("deadline: 2023-12-31", "deadline: 31/12/2023"),
        [at("bad.yaml", INDICATOR_LINE), "[properties.deadline]", "expected a date YYYY-MM-DD", "31/12/2023"],
    ),
    (
        "impossible_date",
        "bad.yaml",
        variant("deadline: 2023-12-31", "deadline: '2023-02-30'"),
        [at("bad.yaml", INDICATOR_LINE), "[properties.deadline]", "expected a date YYYY-MM-DD"],
    ),
    (
        "unknown_property",
        "bad.yaml",
        variant("properties: {issued: 2021-07-05}", "properties: {issued: 2021-07-05, colour: red}"),
        [at("bad.yaml", DOC_LINE), "[properties.colour]", "is not a property of Document", "expected one of"],
    ),
    (
        "injection_shaped_id",
        "bad.yaml",
        variant("id: plan-t.ind.users", 'id: "x\' OR 1=1 --"'),
        [at("bad.yaml", INDICATOR_LINE), "[id]", "is not a valid id", "URL-safe slug"],
    ),
    (
        "yaml_alias",
        "bad.yaml",
        variant("labels: {en: Healthcare}", "labels: &lab {en: Healthcare}").replace(
            b"labels: {en: Medical standards}", b"labels: *lab"
        ),
        [at("bad.yaml", INDUSTRY_LINE + 2), "anchors (&name) are not allowed"],
    ),
    (
        "deeply_nested_yaml",
        "bad.yaml",
        variant(
            "labels: {en: Healthcare}",
            "labels: {en: Healthcare}\n    properties: {description: " + "[" * 20 + "x" + "]" * 20 + "}",
        ),
        ["bad.yaml:", "nesting deeper than", "expected flat records"],
    ),
    (
        "bad_comparator",
        "bad.yaml",
        variant("comparator: gt", "comparator: about"),
        [at("bad.yaml", INDICATOR_LINE), "[properties.comparator]", "'about' is not allowed", "expected one of", "ge"],
    ),
    (
        "bad_status",
        "bad.yaml",
        variant("    type: Standard\n", "    type: Standard\n    status: maybe\n"),
        [
            at("bad.yaml", line_of(VALID_YAML, "- id: plan-t.std.medical")),
            "[status]",
            "'maybe' is not a status",
            "confirmed, unconfirmed",
        ],
    ),
    (
        "indicator_without_deadline",
        "bad.yaml",
        variant(", deadline: 2023-12-31", ""),
        [at("bad.yaml", INDICATOR_LINE), "[properties.deadline]", "is required on an Indicator"],
    ),
    (
        "source_not_a_document",
        "bad.yaml",
        variant("locator: Goals", "locator: Goals").replace(
            b"{document: plan-t.doc.final, locator: Goals", b"{document: industry.health, locator: Goals"
        ),
        [
            at("bad.yaml", INDICATOR_LINE),
            "[sources[0].document]",
            "'industry.health' is an Industry",
            "expected the id of a Document",
        ],
    ),
    (
        "wrong_format_version",
        "bad.yaml",
        variant("plankg: 1", "plankg: 2"),
        ["bad.yaml:1:", "[plankg]", "format version 2", "expected 1"],
    ),
    (
        "malformed_turtle",
        "bad.ttl",
        variant('pk:locator "Key fields"', 'pk:locator "Key fields', VALID_TURTLE),
        [at("bad.ttl", line_of(VALID_TURTLE, 'pk:locator "Key fields"')), "Turtle syntax error"],
    ),
    (
        "turtle_unknown_predicate",
        "bad.ttl",
        variant('rdfs:label "Healthcare"@en ;', 'rdfs:label "Healthcare"@en ; pk:colour "red" ;', VALID_TURTLE),
        ["bad.ttl:", "[properties.colour]", "is not a property of Industry", "<https://plankg.org/id/industry.health>"],
    ),
    (
        "turtle_missing_label",
        "bad.ttl",
        variant('rdfs:label "Healthcare"@en ;', "", VALID_TURTLE),
        ["bad.ttl:", "[labels]", "is empty", "<https://plankg.org/id/industry.health>"],
    ),
    (
        "malformed_ntriples",
        "bad.nt",
        b'<https://plankg.org/id/a> <https://plankg.org/ontology#status> "confirmed" .\n'
        b'<https://plankg.org/id/a> pk:status "confirmed" .\n',
        ["bad.nt:2:", "nt syntax error"],
    ),
    (
        "malformed_jsonld",
        "bad.jsonld",
        b'{"@graph": [\n  {"@id": "x",, }\n]}\n',
        ["bad.jsonld:2:", "JSON syntax error"],
    ),
    (
        "jsonld_remote_context",
        "bad.jsonld",
        b'{"@context": "https://example.org/ctx.jsonld", "@id": "x"}',
        ["bad.jsonld:", "[@context]", "remote context", "expected an inline @context"],
    ),
    (
        "csv_missing_column",
        "bad.nodes.csv",
        variant(",locator,quote\n", ",locator\n", VALID_NODES_CSV)
        .replace(",Title,扬帆".encode(), b",Title")
        .replace(",Key fields,医疗".encode(), b",Key fields"),
        ["bad.nodes.csv:1:", "[quote]", "required column is missing", "expected columns"],
    ),
    (
        "csv_bad_properties",
        "bad.nodes.csv",
        variant("Healthcare,,,,", "Healthcare,,,{oops,", VALID_NODES_CSV),
        ["bad.nodes.csv:3:", "[properties]", "is not valid JSON", "expected a JSON object"],
    ),
    (
        "unknown_extension",
        "bad.txt",
        VALID_YAML.encode("utf-8"),
        ["bad.txt:", "unknown file type '.txt'", "expected one of", ".yaml"],
    ),
]


def test_the_valid_inputs_load(tmp_path: Path) -> None:
    for name, text in (("ok.yaml", VALID_YAML), ("ok.ttl", VALID_TURTLE), ("ok.nodes.csv", VALID_NODES_CSV)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert len(plankg.loaders.prepare([path])) > 0


def test_there_are_enough_cases() -> None:
    assert len(BAD_INPUTS) >= 15
    assert len({case[0] for case in BAD_INPUTS}) == len(BAD_INPUTS)


@pytest.mark.parametrize(("name", "filename", "content", "expected"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_is_refused(tmp_path: Path, name: str, filename: str, content: bytes, expected: list[str]) -> None:
    path = tmp_path / filename
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        plankg.loaders.prepare([path])
    text = str(caught.value)
    assert str(path) in text, f"{name}: the error does not name the file"
    for fragment in expected:
        assert fragment in text, f"{name}: {fragment!r} not in {text!r}"


@pytest.mark.parametrize(("name", "filename", "content", "expected"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_leaves_the_store_unchanged(
    tmp_path: Path, name: str, filename: str, content: bytes, expected: list[str]
) -> None:
    """Through the CLI, as a user loads: exit 1, a message naming the file, the store file byte-identical."""
    from typer.testing import CliRunner

    from plankg.cli.main import app

    db = tmp_path / "graph.json"
    good = tmp_path / "good.yaml"
    good.write_text(VALID_YAML, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["load", str(good), "--db", str(db), "--store", "memory"]).exit_code == 0
    before = db.read_bytes()
    bad = tmp_path / filename
    bad.write_bytes(content)
    result = runner.invoke(app, ["load", str(bad), "--db", str(db), "--store", "memory"])
    assert result.exit_code == 1, name
    assert filename in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == before
