"""Plans from their text: number forms, structure, resolution, bad input, drafts that validate and load,
the CLI command and the API route."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plankg.cli.main import app
from plankg.graph.memory import MemoryStore
from plankg.loaders import bundled_paths, prepare, read_files
from plankg.loaders.extract import Extractor, extract_text, read_input
from plankg.loaders.extract.numbers import deadline, en_targets, zh_targets
from plankg.loaders.extract.structure import parse
from plankg.model import Node
from plankg.model.resolver import Resolver

DEV = Path("/work/shared/extraction/dev")
OWN = Path(__file__).parent / "data" / "extraction"
TEXTS = sorted(OWN.glob("*.txt")) + sorted(OWN.glob("*.md")) + (sorted(DEV.glob("*.txt")) if DEV.is_dir() else [])


# ------------------------------------------------------------------ numbers
@pytest.mark.parametrize(
    ("text", "value", "maximum", "comparator", "unit"),
    [
        ("用户数超过5.6亿", 560_000_000, None, "gt", ""),
        ("培育3000个以上", 3000, None, "ge", "个"),
        ("数量较2020年翻一番", 2, None, "eq", "倍"),
        ("占比达到百分之三十", 30, None, "eq", "%"),
        ("打造3-5个平台", 3, 5, "eq", "个"),
        ("打造3~5个平台", 3, 5, "eq", "个"),
        ("建成三至五个中心", 3, 5, "eq", "个"),
        ("PUE降至1.35以下", 1.35, None, "le", "PUE"),
        ("总算力超过120 EFLOPS", 120, None, "gt", "EFLOPS"),
        ("带动投资近700亿元", 70_000_000_000, None, "eq", "元"),
    ],
)
def test_chinese_number_forms(text: str, value: float, maximum: float | None, comparator: str, unit: str) -> None:
    (target,) = zh_targets(text)
    assert (target.value, target.maximum, target.comparator, target.unit) == (value, maximum, comparator, unit)


@pytest.mark.parametrize(
    ("text", "value", "maximum", "comparator"),
    [
        ("more than 30 platforms", 30, None, "gt"),
        ("at least 120 secondary nodes", 120, None, "ge"),
        ("will rise by 20% or more", 20, None, "ge"),
        ("Three to five comprehensive platforms", 3, 5, "eq"),
        ("one or two flagship enterprises", 1, 2, "eq"),
        ("close to 70 billion yuan", 70e9, None, "eq"),
        ("doubling their number", 2, None, "eq"),
    ],
)
def test_english_number_forms(text: str, value: float, maximum: float | None, comparator: str) -> None:
    (target,) = en_targets(text)
    assert (target.value, target.maximum, target.comparator) == (value, maximum, comparator)


def test_names_years_and_durations_are_not_figures() -> None:
    assert [t.value for t in zh_targets("在10个重点行业建成30个5G全连接工厂")] == [10, 30]
    assert zh_targets("用三年左右时间，到2023年") == []
    assert [t.value for t in en_targets("30 5G fully-connected factories by 2023")] == [30]
    assert zh_targets("推动一批关键技术实现产业化") == []


def test_deadlines() -> None:
    assert deadline("到2021年底，力争", english=False) == "2021-12-31"
    assert deadline("2025年6月前完成", english=False) == "2025-06-30"
    assert deadline("By the end of 2025, the plan", english=True) == "2025-12-31"
    assert deadline("by 2023", english=True) == "2023-12-31"


# ------------------------------------------------------------------ structure
def test_structure_levels_paths_and_sections() -> None:
    text = (
        "一、发展目标\n（一）基础设施完善。网络覆盖全国。\n二、重点任务\n（一）网络行动\n1.建设网络。\n2.推广应用。\n"
    )
    blocks = parse(text)
    levels = [(b.level, b.title, b.kind) for b in blocks]
    assert levels[0] == (1, "发展目标", "goals")
    assert levels[1] == (2, "基础设施完善", "goals")
    assert levels[3] == (2, "网络行动", "tasks")
    assert blocks[4].level == 3 and blocks[4].path == ["重点任务", "网络行动", "建设网络"]
    assert text[blocks[4].start : blocks[4].end] == "1.建设网络。"


def test_markdown_numbering_wins_over_heading_depth() -> None:
    blocks = parse("# 某市行动计划（2023-2025年）\n## 一、发展目标\n### （一）产业壮大\n")
    assert [b.level for b in blocks] == [None, 1, 2]


# ------------------------------------------------------------------ resolution
def _node(node_id: str, type_name: str, en: str, zh: str, aliases: dict[str, list[str]] | None = None) -> Node:
    return Node(node_id, type_name, {"en": en, "zh": zh}, aliases=aliases or {})


def test_resolver_labels_aliases_widths_scripts_and_fuzzy() -> None:
    resolver = Resolver(
        [
            _node(
                "org.miit",
                "Organization",
                "Ministry of Industry and Information Technology",
                "工业和信息化部",
                {"zh": ["工信部"], "en": ["MIIT"]},
            ),
            _node("industry.healthcare", "Industry", "Healthcare", "医疗"),
            _node("industry.smart-healthcare", "Industry", "Smart healthcare", "智慧医疗"),
        ]
    )
    assert resolver.resolve("工信部").id == "org.miit"
    assert resolver.resolve("ＭＩＩＴ").id == "org.miit"  # full-width
    assert resolver.resolve("工業和信息化部").id == "org.miit"  # traditional
    assert resolver.resolve("the Ministry of Industry & Information Technology").id == "org.miit"  # fuzzy
    assert resolver.resolve("Healthcare", {"Industry"}).id == "industry.healthcare"
    assert resolver.resolve("医疗", {"Organization"}).id is None


def test_resolver_keeps_a_letter_that_is_part_of_a_name() -> None:
    """'5G-A' (5G-Advanced) is not '5G': only a free-standing article is dropped when words are compared."""
    resolver = Resolver([_node("tech.5g-advanced", "TechnologyArea", "5G-A", "5G-A")])
    assert resolver.resolve("5G", {"TechnologyArea"}, fuzzy=True).best is None
    assert resolver.resolve("the 5G-A", {"TechnologyArea"}, fuzzy=False).best is not None


def test_resolver_flags_ambiguity_instead_of_merging() -> None:
    resolver = Resolver(
        [
            _node("org.a", "Organization", "Data Office", "数据办"),
            _node("org.b", "Organization", "Data Office", "数据处"),
        ]
    )
    answer = resolver.resolve("Data Office")
    assert answer.ambiguous and answer.id is None
    assert {c.id for c in answer.candidates} == {"org.a", "org.b"}


def test_extraction_links_to_entities_the_graph_has() -> None:
    vocabulary = [
        _node("org.miit", "Organization", "Ministry of Industry and Information Technology", "工业和信息化部")
    ]
    draft = extract_text(
        "工信部关于印发《某行动计划（2023-2025年）》的通知\n由工业和信息化部印发。\n", vocabulary=vocabulary
    )
    org = next(n for n in draft.nodes if n["type"] == "Organization")
    assert org["id"] == "org.miit"
    assert org["labels"] == {"en": "Ministry of Industry and Information Technology", "zh": "工业和信息化部"}


def test_another_citys_bureau_is_not_linked_by_a_generic_name() -> None:
    """'设区市工业和信息化局' and '省工业和信息化厅' name the text's own places: not the graph's Guangzhou bureau,
    even though that bureau has the relative alias '市工业和信息化局'."""
    bureau = _node("org.guangzhou-miit-bureau", "Organization", "Guangzhou MIIT Bureau", "广州市工业和信息化局")
    bureau.aliases["zh"] = ["市工业和信息化局"]
    draft = extract_text(
        "江苏省工业和信息化厅 江苏省交通运输厅关于印发《某行动方案（2024-2026年）》的通知\n"
        "各设区市工业和信息化局：\n一、保障措施\n由省工业和信息化厅牵头，会同省交通运输厅推进。\n",
        vocabulary=[bureau],
    )
    orgs = {n["labels"].get("zh") for n in draft.nodes if n["type"] == "Organization"}
    assert "广州市工业和信息化局" not in orgs
    assert {"江苏省工业和信息化厅", "江苏省交通运输厅"} <= orgs
    assert not any(label.startswith(("会同", "省")) for label in orgs if label)
    plan = next(n["id"] for n in draft.nodes if n["type"] == "Plan")
    issuers = {e["to"] for e in draft.edges if e["from"] == plan and e["relation"] == "issued_by"}
    assert len(issuers) == 2


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "empty.txt", "empty"),
        (b"\x00\x01\x02binary\x00" * 50, "blob.txt", "binary"),
        ("十四五规划目标：到2025年建成5G基站300万个。".encode("gbk"), "gbk.txt", "GBK"),
        (b"%PDF-1.7 ...", "plan.pdf", "PDF"),
    ],
)
def test_bad_input_is_named_clearly(data: bytes, name: str, expected: str) -> None:
    source = read_input(data, name)
    assert any(expected in str(problem) for problem in source.problems)


def test_gbk_text_is_decoded_and_extracted() -> None:
    source = read_input("一、发展目标\n到2025年，建成5G基站300万个以上。\n".encode("gbk"), "gbk.txt")
    assert "5G基站" in source.text
    draft = extract_text(source.text, "gbk.txt")
    (indicator,) = [n for n in draft.nodes if n["type"] == "Indicator"]
    assert indicator["properties"]["target_value"] == 3_000_000 or indicator["properties"]["target_value"] == 300


def test_text_without_structure_gives_a_problem_and_a_draft() -> None:
    draft = extract_text("This is a note about nothing in particular.", "note.txt")
    assert any("no plan structure" in p for p in draft.problems)
    assert yaml.safe_load(draft.to_yaml())["plankg"] == 1


def test_html_and_markdown_are_read_as_text() -> None:
    html = b"<html><body><h1>Plan</h1><p>I. Goals</p><p>By 2025, more than 30 centres will be built.</p></body></html>"
    source = read_input(html, "plan.html")
    assert "By 2025, more than 30 centres" in source.text and "<p>" not in source.text


# ------------------------------------------------------------------ drafts validate and load
@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_draft_validates_loads_and_quotes_the_text(path: Path, tmp_path: Path) -> None:
    source = read_input(path.read_bytes(), path.name)
    draft = Extractor(read_files(bundled_paths()).nodes).extract(source.text, path.name)
    out = tmp_path / "draft.yaml"
    out.write_text(draft.to_yaml(), encoding="utf-8")
    store = MemoryStore(tmp_path / "graph.json")
    store.upsert(prepare(bundled_paths()))
    batch = prepare([out], store.known_types)
    summary = store.upsert(batch)
    assert summary.nodes == len(draft.nodes)
    for node in draft.nodes:
        for source_ref in node["sources"]:
            assert source_ref["quote"] in source.text, (node["id"], source_ref["quote"])
    plan = next(n for n in draft.nodes if n["type"] == "Plan")
    assert store.get(plan["id"]) is not None


def test_indicator_figures_and_deadlines_of_a_dev_style_text() -> None:
    text = (
        "一、发展目标\n\n到2023年底，全国数据中心平均利用率力争达到60%以上，总算力突破200 EFLOPS；"
        "新建大型数据中心PUE降至1.3以下。\n"
    )
    indicators = {n["labels"]["zh"]: n["properties"] for n in extract_text(text).nodes if n["type"] == "Indicator"}
    assert indicators["全国数据中心平均利用率力争达到60%以上"] == {
        "target_value": 60, "unit": "%", "comparator": "ge", "deadline": "2023-12-31"
    }  # fmt: skip
    assert indicators["总算力突破200 EFLOPS"]["target_value"] == 200
    assert indicators["新建大型数据中心PUE降至1.3以下"]["comparator"] == "le"


def test_a_chinese_only_label_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "zh.yaml"
    path.write_text(
        "plankg: 1\nnodes:\n  - {id: doc.x, type: Document, labels: {zh: 文本}, "
        "sources: [{document: doc.x, locator: 标题, quote: 文本}]}\n",
        encoding="utf-8",
    )
    assert prepare([path]).nodes[0].labels["zh"] == "文本"


# ------------------------------------------------------------------ CLI and API
@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("PLANKG_DB", str(tmp_path / "graph.json"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    return CliRunner()


def test_cli_extract_validate_load(cli: CliRunner, tmp_path: Path) -> None:
    text = OWN / "provincial-smart-manufacturing-zh.txt"
    out = tmp_path / "draft.yaml"
    result = cli.invoke(app, ["extract", str(text), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "# REVIEW" in out.read_text() or "confidence" in out.read_text()
    assert cli.invoke(app, ["validate", str(out)]).exit_code == 0
    loaded = cli.invoke(app, ["load", str(out)])
    assert loaded.exit_code == 0, loaded.output
    shown = cli.invoke(app, ["search", "智能工厂", "--json"])
    assert "智能工厂" in shown.output


def test_cli_extract_refuses_unreadable_input_and_writes_nothing(cli: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "draft.yaml"
    result = cli.invoke(app, ["extract", str(empty), "-o", str(out)])
    assert result.exit_code == 1
    assert not out.exists()


def test_api_extract_returns_yaml_and_json_and_writes_nothing(tmp_path: Path) -> None:
    from plankg.api.app import create_app

    store = MemoryStore(tmp_path / "graph.json")
    with TestClient(create_app(store)) as client:
        text = (OWN / "national-ai-en.txt").read_text(encoding="utf-8")
        response = client.post("/api/v1/extract", json={"text": text, "name": "ai.txt"})
        assert response.status_code == 200
        body = response.json()
        assert yaml.safe_load(body["yaml"])["nodes"] == body["draft"]["nodes"]
        assert any(n["type"] == "Indicator" for n in body["draft"]["nodes"])
        assert client.post("/api/v1/extract", json={"text": "  "}).status_code == 422
    assert list(store.iter_nodes()) == []


def test_json_output_of_the_cli(cli: CliRunner) -> None:
    result = cli.invoke(app, ["extract", str(OWN / "news-summary-en.txt"), "--json", "--no-graph"])
    body = json.loads(result.stdout)
    assert {"nodes", "edges", "review", "problems"} <= set(body)
