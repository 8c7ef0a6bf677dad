"""Diff of two documents or plans: matching, outcomes (not_stated is not "removed"), evidence per side, CLI, API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plankg.api.app import create_app
from plankg.api.locators import add_locators_zh
from plankg.api.settings import ApiSettings
from plankg.cli.main import app as cli
from plankg.graph.diff import BadDiff, diff, target_changes
from plankg.graph.memory import MemoryStore
from plankg.graph.store import NotFound
from plankg.loaders import bundled_paths, prepare

DRAFT, FINAL = "miit-5g-sailing-2021.doc.draft", "miit-5g-sailing-2021.doc.final"
SAILING, UPGRADE = "plan.miit-5g-sailing-2021", "plan.miit-5g-upgrade-2024"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> MemoryStore:
    store = MemoryStore(tmp_path_factory.mktemp("diff") / "graph.json")
    store.upsert(prepare(bundled_paths(), store.known_types))
    return store


def ids(items: list[dict[str, Any]], side: str) -> set[str]:
    return {item[side]["id"] for item in items}


def test_draft_to_final_keeps_silence_apart_from_change(bundled: MemoryStore) -> None:
    result = diff(bundled, DRAFT, FINAL)
    entities = result["entities"]
    assert set(entities) == {"added", "changed", "not_stated", "unchanged"}
    # the draft's standards: the final's fact sheet is silent about them — not stated, never "removed"
    silent = ids(entities["not_stated"], "a")
    assert "miit-5g-sailing-2021.ind.application-solutions" in silent
    assert all(item["b"] is None for item in entities["not_stated"])
    # both versions state the users' penetration target: unchanged, with each side's own evidence
    both = {item["a"]["id"]: item for item in entities["unchanged"]}
    penetration = both["miit-5g-sailing-2021.ind.user-penetration"]
    assert {s["document"] for s in penetration["a"]["evidence"]} == {DRAFT}
    assert {s["document"] for s in penetration["b"]["evidence"]} == {FINAL}
    # the two Document nodes are matched by supersedes and differ in kind
    changed = {item["a"]["id"]: item for item in entities["changed"]}
    kinds = {c["field"]: (c["a"], c["b"]) for c in changed[DRAFT]["changes"]}
    assert changed[DRAFT]["match"] == "supersedes" and kinds["properties.kind"] == ("draft", "final")
    assert result["summary"]["entities"] == {k: len(v) for k, v in entities.items()}


def test_plan_to_successor_shows_raised_targets_and_new_tasks(bundled: MemoryStore) -> None:
    result = diff(bundled, SAILING, UPGRADE)
    raised = {row["a"]["id"]: {c["field"]: (c["a"], c["b"]) for c in row["fields"]} for row in target_changes(result)}
    assert raised["miit-5g-sailing-2021.ind.user-penetration"]["properties.target_value"] == (40, 85)
    assert raised["miit-5g-sailing-2021.ind.base-stations-per-10k"]["properties.target_value"] == (18, 38)
    assert raised["miit-5g-sailing-2021.ind.large-industrial-enterprise-penetration"]["properties.deadline"] == (
        "2023-12-31",
        "2027-12-31",
    )
    assert len(raised) == 5  # the five refines links; IoT counts another thing and is not matched
    added = ids(result["entities"]["added"], "b")
    assert "miit-5g-upgrade-2024.ind.iot-connections" in added
    assert "miit-5g-upgrade-2024.task.industry-vpn-supply" in added
    assert "miit-5g-sailing-2021.task.cross-industry-protocol-standards" in ids(result["entities"]["not_stated"], "a")
    plans = {item["a"]["id"]: item["match"] for item in result["entities"]["changed"] + result["entities"]["unchanged"]}
    assert plans[SAILING] == "continues"


def test_identical_sides_have_nothing_but_unchanged(bundled: MemoryStore) -> None:
    result = diff(bundled, UPGRADE, UPGRADE)
    assert result["summary"]["entities"]["unchanged"] > 0
    for outcome in ("added", "changed", "not_stated"):
        assert result["summary"]["entities"][outcome] == 0
        assert result["summary"]["relations"][outcome] == 0


def test_sides_must_be_documents_or_plans(bundled: MemoryStore) -> None:
    with pytest.raises(BadDiff, match="Documents or two Plans"):
        diff(bundled, "industry.healthcare", FINAL)
    with pytest.raises(BadDiff, match="like with like"):
        diff(bundled, SAILING, FINAL)
    with pytest.raises(NotFound):
        diff(bundled, "no.such-document", FINAL)


def test_cli_and_api(bundled: MemoryStore) -> None:
    db = str(bundled.path)
    result = CliRunner().invoke(cli, ["diff", DRAFT, FINAL, "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == diff(bundled, DRAFT, FINAL)
    text = CliRunner().invoke(cli, ["diff", SAILING, UPGRADE, "--db", db])
    assert text.exit_code == 0 and "not stated by B" in text.stdout
    bad = CliRunner().invoke(cli, ["diff", "industry.healthcare", FINAL, "--db", db])
    assert bad.exit_code == 1 and "Documents or two Plans" in bad.stderr
    client = TestClient(create_app(bundled, ApiSettings()))
    response = client.get("/api/v1/diff", params={"a": SAILING, "b": UPGRADE})
    assert response.status_code == 200 and response.json() == add_locators_zh(diff(bundled, SAILING, UPGRADE))
    assert client.get("/api/v1/diff", params={"a": "industry.healthcare", "b": FINAL}).status_code == 400
    assert client.get("/api/v1/diff", params={"a": "no.such-doc", "b": FINAL}).status_code == 404
    assert client.get("/api/v1/diff", params={"a": "Not An Id!", "b": FINAL}).status_code == 404  # a name of no entity


def test_result_is_json_and_deterministic(bundled: MemoryStore, tmp_path: Path) -> None:
    first = json.dumps(diff(bundled, SAILING, UPGRADE), sort_keys=True)
    assert first == json.dumps(diff(bundled, SAILING, UPGRADE), sort_keys=True)
