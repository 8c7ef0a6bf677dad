"""Questions in plain English or Chinese (plankg.graph.ask): our own question set against SPARQL golds,
the reading said back, ambiguity and declines, numbers and dates in both languages, API and CLI.

The golds in tests/data/questions/questions.json are SPARQL queries over the RDF view, run here on
the bundled plans, so they follow the data as plans are added (the shared dev set works the same way).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plankg.api.app import create_app
from plankg.api.settings import ApiSettings
from plankg.graph.ask import ask
from plankg.graph.ask.lexicon import lexicon
from plankg.graph.ask.quantities import comparisons, dates
from plankg.graph.ask.tokens import keys, normalise
from plankg.graph.memory import MemoryStore
from plankg.graph.sparql import SparqlService
from plankg.loaders import bundled_paths, prepare
from plankg.ontology.schema import ID_BASE, load_schema

QUESTIONS = json.loads((Path(__file__).parent / "data" / "questions" / "questions.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> MemoryStore:
    store = MemoryStore(tmp_path_factory.mktemp("ask") / "graph.json")
    store.upsert(prepare(bundled_paths(), store.known_types))
    return store


@pytest.fixture(scope="module")
def sparql(bundled: MemoryStore) -> SparqlService:
    return SparqlService(bundled, 30.0)


def _gold(sparql: SparqlService, query: str) -> set[str]:
    result = sparql.run(query).result
    assert result is not None
    return {str(row[0]).removeprefix(ID_BASE) for row in result}


def test_the_question_set_is_large_and_in_both_languages() -> None:
    assert len(QUESTIONS) >= 100
    assert {q["lang"] for q in QUESTIONS} == {"en", "zh"}
    assert sum(q["family"] == "decline" for q in QUESTIONS) >= 10
    assert len({q["family"] for q in QUESTIONS}) >= 20


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_own_questions(bundled: MemoryStore, sparql: SparqlService, question: dict[str, str]) -> None:
    answer = ask(bundled, question["q"])
    got = {item.entity.id for item in answer.items}
    if question.get("expect") == "decline":
        assert not answer.interpreted and not got, answer.text
        assert answer.suggestions
        return
    assert answer.interpreted, answer.message
    assert got == _gold(sparql, question["sparql"]), answer.text


def test_reading_is_said_back_in_the_question_language(bundled: MemoryStore) -> None:
    english = ask(bundled, "Which standards support smart healthcare?")
    assert english.text == "Standards supporting Smart healthcare, including narrower industries"
    assert english.reading is not None and english.reading.named_query == "standards_for_industry"
    chinese = ask(bundled, "哪些标准支持智慧医疗？")
    assert chinese.lang == "zh" and "智慧医疗" in chinese.text and "标准" in chinese.text


def test_answers_carry_their_evidence(bundled: MemoryStore) -> None:
    answer = ask(bundled, "Which standards support healthcare?")
    medical = next(i for i in answer.items if i.entity.id.endswith("std.medical-convergence"))
    assert any(e.relation == "supports_industry" and e.target == "industry.healthcare" for e in medical.evidence)
    assert all(edge.sources for edge in medical.evidence)


def test_an_ambiguous_name_offers_the_other_readings(bundled: MemoryStore) -> None:
    answer = ask(bundled, "How many indicators does the 5G plan set?")
    assert answer.interpreted and answer.reading is not None and answer.reading.count
    assert answer.alternatives, "the 5G plan names more than one plan"
    assert all(alternative["text"] != answer.text for alternative in answer.alternatives)


def test_a_question_the_graph_cannot_answer_is_declined(bundled: MemoryStore) -> None:
    for question in ("What is the GDP of France?", "哪些标准支撑航天？", "帮我写一首关于春天的诗。"):
        answer = ask(bundled, question)
        assert not answer.interpreted and not answer.items and answer.message and answer.suggestions


def test_counting_answers_the_set_and_its_size(bundled: MemoryStore) -> None:
    answer = ask(bundled, "工信部一共发布了几份文件？")
    data = answer.to_dict()
    assert data["reading"]["count"] and data["count"] == len(data["items"]) >= 2


@pytest.mark.parametrize(
    ("text", "op", "value", "percent"),
    [
        ("more than 40 %", "gt", 40, True),
        ("超过30项", "gt", 30, False),
        ("above 1,000", "gt", 1000, False),
        ("不少于100", "ge", 100, False),
        ("超过5.6亿", "gt", 560_000_000, False),
        ("100 million or more", "ge", 100_000_000, False),
        ("不超过三十", "le", 30, False),
        ("60项以上", "ge", 60, False),
    ],
)
def test_numbers_in_both_languages(text: str, op: str, value: float, percent: bool) -> None:
    (found,) = comparisons(normalise(text))
    assert (found.op, found.value, found.percent) == (op, value, percent)


@pytest.mark.parametrize(
    ("text", "op", "value"),
    [
        ("by the end of 2023", "le", "2023-12-31"),
        ("2023年底前", "le", "2023-12-31"),
        ("by 2025", "le", "2025-12-31"),
        ("before 2025", "le", "2024-12-31"),
        ("in 2027", "year", "2027"),
        ("到2027年", "le", "2027-12-31"),
        ("the May 2021 draft", "month", "2021-05"),
        ("2021年7月", "month", "2021-07"),
    ],
)
def test_dates_in_both_languages(text: str, op: str, value: str) -> None:
    (found,) = dates(normalise(text))
    assert (found.op, found.value) == (op, value)


def test_years_inside_a_plan_period_are_not_deadlines() -> None:
    assert dates(normalise("5G应用扬帆行动计划（2021-2023年）")) == []
    assert dates(normalise("plan (2021-2023)")) == []


def test_names_fold_width_case_and_traditional_characters(bundled: MemoryStore) -> None:
    assert keys("ＭＩＩＴ") == keys("miit")
    simplified = ask(bundled, "哪些标准支撑医疗？")
    traditional = ask(bundled, "哪些標準支撐醫療？")
    assert [i.entity.id for i in traditional.items] == [i.entity.id for i in simplified.items] != []


def test_every_ontology_class_and_relation_has_words() -> None:
    schema = load_schema()
    terms = [term for group in lexicon().phrases.values() for term in group]
    assert {t.value for t in terms if t.role == "type"} >= set(schema.node_types)
    assert {t.value for t in terms if t.role == "relation"} >= set(schema.relation_types)


def test_api_answers_a_question(bundled: MemoryStore) -> None:
    client = TestClient(create_app(bundled, ApiSettings.from_env()))
    response = client.get("/api/v1/ask", params={"q": "Which standards support smart healthcare?"})
    assert response.status_code == 200
    data = response.json()
    assert data["interpreted"] and "Smart healthcare" in data["reading"]["text"]
    assert isinstance(data["items"], list) and isinstance(data["derived"], list)
    declined = client.get("/api/v1/ask", params={"q": "明天天气怎么样？"}).json()
    assert declined["items"] == [] and not declined["interpreted"] and declined["suggestions"]
    assert client.get("/api/v1/ask", params={"q": ""}).status_code == 422


def test_cli_answers_and_declines(bundled: MemoryStore) -> None:
    from plankg.cli.main import app

    runner = CliRunner()
    db = str(bundled.path)
    result = runner.invoke(app, ["ask", "--db", db, "--json", "Which standards support healthcare?"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["items"]
    declined = runner.invoke(app, ["ask", "--db", db, "What is the GDP of France?"])
    assert declined.exit_code == 1


def test_derived_answers_are_kept_apart(bundled: MemoryStore) -> None:
    answer = ask(bundled, "Which indicators measure the goal Convergence application?")
    assert answer.reading is not None and answer.reading.named_query == "indicators_for_goal"
    direct = {item.entity.id for item in answer.items}
    derived = {item.entity.id for item in answer.derived}
    assert derived and not direct & derived
    assert all(item.to_dict()["kind"] == "derived" for item in answer.derived)


def test_an_extracted_plan_answers_who_issued_it_and_what_it_sets(tmp_path: Path) -> None:
    """A draft from a plan's text states the plan's issuer and its direct figures on the plan itself
    (the curated plans state the issuer on each document): questions find both shapes."""
    from plankg.loaders.extract import extract_text

    texts = Path(__file__).parent / "data" / "extraction"
    store = MemoryStore(tmp_path / "graph.json")
    for name in ("provincial-smart-manufacturing-zh.txt", "city-digital-economy-zh.md"):
        draft = extract_text((texts / name).read_text(encoding="utf-8"), name)
        path = tmp_path / f"{name}.yaml"
        path.write_text(draft.to_yaml(), encoding="utf-8")
        store.upsert(prepare([path], store.known_types))
    plans = {n.labels["zh"]: n.id for n in store.iter_nodes("Plan")}
    jiangsu = next(i for label, i in plans.items() if "江苏" in label)
    issuers = {e.target for e in store.edges_of([jiangsu], "issued_by", "out")}
    assert issuers, "the draft states the plan's issuer"
    answer = ask(store, "谁发布了江苏省智能制造发展三年行动方案？")
    assert {item.entity.id for item in answer.items} == issuers, answer.text
    shenzhen = next(i for label, i in plans.items() if "深圳" in label)
    direct = {e.target for e in store.edges_of([shenzhen], "has_goal", "out")}
    indicators = {i for i, n in store.get_many(direct).items() if n.type == "Indicator"}
    assert indicators, "figures set under no goal heading are the plan's own goals"
    answer = ask(store, "深圳市数字经济产业高质量发展行动计划（2023-2025年）有哪些指标？")
    assert indicators <= {item.entity.id for item in answer.items}, answer.text
