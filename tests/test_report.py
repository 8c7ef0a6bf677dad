"""The plan report: one self-contained HTML file with targets, changes and charts; from the CLI and the API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plankg.api.app import create_app
from plankg.api.settings import ApiSettings
from plankg.cli.main import app as cli
from plankg.graph.engine import BadQuery
from plankg.graph.memory import MemoryStore
from plankg.graph.report import build, render_html
from plankg.loaders import bundled_paths, prepare
from plankg.model import GraphBatch, Node, Source

UPGRADE = "plan.miit-5g-upgrade-2024"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> MemoryStore:
    store = MemoryStore(tmp_path_factory.mktemp("report") / "graph.json")
    store.upsert(prepare(bundled_paths(), store.known_types))
    return store


def test_report_has_targets_changes_and_charts_and_nothing_external(bundled: MemoryStore) -> None:
    html = render_html(bundled, UPGRADE)
    assert html.startswith("<!DOCTYPE html>")
    assert "≥ 38 base stations per 10000 people" in html and "2027-12-31" in html
    assert "建成7万个5G行业虚拟专网" in html  # a quote, as evidence
    assert "previous plan → this plan" in html and "plan.miit-5g-sailing-2021" in html
    assert html.count("<svg") == 2
    assert "<script" not in html.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "@import" not in html and not re.search(r"url\((?!#)", html)  # only in-document references


def test_report_data_lists_the_raised_targets(bundled: MemoryStore) -> None:
    data = build(bundled, UPGRADE)
    previous = next(c for c in data["comparisons"] if c["title"] == "previous plan → this plan")
    raised = {row["b"]["id"] for row in previous["targets"]}
    assert "miit-5g-upgrade-2024.ind.user-penetration" in raised
    assert {t["indicator"]["id"] for t in data["targets"]} >= raised


def test_quotes_cannot_inject_markup(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path / "graph.json")
    evil = "<script>alert(1)</script>"
    store.upsert(GraphBatch([Node("plan.evil", "Plan", {"en": evil}, sources=[Source("d", "l", evil)])]))
    html = render_html(store, "plan.evil")
    assert evil not in html and "&lt;script&gt;" in html


def test_report_refuses_what_is_not_a_plan(bundled: MemoryStore) -> None:
    with pytest.raises(BadQuery):
        render_html(bundled, "industry.healthcare")


def test_cli_writes_the_file_and_api_serves_it(bundled: MemoryStore, tmp_path: Path) -> None:
    output = tmp_path / "out" / "report.html"
    result = CliRunner().invoke(cli, ["report", UPGRADE, "-o", str(output), "--db", str(bundled.path)])
    assert result.exit_code == 0, result.output
    assert output.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    missing = CliRunner().invoke(
        cli, ["report", "plan.nope", "-o", str(tmp_path / "x.html"), "--db", str(bundled.path)]
    )
    assert missing.exit_code == 1 and not (tmp_path / "x.html").exists()
    client = TestClient(create_app(bundled, ApiSettings()))
    response = client.get(f"/api/v1/plans/{UPGRADE}/report")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "≥ 38 base stations" in response.text
    assert client.get(f"/api/v1/plans/{UPGRADE}/report", params={"format": "json"}).json()["plan"]["id"] == UPGRADE
    assert client.get("/api/v1/plans/plan.nope/report").status_code == 404
    assert client.get("/api/v1/plans/industry.healthcare/report").status_code == 400
