"""Round trips through RDF (Turtle, JSON-LD, N-Triples) and CSV, and CSV/RDF error locations."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest

import plankg.loaders
import plankg.loaders.reading
import plankg.loaders.validate
from plankg.graph.export import export_formats, export_stream
from plankg.loaders.rdf_loader import parse_rdf
from plankg.model import Edge, GraphBatch, Node, Source, formats
from plankg.model.errors import InputError
from plankg.model.rdf import to_rdf

DOC = "plan-x.doc.final"


def sample_batch() -> GraphBatch:
    """A Document, an Industry, a Standard, an Indicator with every target field, and one edge."""

    def src(locator: str, quote: str) -> Source:
        return Source(DOC, locator, quote)

    nodes = [
        Node(
            DOC,
            "Document",
            {"en": "Final version", "zh": "正式版"},
            {"issued": "2021-07-05", "number": "工信部通信〔2021〕77号", "kind": "final"},
            [src("Title", "5G应用“扬帆”行动计划（2021-2023年）")],
        ),
        Node(
            "industry.healthcare",
            "Industry",
            {"en": "Healthcare", "zh": ""},
            {"description": 'Hospitals, "quoted", with a comma'},
            [src("Key fields", "医疗")],
            "unconfirmed",
        ),
        Node(
            "plan-x.std.medical",
            "Standard",
            {"en": "Medical convergence standards", "zh": "医疗融合标准"},
            {},
            [src("Standards, para. 1", "医疗\n健康"), src("Standards, para. 2", "line two")],
        ),
        Node(
            "plan-x.ind.users",
            "Indicator",
            {"en": "5G users > 560 million", "zh": "5G用户数超过5.6亿"},
            {
                "target_value": 560000000,
                "target_max": 600000000.5,
                "unit": "users",
                "comparator": "range",
                "deadline": "2023-12-31",
                "baseline_value": 0.25,
                "baseline_date": "2020-12-31",
            },
            [src("Goals", "用户数超过5.6亿")],
        ),
    ]
    edges = [
        Edge(
            "plan-x.std.medical",
            "supports_industry",
            "industry.healthcare",
            [src("Standards, para. 1", "especially in medical care"), src("Annex", "医疗")],
            "unconfirmed",
        ),
    ]
    return GraphBatch(nodes=nodes, edges=edges)


def _canonical(batch: GraphBatch) -> tuple[list[dict], list[dict]]:
    nodes = sorted((n.to_dict() for n in batch.nodes), key=lambda d: d["id"])
    edges = sorted((e.to_dict() for e in batch.edges), key=lambda d: (d["source"], d["relation"], d["target"]))
    for item in (*nodes, *edges):
        item["sources"] = sorted(item["sources"], key=lambda s: (s["document"], s["locator"], s["quote"]))
    return nodes, edges


def _assert_same(loaded: GraphBatch, expected: GraphBatch) -> None:
    assert _canonical(loaded) == _canonical(expected)
    for node in loaded.nodes:  # ints stay ints, floats stay floats
        original = next(n for n in expected.nodes if n.id == node.id)
        assert {k: type(v) for k, v in node.properties.items()} == {k: type(v) for k, v in original.properties.items()}


@pytest.mark.parametrize(("fmt", "suffix"), [("turtle", ".ttl"), ("json-ld", ".jsonld"), ("nt", ".nt")])
def test_rdf_round_trip(tmp_path: Path, fmt: str, suffix: str) -> None:
    batch = sample_batch()
    path = tmp_path / f"plan{suffix}"
    path.write_text(to_rdf(batch.nodes, batch.edges).serialize(format=fmt), encoding="utf-8")
    loaded = plankg.loaders.prepare([path])
    _assert_same(loaded, batch)
    assert all(loaded.locations[n.id] == (str(path), None) for n in loaded.nodes)


@pytest.mark.parametrize("fmt", export_formats())
def test_export_round_trip(tmp_path: Path, fmt: str) -> None:
    batch = sample_batch()
    batch.nodes[0].aliases = {"en": ["=SUM(A1)", "Alias A"], "zh": ["别名"]}
    path = tmp_path / f"export{formats.FORMATS[fmt].extension}"
    path.write_text("".join(export_stream(batch.nodes, batch.edges, fmt)), encoding="utf-8")
    _assert_same(plankg.loaders.prepare([path]), batch)


def test_exports_are_deterministic() -> None:
    batch = sample_batch()
    for fmt in export_formats():
        first = "".join(export_stream(batch.nodes, batch.edges, fmt))
        second = "".join(export_stream(list(reversed(batch.nodes)), list(reversed(batch.edges)), fmt))
        if fmt == "turtle":  # same graph (rdflib's Turtle orders blank nodes by their labels' hash)
            assert parse_rdf(first, "turtle", "first").isomorphic(parse_rdf(second, "turtle", "second"))
        else:
            assert first == second, fmt


def test_every_writable_format_is_registered_once_with_a_reader() -> None:
    names = [fmt.name for fmt in formats.writable()]
    assert len(names) == len(set(names))
    assert all(fmt.readable for fmt in formats.writable()), "every export loads back"
    assert formats.by_extension("x.turtle") is formats.FORMATS["turtle"]
    assert formats.by_extension("a.nodes.csv") is formats.FORMATS["csv"]
    assert formats.by_media_type("text/turtle; charset=utf-8") is formats.FORMATS["turtle"]


def test_graphml_reads_with_networkx(tmp_path: Path) -> None:
    batch = sample_batch()
    batch.nodes[1].properties["description"] = "control \x01 char & <tag>"
    path = tmp_path / "plan.graphml"
    path.write_text("".join(export_stream(batch.nodes, batch.edges, "graphml")), encoding="utf-8")
    graph = nx.read_graphml(path)
    assert set(graph.nodes) == {n.id for n in batch.nodes}
    assert graph.nodes["plan-x.ind.users"]["type"] == "Indicator"
    assert "label_zh" not in graph.nodes["industry.healthcare"]  # empty values are left out
    ((source, target, data),) = graph.edges(data=True)
    assert (source, target, data["relation"], data["status"]) == (
        "plan-x.std.medical",
        "industry.healthcare",
        "supports_industry",
        "unconfirmed",
    )


def test_graphml_attributes_are_typed_columns(tmp_path: Path) -> None:
    batch = sample_batch()
    path = tmp_path / "plan.graphml"
    path.write_text("".join(export_stream(batch.nodes, batch.edges, "graphml")), encoding="utf-8")
    graph = nx.read_graphml(path)
    indicator = graph.nodes["plan-x.ind.users"]
    assert isinstance(indicator["target_value"], float) and indicator["deadline"].startswith("20")
    assert indicator["label"] and "properties" not in indicator


def test_csv_export_is_excel_safe(tmp_path: Path) -> None:
    batch = sample_batch()
    batch.nodes[0].labels["en"] = '=HYPERLINK("http://x")'
    batch.nodes[1].labels["en"] = "+1+1"
    batch.nodes[0].sources[0] = Source(batch.nodes[0].sources[0].document, "@SUM(A1)", "-2 農業")
    text = "".join(export_stream(batch.nodes, batch.edges, "csv"))
    assert text.startswith("\ufeff")
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    cells = [cell for row in rows for cell in row.values()]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    _assert_same(plankg.loaders.prepare([path]), batch)


def test_csv_export_has_one_row_per_source() -> None:
    batch = sample_batch()
    text = "".join(export_stream(batch.nodes, batch.edges, "csv")).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows[0].keys() >= {"kind", "id", "from", "document"}
    assert sum(1 for r in rows if r["id"] == "plan-x.std.medical") == 2
    assert sum(1 for r in rows if r["kind"] == "edge") == 2


NODES_CSV = (
    "id,type,label_en,label_zh,status,properties,document,locator,quote\n"
    f"{DOC},Document,Final,正式版,,,{DOC},Title,扬帆\n"
    f'industry.health,Industry,Health,,,"{{""description"": ""x""}}",{DOC},Fields,医疗\n'
    f'industry.health,Industry,Health,,,"{{""description"": ""x""}}",{DOC},Fields 2,健康\n'
    f'plan-x.ind.a,Indicator,A,,,"{{""target_value"": 5, ""unit"": ""%"", ""comparator"": ""ge"", '
    f'""deadline"": ""2023-12-31""}}",{DOC},Goals,"multi\nline quote"\n'
    f'plan-x.ind.b,Indicator,B,,,"{{""target_value"": 2.5, ""unit"": ""%"", ""comparator"": ""ge"", '
    f'""deadline"": ""2023-12-31""}}",{DOC},Goals,b\n'
)


def test_csv_nodes_and_edges_files(tmp_path: Path) -> None:
    (tmp_path / "plan.nodes.csv").write_text(NODES_CSV, encoding="utf-8")
    (tmp_path / "plan.edges.csv").write_text(
        f"from,relation,to,status,document,locator,quote\n{DOC},supersedes,{DOC},,{DOC},Title,x\n", encoding="utf-8"
    )
    batch = plankg.loaders.prepare([tmp_path])
    health = next(n for n in batch.nodes if n.id == "industry.health")
    assert [s.locator for s in health.sources] == ["Fields", "Fields 2"]
    values = {n.id: n.properties.get("target_value") for n in batch.nodes if n.type == "Indicator"}
    assert values == {"plan-x.ind.a": 5, "plan-x.ind.b": 2.5}
    assert isinstance(values["plan-x.ind.a"], int)
    nodes_file = str(tmp_path / "plan.nodes.csv")
    assert batch.locations["industry.health"] == (nodes_file, 3)
    assert batch.locations["plan-x.ind.b"] == (nodes_file, 7)  # the quote before it spans two lines


def _csv_error(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        plankg.loaders.prepare([path])
    return str(caught.value)


def test_csv_errors_name_line_and_field(tmp_path: Path) -> None:
    bad = NODES_CSV.replace("plan-x.ind.b,Indicator,B", "plan-x.ind.b,Indicator,")
    assert "plan.nodes.csv:7: [labels] is empty; expected at least one label" in _csv_error(
        tmp_path, "plan.nodes.csv", bad
    )
    bad = NODES_CSV.replace('""target_value"": 2.5', '""target_value"": ""lots""')
    assert "plan.nodes.csv:7: [properties.target_value] expected a number" in _csv_error(
        tmp_path, "plan.nodes.csv", bad
    )
    bad = NODES_CSV.replace(
        'Industry,Health,,,"{""description"": ""x""}",plan-x.doc.final,Fields 2',
        'Industry,Healthy,,,"{""description"": ""x""}",plan-x.doc.final,Fields 2',
    )
    assert "plan.nodes.csv:4: [labels] conflicting duplicate" in _csv_error(tmp_path, "plan.nodes.csv", bad)
    bad = NODES_CSV.replace('"{""description"": ""x""}",plan-x.doc.final,Fields,', "{oops,plan-x.doc.final,Fields,")
    assert "plan.nodes.csv:3: [properties] is not valid JSON" in _csv_error(tmp_path, "plan.nodes.csv", bad)
    text = _csv_error(tmp_path, "plan.nodes.csv", NODES_CSV.replace(",quote\n", ",citation\n", 1))
    assert "plan.nodes.csv:1: [quote] required column is missing" in text
    assert "[citation] unknown column" in text
    text = _csv_error(tmp_path, "mixed.csv", "kind,id\nnode,x\n")
    assert "mixed.csv:1: [label_en] required column is missing" in text


def test_combined_csv_rejects_misplaced_cells(tmp_path: Path) -> None:
    batch = sample_batch()
    text = "".join(export_stream(batch.nodes, batch.edges, "csv"))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1][0] == "node"
    rows[1][rows[0].index("relation")] = "supports_industry"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    error = _csv_error(tmp_path, "export.csv", out.getvalue())
    assert "export.csv:2: [relation] is an edge column; expected it empty on a node row" in error


def test_rdf_problems_name_the_entity(tmp_path: Path) -> None:
    batch = sample_batch()
    turtle = to_rdf(batch.nodes, batch.edges).serialize(format="turtle")
    bad = turtle.replace('"Healthcare"@en', '"Healthcare"@fr').replace("pk:unit", "pk:unitz")
    path = tmp_path / "plan.ttl"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        plankg.loaders.prepare([path])
    text = str(caught.value)
    assert "[labels] is empty" in text and "<https://plankg.org/id/industry.healthcare>" in text
    assert "[properties.unitz] is not a property of Indicator" in text


def test_rdf_edge_without_reification_lacks_provenance(tmp_path: Path) -> None:
    batch = sample_batch()
    graph = to_rdf(batch.nodes, [])
    path = tmp_path / "plan.ttl"
    path.write_text(
        graph.serialize(format="turtle")
        + "<https://plankg.org/id/plan-x.std.medical> <https://plankg.org/ontology#supportsIndustry> "
        "<https://plankg.org/id/industry.healthcare> .\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        plankg.loaders.prepare([path])
    text = str(caught.value)
    assert "[sources] is missing" in text and "provenance" in text
    assert "plan-x.std.medical> <https://plankg.org/ontology#supportsIndustry>" in text


def test_rdf_accepts_skos_labels_and_extra_types(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.ttl"
    path.write_text(
        """@prefix pk: <https://plankg.org/ontology#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix id: <https://plankg.org/id/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:scheme.industries a skos:ConceptScheme ; rdfs:label "Industries"@en .
id:d a pk:Document ; rdfs:label "Doc"@en ; pk:source [ pk:document id:d ; pk:locator "t" ; pk:quote "q" ] .
id:industry.a a pk:Industry , skos:Concept ; skos:prefLabel "A"@en , "甲"@zh ; skos:inScheme id:scheme.industries ;
  skos:scopeNote "ignored"@en ; rdfs:comment "ignored" ;
  pk:source [ pk:document id:d ; pk:locator "l" ; pk:quote "q" ] .
""",
        encoding="utf-8",
    )
    batch = plankg.loaders.prepare([path])
    industry = next(n for n in batch.nodes if n.id == "industry.a")
    assert industry.labels == {"en": "A", "zh": "甲"} and industry.type == "Industry"


def test_export_store_of_one_type(tmp_path: Path) -> None:
    from plankg.graph.export import export_store
    from plankg.graph.memory import MemoryStore

    store = MemoryStore(tmp_path / "store.json")
    try:
        store.upsert(plankg.loaders.validate.validate_batch(sample_batch()))
        text = "".join(export_store(store, "csv", "Industry"))
        assert "industry.healthcare" in text and "plan-x.std.medical" not in text
        everything = "".join(export_store(store, "csv"))
        assert everything == "".join(export_stream(sample_batch().nodes, sample_batch().edges, "csv"))
    finally:
        store.close()
