"""Derived answers (separate from direct ones, each with its chain), deadlines, and analytics."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plankg.api.app import create_app
from plankg.api.locators import add_locators_zh
from plankg.api.settings import ApiSettings
from plankg.cli.main import app as cli
from plankg.graph import analytics, timeline
from plankg.graph.derive import answer
from plankg.graph.engine import BadQuery, run_named_query
from plankg.graph.memory import MemoryStore
from plankg.graph.store import GraphStore
from plankg.loaders import bundled_paths, prepare
from plankg.model import Edge, GraphBatch, Node, Source

KEY_INDICATORS = "miit-5g-sailing-2021.goal.key-indicators"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> MemoryStore:
    store = MemoryStore(tmp_path_factory.mktemp("derived") / "graph.json")
    store.upsert(prepare(bundled_paths(), store.known_types))
    return store


def said(quote: str) -> list[Source]:
    return [Source("t.doc", "test", quote)]


def small_plan(status: str = "confirmed") -> GraphBatch:
    """A measure targets smart ports (below transport) and calls for a standard no edge ties to an industry."""
    nodes = [
        Node("t.transport", "Industry", {"en": "Transport"}, sources=said("transport")),
        Node("t.ports", "Industry", {"en": "Smart ports"}, sources=said("ports")),
        Node("t.m", "Measure", {"en": "Port action"}, sources=said("port action")),
        Node("t.s", "Standard", {"en": "Port standard"}, sources=said("port standard"), status=status),
        Node("t.direct", "Standard", {"en": "Transport standard"}, sources=said("transport standard")),
        Node("t.g", "Goal", {"en": "Parent goal"}, sources=said("parent")),
        Node("t.sub", "Goal", {"en": "Sub goal"}, sources=said("sub")),
        Node("t.i", "Indicator", {"en": "Indicator"}, {"deadline": "2025-06-30"}, sources=said("indicator")),
    ]
    edges = [
        Edge("t.ports", "broader", "t.transport", said("ports are transport")),
        Edge("t.m", "targets_industry", "t.ports", said("the action targets ports")),
        Edge("t.m", "calls_for_standard", "t.s", said("the action calls for the standard")),
        Edge("t.direct", "supports_industry", "t.transport", said("supports transport")),
        Edge("t.g", "has_sub_goal", "t.sub", said("sub-goal")),
        Edge("t.sub", "measured_by", "t.i", said("measured")),
    ]
    return GraphBatch(nodes, edges)


def test_a_standard_called_for_by_a_measure_targeting_the_industry_is_derived(any_store: GraphStore) -> None:
    any_store.upsert(small_plan())
    result = answer(any_store, "standards_for_industry", {"industry": "t.transport"})
    assert [i.entity.id for i in result.items] == ["t.direct"]  # direct answers are the named query's
    assert [i.to_dict() for i in result.items] == [
        i.to_dict() for i in run_named_query(any_store, "standards_for_industry", {"industry": "t.transport"})
    ]
    assert [d.entity.id for d in result.derived] == ["t.s"]
    found = result.derived[0].to_dict()
    assert found["kind"] == "derived"
    assert [(e["source"], e["relation"], e["target"]) for e in found["chain"]] == [
        ("t.ports", "broader", "t.transport"),
        ("t.m", "targets_industry", "t.ports"),
        ("t.m", "calls_for_standard", "t.s"),
    ]
    assert found["chain"][2]["sources"][0]["quote"] == "the action calls for the standard"


def test_unconfirmed_derived_answers_can_be_left_out(any_store: GraphStore) -> None:
    any_store.upsert(small_plan(status="unconfirmed"))
    params = {"industry": "t.transport", "include_unconfirmed": False}
    assert answer(any_store, "standards_for_industry", params).derived == []
    assert [d.entity.id for d in answer(any_store, "standards_for_industry", {"industry": "t.transport"}).derived]


def test_indicators_of_sub_goals_answer_for_the_parent(bundled: MemoryStore) -> None:
    assert run_named_query(bundled, "indicators_for_goal", {"goal": KEY_INDICATORS}) == []
    result = answer(bundled, "indicators_for_goal", {"goal": KEY_INDICATORS})
    found = {d.entity.id: d for d in result.derived}
    assert "miit-5g-sailing-2021.ind.user-penetration" in found
    chain = found["miit-5g-sailing-2021.ind.user-penetration"].chains[0]
    assert chain[0].source == KEY_INDICATORS and chain[0].relation == "has_sub_goal"
    assert chain[-1].relation == "measured_by" and all(edge.sources for edge in chain)


def test_derived_never_repeats_a_direct_answer(bundled: MemoryStore) -> None:
    for goal in ("miit-5g-sailing-2021.goal.standards-system", "industrial-internet-2021.goal.security"):
        result = answer(bundled, "measures_for_goal", {"goal": goal})
        assert not {i.entity.id for i in result.items} & {d.entity.id for d in result.derived}


def test_derived_cli_and_api(bundled: MemoryStore) -> None:
    result = CliRunner().invoke(
        cli, ["derived", "indicators_for_goal", "--goal", KEY_INDICATORS, "--db", str(bundled.path), "--json"]
    )
    assert result.exit_code == 0, result.output
    client = TestClient(create_app(bundled, ApiSettings()))
    response = client.get("/api/v1/derived/indicators_for_goal", params={"id": KEY_INDICATORS})
    assert response.status_code == 200
    data = response.json()
    assert data["items"] == [] and all(d["kind"] == "derived" and d["chain"] for d in data["derived"])
    assert client.get("/api/v1/derived/nope", params={"id": KEY_INDICATORS}).status_code == 404


def test_deadlines_by_year_date_and_overdue(any_store: GraphStore, bundled: MemoryStore) -> None:
    due_2027 = timeline.deadlines(bundled, window=timeline.Window(year=2027))
    assert {row["deadline"] for row in due_2027["indicators"]} == {"2027-12-31"}
    assert {p for row in due_2027["indicators"] for p in row["plans"]} == {"plan.miit-5g-upgrade-2024"}
    assert len(due_2027["indicators"]) == 7
    overdue = timeline.deadlines(
        bundled, "plan.miit-5g-sailing-2021", timeline.Window(overdue_at=timeline.parse_date("2024-01-01", "x"))
    )
    assert overdue["indicators"] and all(row["deadline"] < "2024-01-01" for row in overdue["indicators"])
    assert KEY_INDICATORS in {row["goal"]["id"] for row in overdue["goals"]}  # due through its sub-goals
    assert (
        timeline.deadlines(bundled, window=timeline.Window(by=timeline.parse_date("2022-01-01", "x")))["indicators"]
        == []
    )
    with pytest.raises(BadQuery, match="date"):
        timeline.parse_date("31/12/2023", "by")
    any_store.upsert(small_plan())
    rows = timeline.deadlines(any_store, window=timeline.Window(year=2025))
    assert [r["indicator"]["id"] for r in rows["indicators"]] == ["t.i"]
    assert {g["goal"]["id"] for g in rows["goals"]} == {"t.g", "t.sub"}


def test_coverage_marks_direct_and_derived_and_finds_gaps(any_store: GraphStore) -> None:
    any_store.upsert(small_plan())
    result = analytics.coverage(any_store)
    pairs = {(p["row"], p["column"]): p["kind"] for p in result["standards_x_industries"]}
    assert pairs == {("t.direct", "t.transport"): "direct", ("t.s", "t.ports"): "derived"}
    gaps = {g["industry"]["id"]: g for g in result["gaps"]}
    assert gaps["t.ports"]["without_centre_or_program"] and not gaps["t.ports"]["without_standard"]


def test_centrality_and_summaries(bundled: MemoryStore) -> None:
    central = analytics.centrality(bundled)
    assert central["industries"][0]["betweenness"] >= central["industries"][-1]["betweenness"]
    summaries = {s["plan"]["id"]: s for s in analytics.plan_summaries(bundled)}
    upgrade = summaries["plan.miit-5g-upgrade-2024"]
    assert upgrade["documents"] == ["miit-5g-upgrade-2024.doc.final"] and len(upgrade["indicators"]) == 7
    assert upgrade["deadlines"] == ["2027-12-31"]
    client = TestClient(create_app(bundled, ApiSettings()))
    # The API adds each source's Chinese locator (api/locators.py) to what analytics computes.
    assert client.get("/api/v1/analytics/coverage").json() == add_locators_zh(analytics.coverage(bundled))
    assert client.get("/api/v1/deadlines", params={"year": 2027}).json()["indicators"] == add_locators_zh(
        due_rows(bundled)
    )
    assert client.get("/api/v1/deadlines", params={"by": "soon"}).status_code == 400


def due_rows(store: MemoryStore) -> list[dict[str, object]]:
    return timeline.deadlines(store, window=timeline.Window(year=2027))["indicators"]
